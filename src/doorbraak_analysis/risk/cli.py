"""`doorbraak risk`: evaluate the rule set over register extracts, without Django or a database.

    doorbraak risk evaluate --extracts DIR --out OUT.csv [--rules RULES.yaml] [--as-of YYYY-MM-DD]
    doorbraak risk explain OBJECT_ID --extracts DIR [--rules RULES.yaml] [--as-of YYYY-MM-DD]
    doorbraak risk rules [--rules RULES.yaml]

DIR holds extracts named after their source type (bag_premises, kvk_companies, kvk_officers,
brp_occupancy, permits, closures, dor, bank_sectors; .csv or .parquet); any may be missing, and
the indicators that need it are reported as not evaluated. Exit code 2: bad input, nothing written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen datum (JJJJ-MM-DD): {text!r}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doorbraak risk", description="Gebiedsbeeld: indicatoren per pand en bedrijf."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("evaluate", "explain"):
        p = sub.add_parser(name)
        if name == "explain":
            p.add_argument("object_id", help="BAG-id van een pand of KvK-nummer van een bedrijf")
        p.add_argument("--extracts", required=True, type=Path, help="map met de registerextracten")
        if name == "evaluate":
            p.add_argument("--out", required=True, type=Path, help="uitvoer (CSV)")
        p.add_argument("--rules", type=Path, help="regelset (YAML; standaard de meegeleverde)")
        p.add_argument("--as-of", type=_date, help="peildatum (standaard vandaag)")
    p = sub.add_parser("rules")
    p.add_argument("--rules", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    from doorbraak_analysis.registers.extracts import ExtractError

    from .evaluate import evaluate, write_csv
    from .explain import explain
    from .rules import RulesError, load_rules

    args = _parser().parse_args(argv)
    try:
        rules = load_rules(args.rules)
        if args.command == "rules":
            for i in rules.indicators:
                print(f"{i.id} ({i.level}, gewicht {i.weight:g}): {i.description}")
            return 0
        if not args.extracts.is_dir():
            print(f"fout: {args.extracts} is geen map", file=sys.stderr)
            return 2
        result = evaluate(args.extracts, rules, args.as_of)
    except (ExtractError, RulesError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        if isinstance(exc, ExtractError):
            print(exc.report(), file=sys.stderr)
        return 2
    for iid, missing in result.not_evaluated.items():
        print(f"niet geëvalueerd: {iid} (ontbreekt: {', '.join(missing)})", file=sys.stderr)
    if args.command == "evaluate":
        manifest = write_csv(result, args.out)
        counts = {t: sum(1 for r in result.rows if r[0] == t) for t in ("premises", "company")}
        print(
            f"regelset {rules.version}, peildatum {result.as_of}: {counts['premises']} panden en "
            f"{counts['company']} bedrijven met een signaal -> {args.out} (herleidbaar: {manifest.name})",
            file=sys.stderr,
        )
        return 0
    text = explain(result, args.object_id)
    if text is None:
        print(f"{args.object_id}: geen indicator slaat hier aan (peildatum {result.as_of})")
        return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
