"""Reads of enforcement: lists, the ledger per premises or company, precision per indicator and
rule-set version, and `counts` — the aggregate other apps (monitoring) may read. Count selectors
return numbers only; no personal rows cross the boundary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from doorbraak.areas import selectors as areas
from doorbraak.areas.models import Area

from .models import (
    Action,
    ActionType,
    Decision,
    DecisionStatus,
    DecisionType,
    Objection,
    Outcome,
    TrainingSession,
)

MIN_BASE = 10  # no rate on fewer actions than this: the counts are shown, and why


# --- lists and the ledger ---------------------------------------------------------------


def actions_for(
    qs: QuerySet, *, status: str = "", action_type: str = "", area: str = ""
) -> QuerySet:
    qs = qs.select_related("premises", "company", "assigned_to", "planned_by")
    if action_type:
        qs = qs.filter(action_type=action_type)
    if area:
        qs = qs.filter(Q(premises__area=area) | Q(premises__wijk=area))
    if status == "open":
        qs = qs.filter(outcome="")
    elif status == "done":
        qs = qs.exclude(outcome="")
    return qs.order_by("-planned_on", "-pk")


def decisions_for(qs: QuerySet, *, status: str = "") -> QuerySet:
    qs = qs.select_related("premises", "company", "proposed_by", "approved_by", "escalation_step")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_on", "-pk")


@dataclass
class LedgerEntry:
    on: date
    kind: str  # action | findings | decision | objection
    title: str
    detail: str = ""
    url_name: str = ""
    pk: int | None = None


def ledger(*, premises=None, company=None) -> list[LedgerEntry]:
    """Every action, finding, decision and objection at a premises (including those about the
    companies established there) or about one company, oldest first."""
    if company is not None:
        actions = Action.objects.filter(company=company)
        decisions = Decision.objects.filter(company=company)
    else:
        actions = Action.objects.filter(premises=premises)
        decisions = Decision.objects.filter(premises=premises)
    entries: list[LedgerEntry] = []
    for a in actions.select_related("company"):
        subject = f" ({a.company.name})" if a.company_id and company is None else ""
        entries.append(
            LedgerEntry(
                a.planned_on,
                "action",
                f"{a.get_action_type_display()}{subject}",
                a.reason,
                "enforcement_action",
                a.pk,
            )
        )
        if a.outcome:
            found = (
                ", ".join(a.irregularity_labels())
                if a.outcome == Outcome.IRREGULARITIES
                else str(a.get_outcome_display())
            )
            entries.append(
                LedgerEntry(
                    a.carried_out_on,
                    "findings",
                    f"{a.get_action_type_display()}: {a.get_outcome_display()}",
                    found,
                    "enforcement_action",
                    a.pk,
                )
            )
    for d in decisions.select_related("escalation_step"):
        step = f" · {d.escalation_step.label}" if d.escalation_step_id else ""
        entries.append(
            LedgerEntry(
                d.decision_date or d.proposed_on,
                "decision",
                f"{d.get_decision_type_display()}{step}",
                str(d.get_status_display()),
                "enforcement_decision",
                d.pk,
            )
        )
    for o in Objection.objects.filter(decision__in=decisions).select_related("decision"):
        entries.append(
            LedgerEntry(
                o.received_on,
                "objection",
                str(o.decision.get_decision_type_display()),
                str(o.get_outcome_display() or ""),
                "enforcement_decision",
                o.decision_id,
            )
        )
        if o.outcome_on:
            entries.append(
                LedgerEntry(
                    o.outcome_on,
                    "objection",
                    str(o.decision.get_decision_type_display()),
                    str(o.get_outcome_display()),
                    "enforcement_decision",
                    o.decision_id,
                )
            )
    kind_order = {"action": 0, "findings": 1, "decision": 2, "objection": 3}
    entries.sort(key=lambda e: (e.on, kind_order[e.kind], e.pk or 0))
    return entries


def ledger_summary(*, premises=None, company=None) -> dict:
    actions = (
        Action.objects.filter(company=company)
        if company
        else Action.objects.filter(premises=premises)
    )
    decisions = (
        Decision.objects.filter(company=company)
        if company
        else Decision.objects.filter(premises=premises)
    )
    return {
        "actions": actions.count(),
        "open_actions": actions.filter(outcome="").count(),
        "with_irregularities": actions.filter(outcome=Outcome.IRREGULARITIES).count(),
        "decisions": decisions.filter(status=DecisionStatus.ISSUED).count(),
        "proposed": decisions.filter(
            status__in=[DecisionStatus.PROPOSED, DecisionStatus.APPROVED]
        ).count(),
        "last": actions.order_by("-planned_on").values_list("planned_on", flat=True).first(),
    }


# --- precision per indicator -------------------------------------------------------------


def quarter(d: date) -> str:
    return f"{d.year}-K{(d.month - 1) // 3 + 1}"


@dataclass
class PrecisionCell:
    actions: int = 0
    hits: int = 0

    @property
    def enough(self) -> bool:
        return self.actions >= MIN_BASE

    @property
    def precision(self) -> float | None:
        return self.hits / self.actions if self.enough else None


@dataclass
class PrecisionRow:
    indicator: str
    version: str
    total: PrecisionCell = field(default_factory=PrecisionCell)
    by_quarter: dict[str, PrecisionCell] = field(default_factory=dict)
    by_area: dict[str, PrecisionCell] = field(default_factory=dict)


NO_INDICATOR = ""  # actions planned without any fired indicator (the baseline)


def precision_rows(records) -> list[PrecisionRow]:
    """Precision per (indicator, rule-set version): of the carried-out actions on which the
    indicator had fired at planning, the share that found irregularities; per quarter (of the
    carrying out) and per area too. `records` are (fired_indicators, version, carried_out_on,
    area_code, outcome) tuples of actions with findings. Pure, no database."""
    rows: dict[tuple[str, str], PrecisionRow] = {}
    for fired, version, carried_out_on, area, outcome in records:
        hit = outcome == Outcome.IRREGULARITIES
        for indicator in fired or [NO_INDICATOR]:
            key = (indicator, version or "")
            row = rows.get(key) or rows.setdefault(key, PrecisionRow(indicator, version or ""))
            cells = [
                row.total,
                row.by_quarter.setdefault(quarter(carried_out_on), PrecisionCell()),
                row.by_area.setdefault(area or "", PrecisionCell()),
            ]
            for cell in cells:
                cell.actions += 1
                cell.hits += hit
    return sorted(
        rows.values(), key=lambda r: (r.version, r.indicator == NO_INDICATOR, r.indicator)
    )


def precision_records(*, version: str = "", area: str = "") -> list[tuple]:
    qs = Action.objects.exclude(outcome="").exclude(carried_out_on__isnull=True)
    if version:
        qs = qs.filter(rule_set_version=version)
    if not _is_city(area):
        qs = qs.filter(Q(area_code=area) | Q(wijk=area))
    return list(
        qs.values_list(
            "fired_indicators", "rule_set_version", "carried_out_on", "area_code", "outcome"
        )
    )


def precision(*, version: str = "", area: str = "") -> list[PrecisionRow]:
    return precision_rows(precision_records(version=version, area=area))


def rule_set_versions() -> list[str]:
    return sorted(
        set(Action.objects.exclude(rule_set_version="").values_list("rule_set_version", flat=True))
    )


# --- counts for monitoring ---------------------------------------------------------------


def _is_city(area: str | None) -> bool:
    if not area:
        return True
    town = areas.city()
    return town is not None and town.code == area


def _in_area(qs: QuerySet, area: str | None, prefix: str = "premises__") -> QuerySet:
    """Rows at premises in the area: a focus area or wijk code; the city (or none): all."""
    if _is_city(area):
        return qs
    try:
        return qs.filter(**areas.premises_filter(area, prefix))
    except Area.DoesNotExist:  # not (or no longer) an Area row: match the stored codes
        return qs.filter(Q(**{f"{prefix}area": area}) | Q(**{f"{prefix}wijk": area}))


def counts(period: tuple[date, date], area: str | None = None) -> dict:
    """Aggregate figures of enforcement in a period (first and last day, inclusive) and an area
    (an Area code: a focus area or wijk; the city's code, None or empty: the whole city). Numbers only, never rows:
    monitoring applies its own disclosure control before anything leaves the system.

    - actions: carried out in the period, by type (`actions_planned`: planned in the period)
    - findings: outcome counts of those actions, and irregularities by kind
    - decisions: issued (decision date in the period) by type; closures by escalation step;
      area bans; Bibob outcomes of Bibob screenings carried out in the period
    - objections: received in the period (in time or not), and outcomes decided in the period
    - trainings and Knock and Talk reach: sessions, participants, businesses; K&T visits and the
      number of distinct premises visited"""
    start, end = period
    done = _in_area(Action.objects.filter(carried_out_on__range=(start, end)), area)
    planned = _in_area(Action.objects.filter(planned_on__range=(start, end)), area)
    issued = _in_area(
        Decision.objects.filter(status=DecisionStatus.ISSUED, decision_date__range=(start, end)),
        area,
    )
    objections = _in_area(
        Objection.objects.filter(received_on__range=(start, end)), area, "decision__premises__"
    )
    decided = _in_area(
        Objection.objects.filter(outcome_on__range=(start, end)), area, "decision__premises__"
    )
    trainings = TrainingSession.objects.filter(held_on__range=(start, end))
    if not _is_city(area):
        trainings = trainings.filter(area_code=area)
    irregularities: Counter = Counter()
    for found in done.filter(outcome=Outcome.IRREGULARITIES).values_list(
        "irregularities", flat=True
    ):
        irregularities.update(found)
    steps = (
        issued.exclude(escalation_step__isnull=True)
        .values(
            "escalation_step__premises_kind", "escalation_step__number", "escalation_step__label"
        )
        .annotate(n=Count("id"))
    )
    kt = done.filter(action_type=ActionType.KNOCK_AND_TALK)
    t = trainings.aggregate(p=Sum("participants"), b=Sum("businesses"), n=Count("id"))

    def by(qs, name):
        return {
            row[name]: row["n"] for row in qs.values(name).annotate(n=Count("id")).order_by(name)
        }

    return {
        "period": (start.isoformat(), end.isoformat()),
        "area": area or "",
        "actions": by(done, "action_type"),
        "actions_total": done.count(),
        "actions_planned": by(planned, "action_type"),
        "findings": {
            Outcome.NOTHING_FOUND.value: done.filter(outcome=Outcome.NOTHING_FOUND).count(),
            Outcome.IRREGULARITIES.value: done.filter(outcome=Outcome.IRREGULARITIES).count(),
            "not_recorded": done.filter(outcome="").count(),
        },
        "irregularities": dict(sorted(irregularities.items())),
        "decisions": by(issued, "decision_type"),
        "decisions_total": issued.count(),
        "closures_by_step": {
            f"{r['escalation_step__premises_kind']}:{r['escalation_step__number']}": r["n"]
            for r in steps
        },
        "area_bans": issued.filter(decision_type=DecisionType.AREA_BAN).count(),
        "bibob": by(
            done.filter(action_type=ActionType.BIBOB).exclude(bibob_outcome=""), "bibob_outcome"
        ),
        "objections": {
            "received": objections.count(),
            "in_time": objections.filter(in_time=True).count(),
            "late": objections.filter(in_time=False).count(),
            "outcomes": by(decided.exclude(outcome=""), "outcome"),
        },
        "trainings": {
            "sessions": t["n"] or 0,
            "participants": t["p"] or 0,
            "businesses": t["b"] or 0,
        },
        "knock_and_talk": {
            "visits": kt.count(),
            "premises": kt.values("premises_id").distinct().count(),
        },
    }


def reach_by_area(period: tuple[date, date]) -> list[dict]:
    """Trainings and Knock and Talk reach per area code (aggregates)."""
    start, end = period
    rows: dict[str, dict] = defaultdict(
        lambda: {"sessions": 0, "participants": 0, "businesses": 0, "visits": 0, "premises": 0}
    )
    for r in (
        TrainingSession.objects.filter(held_on__range=(start, end))
        .values("area_code")
        .annotate(n=Count("id"), p=Sum("participants"), b=Sum("businesses"))
    ):
        rows[r["area_code"]].update(sessions=r["n"], participants=r["p"], businesses=r["b"])
    for r in (
        Action.objects.filter(
            action_type=ActionType.KNOCK_AND_TALK, carried_out_on__range=(start, end)
        )
        .values("area_code")
        .annotate(n=Count("id"), d=Count("premises_id", distinct=True))
    ):
        rows[r["area_code"]].update(visits=r["n"], premises=r["d"])
    return [{"area_code": code, **v} for code, v in sorted(rows.items())]


# --- per-quarter grids for monitoring --------------------------------------------------------


def _quarter_index(quarters, day: date) -> int | None:
    for qi, (qs, qe) in enumerate(quarters):
        if qs <= day <= qe:
            return qi
    return None


def monitoring_counts(quarters: list[tuple[date, date]]) -> dict[str, dict[tuple, int]]:
    """Counts for monitoring's per-quarter grids, keyed (wijk, focus area, quarter index,
    category) like careers' monitoring_counts. Numbers only, never rows.

    - screened: distinct premises and companies (category the object type) with at least one
      action carried out in the quarter (a control, Knock and Talk visit, Bibob screening, ...);
      an object counts once per quarter, in the area recorded on its (latest) action there;
    - precision: of the actions carried out in the quarter with their findings recorded, per
      indicator that had fired at planning (`<indicator>:checked`) and how many of those found
      irregularities (`<indicator>:hit`); actions planned without any fired indicator under the
      indicator "" (the baseline); `*:checked`/`*:hit` counts each action once, whatever fired."""
    first, last = quarters[0][0], quarters[-1][1]
    done = Action.objects.filter(carried_out_on__range=(first, last))
    screened: dict[tuple, int] = {}
    seen: dict[tuple, tuple] = {}
    for object_type, premises_id, company_id, day, wijk, area in done.order_by(
        "carried_out_on", "id"
    ).values_list(
        "object_type", "premises_id", "company_id", "carried_out_on", "wijk", "area_code"
    ):
        qi = _quarter_index(quarters, day)
        if qi is None:
            continue
        seen[(qi, object_type, premises_id or company_id)] = (wijk or "", area or "")
    for (qi, object_type, _obj), (_wijk, area) in seen.items():
        key = ("", area, qi, object_type)
        screened[key] = screened.get(key, 0) + 1
    precision: dict[tuple, int] = {}
    for fired, day, area, outcome in done.exclude(outcome="").values_list(
        "fired_indicators", "carried_out_on", "area_code", "outcome"
    ):
        qi = _quarter_index(quarters, day)
        if qi is None:
            continue
        hit = outcome == Outcome.IRREGULARITIES
        for indicator in [*(sorted(set(fired or [])) or [NO_INDICATOR]), "*"]:
            for what, n in (("checked", 1), ("hit", int(hit))):
                key = ("", area or "", qi, f"{indicator}:{what}")
                precision[key] = precision.get(key, 0) + n
    return {"enforcement_screened": screened, "enforcement_precision": precision}


def indicators_checked() -> list[str]:
    """The indicators that fired at planning on any action with findings (for the columns of
    monitoring's precision figure)."""
    out: set[str] = set()
    for fired in Action.objects.exclude(outcome="").values_list("fired_indicators", flat=True):
        out.update(fired or [])
    return sorted(out)
