"""The retention job: deletes or anonymises what has passed its retention period under the
verwerkingsregister, and writes each step to the audit log.

Each kind of record registers a handler; later capabilities add their own with `register`.
Run daily: `doorbraak retention` (optionally `--as-of YYYY-MM-DD` to simulate a date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from .models import ActivityKind, ProcessingActivity, RetentionAction, RetentionRun

SYSTEM_USER = "systeem:bewaartermijn"
PURPOSE = "bewaartermijn"


@dataclass(frozen=True)
class RetentionHandler:
    name: str  # object_type in the audit log
    expired: Callable[[date], Iterable[tuple[object, ProcessingActivity]]]
    delete: Callable[[object], None]
    anonymise: Callable[[object], None]


HANDLERS: list[RetentionHandler] = []


def register(handler: RetentionHandler) -> RetentionHandler:
    HANDLERS.append(handler)
    return handler


def _by_activity(kind: str):
    for activity in ProcessingActivity.objects.filter(kind=kind):
        yield activity


# --- cases: the clock starts when the case is closed ----------------------------------


def _expired_cases(today: date):
    from doorbraak.careers.models import Case, CaseStatus

    for activity in _by_activity(ActivityKind.CASE_TYPE):
        qs = Case.objects.filter(
            case_type=activity,
            status=CaseStatus.CLOSED,
            anonymised=False,
            closed_on__lt=activity.expires_before(today),
        )
        for case in qs:
            yield case, activity


def _anonymise_case(case) -> None:
    case.records.all().delete()
    case.summary = ""
    case.anonymised = True
    subject = case.subject
    case.subject = None
    case.save()
    if subject is not None and not subject.cases.exists():
        _anonymise_person(subject)


def _delete_case(case) -> None:
    subject = case.subject
    case.delete()
    if (
        subject is not None
        and not subject.cases.exists()
        and subject.source.kind == ActivityKind.CASE_TYPE
    ):
        subject.delete()


# --- register persons: the clock starts at the delivery the record came from ---------


def _expired_persons(today: date):
    from doorbraak.registers.models import Person

    for activity in _by_activity(ActivityKind.SOURCE):
        qs = (
            Person.objects.filter(
                source=activity, anonymised=False, received_on__lt=activity.expires_before(today)
            )
            # A person who is subject of a case is kept under the case type's retention.
            .exclude(cases__isnull=False)
            .distinct()
        )
        for person in qs:
            yield person, activity


def _anonymise_person(person) -> None:
    person.bsn = ""
    person.given_names = ""
    person.surname_prefix = ""
    person.surname = "geanonimiseerd"
    person.birth_date = None
    person.phone = ""
    person.residence = None
    person.anonymised = True
    person.save()
    person.functions.all().delete()


def _delete_person(person) -> None:
    person.delete()


def _expired_officers(today: date):
    from doorbraak.registers.models import Officer

    for activity in _by_activity(ActivityKind.SOURCE):
        for officer in Officer.objects.filter(
            source=activity, received_on__lt=activity.expires_before(today)
        ):
            yield officer, activity


def _delete_officer(officer) -> None:
    officer.delete()


register(RetentionHandler("case", _expired_cases, _delete_case, _anonymise_case))
register(RetentionHandler("officer", _expired_officers, _delete_officer, _delete_officer))
register(RetentionHandler("person", _expired_persons, _delete_person, _anonymise_person))


def preview(today: date) -> list[dict]:
    """What a run on this date would do, per handler and activity (counts only)."""
    counts: Counter = Counter()
    for handler in HANDLERS:
        for _obj, activity in handler.expired(today):
            counts[(handler.name, activity.name, activity.get_retention_action_display())] += 1
    return [
        {"object_type": k[0], "activity": k[1], "action": k[2], "count": n}
        for k, n in sorted(counts.items())
    ]


def run_retention(today: date, run_by: str = SYSTEM_USER) -> dict:
    """Apply retention as of `today`. Each object is handled in its own transaction together
    with its audit entry, so a failure part-way leaves everything done so far consistent."""
    summary: Counter = Counter()
    for handler in HANDLERS:
        for obj, activity in list(handler.expired(today)):
            anonymise = activity.retention_action == RetentionAction.ANONYMISE
            object_id = obj.pk
            with transaction.atomic():
                (handler.anonymise if anonymise else handler.delete)(obj)
                audit.record(
                    AuditAction.ANONYMISE if anonymise else AuditAction.DELETE,
                    username=SYSTEM_USER,
                    purpose=PURPOSE,
                    object_type=handler.name,
                    object_id=object_id,
                    categories=activity.data_categories,
                    detail={
                        "activity": activity.code,
                        "retention_days": activity.retention_days,
                        "as_of": today.isoformat(),
                        "run_by": run_by,
                    },
                )
            summary[f"{handler.name}:{'anonymise' if anonymise else 'delete'}"] += 1
    result = {"as_of": today.isoformat(), "counts": dict(summary), "total": sum(summary.values())}
    RetentionRun.objects.create(as_of=today, run_by=run_by, summary=result)
    return result
