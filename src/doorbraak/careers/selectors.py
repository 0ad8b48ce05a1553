"""Read side of case management: what a user may see of a case, built from the categories the
policy layer hands out, plus aggregates (suppressed under 5) for outcomes."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.utils.html import escape

from doorbraak import policy
from doorbraak.partners.models import DataCategory
from doorbraak.privacy.disclosure import suppress

from . import access
from .jobs import reoffended
from .models import (
    Alert,
    CaseStatus,
    Concern,
    ConcernStatus,
    ContactKind,
    Enrolment,
    EnrolmentStatus,
    PlanAction,
    Programme,
    RecordKind,
    ZrmAssessment,
    ZrmDomain,
)

PART = policy.CASE_PART_CATEGORIES


def person_label(person, categories) -> str:
    if person is None:
        return "—"
    if DataCategory.IDENTITY in categories and not person.anonymised:
        return person.full_name
    return person.pseudonym


def members(case, categories) -> list[dict]:
    rows = []
    for m in case.members.select_related("person", "decision"):
        rows.append(
            {
                "person": m.person,
                "label": person_label(m.person, categories),
                "role": m.get_role_display(),
                "since": m.since,
                "decision": m.decision,
            }
        )
    if not rows and case.subject:  # cases from before case management: the subject is the member
        rows.append(
            {
                "person": case.subject,
                "label": person_label(case.subject, categories),
                "role": "Hoofdpersoon",
                "since": case.opened_on,
                "decision": None,
            }
        )
    return rows


def zrm_table(case, categories) -> list[dict]:
    """Per person, per domain the scores over time and the change first → last (no total score)."""
    if PART["zrm"] not in categories:
        return []
    by_person = defaultdict(list)
    for a in case.zrm_assessments.select_related("person"):
        by_person[a.person].append(a)
    out = []
    for person, assessments in by_person.items():
        rows = []
        for domain, label in ZrmDomain.choices:
            scores = [a.scores.get(domain) for a in assessments]
            known = [s for s in scores if s is not None]
            change = known[-1] - known[0] if len(known) >= 2 else None
            rows.append({"domain": label, "scores": scores, "change": change})
        out.append(
            {"label": person_label(person, categories), "assessments": assessments, "rows": rows}
        )
    return out


def dossier(user, case, categories) -> dict:
    """Everything of the case this user may see; hidden parts are named, not shown."""
    manager = policy.is_case_manager(user, case)
    see = lambda part: PART[part] in categories  # noqa: E731
    records = [
        r for r in case.records.select_related("organisation", "person") if r.category in categories
    ]
    hidden = sorted(
        {
            str(DataCategory(r.category).label)
            for r in case.records.all()
            if r.category not in categories
        }
    )
    goals = []
    for g in case.goals.prefetch_related("actions__organisation").select_related("person"):
        if g.category in categories:
            goals.append(
                {
                    "goal": g,
                    "person": person_label(g.person, categories),
                    "actions": list(g.actions.all()),
                }
            )
    return {
        "case": case,
        "manager": manager,
        "categories": sorted(str(DataCategory(c).label) for c in categories),
        "category_codes": categories,
        "members": members(case, categories),
        "subject_label": person_label(case.subject, categories),
        "participants": case.participants.select_related("organisation"),
        "decisions": list(
            case.decisions.select_related("person").prefetch_related("criteria", "partners")
        )
        if see("decisions")
        else None,
        "reviews": list(case.reviews.all()) if see("reviews") else None,
        "records": sorted(records, key=lambda r: (r.occurred_on, r.pk), reverse=True),
        "hidden_categories": hidden,
        "zrm": zrm_table(case, categories),
        "zrm_visible": see("zrm"),
        "goals": goals,
        "contacts": case.contacts.select_related("person", "organisation")
        if see("contacts")
        else None,
        "enrolments": list(case.enrolments.select_related("programme", "person"))
        if see("enrolments")
        else None,
        "coaches": list(case.coach_matches.select_related("coach")) if see("coaches") else None,
        "relations": list(case.relations.select_related("from_person", "to_person", "source"))
        if see("relations")
        else None,
        "alerts": list(case.alerts.filter(resolved_on__isnull=True)) if manager else [],
    }


def network_svg(case, categories, size: int = 420) -> str:
    """A server-rendered SVG of the case's network (no JavaScript); the list beside it is the
    accessible version. Persons are placed on a circle in a fixed order: position means nothing."""
    if PART["relations"] not in categories:
        return ""
    relations = list(case.relations.select_related("from_person", "to_person"))
    people = []
    for m in case.members.select_related("person"):
        people.append(m.person)
    for r in relations:
        for p in (r.from_person, r.to_person):
            if p not in people:
                people.append(p)
    if not people:
        return ""
    c, radius = size / 2, size / 2 - 70
    pos = {}
    for i, p in enumerate(people):
        angle = 2 * math.pi * i / len(people) - math.pi / 2
        pos[p.pk] = (c + radius * math.cos(angle), c + radius * math.sin(angle))
    member_ids = set(case.members.values_list("person_id", flat=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-labelledby="netwerk-titel"><title id="netwerk-titel">Netwerk van casus '
        f"{escape(case.reference)}</title>"
    ]
    for r in relations:
        (x1, y1), (x2, y2) = pos[r.from_person_id], pos[r.to_person_id]
        dash = ' stroke-dasharray="6 4"' if r.kind in ("co_suspect",) else ""
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#555" stroke-width="2"{dash}/>'
        )
        parts.append(
            f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 4:.0f}" font-size="11" text-anchor="middle" '
            f'fill="#333">{escape(r.get_kind_display())}</text>'
        )
    for p in people:
        x, y = pos[p.pk]
        fill = "#cc0000" if p.pk in member_ids else "#ffffff"
        text = "#ffffff" if p.pk in member_ids else "#1a1a1a"
        parts.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="26" fill="{fill}" stroke="#1a1a1a" stroke-width="2"/>'
        )
        initials = "".join(w[0] for w in person_label(p, categories).split()[:2] if w)[:3]
        parts.append(
            f'<text x="{x:.0f}" y="{y + 5:.0f}" font-size="13" text-anchor="middle" fill="{text}">'
            f"{escape(initials)}</text>"
        )
        parts.append(
            f'<text x="{x:.0f}" y="{y + 44:.0f}" font-size="11" text-anchor="middle" fill="#1a1a1a">'
            f"{escape(person_label(p, categories))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def family_board(case, categories) -> dict:
    """Every partner's actions on every family member, one grid (the 'simultaneous focus')."""
    people = [m for m in members(case, categories)]
    orgs = list(case.participants.select_related("organisation").order_by("organisation__name"))
    grid = defaultdict(list)
    for a in PlanAction.objects.filter(goal__case=case).select_related(
        "goal", "organisation", "person"
    ):
        if a.goal.category not in categories:
            continue
        person_id = (
            a.person_id or a.goal.person_id or (case.subject_id if case.subject_id else None)
        )
        grid[(person_id, a.organisation_id)].append(a)
    rows = []
    for m in people:
        rows.append(
            {
                "label": m["label"],
                "role": m["role"],
                "cells": [grid.get((m["person"].pk, o.organisation_id), []) for o in orgs],
            }
        )
    return {"orgs": [o.organisation for o in orgs], "rows": rows}


