"""Retention for case-management data. Everything personal hangs off a Case (CASCADE), so
deleting a case removes it; anonymising a case (privacy.retention) clears the timeline and the
subject, and this handler then removes the rest of the case's personal data. Concerns that did
not lead to inclusion have their own clock: the case type's period from the decision."""

from __future__ import annotations

from datetime import date

from doorbraak.privacy import retention
from doorbraak.privacy.models import ActivityKind, ProcessingActivity


def _leftovers(today: date):
    from .models import Case

    from django.db.models import Q

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
            retention._anonymise_person(person)


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


retention.register(
    retention.RetentionHandler("case_careers", _leftovers, lambda case: _scrub(case), _scrub)
)
retention.register(
    retention.RetentionHandler("concern", _expired_concerns, _delete_concern, _anonymise_concern)
)
