"""Issue 15, bounded memory: `flows score` on a DuckDB database file under a small memory
limit, in batches smaller than the file, gives exactly the scores (and explanations) of the
in-memory computation; intermediate tables are dropped after their last use."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from doorbraak_analysis.moneyflows import model as mf_model
from doorbraak_analysis.moneyflows.cli import main
from doorbraak_analysis.moneyflows.config import FlowConfig
from doorbraak_analysis.moneyflows.engine import DuckDBEngine
from doorbraak_analysis.moneyflows.features import build_features, feature_steps, last_uses
from doorbraak_analysis.moneyflows.io import read_transactions
from doorbraak_analysis.moneyflows.synth import generate


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("flowsmem")
    paths = generate(9000, seed=11, out_dir=d, laundering_rate=0.015)
    lines = paths["transactions"].read_text().splitlines()
    header, body = lines[0], lines[1:]
    cut = int(len(body) * 0.7)
    (d / "fit.csv").write_text("\n".join([header, *body[:cut]]) + "\n")
    (d / "new.csv").write_text("\n".join([header, *body[cut:]]) + "\n")
    args = ["train", "--input", str(d / "fit.csv"), "--model", str(d / "model")]
    assert main([*args, "--max-rounds", "60"]) == 0
    return d


def test_score_on_a_database_file_in_little_memory_equals_in_memory(data, tmp_path):
    d = data
    out, why = tmp_path / "scores.csv", tmp_path / "why.csv"
    args = ["score", "--input", str(d / "new.csv"), "--history", str(d / "fit.csv")]
    args += ["--model", str(d / "model"), "--out", str(out), "--explain", str(why)]
    args += ["--memory-limit", "100MB", "--batch-rows", "700"]  # a batch is < 1/3 of the file
    args += ["--temp-directory", str(tmp_path / "spill")]
    assert main(args) == 0
    assert not list((tmp_path / "spill").iterdir())  # the work directory and its database gone

    # reference: the features in memory, in row order, predicted in one go
    booster, meta = mf_model.load_model(d / "model")
    new, fit = read_transactions(d / "new.csv"), read_transactions(d / "fit.csv")
    feat = mf_model.compute_features(
        new, FlowConfig(**meta["config"]), meta["vocabulary"], history=fit
    )
    expected = np.round(booster.predict(mf_model._matrix(feat, meta["features"])), 6)
    with open(out) as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in rows] == list(range(new.num_rows))
    assert np.array_equal(np.array([float(r["score"]) for r in rows]), expected)
    flagged = [int(r["flagged"]) for r in rows]
    assert flagged == [int(s >= meta["threshold"]) for s in expected]
    assert sum(flagged) > 0

    ref_scores, ref_why = mf_model.score(new, d / "model", history=fit, explain=5)
    assert ref_why is not None
    with open(why) as fh:
        explained = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in explained] == ref_why["row"].to_pylist()
    assert [r["indicators"] for r in explained] == ref_why["indicators"].to_pylist()
    assert ref_scores["score"].to_pylist() == expected.tolist()


def test_intermediate_tables_dropped_after_their_last_use(data):
    d = data
    meta = mf_model.load_model(d / "model")[1]
    cfg = FlowConfig(**meta["config"])
    steps = feature_steps(cfg, meta["vocabulary"])
    drops = last_uses(steps, keep={"tx", "feat"})
    dropped = [n for names in drops.values() for n in names]
    assert sorted(dropped) == sorted({n for n, _ in steps} - {"feat"})
    for i, names in drops.items():  # no later step reads a table dropped at step i
        for name in names:
            assert not any(re.search(rf"\b{name}\b", sql) for _, sql in steps[i + 1 :]), name

    engine = DuckDBEngine(threads=1)
    engine.register("tx", read_transactions(d / "new.csv"))
    build_features(engine, cfg, meta["vocabulary"], drop_intermediate=True)
    tables = {r[0] for r in engine.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"tx", "feat"}
