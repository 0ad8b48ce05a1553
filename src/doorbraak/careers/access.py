"""The only door to the personal data of case management: cases and what hangs off them
(members, records, goals, enrolments), and concerns (aanmeldingen).

`policy.py` decides (capabilities, covenant categories, who directs a case); this module fetches
the object, applies those rules to it, audits the read under its purpose, and raises the audited
denial. Views and API views never fetch these objects themselves.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C

from .models import Case, CaseParticipant, CaseStatus, Concern, Enrolment, domain_category


def visible_cases(user) -> QuerySet:
    """Cases the user may know exist: those they direct and those their organisation takes part in."""
    if not policy.has(user, C.CASES_VIEW):
        return Case.objects.none()
    # A subquery, not a join with DISTINCT: no duplicate rows to remove, so lists, counts and
    # pages stay fast with tens of thousands of cases.
    taking_part = CaseParticipant.objects.filter(organisation_id=user.organisation_id).values(
        "case_id"
    )
    return Case.objects.filter(Q(director=user) | Q(pk__in=taking_part))


def get_case_for_user(user, pk, purpose: str | None = None) -> tuple[Case, frozenset[str]]:
    """The case and the categories the user may see of it; audited as a read."""
    purpose = purpose or policy.purpose_for(user, "case")
    if not policy.has(user, C.CASES_VIEW):
        policy.deny(
            user, "role may not view cases", object_type="case", object_id=pk, purpose=purpose
        )
    case = Case.objects.filter(pk=pk).select_related("subject", "director", "case_type").first()
    if case is None:
        raise Http404
    if not visible_cases(user).filter(pk=case.pk).exists():
        policy.deny(
            user,
            "organisation does not take part in case",
            object_type="case",
            object_id=pk,
            purpose=purpose,
        )
    categories = policy.case_categories(user, case)
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=purpose,
        object_type="case",
        object_id=case.pk,
        categories=categories,
    )
    return case, categories


def get_managed_case_for_user(user, pk) -> tuple[Case, frozenset[str]]:
    """A case for a write only its case director may make; others get the audited denial."""
    case, categories = get_case_for_user(user, pk)
    policy.require_case_manager(user, case)
    return case, categories


def case_actions(user, case, categories: frozenset[str]) -> frozenset[str]:
    """The writes this user may start on this case: the case page offers exactly these, and the
    form pages behind them refuse the others. (The actions check every write again.)"""
    if case.status != CaseStatus.OPEN or not policy.has(user, C.CASES_VIEW):
        return frozenset()
    allowed = {
        name for name, category in policy.CASE_WRITE_CATEGORIES.items() if category in categories
    }
    if categories:
        allowed.add("record")  # in one of the categories the user may see
    manager = policy.is_case_manager(user, case)
    if manager:
        allowed |= policy.CASE_MANAGER_WRITES
    # an action goes under a goal the user may see; the case director plans the goals (and sees all)
    own_part = case.participants.filter(organisation_id=user.organisation_id).exists()
    if manager or (
        own_part
        and any(
            domain_category(d) in categories for d in case.goals.values_list("domain", flat=True)
        )
    ):
        allowed.add("action")
    return frozenset(allowed)


def require_case_action(user, case, categories: frozenset[str], name: str) -> None:
    if name not in case_actions(user, case, categories):
        policy.deny(
            user,
            f"may not {name} on this case",
            object_type="case",
            object_id=case.pk,
            purpose=policy.purpose_for(user, "case"),
        )


def get_enrolment_for_user(user, pk) -> tuple[Enrolment, Case]:
    """A programme enrolment, through its case: only the case director of that case."""
    enrolment = Enrolment.objects.filter(pk=pk).select_related("programme", "case").first()
    if enrolment is None:
        raise Http404
    case, _categories = get_managed_case_for_user(user, enrolment.case_id)
    return enrolment, case


CONCERN_CATEGORIES = (DataCategory.IDENTITY, DataCategory.CARE)


def get_concern_for_user(user, pk) -> Concern:
    """A concern (aanmelding) to decide on: case directors only; audited as a read of identity
    and care data."""
    purpose = policy.purpose_for(user, "concern")
    if not policy.has(user, C.CASES_MANAGE):
        policy.deny(
            user,
            "role may not decide on concerns",
            object_type="concern",
            object_id=pk,
            purpose=purpose,
        )
    concern = (
        Concern.objects.filter(pk=pk)
        .select_related("person", "organisation", "family_case")
        .first()
    )
    if concern is None:
        raise Http404
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=purpose,
        object_type="concern",
        object_id=concern.pk,
        categories=CONCERN_CATEGORIES,
    )
    return concern


def audit_concern_list(user, concerns, categories=CONCERN_CATEGORIES) -> None:
    """A page listing concerns: one audited read naming them all (the case director's list shows
    identity and care data; a reporter's own list, what became of them, identity only)."""
    policy.audit_list_read(
        user,
        "concern",
        [c.pk for c in concerns],
        policy.purpose_for(user, "concern"),
        categories,
    )
