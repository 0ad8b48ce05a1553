"""The backtest: before a draft rule set is adopted, evaluate it on the stored snapshot of a past
run (risk.services.evaluate_snapshot: the same analytics, never a second implementation) and hold
it against what enforcement actually found on the objects it visited.

For each actioned object (a premises or company with at least one action whose findings are
recorded) it is known whether something was found. The run's own results say which of those the
live rules flagged; the draft's say which it would have flagged. Shown: which actioned objects
would drop out of the picture and which would enter it, precision (share of flagged actioned
objects where something was found) old against new, overall and per indicator, and how many
objects each flags in all. No rate on fewer than MIN_BASE objects: the counts, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Action, ObjectType, Outcome
from .selectors import MIN_BASE

Key = tuple[str, str]  # (object_type, object_id)


@dataclass
class Side:
    flagged: int = 0  # objects flagged in all
    actioned: int = 0  # flagged objects that were actioned (with findings)
    hits: int = 0  # ... where something was found

    @property
    def precision(self) -> float | None:
        return self.hits / self.actioned if self.actioned >= MIN_BASE else None


@dataclass
class IndicatorComparison:
    indicator: str
    old: Side = field(default_factory=Side)
    new: Side = field(default_factory=Side)


@dataclass
class Backtest:
    old: Side
    new: Side
    dropped: list[tuple[Key, bool]]  # actioned objects the draft no longer flags (found?)
    entered: list[tuple[Key, bool]]  # actioned objects only the draft flags (found?)
    entered_unactioned: int  # objects only the draft flags that nobody visited
    indicators: list[IndicatorComparison]
    actioned_total: int
    min_base: int = MIN_BASE


def actioned_objects(actions=None) -> dict[Key, bool]:
    """Every object with recorded findings -> whether any action on it found irregularities.
    A company's action counts for the company (and its establishment, where the company
    indicators also count)."""
    qs = actions if actions is not None else Action.objects.all()
    out: dict[Key, bool] = {}
    rows = qs.exclude(outcome="").values_list(
        "object_type", "premises__bag_id", "company__kvk_number", "outcome"
    )
    for object_type, bag_id, kvk, outcome in rows:
        hit = outcome == Outcome.IRREGULARITIES
        keys = [(ObjectType.PREMISES.value, bag_id)]
        if object_type == ObjectType.COMPANY and kvk:
            keys.append((ObjectType.COMPANY.value, kvk))
        for key in keys:
            out[key] = out.get(key, False) or hit
    return out


def compare(
    old_rows: dict[Key, list[str]], new_rows: dict[Key, list[str]], actioned: dict[Key, bool]
) -> Backtest:
    """Pure: old and new are object -> fired indicator ids (objects where at least one fired)."""

    def side(rows: dict[Key, list[str]], only: str | None = None) -> Side:
        s = Side()
        for key, ids in rows.items():
            if only is not None and only not in ids:
                continue
            s.flagged += 1
            if key in actioned:
                s.actioned += 1
                s.hits += actioned[key]
        return s

    dropped = sorted((k, actioned[k]) for k in old_rows.keys() - new_rows.keys() if k in actioned)
    entered = sorted((k, actioned[k]) for k in new_rows.keys() - old_rows.keys() if k in actioned)
    indicator_ids = sorted({i for ids in (*old_rows.values(), *new_rows.values()) for i in ids})
    return Backtest(
        old=side(old_rows),
        new=side(new_rows),
        dropped=dropped,
        entered=entered,
        entered_unactioned=sum(1 for k in new_rows.keys() - old_rows.keys() if k not in actioned),
        indicators=[
            IndicatorComparison(i, side(old_rows, i), side(new_rows, i)) for i in indicator_ids
        ],
        actioned_total=len(actioned),
    )


def run_backtest(draft, run) -> Backtest:
    """Evaluate the draft rule set on the run's snapshot and compare with the run's results
    and the findings of past actions."""
    from doorbraak.risk import services as risk_services
    from doorbraak.risk.models import RiskResult

    old_rows = {
        (t, oid): [i["id"] for i in (items or [])]
        for t, oid, items in RiskResult.objects.filter(run=run).values_list(
            "object_type", "object_id", "indicators"
        )
    }
    result = risk_services.evaluate_snapshot(draft, run)
    new_rows = {(t, oid): list(ids) for t, oid, _score, ids in result.rows}
    return compare(old_rows, new_rows, actioned_objects())
