"""Exports of the ranked list for the integrated control meeting: CSV and PDF (WeasyPrint).
Both name the rule-set version, the evaluation date and the run, so the list can be traced."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

MAX_ROWS = 5000
HEADER = [
    "rang",
    "object_type",
    "object_id",
    "naam_of_adres",
    "wijk",
    "gebied",
    "sbi_code",
    "score",
    "indicatoren",
    "regelset",
    "peildatum",
    "run",
]


def csv_text(run, rows, catalogue: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow(
            [
                r.rank,
                r.object_type,
                r.object_id,
                r.label,
                r.wijk,
                r.area,
                r.sbi_code,
                f"{r.score:g}",
                ";".join(r.indicator_ids),
                run.rules_version,
                run.as_of.isoformat(),
                run.pk,
            ]
        )
    return buf.getvalue()


def pdf_html(run, area, rows, catalogue: dict) -> str:
    from .display import rows as display_rows

    used = sorted({i for r in rows for i in r.indicator_ids})
    return render_to_string(
        "risk/export_pdf.html",
        {
            "run": run,
            "area": area,
            "rows": display_rows(rows, catalogue),
            "legend": [catalogue[i] for i in used if i in catalogue],
            "made_at": timezone.localtime(),
        },
    )


def pdf_bytes(request, run, area, rows, catalogue: dict) -> bytes:
    from pathlib import Path

    from weasyprint import CSS, HTML

    css = CSS(filename=str(Path(__file__).parent / "static" / "risk" / "export.css"))
    return HTML(string=pdf_html(run, area, rows, catalogue)).write_pdf(stylesheets=[css])
