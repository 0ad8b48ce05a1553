"""Train/score round trip through the CLI, --history semantics, detect and sectors output,
suppression, the generator's determinism, and no Django in the analysis package."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from doorbraak_analysis.moneyflows import model as mf_model
from doorbraak_analysis.moneyflows.cli import main
from doorbraak_analysis.moneyflows.io import read_transactions
from doorbraak_analysis.moneyflows.sectors import sector_vulnerability, wilson
from doorbraak_analysis.moneyflows.synth import generate


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A small labelled year, split by time: first 80% train, last 20% test (files are time-sorted)."""
    d = tmp_path_factory.mktemp("flows")
    paths = generate(12000, seed=5, out_dir=d, laundering_rate=0.012)
    lines = paths["transactions"].read_text().splitlines()
    header, body = lines[0], lines[1:]
    cut = int(len(body) * 0.8)
    (d / "train.csv").write_text("\n".join([header, *body[:cut]]) + "\n")
    (d / "test.csv").write_text("\n".join([header, *body[cut:]]) + "\n")
    unlabelled = [header.rsplit(",", 1)[0]] + [b.rsplit(",", 1)[0] for b in body[cut:]]
    (d / "test_unlabelled.csv").write_text("\n".join(unlabelled) + "\n")
    assert (
        main(
            [
                "train",
                "--input",
                str(d / "train.csv"),
                "--model",
                str(d / "model"),
                "--max-rounds",
                "150",
            ]
        )
        == 0
    )
    return d, paths


def read_scores(path: Path):
    with open(path) as fh:
        header = fh.readline().strip()
        rows = list(csv.reader(fh))
    return header, rows


def test_train_stores_model_and_threshold(data):
    d, _ = data
    meta = mf_model.load_model(d / "model")[1]
    assert 0 < meta["threshold"] < 1
    assert meta["validation"]["positives"] > 0 and meta["with_graph"] is True