# --- home page and worklists -------------------------------------------------------------


def director_alerts(user):
    return (
        Alert.objects.filter(
            case__director=user, resolved_on__isnull=True, case__status=CaseStatus.OPEN
        )
        .select_related("case")
        .order_by("-created_on", "-id")
    )


def open_concerns():
    return Concern.objects.filter(status=ConcernStatus.OPEN).select_related(
        "organisation", "family_case"
    )


OPEN_ACTION = (PlanAction.Status.PLANNED, PlanAction.Status.BUSY)
DEFAULT_CADENCE_DAYS = 14  # as the daily job (jobs.run_daily) assumes when a case has none


def overdue(case, today: date) -> dict:
    """What is past its date in an open case: the review, plan actions not done by their date,
    and contact (not seen within the agreed cadence, attempts do not count). Dates only: it
    compares dates the people involved set, like the daily job; it never scores anyone."""
    if case.status != CaseStatus.OPEN:
        return {"review": False, "actions": set(), "contact_days": None, "last_seen": None}
    last = (
        case.contacts.exclude(kind=ContactKind.ATTEMPT).aggregate(last=Max("contact_on"))["last"]
        or case.opened_on
    )
    gap = (today - last).days
    return {
        "review": bool(case.next_review_due and case.next_review_due < today),
        "actions": set(
            PlanAction.objects.filter(
                goal__case=case, status__in=OPEN_ACTION, due_on__lt=today
            ).values_list("pk", flat=True)
        ),
        "contact_days": gap if gap > (case.contact_cadence_days or DEFAULT_CADENCE_DAYS) else None,
        "last_seen": last,
    }


