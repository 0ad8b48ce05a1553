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
