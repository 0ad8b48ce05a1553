"""`doorbraak link`: link two files, or deduplicate one, from the command line.

    doorbraak link --left L.csv [--right R.csv] --mapping M.yaml --entity person|company --out OUT.csv

With --right: OUT has left_id,right_id,match_probability,decision (link|review).
Without:      OUT has record_id,entity_id (every record once).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

import pandas as pd

from .model import Thresholds
from .prepare import MappingError, load_mapping, prepare_records, read_table

if TYPE_CHECKING:
    from .judgements import Judgement


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doorbraak link",
        description="Link two register extracts, or deduplicate one, with Dutch-aware entity resolution.",
    )
    parser.add_argument("--left", required=True, help="CSV or Parquet file")
    parser.add_argument("--right", help="second file; omit to deduplicate --left")
    parser.add_argument(
        "--mapping", required=True, help="YAML: left:/right: canonical field -> column"
    )
    parser.add_argument("--entity", required=True, choices=["person", "company"])
    parser.add_argument("--out", required=True, help="output CSV")
    parser.add_argument(
        "--link-threshold",
        type=float,
        default=Thresholds.link,
        help=f"match probability for an automatic link (default {Thresholds.link})",
    )
    parser.add_argument(
        "--review-threshold",
        type=float,
        default=Thresholds.review,
        help=f"match probability for human review (default {Thresholds.review})",
    )
    parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument(
        "--judgements",
        help="CSV of analyst judgements: left_id,right_id,verdict,user,at[,deleted_at]",
    )
    parser.add_argument(
        "--previous", help="CSV record_id,entity_id of an earlier dedupe run (keeps entity ids)"
    )
    parser.add_argument("--quiet", action="store_true")
    return parser


def _read_judgements(path: str) -> list[Judgement]:
    from datetime import datetime

    from .judgements import Judgement

    table = read_table(path)
    needed = {"left_id", "right_id", "verdict"}
    if not needed <= set(table.columns):
        raise MappingError(f"judgements file {path} needs columns {', '.join(sorted(needed))}")
    out = []
    for i, (_, row) in enumerate(table.iterrows()):
        try:
            at = datetime.fromisoformat(row.get("at") or "1970-01-01")
            deleted = datetime.fromisoformat(row["deleted_at"]) if row.get("deleted_at") else None
            out.append(
                Judgement(
                    row["left_id"],
                    row["right_id"],
                    row["verdict"].strip().lower(),
                    row.get("user", ""),
                    at,
                    deleted,
                )
            )
        except ValueError as exc:
            raise MappingError(f"judgements file {path}, row {i + 2}: {exc}") from exc
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.time()

    def say(*parts: object) -> None:
        if not args.quiet:
            print(*parts, file=sys.stderr)

    try:
        thresholds = Thresholds(args.link_threshold, args.review_threshold)
        if not 0 <= thresholds.review <= thresholds.link <= 1:
            raise MappingError("thresholds must satisfy 0 <= review <= link <= 1")
        mapping = load_mapping(args.mapping)
        if "left" not in mapping:
            raise MappingError(f"mapping file {args.mapping} has no 'left:' section")
        if args.right and "right" not in mapping:
            raise MappingError(
                f"mapping file {args.mapping} has no 'right:' section, needed with --right"
            )
        judgements = _read_judgements(args.judgements) if args.judgements else []
        left_raw = read_table(args.left)
        left = prepare_records(left_raw, mapping["left"], args.entity, "left")
        if args.right:
            from .pipeline import link_features

            right = prepare_records(read_table(args.right), mapping["right"], args.entity, "right")
            if len(left) == 0 or len(right) == 0:  # a header and no rows: nothing to link
                out = pd.DataFrame(columns=["left_id", "right_id", "match_probability", "decision"])
            else:
                result = link_features(
                    left,
                    right,
                    args.entity,
                    judgements=judgements,
                    thresholds=thresholds,
                    backend=args.backend,
                )
                out = result.output()
            out.to_csv(args.out, index=False, float_format="%.6f")
            say(
                f"{len(left)} x {len(right)} records: {int((out.decision == 'link').sum())} links, "
                f"{int((out.decision == 'review').sum())} for review -> {args.out} ({time.time() - started:.1f}s)"
            )
        else:
            from .pipeline import resolve_features

            previous = None
            if args.previous:
                prev = read_table(args.previous)
                if not {"record_id", "entity_id"} <= set(prev.columns):
                    raise MappingError(f"{args.previous} needs columns record_id,entity_id")
                previous = dict(zip(prev["record_id"], prev["entity_id"], strict=True))
            if len(left) == 0:  # a header and no rows: no entities
                entities = pd.DataFrame(columns=["record_id", "entity_id"])
            else:
                entities = resolve_features(
                    left,
                    args.entity,
                    judgements=judgements,
                    previous_entities=previous,
                    thresholds=thresholds,
                    backend=args.backend,
                ).entities
            entities.to_csv(args.out, index=False)
            say(
                f"{len(left)} records -> {entities.entity_id.nunique()} entities -> {args.out} "
                f"({time.time() - started:.1f}s)"
            )
    except MappingError as exc:
        print(f"doorbraak link: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"doorbraak link: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