def overdue_cases(user, today: date) -> list:
    """The director's open cases with something overdue: review, actions, contact."""
    cases = (
        access.visible_cases(user)
        .filter(director=user, status=CaseStatus.OPEN)
        .annotate(
            last_seen=Max("contacts__contact_on", filter=~Q(contacts__kind=ContactKind.ATTEMPT)),
            late_actions=Count(
                "goals__actions",
                distinct=True,
                filter=Q(goals__actions__status__in=OPEN_ACTION, goals__actions__due_on__lt=today),
            ),
        )
        .order_by("next_review_due", "reference")
    )
    rows = []
    for case in cases:
        last = case.last_seen or case.opened_on
        gap = (today - last).days
        row = {
            "case": case,
            "review": bool(case.next_review_due and case.next_review_due < today),
            "actions": case.late_actions,
            "last_seen": last,
            "contact_days": gap
            if gap > (case.contact_cadence_days or DEFAULT_CADENCE_DAYS)
            else None,
        }
        if row["review"] or row["actions"] or row["contact_days"]:
            rows.append(row)
    return rows


def reviews_due(user, today: date, days: int = 30):
    return (
        access.visible_cases(user)
        .filter(
            director=user, status=CaseStatus.OPEN, next_review_due__lte=today + timedelta(days=days)
        )
        .order_by("next_review_due")
    )


def programme_rows():
    return Programme.objects.select_related("intervention", "owner").annotate(
        active=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )


def waiting_list(programme):
    return programme.enrolments.filter(status=EnrolmentStatus.WAITING).order_by(
        "requested_on", "id"
    )


# --- outcomes (aggregates only; counts under 5 shown as "<5") ---------------------------------


def _rate(part: int, whole: int) -> str:
    if part < 5 or whole - part < 5:
        return "—"  # a rate would reveal a count under 5
    return f"{round(100 * part / whole)}%"


def _group_figures(enrolments: list, cases: list, today: date) -> dict:
    """Figures for a group of persons: enrolments, completion, reoffending within 12 months, jobs."""
    ended = [
        e for e in enrolments if e.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED)
    ]
    completed = [e for e in ended if e.status == EnrolmentStatus.COMPLETED and e.positive]
    followed = [e for e in ended if e.ended_on and e.ended_on + timedelta(days=365) <= today]
    reoff = [
        e for e in followed if reoffended(e.person_id, e.ended_on, e.ended_on + timedelta(days=365))
    ]
    jobs = [e for e in enrolments if e.job_status == "offered"]
    return {
        "enrolments": suppress(len(enrolments)),
        "ended": suppress(len(ended)),
        "completed": suppress(len(completed)),
        "completion_rate": _rate(len(completed), len(ended)),
        "followed_12m": suppress(len(followed)),
        "reoffended_12m": suppress(len(reoff)),
        "reoffending_rate": _rate(len(reoff), len(followed)),
        "job_placements": suppress(len(jobs)),
        "_n": len(enrolments),
    }


def comparison_figures(cases, today: date) -> dict:
    """The comparison group has no programme enrolment; its reference date is the case's start."""
    cases = list(cases)
    followed = [c for c in cases if c.opened_on + timedelta(days=365) <= today]
    reoff = 0
    for c in followed:
        person_ids = list(c.members.values_list("person_id", flat=True)) or (
            [c.subject_id] if c.subject_id else []
        )
        if any(
            reoffended(pid, c.opened_on, c.opened_on + timedelta(days=365)) for pid in person_ids
        ):
            reoff += 1
    return {
        "cases": suppress(len(cases)),
        "followed_12m": suppress(len(followed)),
        "reoffended_12m": suppress(reoff),
        "reoffending_rate": _rate(reoff, len(followed)),
    }


def programme_outcomes(today: date) -> list[dict]:
    rows = []
    for p in programme_rows():
        enrolments = list(p.enrolments.all())
        rows.append(
            {
                "programme": p,
                "figures": _group_figures(enrolments, [], today),
                "comparison": comparison_figures(p.comparison_cases.all(), today)
                if p.comparison_cases.exists()
                else None,
            }
        )
    return rows


