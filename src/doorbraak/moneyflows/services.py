"""Loading the bank partner's sector figures: validated whole, stored whole, audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.privacy.models import ProcessingActivity

from .models import SectorFigure, SectorFigureSet

REQUIRED = [
    "data_date",
    "period",
    "sbi",
    "sector_name",
    "area",
    "accounts",
    "accounts_in_patterns",
    "account_share",
    "account_share_low",
    "account_share_high",
    "amount_eur",
    "amount_in_patterns_eur",
    "amount_share",
    "amount_share_low",
    "amount_share_high",
    "rank",
    "change_pp",
    "suppressed",
    "ruleset_version",
]
FLOATS = [
    "account_share",
    "account_share_low",
    "account_share_high",
    "amount_eur",
    "amount_in_patterns_eur",
    "amount_share",
    "amount_share_low",
    "amount_share_high",
    "change_pp",
]


@dataclass
class RejectedFile(Exception):
    problems: list[str]

    def __str__(self) -> str:
        return "Bestand afgewezen:\n" + "\n".join(self.problems)


def _count_ok(value: str) -> bool:
    # Only suppressed ("<5") or counts of at least 5 may arrive: small numbers never leave the bank.
    return value == "<5" or (value.isdigit() and int(value) >= 5)


def _parse(text: str) -> tuple[list[dict], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"kolommen ontbreken: {', '.join(missing)}"]
    rows, problems = [], []
    for i, row in enumerate(reader, start=2):  # line 1 is the header
        errs = []
        try:
            date.fromisoformat(row["data_date"])
        except ValueError:
            errs.append(f"data_date '{row['data_date']}' is geen datum (JJJJ-MM-DD)")
        for col in ("accounts", "accounts_in_patterns"):
            if not _count_ok(row[col]):
                errs.append(
                    f"{col} '{row[col]}' is geen aantal ≥ 5 of '<5' (kleine aantallen moeten onderdrukt zijn)"
                )
        for col in FLOATS:
            if row[col]:
                try:
                    float(row[col])
                except ValueError:
                    errs.append(f"{col} '{row[col]}' is geen getal")
        if row["rank"] and not row["rank"].isdigit():
            errs.append(f"rank '{row['rank']}' is geen geheel getal")
        if row["suppressed"] not in {"0", "1"}:
            errs.append(f"suppressed '{row['suppressed']}' moet 0 of 1 zijn")
        elif row["suppressed"] == "1" and row["account_share"]:
            errs.append("onderdrukte regel bevat toch een aandeel")
        if not row["sbi"] or not row["period"]:
            errs.append("sbi en period zijn verplicht")
        if errs:
            problems.append(f"regel {i}: " + "; ".join(errs))
        rows.append(row)
    if not rows and not problems:
        problems.append("het bestand bevat geen regels")
    return rows, problems


SOURCE_TYPE = "bank_sectors"  # the registers' source type of these files (`doorbraak import`)


def store_sector_file(
    path: str | Path,
    *,
    source: ProcessingActivity,
    file_name: str,
    digest: str,
    user=None,
    username: str = "",
    dry_run: bool = False,
):
    """The registers importer's handler for source type bank_sectors (the one way the bank's
    sector figures come in; registered in MoneyflowsConfig.ready): validate the whole file and
    store it as one SectorFigureSet, audited. Runs inside the import's transaction."""
    from doorbraak.registers.importers import FileRejected, FileStored

    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected([f"het bestand is geen UTF-8: {exc}"]) from exc
    rows, problems = _parse(text)
    if problems:
        raise FileRejected(problems, len(rows))
    versions = {r["ruleset_version"] for r in rows}
    dates = {r["data_date"] for r in rows}
    if len(versions) != 1 or len(dates) != 1:
        raise FileRejected(
            ["één bestand moet één peildatum en één versie van de regels hebben"], len(rows)
        )
    existing = SectorFigureSet.objects.filter(content_hash=digest).first()
    if dry_run or existing is not None:
        what = "validated" if dry_run else "unchanged"
        return FileStored(len(rows), {"sector_figure": {what: len(rows)}})
    figure_set = SectorFigureSet.objects.create(
        source=source,
        data_date=date.fromisoformat(dates.pop()),
        ruleset_version=versions.pop(),
        file_name=Path(file_name).name[:255],
        content_hash=digest,
        loaded_by=username[:150] if username else "",
    )
    SectorFigure.objects.bulk_create(
        [
            SectorFigure(
                figure_set=figure_set,
                period=r["period"],
                sbi=r["sbi"],
                sector_name=r["sector_name"],
                area=r["area"],
                accounts=r["accounts"],
                accounts_in_patterns=r["accounts_in_patterns"],
                rank=int(r["rank"]) if r["rank"] else None,
                suppressed=r["suppressed"] == "1",
                **{c: (float(r[c]) if r[c] else None) for c in FLOATS},
            )
            for r in rows
        ]
    )
    audit.record(
        AuditAction.CREATE,
        user=user,
        username=None if user else username,
        purpose="witwasanalyse",
        object_type="sector_figure_set",
        object_id=figure_set.pk,
        categories=["transactions"],
        detail={"rows": len(rows), "file": figure_set.file_name, "aggregates_only": True},
    )
    return FileStored(len(rows), {"sector_figure": {"created": len(rows)}})


