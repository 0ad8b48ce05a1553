"""Retention for case-management data, registered with the privacy app's registry in ready().

The clock of a case starts when it is closed (its case type's period). Everything personal hangs
off a Case (CASCADE), so deleting a case removes it; anonymising a case clears the timeline and
the subject, and the leftovers handler then removes the rest of the case's personal data.
Concerns that did not lead to inclusion have their own clock: the case type's period from the
decision."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from doorbraak.privacy import retention
from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.registers.retention import anonymise_person


def _expired_cases(today: date):
    from .models import Case, CaseStatus

    for activity in retention.activities(ActivityKind.CASE_TYPE):
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
        anonymise_person(subject)


def _delete_case(case) -> None:
    subject = case.subject
    case.delete()
    if (
        subject is not None
        and not subject.cases.exists()
        and subject.source.kind == ActivityKind.CASE_TYPE
    ):
        subject.delete()


def _leftovers(today: date):
    from .models import Case

    left = Q()
    for rel in (
        "members",
        "contacts",
        "zrm_assessments",
        "relations",
        "goals",
        "reviews",
        "decisions",
        "alerts",
    ):
        left |= Q(**{f"{rel}__isnull": False})
    cases = Case.objects.filter(anonymised=True).filter(left).distinct().select_related("case_type")
    for case in cases:
        yield case, case.case_type


def _scrub(case) -> None:
    persons = set(case.members.values_list("person_id", flat=True))
    persons |= set(case.relations.values_list("to_person_id", flat=True))
    for related in (
        case.contacts,
        case.zrm_assessments,
        case.relations,
        case.goals,
        case.reviews,
        case.alerts,
        case.coach_matches,
    ):
        related.all().delete()
    case.enrolments.update(dropout_reason="")
    case.members.all().delete()
    for decision in case.decisions.all():
        concern = decision.concern
        decision.delete()
        concern.delete()
    case.member_concerns.all().delete()
    from doorbraak.registers.models import Person

    for person in Person.objects.filter(pk__in=persons, anonymised=False):
        if not person.cases.exists() and not person.case_memberships.exists():
            anonymise_person(person)


def _expired_concerns(today: date):
    from .models import CaseDecision, DecisionOutcome

    for activity in ProcessingActivity.objects.filter(
        kind=ActivityKind.CASE_TYPE, code="casus-doorgroeier"
    ):
        qs = CaseDecision.objects.filter(
            outcome=DecisionOutcome.NOT_INCLUDED, decided_on__lt=activity.expires_before(today)
        ).select_related("concern")
        for decision in qs:
            yield decision.concern, activity


def _delete_concern(concern) -> None:
    person = concern.person
    concern.delete()
    if (
        not person.cases.exists()
        and not person.case_memberships.exists()
        and not person.concerns.exists()
        and person.source.kind == ActivityKind.CASE_TYPE
    ):
        person.delete()


def _anonymise_concern(concern) -> None:
    _delete_concern(concern)


def register_handlers() -> None:
    """Called from CareersConfig.ready(); registering again replaces (privacy.retention)."""
    retention.register(
        retention.RetentionHandler(
            "case", _expired_cases, _delete_case, _anonymise_case, order=retention.ORDER_CASES
        )
    )
    retention.register(retention.RetentionHandler("case_careers", _leftovers, _scrub, _scrub))
    retention.register(
        retention.RetentionHandler(
            "concern", _expired_concerns, _delete_concern, _anonymise_concern
        )
    )