def person_outcomes(today: date) -> dict:
    """Per-person outcomes, aggregated over all cases: ZRM change per domain (how many persons
    improved / stayed / worsened), school or work, debts, reoffending after inclusion."""
    improved, same, worse = defaultdict(int), defaultdict(int), defaultdict(int)
    by_person = defaultdict(list)
    for a in ZrmAssessment.objects.order_by("assessed_on", "id"):
        by_person[(a.case_id, a.person_id)].append(a)
    for assessments in by_person.values():
        if len(assessments) < 2:
            continue
        for domain in ZrmDomain.values:
            first, last = assessments[0].scores.get(domain), assessments[-1].scores.get(domain)
            if first is None or last is None:
                continue
            (improved if last > first else worse if last < first else same)[domain] += 1
    zrm = [
        {
            "label": label,
            "improved": suppress(improved[d]),
            "same": suppress(same[d]),
            "worse": suppress(worse[d]),
        }
        for d, label in ZrmDomain.choices
    ]
    from .models import Case, CaseRecord

    cases = Case.objects.exclude(anonymised=True)
    latest = {}
    for r in (
        CaseRecord.objects.filter(kind__in=[RecordKind.SCHOOL, RecordKind.WORK, RecordKind.DEBTS])
        .order_by("occurred_on", "id")
        .values("case_id", "kind")
    ):
        latest.setdefault(r["case_id"], set()).add(r["kind"])
    school_work = sum(
        1 for kinds in latest.values() if kinds & {RecordKind.SCHOOL, RecordKind.WORK}
    )
    debts = sum(1 for kinds in latest.values() if RecordKind.DEBTS in kinds)
    reoff = (
        cases.filter(
            records__kind=RecordKind.POLICE, records__occurred_on__gt=models_F("opened_on")
        )
        .distinct()
        .count()
    )
    return {
        "zrm": zrm,
        "cases": suppress(cases.count()),
        "school_work": suppress(school_work),
        "debts": suppress(debts),
        "reoffended": suppress(reoff),
    }


def models_F(name):
    from django.db.models import F

    return F(name)


def enrolments_of(programme):
    return Enrolment.objects.filter(programme=programme).select_related("case", "person")


INCLUDED_OUTCOMES = frozenset({"individual", "family_new", "family_member"})


