"""The monitoring report for an area and a period: the tables of every figure (protected), the
texts per pillar, and where the numbers come from. Rendered as the dashboard, as a PDF for the
council (WeasyPrint) and as one CSV per table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import charts
from . import figures as F
from .models import Pillar
from .selectors import pillar_texts


@dataclass
class Section:
    pillar: str
    title: str
    text: str
    figures: list = field(default_factory=list)  # [{"table": Table, "svg": str}]
    note: str = ""


@dataclass
class Report:
    area: str
    area_label: str
    start: date
    end: date
    quarters: list
    made_at: object
    sections: list
    sources: list
    available_quarters: list

    def tables(self):
        for s in self.sections:
            for f in s.figures:
                yield f["table"]


def period_bounds(cube: F.Cube, start: date | None, end: date | None) -> tuple[date, date]:
    """A period in whole quarters of the history (default: the last four complete quarters)."""
    qs = cube.quarters
    if start is None or end is None:
        last = len(qs) - 2 if len(qs) > 1 else 0
        return qs[max(0, last - 3)][0], qs[last][1]
    start = F.quarter_start(start)
    end = F.quarter_end(F.quarter_start(end))
    return max(start, qs[0][0]), min(end, qs[-1][1])


ROLE_ORDER = {
    "policy_staff": ["careers", "money", "prevention"],
    "programme_owner": ["prevention", "careers", "money"],
    "area_manager": ["money", "careers", "prevention"],
}


def build(
    area: str = "", start: date | None = None, end: date | None = None, role: str = "", today=None
) -> Report:
    cube = F.current_cube(today)
    start, end = period_bounds(cube, start, end)
    qis = F.quarter_indexes(cube, start, end)
    texts = pillar_texts(start, end)
    by_pillar: dict[str, Section] = {}
    for code, label in Pillar.choices:
        t = texts.get(code)
        by_pillar[code] = Section(code, str(label), t.text if t else "")
    focus_or_city = area in ("", *dict(F.focus_areas()))
    for fig in F.figures():
        if (fig.focus_only and not focus_or_city) or (fig.city_only and area):
            continue
        section = by_pillar[fig.pillar]
        table = F.figure_table(cube, fig, area, qis)
        svg = charts.trend_svg(
            F.trend(cube, fig, area), f"{fig.title} — {F.area_label(area)}", f"chart-{fig.code}"
        )
        section.figures.append({"table": table, "svg": svg})
    money = by_pillar["money"]
    if not F.enforcement_counts_available():
        money.note = _(
            "Cijfers over handhaving (controles, bevindingen, besluiten, bezwaren, trainingen en "
            "Knock and Talk): nog niet beschikbaar."
        )
    elif not focus_or_city:
        money.note = _(
            "Cijfers over handhaving worden gepubliceerd voor de hele stad en de focusgebieden "
            "(Nieuw Overvecht en de Amsterdamsestraatweg), niet per wijk."
        )
    sectors, sector_note = F.sector_table(cube, area, start, end)
    if sectors is not None:
        money.figures.append({"table": sectors, "svg": "", "note": sector_note})
    elif not money.note:
        money.note = _(
            "Sectorcijfers van de bankpartner: nog niet ingelezen (import van de sectorcijfers "
            "die de bank aanlevert)."
        )
    order = ROLE_ORDER.get(role, ["careers", "money", "prevention"])
    sources = _sources(cube)
    return Report(
        area=area,
        area_label=F.area_label(area),
        start=start,
        end=end,
        quarters=[F.quarter_label(cube.quarters[qi][0]) for qi in qis],
        made_at=cube.made_at,
        sections=[by_pillar[p] for p in order],
        sources=sources,
        available_quarters=[(qs, qe, F.quarter_label(qs)) for qs, qe in cube.quarters],
    )


def _sources(cube: F.Cube) -> list[dict]:
    """Which data the figures were made from, and when (the stored cube's record)."""
    at = f"{timezone.localtime(cube.made_at):%Y-%m-%d %H:%M}"
    stand = _("stand op %(at)s") % {"at": at}
    counted = cube.sources.get("counted", {})
    out = []
    names = [F.CAREERS_SOURCE, F.PREVENTION_SOURCE]
    if F.enforcement_counts_available():
        names.append(F.ENFORCEMENT_SOURCE)
    for name in names:
        n = counted.get(str(name))
        detail = stand if n is None else f"{stand}; " + _("%(n)s geteld in de kwartalen") % {"n": n}
        out.append({"name": str(name), "detail": detail})
    runs = cube.sources.get("risk_runs") or []
    if runs:
        out.append(
            {
                "name": str(F.RISK_SOURCE),
                "detail": _("%(n)s runs, de laatste met peildatum %(as_of)s (regelset %(v)s)")
                % {"n": len(runs), "as_of": runs[-1]["as_of"], "v": runs[-1]["version"]},
            }
        )
    bank = cube.sources.get("bank_sectors")
    if bank:
        out.append(
            {
                "name": str(F.BANK_SOURCE),
                "detail": _("bestand %(file)s, peildatum %(date)s, regels %(v)s")
                % {
                    "file": bank["file_name"],
                    "date": bank["data_date"],
                    "v": bank["ruleset_version"],
                },
            }
        )
    out.append(
        {
            "name": str(_("Berekening van de cijfers")),
            "detail": _("%(at)s door %(by)s; controlegetal tellingen %(sha)s")
            % {
                "at": at,
                "by": cube.made_by or _("deze aanvraag"),
                "sha": cube.sources.get("counts_sha256", "")[:12],
            },
        }
    )
    return out


def table_csv(table: F.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in table.as_csv_rows():
        writer.writerow(row)
    return buf.getvalue()


def render_pdf(report: Report) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("monitoring/report_pdf.html", {"report": report})
    # The stylesheet is a file of its own: no <style> block in a template (the CSP test scans all).
    stylesheet = CSS(
        filename=str(Path(__file__).parent / "templates" / "monitoring" / "report_pdf.css")
    )
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
