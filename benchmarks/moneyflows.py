"""Benchmark of the money-flow model, AMLworld style.

On one generated data set and one temporal split (60% train, 20% validation, 20% test, by
time) it runs, each peer in its own process (so peak memory is that peer's own):
  1. Doorbraak: `doorbraak flows train` on the first 80% (it validates on the last quarter of
     that = 20% overall) and `doorbraak flows score` on the test 20% with the 80% as --history;
  2. a LightGBM baseline on raw transaction fields only (same CLI, --raw-only, same --history);
  3. Snap ML's GraphFeaturePreprocessor + LightGBM if `snapml` imports (reference only: it is
     proprietary and never a dependency of Doorbraak), else f1_gfp=na.
Then it measures feature building + scoring speed on >= 1 million transactions.

The public AMLworld files cannot be downloaded in this environment, so the data comes from
`doorbraak_analysis.moneyflows.synth` (AMLworld format, planted laundering).

    python benchmarks/moneyflows.py          # 1M transactions + the rare 1.6M scenario
    python benchmarks/moneyflows.py --transactions 200000 --laundering-rate 0.008 \
        --rare-transactions 0 --speed-transactions 1000000        # the small scenario only

The rare scenario (issue 15): 1.6M transactions, 0.2% laundering, the same typologies, the same
temporal 60/20/20 split, scored through `flows score --history`; its F1 and PR-AUC go on the
RESULT line as f1_rare, f1_rare_gfp and prauc_rare.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# Altman et al., "Realistic Synthetic Financial Transactions for Anti-Money Laundering Models",
# NeurIPS 2023 Datasets & Benchmarks, results table: minority-class F1 (%) of GBT models with
# graph features (Snap ML GraphFeaturePreprocessor) on the AMLworld data sets.
PUBLISHED = {
    "LightGBM+GFs": {
        "HI-Small": 62.86,
        "LI-Small": 20.83,
        "HI-Medium": 59.48,
        "LI-Medium": 20.85,
        "HI-Large": 58.03,
        "LI-Large": 23.67,
    },
    "XGBoost+GFs": {
        "HI-Small": 63.23,
        "LI-Small": 27.30,
        "HI-Medium": 65.70,
        "LI-Medium": 28.16,
        "HI-Large": 42.68,
        "LI-Large": 24.23,
    },
}

RUNNER = (
    "import resource, sys, time; from doorbraak_analysis.moneyflows.cli import main; "
    "t = time.perf_counter(); rc = main(sys.argv[1:]); "
    "print('BENCH', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
    "sys.exit(rc)"
)


def run_cli(args: list[str], threads: int) -> tuple[float, float]:
    """Run `doorbraak flows ...` in a fresh process; (seconds, peak GB of that process)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *args], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"failed: doorbraak flows {' '.join(args)}")
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")][-1].split()
    for ln in proc.stderr.splitlines():
        if not ln.startswith("BENCH") and ln.strip():
            print("   |", ln)
    return float(line[1]), int(line[2]) / 1024 / 1024  # ru_maxrss is KiB on Linux


def split_files(src: Path, out: Path) -> dict[str, Path]:
    """The generator writes time-sorted rows: cut at 80% (60 train + 20 validation) / 20% test."""
    lines = src.read_text().splitlines()
    header, body = lines[0], lines[1:]
    cut = int(round(len(body) * 0.8))
    paths = {"trainval": out / "trainval.csv", "test": out / "test.csv"}
    paths["trainval"].write_text("\n".join([header, *body[:cut]]) + "\n")
    paths["test"].write_text("\n".join([header, *body[cut:]]) + "\n")
    return paths


def evaluate(scores: Path, test: Path) -> dict:
    from doorbraak_analysis.moneyflows.io import read_transactions
    from doorbraak_analysis.moneyflows.model import average_precision, f1_report

    y = read_transactions(test)["label"].to_numpy()
    with open(scores) as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in rows] == list(range(len(y))), "one line per test row"
    rep = f1_report(y, np.array([int(r["flagged"]) for r in rows]))
    rep["prauc"] = average_precision(y, np.array([float(r["score"]) for r in rows]))
    rep["flagged_share"] = float(np.mean([int(r["flagged"]) for r in rows])) if rows else 0.0
    return rep