def concerns_reported_by(user):
    """What became of the concerns this user registered (aanmeldingen): pending, included or not
    included, and the case only where the user's organisation takes part in it. Nothing of the
    case conference's reasons or the case contents: those follow need-to-know on the case page."""
    concerns = list(
        Concern.objects.filter(reported_by=user)
        .select_related("person", "decision", "decision__case")
        .order_by("-received_on", "-id")
    )
    case_ids = {
        c.decision.case_id for c in concerns if hasattr(c, "decision") and c.decision.case_id
    }
    visible = (
        set(access.visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
        if case_ids
        else set()
    )
    rows = []
    for c in concerns:
        decision = getattr(c, "decision", None)
        if decision is None:
            state = "pending"
        else:
            state = "included" if decision.outcome in INCLUDED_OUTCOMES else "not_included"
        case = decision.case if decision is not None and decision.case_id in visible else None
        rows.append(
            {
                "concern": c,
                "state": state,
                "decided_on": decision.decided_on if decision else None,
                "case": case,
                "takes_part": case is not None,
                "person": "—" if c.person.anonymised else c.person.full_name,
            }
        )
    return rows


# --- counts for monitoring (numbers only: no case, person or record leaves this function) ------


def _case_units() -> dict[int, tuple[str, str]]:
    """Case id -> (wijk, focus area) of the case's home address: the subject's residence, or for
    a family case the first member's. Unknown: ("", "")."""
    from .models import Case, CaseMember

    out = {}
    for cid, wijk, area in Case.objects.values_list(
        "pk", "subject__residence__wijk", "subject__residence__area"
    ):
        out[cid] = (wijk or "", area or "")
    for cid, wijk, area in (
        CaseMember.objects.filter(case_id__in=[c for c, u in out.items() if not u[0]])
        .order_by("case_id", "since", "id")
        .values_list("case_id", "person__residence__wijk", "person__residence__area")
    ):
        if not out[cid][0] and wijk:
            out[cid] = (wijk, area or "")
    return out


def _police_dates() -> dict[int, list[date]]:
    """Person id -> the dates of the police records on that person (reoffending as registered by
    the police partner), read once for all counts."""
    from .models import CaseRecord

    out: dict[int, list[date]] = defaultdict(list)
    for pid, on in CaseRecord.objects.filter(
        kind=RecordKind.POLICE, person_id__isnull=False
    ).values_list("person_id", "occurred_on"):
        out[pid].append(on)
    return out


def _any_in(dates: list[date], start: date, end: date) -> bool:
    """A date in (start, end], as careers.jobs.reoffended counts it."""
    return any(start < d <= end for d in dates)


def intervention_types_in_use() -> list[tuple[str, str]]:
    """(type, label) of the intervention types that have a programme in the catalogue, in the
    order of InterventionType: the types the comparison-group figures are made for."""
    from .models import InterventionType

    used = set(Programme.objects.values_list("intervention__type", flat=True))
    return [(code, label) for code, label in InterventionType.choices if code in used]


FOLLOW_UP = timedelta(days=365)


def monitoring_counts(  # noqa: C901 - one counting block per figure, sharing the quarter lookup
    quarters: list[tuple[date, date]],
    today: date | None = None,
) -> dict[str, dict[tuple, int]]:
    """Counts of pillar 1 per quarter for monitoring, keyed (wijk, focus area, quarter index,
    category). The definitions are written out in doorbraak.monitoring.figures; this function
    only counts. Reviews on time: held no later than the date set at the previous review (or at
    the case conference decision). Contact within cadence: an open case at the quarter's end
    with a contact in its last cadence period. Reoffending: a police record on the subject
    within 12 months of inclusion, counted in the quarter the 12 months end. Exits: per reason
    of exit. The comparison-group counts per intervention type: see comparison_counts."""
    from .models import Case, CaseDecision, CaseMember, Contact, ExitReason, Review

    units = _case_units()
    out: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))

    def add(figure, case_id, qi, category):
        wijk, area = units.get(case_id, ("", ""))
        out[figure][(wijk, area, qi, category)] += 1

    def quarter_of(day):
        for qi, (start, end) in enumerate(quarters):
            if day and start <= day <= end:
                return qi
        return None

    cases = list(
        Case.objects.values_list(
            "pk",
            "kind",
            "opened_on",
            "closed_on",
            "subject_id",
            "contact_cadence_days",
            "exit_reason",
        )
    )
    last_contact: dict[int, list[date]] = defaultdict(list)
    for cid, on in Contact.objects.values_list("case_id", "contact_on"):
        last_contact[cid].append(on)
    for qi, (_start, end) in enumerate(quarters):
        for cid, kind, opened, closed, _subject, cadence, _reason in cases:
            if opened <= end and (closed is None or closed > end):
                add("in_approach", cid, qi, kind)
                recent = any(
                    end - timedelta(days=cadence or 14) < d <= end for d in last_contact[cid]
                )
                add("contact_cadence", cid, qi, "within" if recent else "not_within")
    members: dict[int, list[int]] = defaultdict(list)
    for cid, pid in CaseMember.objects.order_by("case_id", "since", "id").values_list(
        "case_id", "person_id"
    ):
        members[cid].append(pid)
    police = _police_dates()
    for cid, kind, opened, closed, subject, _cadence, reason in cases:
        qi = quarter_of(opened)
        if qi is not None:
            add("inclusions", cid, qi, kind)
        qi = quarter_of(closed)
        if qi is not None:
            add("exits", cid, qi, reason or ExitReason.NOT_RECORDED)
        followed_until = opened + FOLLOW_UP
        qi = quarter_of(followed_until)
        if qi is not None and followed_until <= quarters[-1][1]:
            persons = [subject] if subject else members[cid]
            again = any(_any_in(police[p], opened, followed_until) for p in persons)
            add("reoffending", cid, qi, "reoffended" if again else "not_reoffended")
    # reviews: due date from the previous review, or from the case conference decision
    first_due = {
        cid: due
        for cid, due in CaseDecision.objects.filter(case__isnull=False)
        .order_by("decided_on", "id")
        .values_list("case_id", "review_due")
    }
    previous: dict[int, date | None] = {}
    for cid, held, next_due in Review.objects.order_by("case_id", "held_on", "id").values_list(
        "case_id", "held_on", "next_review_due"
    ):
        due = previous.get(cid, first_due.get(cid))
        previous[cid] = next_due
        qi = quarter_of(held)
        if qi is not None:
            add("reviews", cid, qi, "on_time" if due is None or held <= due else "late")
    # enrolments per intervention type
    for cid, itype, status, started, ended, job_status, placed in Enrolment.objects.values_list(
        "case_id",
        "programme__intervention__type",
        "status",
        "started_on",
        "ended_on",
        "job_status",
        "job_placed_on",
    ):
        qi = quarter_of(started)
        if qi is not None:
            add("enrolments", cid, qi, itype)
        qi = quarter_of(ended)
        if qi is not None and status == EnrolmentStatus.COMPLETED:
            add("completions", cid, qi, itype)
        if qi is not None and status == EnrolmentStatus.DROPPED:
            add("dropouts", cid, qi, itype)
        qi = quarter_of(placed)
        if qi is not None and job_status == "offered":
            add("jobs", cid, qi, itype)
    # ZRM change per life domain: first and latest assessment of a person in a case, counted in
    # the quarter of the latest one
    series: dict[tuple, list] = defaultdict(list)
    for cid, pid, on, scores in ZrmAssessment.objects.order_by("assessed_on", "id").values_list(
        "case_id", "person_id", "assessed_on", "scores"
    ):
        series[(cid, pid)].append((on, scores or {}))
    for (cid, _pid), rows in series.items():
        if len(rows) < 2:
            continue
        qi = quarter_of(rows[-1][0])
        if qi is None:
            continue
        first, last = rows[0][1], rows[-1][1]
        for domain in ZrmDomain.values:
            a, b = first.get(domain), last.get(domain)
            if a is None or b is None:
                continue
            add("zrm_change", cid, qi, f"{domain}:{'up' if b > a else 'down' if b < a else 'same'}")
    result = {k: dict(v) for k, v in out.items()}
    result.update(comparison_counts(quarters, today, units=units, police=police))
    return result