def test_score_round_trip(data):
    d, _ = data
    out = d / "scores.csv"
    assert (
        main(
            [
                "score",
                "--input",
                str(d / "test.csv"),
                "--history",
                str(d / "train.csv"),
                "--model",
                str(d / "model"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    header, rows = read_scores(out)
    n_test = len((d / "test.csv").read_text().splitlines()) - 1
    assert header == "row,score,flagged"
    assert [int(r[0]) for r in rows] == list(range(n_test))
    threshold = mf_model.load_model(d / "model")[1]["threshold"]
    for _, s, f in rows:
        assert f in ("0", "1") and (float(s) >= threshold) == (f == "1")
    y = read_transactions(d / "test.csv")["label"].to_numpy()
    report = mf_model.f1_report(y, np.array([int(r[2]) for r in rows]))
    assert report["f1"] > 0.3, report  # graph features find planted laundering on unseen months


def test_score_unlabelled_input_and_explanations(data):
    d, _ = data
    out, why = d / "scores_u.csv", d / "why.csv"
    assert (
        main(
            [
                "score",
                "--input",
                str(d / "test_unlabelled.csv"),
                "--history",
                str(d / "train.csv"),
                "--model",
                str(d / "model"),
                "--out",
                str(out),
                "--explain",
                str(why),
            ]
        )
        == 0
    )
    _, rows = read_scores(out)
    _, labelled_rows = (
        read_scores(d / "scores.csv") if (d / "scores.csv").exists() else (None, rows)
    )
    assert len(rows) == len(labelled_rows)
    flagged = {int(r[0]) for r in rows if r[2] == "1"}
    with open(why) as fh:
        explained = {int(r["row"]): r["indicators"] for r in csv.DictReader(fh)}
    assert set(explained) == flagged
    assert all(v.count(";") == 4 for v in explained.values())


def test_history_is_context_not_scored(data):
    d, _ = data
    test = read_transactions(d / "test.csv")
    history = read_transactions(d / "train.csv")
    with_h, _ = mf_model.score(test, d / "model", history=history)
    without, _ = mf_model.score(test, d / "model")
    # one line per test row either way; history rows never appear
    assert with_h["row"].to_pylist() == without["row"].to_pylist() == list(range(test.num_rows))
    # but the history changes the graph around the scored rows
    meta = mf_model.load_model(d / "model")[1]
    cfg = mf_model.FlowConfig(**meta["config"])
    f_h = mf_model.compute_features(test, cfg, meta["vocabulary"], history=history)
    f_0 = mf_model.compute_features(test, cfg, meta["vocabulary"])
    assert f_h["rid"].to_pylist() == f_0["rid"].to_pylist()
    changed = np.mean(f_h["s_pat_any"].to_numpy() != f_0["s_pat_any"].to_numpy())
    assert changed > 0.1
    assert np.array_equal(f_h["amount_log"].to_numpy(), f_0["amount_log"].to_numpy())
    assert not np.allclose(with_h["score"].to_numpy(), without["score"].to_numpy())


def test_detect_cli_lists_patterns_with_rows(data, tmp_path):
    _, paths = data
    out = tmp_path / "patterns.csv"
    assert (
        main(
            [
                "detect",
                "--input",
                str(paths["transactions"]),
                "--out",
                str(out),
                "--fan-min-counterparties",
                "6",
            ]
        )
        == 0
    )
    with open(out) as fh:
        patterns = list(csv.DictReader(fh))
    n = len(paths["transactions"].read_text().splitlines()) - 1
    typologies = {p["typology"] for p in patterns}
    assert {"fan-in", "fan-out", "cycle", "scatter-gather", "pass-through"} <= typologies
    for p in patterns:
        rows = [int(r) for r in p["rows"].split(";")]
        assert all(0 <= r < n for r in rows) and len(rows) == int(p["n_transactions"])
        assert len(p["accounts"].split(";")) == len(p["roles"].split(";"))


def test_sectors_cli_suppresses_small_counts(data, tmp_path):
    _, paths = data
    out = tmp_path / "sectors.csv"
    assert (
        main(
            [
                "sectors",
                "--input",
                str(paths["transactions"]),
                "--accounts",
                str(paths["accounts"]),
                "--out",
                str(out),
                "--period",
                "quarter",
            ]
        )
        == 0
    )
    with open(out) as fh:
        lines = list(csv.DictReader(fh))
    assert lines and {r["data_date"] for r in lines} == {"2023-12-31"}
    for r in lines:
        for col in ("accounts", "accounts_in_patterns"):
            assert r[col] == "<5" or int(r[col]) >= 5
        if r["suppressed"] == "1":
            assert r["account_share"] == r["amount_in_patterns_eur"] == r["rank"] == ""
        else:
            assert (
                float(r["account_share_low"])
                <= float(r["account_share"])
                <= float(r["account_share_high"])
            )
    assert any(r["accounts_in_patterns"] == "<5" for r in lines)
    assert {r["period"] for r in lines} == {"2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"}
    assert any(r["change_pp"] for r in lines)


def test_sector_small_group_suppressed():
    tx = pa.table(
        {
            "rid": [0, 1, 2],
            "t": [1_672_531_200] * 3,
            "src": ["a", "b", "c"],
            "dst": ["d", "d", "d"],
            "amount": [100.0, 200.0, 300.0],
        }
    )
    accounts = pa.table(
        {
            "account": ["a", "b", "c", "d"],
            "sbi": ["5610", "5610", "5610", "4511"],
            "area": ["Zuid", "Zuid", "Zuid", "Oost"],
        }
    )
    table = sector_vulnerability(tx, accounts, pa.table({"rid": pa.array([0, 1], pa.int64())}))
    for r in table.to_pylist():
        assert r["accounts"] == "<5" and r["suppressed"] == "1" and r["account_share"] == ""
        assert r["amount_eur"] == ""


def test_wilson_interval():
    lo, hi = wilson(10, 100)
    assert lo == pytest.approx(0.0552, abs=1e-4) and hi == pytest.approx(0.1744, abs=1e-4)
    assert wilson(0, 10)[0] == 0.0


def test_generator_is_deterministic(tmp_path):
    a = generate(3000, seed=11, out_dir=tmp_path / "a")
    b = generate(3000, seed=11, out_dir=tmp_path / "b")
    c = generate(3000, seed=12, out_dir=tmp_path / "c")
    assert a["transactions"].read_bytes() == b["transactions"].read_bytes()
    assert a["accounts"].read_bytes() == b["accounts"].read_bytes()
    assert a["transactions"].read_bytes() != c["transactions"].read_bytes()
    tx = read_transactions(a["transactions"])
    assert tx.num_rows == 3000 and 0 < sum(tx["label"].to_pylist()) < 100


def test_raw_only_baseline_model(data, tmp_path):
    d, _ = data
    assert (
        main(
            [
                "train",
                "--input",
                str(d / "train.csv"),
                "--model",
                str(tmp_path / "m"),
                "--raw-only",
                "--max-rounds",
                "100",
            ]
        )
        == 0
    )
    out = tmp_path / "s.csv"
    assert (
        main(
            [
                "score",
                "--input",
                str(d / "test.csv"),
                "--model",
                str(tmp_path / "m"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert read_scores(out)[0] == "row,score,flagged"


def test_bad_setting_is_refused(data, tmp_path):
    _, paths = data
    cfg = tmp_path / "rules.yaml"
    cfg.write_text("fan_window_hours: 48\nno_such_rule: 3\n")
    assert (
        main(
            [
                "detect",
                "--input",
                str(paths["transactions"]),
                "--out",
                str(tmp_path / "p.csv"),
                "--config",
                str(cfg),
            ]
        )
        == 2
    )


def test_analysis_package_never_imports_django():
    code = (
        "import sys; import doorbraak_analysis.moneyflows.cli, doorbraak_analysis.moneyflows.model, "
        "doorbraak_analysis.moneyflows.sectors, doorbraak_analysis.moneyflows.synth, "
        "doorbraak_analysis.moneyflows.features; assert 'django' not in sys.modules"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": src}, cwd=src)
