"""The daily job: reminders and alerts for case directors, stored as data (Alert rows).

Idempotent: each alert has a key, so running twice on the same day adds nothing. It never scores
or ranks persons; it only compares dates the people involved have set (review date, cadence,
the agreed no-reoffending period)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from .models import (
    Alert,
    AlertKind,
    Case,
    CaseRecord,
    CaseStatus,
    ContactKind,
    Enrolment,
    RecordKind,
)

SYSTEM_USER = "systeem:casusregie-dagelijks"
REVIEW_REMINDER_DAYS = 14
ESCALATE_AFTER_CADENCES = 2


def _months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    day = min(
        d.day, [31, 29 if (d.year + y) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]
    )
    return date(d.year + y, m + 1, day)


def reoffended(person_id: int, start: date, end: date) -> bool:
    """Reoffending as registered by the police partner: a police record on the person in the period."""
    return CaseRecord.objects.filter(
        person_id=person_id, kind=RecordKind.POLICE, occurred_on__gt=start, occurred_on__lte=end
    ).exists()


def run_daily(today: date) -> dict:
    counts: Counter = Counter()

    def alert(case, kind, key, message):
        _obj, created = Alert.objects.get_or_create(
            case=case, kind=kind, key=str(key), defaults={"created_on": today, "message": message}
        )
        if created:
            counts[kind] += 1

    with transaction.atomic():
        cases = (
            Case.objects.filter(status=CaseStatus.OPEN)
            .annotate(last_seen=Max("contacts__contact_on", filter=~_attempt()))
            .order_by("pk")
        )
        for case in cases:
            if case.next_review_due:
                days = (case.next_review_due - today).days
                if 0 <= days <= REVIEW_REMINDER_DAYS:
                    alert(
                        case,
                        AlertKind.REVIEW_DUE,
                        case.next_review_due,
                        f"{case.reference}: toets (proportionaliteit) uiterlijk {case.next_review_due:%d-%m-%Y}.",
                    )
                elif days < 0:
                    alert(
                        case,
                        AlertKind.REVIEW_OVERDUE,
                        case.next_review_due,
                        f"{case.reference}: toets was uiterlijk {case.next_review_due:%d-%m-%Y} en is niet gehouden.",
                    )
            if case.inclusion_end and case.inclusion_end <= today:
                alert(
                    case,
                    AlertKind.INCLUSION_END,
                    case.inclusion_end,
                    f"{case.reference}: einddatum opname {case.inclusion_end:%d-%m-%Y} bereikt; toets of sluit de casus.",
                )
            last = case.last_seen or case.opened_on
            gap = (today - last).days
            cadence = case.contact_cadence_days or 14
            if gap > cadence:
                alert(
                    case,
                    AlertKind.CONTACT_MISSED,
                    last,
                    f"{case.reference}: niet gezien sinds {last:%d-%m-%Y} ({gap} dagen; afgesproken elke {cadence} dagen).",
                )
            if gap > ESCALATE_AFTER_CADENCES * cadence:
                alert(
                    case,
                    AlertKind.CONTACT_ESCALATED,
                    last,
                    f"{case.reference}: al {gap} dagen niet gezien; bespreek in het casusoverleg.",
                )

        # Job guarantee: positive completion AND no reoffending within the agreed period.
        pending = Enrolment.objects.filter(
            job_status="pending", case__status=CaseStatus.OPEN
        ).select_related("programme", "case")
        for e in pending:
            period_end = _months(e.ended_on, e.programme.no_reoffending_months)
            if reoffended(e.person_id, e.ended_on, min(today, period_end)):
                e.job_status = "lapsed"
                e.save(update_fields=["job_status"])
                alert(
                    e.case,
                    AlertKind.JOB_LAPSED,
                    e.pk,
                    f"{e.case.reference}: baangarantie {e.programme.name} vervallen (recidive geregistreerd door politie).",
                )
            elif today >= period_end:
                e.job_status = "due"
                e.save(update_fields=["job_status"])
                alert(
                    e.case,
                    AlertKind.JOB_DUE,
                    e.pk,
                    f"{e.case.reference}: {e.programme.name} positief afgerond en {e.programme.no_reoffending_months} "
                    f"maanden geen recidive: de baan moet worden aangeboden.",
                )
        audit.record(
            AuditAction.CREATE,
            username=SYSTEM_USER,
            purpose=policy.PURPOSE_CASE_WORK,
            object_type="careers_daily",
            object_id=today.isoformat(),
            detail={"alerts": dict(counts)},
        )
    return {"today": today.isoformat(), "alerts": dict(counts), "total": sum(counts.values())}


def _attempt():
    from django.db.models import Q

    return Q(contacts__kind=ContactKind.ATTEMPT)


def upcoming(today: date, days: int = REVIEW_REMINDER_DAYS) -> date:
    return today + timedelta(days=days)