COMPARISON_CATEGORIES = (
    "participants:reoffended",
    "participants:not_reoffended",
    "comparison:reoffended",
    "comparison:not_reoffended",
)


def comparison_counts(  # noqa: C901 - participants and comparison group, per type and quarter
    quarters: list[tuple[date, date]],
    today: date | None = None,
    *,
    units: dict | None = None,
    police: dict | None = None,
) -> dict[str, dict[tuple, int]]:
    """Per intervention type in use, figure ``comparison_<type>``: counts per quarter of cases,
    keyed (wijk, focus area, quarter index, category) with the categories of
    COMPARISON_CATEGORIES. A descriptive comparison, not an effect measurement; only counts
    leave this function.

    Participants of a quarter: cases whose first started enrolment in a programme of that type
    started in the quarter; reoffending: a police record on the enrolled person within 12 months
    after the start. Comparison group of a quarter: cases in the approach during the quarter
    (started on or before its last day, not closed before its first) that never had a started
    enrolment of that type; reoffending: a police record on the subject (for a family case the
    first member) within 12 months after the quarter's first day, or after the start of the case
    if that is later. A case counts only once its 12 months have passed on ``today``."""
    from django.utils import timezone

    from .models import Case, CaseMember

    today = today or timezone.localdate()
    units = units if units is not None else _case_units()
    police = police if police is not None else _police_dates()
    first_start: dict[str, dict[int, tuple[date, int]]] = defaultdict(dict)
    for cid, pid, itype, started in (
        Enrolment.objects.filter(started_on__isnull=False)
        .order_by("started_on", "id")
        .values_list("case_id", "person_id", "programme__intervention__type", "started_on")
    ):
        first_start[itype].setdefault(cid, (started, pid))
    first_member: dict[int, int] = {}
    for cid, pid in CaseMember.objects.order_by("case_id", "since", "id").values_list(
        "case_id", "person_id"
    ):
        first_member.setdefault(cid, pid)
    cases = [
        (cid, opened, closed, subject or first_member.get(cid))
        for cid, opened, closed, subject in Case.objects.values_list(
            "pk", "opened_on", "closed_on", "subject_id"
        )
    ]
    out: dict[str, dict[tuple, int]] = {}
    for itype, _label in intervention_types_in_use():
        rows: dict[tuple, int] = defaultdict(int)
        starts = first_start.get(itype, {})

        def add(cid, qi, group, again, rows=rows):
            wijk, area = units.get(cid, ("", ""))
            outcome = "reoffended" if again else "not_reoffended"
            rows[(wijk, area, qi, f"{group}:{outcome}")] += 1

        for qi, (q_start, q_end) in enumerate(quarters):
            for cid, (started, pid) in starts.items():
                if q_start <= started <= q_end and started + FOLLOW_UP <= today:
                    add(cid, qi, "participants", _any_in(police[pid], started, started + FOLLOW_UP))
            for cid, opened, closed, person in cases:
                if cid in starts or person is None:
                    continue
                if opened > q_end or (closed is not None and closed < q_start):
                    continue
                ref = max(q_start, opened)
                if ref + FOLLOW_UP <= today:
                    add(cid, qi, "comparison", _any_in(police[person], ref, ref + FOLLOW_UP))
        out[f"comparison_{itype}"] = dict(rows)
    return out