def per_typology_recall(scores: Path, truth: Path, offset: int) -> dict:
    with open(scores) as fh:
        flagged = {int(r["row"]) for r in csv.DictReader(fh) if r["flagged"] == "1"}
    hits: dict = {}
    with open(truth) as fh:
        for r in csv.DictReader(fh):
            row = int(r["row"]) - offset
            if row >= 0:
                h = hits.setdefault(r["typology"], [0, 0])
                h[0] += row in flagged
                h[1] += 1
    return {k: f"{a}/{b}" for k, (a, b) in sorted(hits.items())}


def gfp_peer(trainval: Path, test: Path, threads: int) -> dict | None:
    """Snap ML GraphFeaturePreprocessor + LightGBM, when snapml is importable (else None)."""
    if os.environ.get("SNAPML_PATH"):  # e.g. pip install --target DIR snapml: kept out of the venv
        sys.path.insert(0, os.environ["SNAPML_PATH"])
    try:
        import snapml  # noqa: F401
        from snapml import GraphFeaturePreprocessor
    except Exception as err:  # not installed / no wheel for this platform
        print(f"   snapml not available ({type(err).__name__}: {err}); f1_gfp=na")
        return None
    import resource

    import duckdb
    import lightgbm as lgb

    from doorbraak_analysis.moneyflows.features import raw_feature_sql
    from doorbraak_analysis.moneyflows.io import read_transactions
    from doorbraak_analysis.moneyflows.model import (
        LGB_PARAMS,
        average_precision,
        best_threshold,
        f1_report,
        temporal_split,
        vocabulary,
    )

    started = time.perf_counter()
    tv, te = read_transactions(trainval), read_transactions(test)
    vocab = vocabulary(tv)
    n_tv = tv.num_rows
    allt = {
        k: np.concatenate(
            [tv[k].to_numpy(zero_copy_only=False), te[k].to_numpy(zero_copy_only=False)]
        )
        for k in ("src", "dst", "t")
    }
    ids = {a: i for i, a in enumerate(np.unique(np.concatenate([allt["src"], allt["dst"]])))}
    amount = np.concatenate([tv["amount"].to_numpy(), te["amount"].to_numpy()])
    edges = np.column_stack(
        [
            np.arange(len(allt["t"])),
            [ids[a] for a in allt["src"]],
            [ids[a] for a in allt["dst"]],
            allt["t"] - allt["t"].min(),
            amount,
        ]
    ).astype("float64")
    gp = GraphFeaturePreprocessor()
    # the settings of IBM's AML example, windows in seconds (our timestamps)
    bins = [2, 3, 4, 5, 6, 7, 8, 9, 10]
    gp.set_params(
        {
            "num_threads": threads,
            "time_window": 20 * 86400,
            "vertex_stats": True,
            "vertex_stats_cols": [4],
            "vertex_stats_tw": 20 * 86400,
            "fan": True,
            "fan_tw": 86400,
            "fan_bins": bins,
            "degree": True,
            "degree_tw": 86400,
            "degree_bins": bins,
            "scatter-gather": True,
            "scatter-gather_tw": 5 * 86400,
            "scatter-gather_bins": bins,
            "temp-cycle": True,
            "temp-cycle_tw": 10 * 86400,
            "temp-cycle_bins": bins,
            "lc-cycle": False,
        }
    )
    gf = gp.fit_transform(edges)[:, 5:]
    con = duckdb.connect()
    raw = []
    for table in (tv, te):
        con.register("tx", table)
        d = con.sql(raw_feature_sql(vocab) + " ORDER BY rid").fetchnumpy()
        raw.append(
            np.column_stack([np.asarray(v, dtype=float) for k, v in d.items() if k != "rid"])
        )
    X = np.hstack([np.vstack(raw), gf])
    y = np.concatenate([tv["label"].to_numpy(), te["label"].to_numpy()])
    fit, val = temporal_split(tv["t"].to_numpy(), (0.75, 0.25))
    booster = lgb.train(
        LGB_PARAMS,
        lgb.Dataset(X[fit], y[fit]),
        250,
        valid_sets=[lgb.Dataset(X[val], y[val])],
        callbacks=[lgb.early_stopping(30, verbose=False)],
    )
    thr, _ = best_threshold(y[val], booster.predict(X[val]))
    t_train = time.perf_counter() - started
    s = booster.predict(X[n_tv:])
    rep = f1_report(y[n_tv:], (s >= thr).astype(int))
    rep["prauc"] = average_precision(y[n_tv:], s)
    rep.update(
        train_s=t_train,
        score_s=time.perf_counter() - started - t_train,
        peak_gb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
    )
    return rep


