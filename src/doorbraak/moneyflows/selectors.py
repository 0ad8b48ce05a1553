"""Reads of the bank's sector figures for other apps."""

from __future__ import annotations

from .models import SectorFigureSet
from .services import latest_set, period_end

CITY_LEVEL = "(alle wijken)"
# Column names of the risk rules' bank_sectors input (doorbraak_analysis/registers/mappings/
# bank_sectors.yaml, the fields of that mapping).
BANK_SECTOR_FIELDS = (
    "key",
    "occurred_on",
    "description",
    "sbi_code",
    "area",
    "accounts",
    "flagged",
)


def bank_sector_rows(figure_set: SectorFigureSet | None = None) -> list[dict]:
    """The figures of one set (default: the latest) as the risk rules read the bank_sectors
    source: one row per period x sector x area, the city level with area "" . Suppressed rows
    ("<5") are left out: they carry no count."""
    figure_set = figure_set or latest_set()
    if figure_set is None:
        return []
    rows = []
    for f in figure_set.figures.order_by("period", "sbi", "area"):
        if f.suppressed or not (f.accounts.isdigit() and f.accounts_in_patterns.isdigit()):
            continue
        rows.append(
            {
                "key": f"{figure_set.pk}:{f.pk}",
                "occurred_on": period_end(f.period),
                "description": f.sector_name,
                "sbi_code": f.sbi,
                "area": "" if f.area == CITY_LEVEL else f.area,
                "accounts": int(f.accounts),
                "flagged": int(f.accounts_in_patterns),
            }
        )
    return rows


def sector_vulnerability(figure_set: SectorFigureSet | None = None) -> dict | None:
    """The bank's sector figures of one set (default: the latest) for monitoring, as the bank
    published them: per period, sector and area (the city level as area ""), the accounts and
    accounts in laundering patterns (a number of at least 5, or "<5"), the share of accounts in
    patterns with its 95% interval, the rank and the change in percentage points. Suppressed
    lines keep their suppression (no share). Aggregates only; None when no set is loaded."""
    figure_set = figure_set or latest_set()
    if figure_set is None:
        return None
    rows = [
        {
            "period": f.period,
            "sbi": f.sbi,
            "sector": f.sector_name,
            "area": "" if f.area == CITY_LEVEL else f.area,
            "accounts": f.accounts,
            "accounts_in_patterns": f.accounts_in_patterns,
            "share": f.account_share,
            "share_low": f.account_share_low,
            "share_high": f.account_share_high,
            "rank": f.rank,
            "change_pp": f.change_pp,
            "suppressed": f.suppressed,
        }
        for f in figure_set.figures.order_by("period", "rank", "sbi", "area")
    ]
    return {
        "set_id": figure_set.pk,
        "data_date": figure_set.data_date.isoformat(),
        "ruleset_version": figure_set.ruleset_version,
        "file_name": figure_set.file_name,
        "content_hash": figure_set.content_hash,
        "rows": rows,
    }