def load_sector_figures(
    path: str | Path, *, source_code: str, loaded_by: str, user=None
) -> tuple[SectorFigureSet, bool]:
    """Load a `doorbraak flows sectors` output file through the registers importer (as
    `doorbraak import --source <code> FILE` does: one import batch, its report, the audit).
    All-or-nothing; loading the same file again changes nothing (returns the existing set and
    False). RejectedFile with every problem otherwise."""
    from doorbraak.registers.importers import ImportError_, file_hash, import_file
    from doorbraak.registers.models import BatchStatus

    source = ProcessingActivity.objects.filter(code=source_code).first()
    if source is None:
        raise RejectedFile([f"onbekende bron '{source_code}' (niet in het verwerkingsregister)"])
    digest = file_hash(Path(path))
    existing = SectorFigureSet.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    try:
        result = import_file(
            source,
            path,
            source_type=SOURCE_TYPE,
            user=user,
            username=None if user else loaded_by,
            announce=False,  # aggregates: nothing for linkage to hear about
        )
    except ImportError_ as exc:
        raise RejectedFile([str(exc)]) from exc
    if not result.ok:
        raise RejectedFile([p.reason for p in result.problems])
    figure_set = SectorFigureSet.objects.get(content_hash=digest)
    return figure_set, result.batch.status == BatchStatus.ACCEPTED


def latest_set() -> SectorFigureSet | None:
    return SectorFigureSet.objects.first()


def period_end(period: str) -> date | None:
    """Last day of a period of the sector table: 2026-Q3, 2026-07 or 2026 (None if unknown)."""
    try:
        if "-Q" in period:
            year, q = period.split("-Q")
            month = int(q) * 3
        elif "-" in period:
            year, m = period.split("-")
            month = int(m)
        else:
            year, month = period, 12
        nxt = date(int(year) + month // 12, month % 12 + 1, 1)
    except ValueError:
        return None
    return date.fromordinal(nxt.toordinal() - 1)


def sector_table(
    figure_set: SectorFigureSet, *, period: str | None = None, area: str = "(alle wijken)"
) -> dict:
    figures = figure_set.figures.all()
    periods = sorted(set(figures.values_list("period", flat=True)))
    # The period running at the data date is partial: selectable, said so, but not the default.
    partial = [p for p in periods if (period_end(p) or date.min) > figure_set.data_date]
    if period not in periods:
        # Default to the latest complete period with figures above the threshold.
        ranked_periods = sorted(
            set(figures.filter(area=area, rank__isnull=False).values_list("period", flat=True))
        )
        complete = [p for p in ranked_periods if p not in partial]
        period = (complete or ranked_periods or periods or [None])[-1]
    areas = sorted(set(figures.values_list("area", flat=True)))
    rows = list(figures.filter(period=period, area=area).order_by("rank", "sbi")) if period else []
    ranked = [r for r in rows if r.rank is not None]
    for r in ranked:  # interval bar on a 0–100 % scale
        r.bar_left = round(100 * (r.account_share_low or 0), 1)
        r.bar_width = round(
            100 * max((r.account_share_high or 0) - (r.account_share_low or 0), 0.005), 1
        )
        r.bar_mark = round(100 * (r.account_share or 0), 1)
    hidden = [r for r in rows if r.rank is None]
    return {
        "periods": periods,
        "period": period,
        "areas": areas,
        "area": area,
        "ranked": ranked,
        "hidden": hidden,
        "partial": partial,
    }