def run_scenario(
    label: str, n: int, seed: int, rate: float, args: argparse.Namespace
) -> tuple[dict, dict, dict | None, dict, int]:
    """Generate, split 80/20 by time, train (validation = last quarter of the 80%) and score the
    test (Doorbraak through `flows score --history`), for Doorbraak, the raw-field baseline and
    GFP; print the table; return (doorbraak, baseline, gfp or None, generated paths, n_test)."""
    from doorbraak_analysis.moneyflows.synth import generate

    data = Path(args.data_dir) / f"flows_{n}_{seed}_{rate}"
    data.mkdir(parents=True, exist_ok=True)
    print(
        f"== {label}: {n} synthetic AMLworld-format transactions, {rate:.2%} laundering "
        f"(seed {seed}) in {data}"
    )
    t = time.perf_counter()
    gen = generate(n, seed, data, laundering_rate=rate)
    print(f"   generated in {time.perf_counter() - t:.1f}s")
    files = split_files(gen["transactions"], data)
    n_test = len(files["test"].read_text().splitlines()) - 1
    offset = n - n_test

    results = {}
    for name, extra in (("doorbraak", []), ("baseline", ["--raw-only"])):
        model = data / f"model_{name}"
        print(f"== {label} {name}: train")
        t_train, m_train = run_cli(
            ["train", "--input", str(files["trainval"]), "--model", str(model), *extra],
            args.threads,
        )
        print(
            f"== {label} {name}: score (test 20%"
            + (", earlier 80% as --history)" if name == "doorbraak" else ")")
        )
        scores = data / f"scores_{name}.csv"
        hist = ["--history", str(files["trainval"])] if name == "doorbraak" else []
        t_score, m_score = run_cli(
            ["score", "--input", str(files["test"]), *hist, "--model", str(model)]
            + ["--out", str(scores)],
            args.threads,
        )
        rep = evaluate(scores, files["test"])
        meta = json.loads((model / "meta.json").read_text())
        rep.update(
            train_s=t_train,
            score_s=t_score,
            peak_gb=max(m_train, m_score),
            val_flagged_share=meta["validation"]["flagged_share"],
            val_prauc=meta["validation"]["average_precision"],
            recall_by_typology=per_typology_recall(scores, gen["truth"], offset),
        )
        results[name] = rep

    print(f"== {label}: Snap ML GraphFeaturePreprocessor + LightGBM (reference only)")
    gfp = gfp_peer(files["trainval"], files["test"], args.threads)
    d, b = results["doorbraak"], results["baseline"]
    pos = int(d["tp"] + d["fn"])
    print()
    print(f"{label}: test part {n_test} transactions, {pos} laundering ({pos / n_test:.3%})")
    print(
        f"{'peer':<34}{'F1':>7}{'prec':>7}{'recall':>8}{'PR-AUC':>8}"
        f"{'train s':>9}{'score s':>9}{'peak GB':>9}"
    )
    rows = [("Doorbraak (graph features+LightGBM)", d), ("LightGBM, raw transaction fields", b)]
    if gfp:
        rows.append(("Snap ML GFP + LightGBM", gfp))
    for name, r in rows:
        print(
            f"{name:<34}{r['f1']:7.3f}{r['precision']:7.3f}{r['recall']:8.3f}{r['prauc']:8.3f}"
            f"{r['train_s']:9.1f}{r['score_s']:9.1f}{r['peak_gb']:9.2f}"
        )
    if not gfp:
        print(f"{'Snap ML GFP + LightGBM':<34}{'na':>7}")
    print(
        f"ratios: F1 Doorbraak/baseline = {d['f1'] / max(b['f1'], 1e-9):.2f}x; "
        f"training time = {d['train_s'] / b['train_s']:.1f}x; scoring time = {d['score_s'] / b['score_s']:.1f}x; "
        f"peak memory = {d['peak_gb'] / max(b['peak_gb'], 1e-9):.1f}x"
        + (f"; F1 Doorbraak/GFP = {d['f1'] / max(gfp['f1'], 1e-9):.2f}x" if gfp else "")
    )
    print(
        f"flagged share on test {d['flagged_share']:.4%} against {d['val_flagged_share']:.4%} "
        f"on validation (validation PR-AUC {d['val_prauc']:.3f})"
    )
    print(f"recall per planted typology (Doorbraak): {json.dumps(d['recall_by_typology'])}")
    print(f"recall per planted typology (baseline):  {json.dumps(b['recall_by_typology'])}")
    print()
    return d, b, gfp, gen, n_test


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--transactions", type=int, default=1_000_000, help="size of the train+test data set"
    )
    ap.add_argument(
        "--speed-transactions",
        type=int,
        default=1_000_000,
        help="size of the data set for the tx/min measurement (>= 1M for the target)",
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--laundering-rate", type=float, default=0.003)
    ap.add_argument(
        "--rare-transactions",
        type=int,
        default=1_600_000,
        help="size of the larger, rarer scenario (0 = skip it)",
    )
    ap.add_argument("--rare-laundering-rate", type=float, default=0.002)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data-dir", default=str(ROOT / "benchmarks" / "data"))
    args = ap.parse_args()

    from doorbraak_analysis.moneyflows.synth import generate

    d, b, gfp, gen, _ = run_scenario(
        "default", args.transactions, args.seed, args.laundering_rate, args
    )
    model_dir = Path(gen["transactions"]).parent / "model_doorbraak"
    rare = None
    if args.rare_transactions:
        rare = run_scenario(
            "rare", args.rare_transactions, args.seed + 100, args.rare_laundering_rate, args
        )

    print(
        f"== speed: feature building + scoring of {args.speed_transactions} transactions, {args.threads} threads"
    )
    if args.speed_transactions == args.transactions:
        speed_file = gen["transactions"]
    else:
        sp = generate(
            args.speed_transactions,
            args.seed + 1,
            Path(args.data_dir) / f"speed_{args.speed_transactions}",
            laundering_rate=args.laundering_rate,
        )
        speed_file = sp["transactions"]
    t_speed, m_speed = run_cli(
        ["score", "--input", str(speed_file), "--model", str(model_dir)]
        + ["--out", str(model_dir.parent / "scores_speed.csv")],
        args.threads,
    )
    tx_per_min = args.speed_transactions / t_speed * 60
    print(
        f"speed: {args.speed_transactions} transactions read, features built and scored in {t_speed:.1f}s "
        f"= {tx_per_min:,.0f} tx/min (peak {m_speed:.2f} GB)"
    )
    print(
        "published minority-class F1 (%) of GBT with graph features, Altman et al. 2023 (AMLworld):"
    )
    for model, figs in PUBLISHED.items():
        print(f"   {model:<14}" + "  ".join(f"{k} {v:.2f}" for k, v in figs.items()))
    print(
        "   (their data is AMLworld, ours is synthetic stand-in data: comparable in kind, not in number)"
    )
    peak = max(d["peak_gb"], b["peak_gb"], m_speed, gfp["peak_gb"] if gfp else 0)
    f1_gfp = f"{gfp['f1']:.4f}" if gfp else "na"
    extra = f" prauc={d['prauc']:.4f}"
    if rare:
        rd, rb, rg, _, _ = rare
        peak = max(peak, rd["peak_gb"], rb["peak_gb"], rg["peak_gb"] if rg else 0)
        f1_rare_gfp = f"{rg['f1']:.4f}" if rg else "na"
        extra += (
            f" f1_rare={rd['f1']:.4f} f1_rare_baseline={rb['f1']:.4f} f1_rare_gfp={f1_rare_gfp}"
        )
        extra += f" prauc_rare={rd['prauc']:.4f}" + (
            f" prauc_rare_gfp={rg['prauc']:.4f}" if rg else ""
        )
    print(
        f"RESULT f1={d['f1']:.4f} f1_baseline={b['f1']:.4f} f1_gfp={f1_gfp} "
        f"tx_per_min={tx_per_min:.0f} peak_gb={peak:.2f}{extra}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
