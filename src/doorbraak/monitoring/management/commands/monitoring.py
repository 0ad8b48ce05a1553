"""`doorbraak monitoring report --from YYYY-MM-DD --to YYYY-MM-DD [--area CODE] --out DIR`

Writes `report.pdf` and one CSV per table (`<figure>.csv`) for the period (whole quarters) and
area (an area code: `nieuw_overvecht`, `amsterdamsestraatweg`, a wijk such as `overvecht`; the
whole city when absent). The numbers are the same protected numbers the dashboard shows; the
export is audited (the operating-system user is named)."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doorbraak.monitoring import actions
from doorbraak.monitoring import figures as F
from doorbraak.monitoring import report as R


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Geen geldige datum (JJJJ-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Monitoring: de raadsrapportage (PDF en CSV's) voor een periode en gebied."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rep = sub.add_parser("report", help="report.pdf en één CSV per tabel")
        rep.add_argument("--from", dest="start", required=True, help="JJJJ-MM-DD")
        rep.add_argument("--to", dest="end", required=True, help="JJJJ-MM-DD")
        rep.add_argument("--area", default="", help="gebiedscode; zonder: de hele stad")
        rep.add_argument("--out", required=True, help="map voor report.pdf en de CSV's")

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to ligt vóór --from.")
        area = options["area"] or ""
        codes = dict(F.area_choices())
        if area not in codes:
            known = ", ".join(c for c in codes if c)
            raise CommandError(f"Onbekend gebied: {area}. Bekende codes: {known}")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        rep = R.build(area, start, end)
        (out / "report.pdf").write_bytes(R.render_pdf(rep))
        names = ["report.pdf"]
        for table in rep.tables():
            name = f"{table.code}.csv"
            (out / name).write_text(R.table_csv(table), encoding="utf-8")
            names.append(name)
        try:
            who = getpass.getuser()
        except Exception:  # noqa: BLE001
            who = "onbekend"
        actions.record_export(
            None,
            "report (command line)",
            start=rep.start,
            end=rep.end,
            area=area,
            username=f"cli:{who}",
        )
        self.stdout.write(
            f"Rapport {rep.start} t/m {rep.end} ({rep.area_label}): {len(names)} bestanden in {out}"
        )
