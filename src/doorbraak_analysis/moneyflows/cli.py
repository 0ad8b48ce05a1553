"""`doorbraak flows ...`: detect, train, score, sectors, synth.

Exit codes: 0 fine, 2 bad input (each bad row reported on stderr, nothing written).
Outputs are written to a temporary file and renamed, so a failed run leaves no half file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import fields
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from .config import FlowConfig, load_config
from .io import BadRow, InputError, read_accounts, read_transactions, unconvertible_currencies


def _write(table: pa.Table, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        if table.num_rows:
            pacsv.write_csv(
                table, fh, pacsv.WriteOptions(include_header=False, quoting_style="needed")
            )
    os.replace(tmp, path)


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="YAML file with rule settings (see FORMAT.md)")
    g = p.add_argument_group("rule settings (override the YAML)")
    for f in fields(FlowConfig):
        g.add_argument(
            "--" + f.name.replace("_", "-"), dest=f.name, type=type(f.default), default=None
        )


def _config(args: argparse.Namespace) -> FlowConfig:
    return load_config(
        args.config, **{f.name: getattr(args, f.name, None) for f in fields(FlowConfig)}
    )


def cmd_detect(args: argparse.Namespace) -> int:
    from .engine import DuckDBEngine
    from .typologies import patterns_table, run_detection

    cfg = _config(args)
    tx = read_transactions(args.input)
    engine = DuckDBEngine(threads=args.threads, memory_limit=args.memory_limit)
    engine.register("tx", tx)
    run_detection(engine, cfg)
    table = patterns_table(engine.con)
    _write(table, args.out)
    counts = engine.con.sql(
        "SELECT typology, count(DISTINCT pid) FROM pattern_tx GROUP BY 1 ORDER BY 1"
    ).fetchall()
    print(
        f"{table.num_rows} patterns in {tx.num_rows} transactions: "
        + ", ".join(f"{t} {n}" for t, n in counts),
        file=sys.stderr,
    )
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .model import train

    cfg = _config(args)
    tx = read_transactions(args.input, require_label=True)
    positives = int(pa.compute.sum(tx["label"]).as_py() or 0)
    negatives = tx.num_rows - positives
    if not positives or not negatives:
        raise InputError(
            args.input,
            [
                BadRow(
                    None,
                    "Is Laundering",
                    "",
                    f"training needs rows labelled 1 (laundering) and rows labelled 0; this file has {positives} "
                    f"labelled 1 and {negatives} labelled 0",
                )
            ],
        )
    train(
        tx,
        args.model,
        cfg,
        with_graph=not args.raw_only,
        validation_fraction=args.validation_fraction,
        max_rounds=args.max_rounds,
        log=lambda m: print(m, file=sys.stderr),
    )
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from .model import load_model, score

    load_model(args.model)  # a missing or corrupt model is named before the input is read
    tx = read_transactions(args.input)
    history = read_transactions(args.history) if args.history else None
    for path, table in ((args.input, tx), (args.history, history)):
        if table is not None and (problems := unconvertible_currencies(table)):
            raise InputError(path, problems)
    out, why = score(tx, args.model, history=history, explain=5 if args.explain else 0)
    _write(out, args.out)
    if args.explain:
        _write(
            why
            if why is not None
            else pa.table(
                {"row": pa.array([], pa.int64()), "indicators": pa.array([], pa.string())}
            ),
            args.explain,
        )
    flagged = int(pa.compute.sum(out["flagged"]).as_py() or 0)
    print(f"scored {out.num_rows} transactions, {flagged} flagged", file=sys.stderr)
    return 0


def _pattern_rows(path: str, n_rows: int, typologies: set[str] | None) -> pa.Table:
    """Rows (of the transactions file) in the listed patterns of the chosen typologies."""
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={"rows": pa.string(), "typology": pa.string()}
        ),
    )
    problems, rows = [], []
    for col in ("typology", "rows"):
        if col not in table.column_names:
            problems.append(BadRow(None, col, "", "missing column"))
    if problems:
        raise InputError(path, problems)
    for i, (typ, cell) in enumerate(
        zip(table["typology"].to_pylist(), table["rows"].to_pylist(), strict=True)
    ):
        if typologies is not None and typ not in typologies:
            continue
        for part in (cell or "").split(";"):
            if not part.strip().isdigit() or int(part) >= n_rows:
                problems.append(
                    BadRow(i, "rows", part, f"not a data row of the transactions (0..{n_rows - 1})")
                )
                break
            rows.append(int(part))
    if problems:
        raise InputError(path, problems)
    return pa.table({"rid": pa.array(rows, pa.int64())})


def cmd_sectors(args: argparse.Namespace) -> int:
    from .sectors import DEFAULT_TYPOLOGIES, sector_vulnerability

    tx = read_transactions(args.input)
    accounts = read_accounts(args.accounts)
    typs = (
        None
        if args.typologies == "all"
        else set(DEFAULT_TYPOLOGIES if not args.typologies else args.typologies.split(","))
    )
    if args.patterns:
        prow = _pattern_rows(args.patterns, tx.num_rows, typs)
    else:
        from .engine import DuckDBEngine
        from .typologies import run_detection

        engine = DuckDBEngine(threads=args.threads)
        engine.register("tx", tx)
        run_detection(engine, _config(args))
        where = (
            ""
            if typs is None
            else "WHERE typology IN (" + ",".join(f"'{t}'" for t in sorted(typs)) + ")"
        )
        prow = engine.to_arrow(f"SELECT DISTINCT rid FROM pattern_tx {where}")
    if args.scores:  # keep only patterns' transactions the model flagged
        scores = pacsv.read_csv(args.scores)
        flagged = scores.filter(pa.compute.equal(scores["flagged"], 1))["row"]
        prow = prow.filter(pa.compute.is_in(prow["rid"], flagged.cast(pa.int64())))
    table = sector_vulnerability(tx, accounts, prow, period=args.period)
    _write(table, args.out)
    print(f"{table.num_rows} sector/area/period lines written", file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import generate

    paths = generate(
        args.transactions, args.seed, args.out_dir, laundering_rate=args.laundering_rate
    )
    for k, v in paths.items():
        print(f"{k}: {v}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="doorbraak flows",
        description="Money-flow analysis (laundering typologies, model, sectors)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("detect", help="find laundering typologies; one line per pattern")
    d.add_argument(
        "--input", required=True, help="transactions (AMLworld CSV, native CSV or Parquet)"
    )
    d.add_argument("--out", required=True, help="PATTERNS.csv")
    d.add_argument("--threads", type=int, default=2)
    d.add_argument(
        "--memory-limit", default=None, help="DuckDB memory limit, e.g. 4GB (spills beyond)"
    )
    _add_rule_options(d)
    d.set_defaults(func=cmd_detect)

    t = sub.add_parser("train", help="train the model on labelled transactions")
    t.add_argument("--input", required=True)
    t.add_argument("--model", required=True, help="model directory")
    t.add_argument(
        "--validation-fraction",
        type=float,
        default=0.25,
        help="latest share of the input used to choose the threshold (0.25 of 80%% = 20%%)",
    )
    t.add_argument(
        "--raw-only", action="store_true", help="baseline: transaction fields only, no graph"
    )
    t.add_argument(
        "--max-rounds",
        type=int,
        default=250,
        help="boosting rounds at most (early stopping on validation)",
    )
    _add_rule_options(t)
    t.set_defaults(func=cmd_train)

    s = sub.add_parser("score", help="score transactions: row,score,flagged")
    s.add_argument("--input", required=True)
    s.add_argument("--history", help="earlier transactions: graph context only, not scored")
    s.add_argument("--model", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--explain", help="also write the top indicators per flagged row to this CSV")
    s.set_defaults(func=cmd_score)

    v = sub.add_parser(
        "sectors", help="sector and area vulnerability (aggregates, small counts suppressed)"
    )
    v.add_argument("--input", required=True)
    v.add_argument("--accounts", required=True, help="account,sbi,area")
    v.add_argument("--patterns", help="PATTERNS.csv from detect (default: detect now)")
    v.add_argument("--scores", help="SCORES.csv: only count pattern transactions the model flagged")
    v.add_argument(
        "--typologies",
        default=None,
        help="comma list of typologies that count, or 'all' (default: all but plain fan-in/fan-out)",
    )
    v.add_argument("--period", default="quarter", choices=["month", "quarter", "year"])
    v.add_argument("--out", required=True)
    v.add_argument("--threads", type=int, default=2)
    _add_rule_options(v)
    v.set_defaults(func=cmd_sectors)

    g = sub.add_parser(
        "synth", help="generate synthetic AMLworld-format data with planted laundering"
    )
    g.add_argument("--transactions", type=int, default=1_000_000)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--laundering-rate", type=float, default=0.003)
    g.add_argument("--out-dir", required=True)
    g.set_defaults(func=cmd_synth)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    try:
        rc: int = args.func(args)
    except InputError as err:
        print(err.report(), file=sys.stderr)
        return 2
    except ValueError as err:  # bad settings
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
