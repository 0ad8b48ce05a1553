"""`doorbraak flows ...`: detect, train, score, sectors, synth.

Exit codes: 0 fine, 2 bad input (each bad row reported on stderr, nothing written).
Outputs are written to a temporary file and renamed, so a failed run leaves no half file.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import fields
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from .config import FlowConfig, load_config
from .io import READ_BATCH_ROWS, BadRow, InputError, read_accounts, read_transactions


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


def _currency_problems(con: object, name: str, history: bool) -> list[BadRow]:
    """Rows of staged table `name` whose payment currency has no rate to euro."""
    from .io import EUR_RATES

    known = ", ".join("'" + c.replace("'", "''") + "'" for c in EUR_RATES)
    row = "-1 - rid" if history else "rid"
    found = con.execute(  # type: ignore[attr-defined]
        f"SELECT {row} AS r, pay_cur FROM {name} WHERE lower(pay_cur) NOT IN ({known}) "
        "ORDER BY r LIMIT 100000"
    ).fetchall()
    return [
        BadRow(
            int(r),
            "Payment Currency",
            c,
            f"currency {c!r} cannot be converted to euro (known: see moneyflows FORMAT.md)",
        )
        for r, c in found
    ]


def cmd_score(args: argparse.Namespace) -> int:
    """Streams: the files are read batch by batch into DuckDB (memory_limit, spilling to a
    temporary directory), the features are built there and LightGBM predicts a batch at a
    time, written straight to a temporary output file that is renamed at the end."""
    import json
    import shutil
    import tempfile

    from .engine import DuckDBEngine
    from .io import stage_transactions
    from .model import iter_scores, load_model, score_summary

    if args.log_steps:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
        logging.getLogger("doorbraak_analysis.moneyflows").setLevel(logging.DEBUG)
    booster, meta = load_model(args.model)  # a missing or corrupt model is named first
    if args.temp_directory:
        Path(args.temp_directory).mkdir(parents=True, exist_ok=True)
    work = tempfile.mkdtemp(prefix="flows-score-", dir=args.temp_directory)
    outs = [Path(args.out)] + ([Path(args.explain)] if args.explain else [])
    tmps = [o.with_name(o.name + ".tmp") for o in outs]
    engine: DuckDBEngine | None = None
    try:
        # a database file in the work directory: the staged input and every intermediate
        # table are buffer-managed there, evicted under the memory limit (bounded memory)
        engine = DuckDBEngine(
            threads=args.threads,
            memory_limit=args.memory_limit,
            temp_directory=work,
            database=str(Path(work) / "score.duckdb"),
        )
        con = engine.con
        stage_transactions(args.input, con, "tx_in", batch_rows=args.batch_rows, temporary=False)
        if problems := _currency_problems(con, "tx_in", False):
            raise InputError(args.input, problems)
        if args.history:
            stage_transactions(
                args.history,
                con,
                "tx",
                history=True,
                batch_rows=args.batch_rows,
                temporary=False,
            )
            if problems := _currency_problems(con, "tx", True):
                raise InputError(args.history, problems)
            con.execute("INSERT INTO tx SELECT * FROM tx_in")
            con.execute("DROP TABLE tx_in")
        else:
            con.execute("ALTER TABLE tx_in RENAME TO tx")
        for o in outs:
            o.parent.mkdir(parents=True, exist_ok=True)
        rows = flagged = 0
        with open(tmps[0], "wb") as fh, open(tmps[-1] if args.explain else os.devnull, "wb") as fw:
            fh.write(b"row,score,flagged\n")
            fw.write(b"row,indicators,model_version,ruleset_version\n")
            options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
            for out, why in iter_scores(
                engine, booster, meta, explain=5 if args.explain else 0, batch_rows=args.batch_rows
            ):
                pacsv.write_csv(out, fh, options)
                rows += out.num_rows
                flagged += int(pa.compute.sum(out["flagged"]).as_py() or 0)
                if why is not None:
                    pacsv.write_csv(why, fw, options)
        summary = score_summary(rows, flagged, meta)
        if args.summary:
            Path(args.summary).write_text(json.dumps(summary, indent=2))
        for tmp, o in zip(tmps, outs, strict=True):
            os.replace(tmp, o)
    finally:
        if engine is not None:
            engine.con.close()
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    val = summary["validation_flagged_share"]
    print(
        f"scored {rows} transactions, {flagged} flagged ({summary['flagged_share']:.4%}"
        + (f"; validation period {val:.4%}" if val is not None else "")
        + ")",
        file=sys.stderr,
    )
    if summary["warning"]:
        print(summary["warning"], file=sys.stderr)
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
    s.add_argument(
        "--summary",
        help="also write a JSON summary (rows, flagged share against the validation period, warning)",
    )
    s.add_argument("--threads", type=int, default=2)
    s.add_argument(
        "--memory-limit",
        default="4GB",
        help="DuckDB memory limit (default 4GB); beyond it DuckDB spills to --temp-directory",
    )
    s.add_argument(
        "--temp-directory",
        default=None,
        help="where the work directory goes: DuckDB's database file and what it spills (default: system temp)",
    )
    s.add_argument(
        "--batch-rows",
        type=int,
        default=READ_BATCH_ROWS,
        help="rows read per batch, and written (scored: at most 200000 at a time)",
    )
    s.add_argument(
        "--log-steps",
        action="store_true",
        help="log each feature step's seconds and the peak memory so far to stderr",
    )
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
