"""Reads of monitoring's own data (prevention reach, texts per pillar) and the dashboard's
composition. Counts only: monitoring never reads a case, person or record of another app."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .models import PillarText, PreventionActivity


def prevention_counts(quarters: list[tuple[date, date]]) -> dict[str, dict[tuple, int]]:
    """Participants and sessions per (wijk, focus area, quarter index, kind); a registration
    counts in the quarter in which its period starts."""
    reach: dict[tuple, int] = defaultdict(int)
    sessions: dict[tuple, int] = defaultdict(int)
    first, last = quarters[0][0], quarters[-1][1]
    rows = PreventionActivity.objects.filter(
        period_start__gte=first, period_start__lte=last
    ).values_list("wijk", "area", "period_start", "kind", "participants", "sessions")
    for wijk, area, start, kind, participants, n in rows:
        for qi, (qs, qe) in enumerate(quarters):
            if qs <= start <= qe:
                reach[(wijk, area or "", qi, kind)] += participants
                sessions[(wijk, area or "", qi, kind)] += n
                break
    return {"prevention_reach": dict(reach), "prevention_sessions": dict(sessions)}


def recent_prevention(limit: int = 50):
    return PreventionActivity.objects.all()[:limit]


def pillar_texts(start: date, end: date) -> dict[str, PillarText]:
    return {
        t.pillar: t
        for t in PillarText.objects.filter(period_start=start, period_end=end).select_related(
            "updated_by"
        )
    }
