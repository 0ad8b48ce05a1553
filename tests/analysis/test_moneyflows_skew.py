"""Issue 15, money flows: no train/score skew, a threshold that transfers, PR-AUC, the flagged
share check, and readers that stream (a file larger than a batch, bad rows past the first batch).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from doorbraak_analysis.moneyflows import model as mf_model
from doorbraak_analysis.moneyflows.cli import main
from doorbraak_analysis.moneyflows.config import FlowConfig
from doorbraak_analysis.moneyflows.io import InputError, read_transactions
from doorbraak_analysis.moneyflows.synth import generate


def _write_rows(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def _rebased(table: pa.Table, offset: int) -> pa.Table:
    return table.set_column(0, "rid", pa.array(table["rid"].to_numpy() - offset))


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """A generated year cut by time like the benchmark: fit 60%, validation 20%, test 20%."""
    d = tmp_path_factory.mktemp("skew")
    paths = generate(20000, seed=21, out_dir=d, laundering_rate=0.02)
    lines = paths["transactions"].read_text().splitlines()
    header, body = lines[0], lines[1:]
    n = len(body)
    c1, c2 = int(round(n * 0.6)), int(round(n * 0.8))
    files = {
        "fit": _write_rows(d / "fit.csv", header, body[:c1]),
        "val": _write_rows(d / "val.csv", header, body[c1:c2]),
        "trainval": _write_rows(d / "trainval.csv", header, body[:c2]),
        "test": _write_rows(d / "test.csv", header, body[c2:]),
    }
    args = ["train", "--input", str(files["trainval"]), "--model", str(d / "model")]
    assert main([*args, "--max-rounds", "80"]) == 0
    return d, files, (c1, c2)


def _score_cli(d: Path, files: dict, inp: str, hist: str, name: str, *extra: str) -> np.ndarray:
    out = d / f"{name}.csv"
    args = ["score", "--input", str(files[inp]), "--history", str(files[hist])]
    assert main([*args, "--model", str(d / "model"), "--out", str(out), *extra]) == 0
    with open(out) as fh:
        rows = list(csv.DictReader(fh))
    return np.array([float(r["score"]) for r in rows]), np.array([int(r["flagged"]) for r in rows])


def test_same_transaction_same_features_in_training_and_through_history(split):
    d, files, (c1, _) = split
    booster, meta = mf_model.load_model(d / "model")
    cfg = FlowConfig(**meta["config"])
    trainval = read_transactions(files["trainval"])
    in_training = mf_model.training_features(trainval, cfg, meta["vocabulary"])
    # the validation rows as `score --input val.csv --history fit.csv` computes them
    val = read_transactions(files["val"])
    fit = read_transactions(files["fit"])
    scored = mf_model.compute_features(val, cfg, meta["vocabulary"], history=fit)
    assert scored["rid"].to_pylist() == list(range(val.num_rows))
    trained_val = in_training.slice(c1)
    assert trained_val.num_rows == val.num_rows
    for name in meta["features"]:  # exact equality, every feature of every row
        a = trained_val[name].to_numpy(zero_copy_only=False)
        b = scored[name].to_numpy(zero_copy_only=False)
        assert np.array_equal(a, b, equal_nan=True), name
    # and through the command itself: the scores are the model's on the training features
    s_cli, _ = _score_cli(d, files, "val", "fit", "val_scores")
    X = np.column_stack([trained_val[n].to_numpy() for n in meta["features"]])
    assert np.array_equal(s_cli, np.round(booster.predict(X), 6))
    # the comparison is not vacuous: graph features vary and patterns were found
    assert np.unique(scored["s_pat_core"].to_numpy()).size > 1
    assert scored["in_cycle"].to_numpy().sum() + scored["in_scatter_gather"].to_numpy().sum() > 0


def test_account_figures_do_not_grow_with_the_length_of_the_history(split):
    """Counts per account are rates: the test rows' figures are on the same scale with the
    whole earlier year as history as with only its last half (a count would double)."""
    d, files, _ = split
    meta = mf_model.load_model(d / "model")[1]
    cfg = FlowConfig(**meta["config"])
    test, trainval = read_transactions(files["test"]), read_transactions(files["trainval"])
    half = trainval.slice(trainval.num_rows // 2)
    long_h = mf_model.compute_features(test, cfg, meta["vocabulary"], history=trainval)
    short_h = mf_model.compute_features(test, cfg, meta["vocabulary"], history=half)
    span = {
        k: int(np.ptp(np.r_[h["t"].to_numpy(), test["t"].to_numpy()]))
        for k, h in (("long", trainval), ("short", half))
    }
    assert span["long"] > 1.5 * span["short"]
    for name in ("s_out_rate", "d_in_rate", "s_pat_any", "d_pat_core", "pair_n", "s_in_cp_rate"):
        ratio = long_h[name].to_numpy().mean() / short_h[name].to_numpy().mean()
        assert 0.8 < ratio < 1.25, (name, ratio)


def test_threshold_chosen_on_validation_scored_like_the_test(split):
    d, files, _ = split
    meta = mf_model.load_model(d / "model")[1]
    v = meta["validation"]
    # the stored validation figures are what `score --history <fit part>` gives on validation
    s_val, f_val = _score_cli(d, files, "val", "fit", "val_scores2")
    y_val = read_transactions(files["val"])["label"].to_numpy()
    rep = mf_model.f1_report(y_val, f_val)
    assert (rep["tp"], rep["fp"], rep["fn"]) == (v["tp"], v["fp"], v["fn"])
    assert v["flagged_share"] == pytest.approx(f_val.mean())
    assert v["average_precision"] == pytest.approx(
        mf_model.average_precision(y_val, s_val), abs=1e-4
    )
    assert v["f1"] > 0.5
    # and it transfers: on the test period the flagged share stays within a factor 2 and the
    # model still finds the planted laundering
    summary = d / "summary.json"
    s_te, f_te = _score_cli(d, files, "test", "trainval", "test_scores", "--summary", str(summary))
    y_te = read_transactions(files["test"])["label"].to_numpy()
    assert 0.5 <= f_te.mean() / v["flagged_share"] <= 2.0
    assert mf_model.f1_report(y_te, f_te)["f1"] > 0.4
    assert mf_model.average_precision(y_te, s_te) > 0.6
    got = json.loads(summary.read_text())
    assert got["warning"] is None and got["rows"] == len(y_te)
    assert got["validation_flagged_share"] == v["flagged_share"]


def test_flagged_share_far_from_validation_warns(split, tmp_path, capsys):
    d, files, _ = split
    doctored = tmp_path / "model"
    doctored.mkdir()
    (doctored / "model.txt").write_bytes((d / "model" / "model.txt").read_bytes())
    meta = json.loads((d / "model" / "meta.json").read_text())
    meta["validation"]["flagged_share"] /= 10  # as if validation had flagged ten times fewer
    (doctored / "meta.json").write_text(json.dumps(meta))
    summary = tmp_path / "summary.json"
    args = ["score", "--input", str(files["test"]), "--history", str(files["trainval"])]
    out = tmp_path / "s.csv"
    rc = main([*args, "--model", str(doctored), "--out", str(out), "--summary", str(summary)])
    assert rc == 0 and out.exists()
    err = capsys.readouterr().err
    assert "more than a factor 2 apart" in err
    assert "more than a factor 2 apart" in json.loads(summary.read_text())["warning"]


def test_flag_share_warning_both_ways():
    assert mf_model.flag_share_warning(0.002, 0.0015) is None
    assert mf_model.flag_share_warning(0.004, 0.0015) is not None
    assert mf_model.flag_share_warning(0.0005, 0.0015) is not None
    assert mf_model.flag_share_warning(0.0, 0.0) is None
    assert mf_model.flag_share_warning(0.01, None) is None


def test_average_precision_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    y = (rng.random(500) < 0.1).astype(int)
    s = np.round(rng.random(500) + y * 0.3, 2)  # with ties
    assert mf_model.average_precision(y, s) == pytest.approx(
        metrics.average_precision_score(y, s), abs=1e-12
    )
    assert mf_model.average_precision(np.zeros(3), np.ones(3)) == 0.0


# ---- streaming readers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("stream")
    return generate(600, seed=4, out_dir=d, laundering_rate=0.05)["transactions"]


def test_reader_in_small_batches_equals_one_batch(small_file, tmp_path):
    whole = read_transactions(small_file, batch_rows=10**7)
    batched = read_transactions(small_file, batch_rows=50)  # more than ten batches
    assert whole.num_rows == 600
    assert batched.equals(whole)
    # Parquet in batches too
    native = tmp_path / "tx.parquet"
    raw = pacsv.read_csv(
        small_file, convert_options=pacsv.ConvertOptions(column_types={"Timestamp": pa.string()})
    )
    names = [
        "timestamp",
        "from_bank",
        "from_account",
        "to_bank",
        "to_account",
        "amount_received",
        "receiving_currency",
        "amount_paid",
        "payment_currency",
        "payment_format",
        "is_laundering",
    ]
    pq.write_table(raw.rename_columns(names), native)
    from_parquet = read_transactions(native, batch_rows=10**7)
    assert from_parquet.num_rows == 600
    assert read_transactions(native, batch_rows=64).equals(from_parquet)


def test_bad_rows_past_the_first_batch_named_and_nothing_written(small_file, tmp_path, capsys):
    lines = small_file.read_text().splitlines()
    body = lines[1:]
    parts = body[400].split(",")
    parts[7] = "x1"  # Amount Paid not a number
    body[400] = ",".join(parts)
    body[450] = ",".join(body[450].split(",")[:5])  # a short line, past several batches
    bad = _write_rows(tmp_path / "bad.csv", lines[0], body)
    with pytest.raises(InputError) as err:
        read_transactions(bad, batch_rows=50)
    rows = {p.row for p in err.value.problems}
    assert rows == {400, 450}, err.value.report()
    # the command: exit 2, each bad row on stderr, no output file (also reading in batches)
    out = tmp_path / "scores.csv"
    model = tmp_path / "m"
    good = _write_rows(tmp_path / "good.csv", lines[0], lines[1:])
    assert main(["train", "--input", str(good), "--model", str(model), "--max-rounds", "5"]) == 0
    rc = main(
        ["score", "--input", str(bad), "--model", str(model), "--out", str(out)]
        + ["--batch-rows", "50"]
    )
    assert rc == 2 and not out.exists() and not list(tmp_path.glob("scores.csv*"))
    err_text = capsys.readouterr().err
    assert "row 400 (line 402)" in err_text and "row 450 (line 452)" in err_text
    # good input in small batches scores every row once, in order
    assert (
        main(
            ["score", "--input", str(good), "--model", str(model), "--out", str(out)]
            + ["--batch-rows", "50", "--temp-directory", str(tmp_path / "spill" / "new")]
        )
        == 0
    )
    with open(out) as fh:
        assert [int(r["row"]) for r in csv.DictReader(fh)] == list(range(600))
