"""Need-to-know access: the one place where Doorbraak decides who may see what.

Web views and API views both call these functions; no view checks roles itself. A denial
raises AccessDenied and is written to the audit log; every granted read of personal data
is audited by the function that hands the object out (`get_*_for_user`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.areas import selectors as areas
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import REASON_MAX
from doorbraak.partners.models import CovenantGrant, DataCategory, Organisation, Role

R = Role


class Capability:
    CASES_VIEW = "cases.view"
    CASES_MANAGE = "cases.manage"
    REGISTERS_VIEW = "registers.view"
    REGISTERS_IMPORT = "registers.import"  # source registry, import runs and their reports, uploads
    # Persons in the registers as such: the person page and API, person entities, person pairs in
    # the review queue, persons in entity search (pseudonymised unless revealed with a purpose).
    REGISTER_PERSONS = "registers.persons"
    PERSONS_REVEAL = "persons.reveal"
    MONEYFLOWS_VIEW = "moneyflows.view"  # aggregated sector figures of the bank pilot
    ENFORCEMENT_VIEW = "enforcement.view"
    ENFORCEMENT_PLAN = "enforcement.plan"  # plan and carry out actions, record findings (own areas)
    ENFORCEMENT_FEEDBACK = "enforcement.feedback"  # precision per indicator, backtest (aggregates)
    DECISIONS_PROPOSE = "decisions.propose"
    DECISIONS_APPROVE = "decisions.approve"  # never one's own proposal (four eyes)
    LEGAL_VIEW = "legal.view"
    MONITORING_VIEW = "monitoring.view"
    AUDIT_VIEW = "audit.view"
    PRIVACY_MANAGE = "privacy.manage"
    PARTNERS_MANAGE = "partners.manage"
    AREAS_MANAGE = "areas.manage"  # the municipality's areas: add or edit a focus area
    CONCERNS_REPORT = "concerns.report"  # register a concern (aanmelding) about a person
    PROGRAMMES_MANAGE = (
        "programmes.manage"  # intervention catalogue, programmes, coaches, VOG guidance
    )


# Which role may use which part of the application. Object-level and data-category checks
# come on top of this (covenant, case participation).
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    R.CASE_DIRECTOR: frozenset(
        {
            Capability.CASES_VIEW,
            Capability.CASES_MANAGE,
            Capability.MONITORING_VIEW,
            Capability.CONCERNS_REPORT,
            Capability.PROGRAMMES_MANAGE,
        }
    ),
    R.PARTNER_PROFESSIONAL: frozenset({Capability.CASES_VIEW, Capability.CONCERNS_REPORT}),
    R.ANALYST: frozenset(
        {
            Capability.REGISTERS_VIEW,
            Capability.REGISTERS_IMPORT,
            Capability.REGISTER_PERSONS,
            Capability.PERSONS_REVEAL,
            Capability.MONITORING_VIEW,
            Capability.MONEYFLOWS_VIEW,
            Capability.ENFORCEMENT_FEEDBACK,
        }
    ),
    # Enforcement works on premises and companies; of persons it sees only who runs a company in
    # its areas, as a fact about that company (see shows_officer_identity), never a person as such.
    R.ENFORCEMENT_OFFICER: frozenset(
        {
            Capability.REGISTERS_VIEW,
            Capability.ENFORCEMENT_VIEW,
            Capability.ENFORCEMENT_PLAN,
            Capability.ENFORCEMENT_FEEDBACK,
            Capability.DECISIONS_PROPOSE,
            Capability.DECISIONS_APPROVE,
        }
    ),
    R.LAWYER: frozenset(
        {
            Capability.LEGAL_VIEW,
            Capability.ENFORCEMENT_VIEW,
            Capability.DECISIONS_PROPOSE,
            Capability.DECISIONS_APPROVE,
        }
    ),
    R.POLICY_STAFF: frozenset({Capability.MONITORING_VIEW}),
    R.PRIVACY_OFFICER: frozenset(
        {Capability.AUDIT_VIEW, Capability.PRIVACY_MANAGE, Capability.LEGAL_VIEW}
    ),
    R.ADMINISTRATOR: frozenset(
        {
            Capability.PARTNERS_MANAGE,
            Capability.AREAS_MANAGE,
            Capability.LEGAL_VIEW,
            Capability.REGISTERS_IMPORT,
        }
    ),
}

# Roles that work with personal data must log in with a second factor (TOTP).
ROLES_WITHOUT_PERSONAL_DATA = frozenset({R.POLICY_STAFF})

# The purpose under which each kind of access takes place (doelbinding).
PURPOSE_CASE_WORK = "casusaanpak"
PURPOSE_RISK_ANALYSIS = "risicoanalyse"
PURPOSE_ENFORCEMENT = "handhaving"
PURPOSE_PRIVACY = "privacytoezicht"
PURPOSE_MONITORING = "monitoring"
PURPOSE_MANAGEMENT = "beheer"

# Under which purpose each role works in the registers (pages and API alike log this one).
REGISTER_PURPOSES: dict[str, str] = {
    R.ANALYST: PURPOSE_RISK_ANALYSIS,
    R.ENFORCEMENT_OFFICER: PURPOSE_ENFORCEMENT,
    R.ADMINISTRATOR: PURPOSE_MANAGEMENT,  # imports
    R.PRIVACY_OFFICER: PURPOSE_PRIVACY,
}


def register_purpose(user) -> str:
    """The purpose a read or write in the registers by this user is logged under."""
    return REGISTER_PURPOSES.get(getattr(user, "role", ""), PURPOSE_RISK_ANALYSIS)


class AccessDenied(PermissionDenied):
    def __init__(self, message: str = ""):
        super().__init__(message or str(_("U heeft geen toegang tot deze gegevens.")))
        self.message = message or str(_("U heeft geen toegang tot deze gegevens."))


def requires_second_factor(user) -> bool:
    return user.is_authenticated and user.role not in ROLES_WITHOUT_PERSONAL_DATA


def is_verified(user) -> bool:
    """Logged in, and with a second factor where the role needs one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if requires_second_factor(user):
        return bool(getattr(user, "is_verified", lambda: False)())
    return True


def has(user, capability: str) -> bool:
    return is_verified(user) and capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def deny(
    user,
    reason: str,
    *,
    object_type: str = "",
    object_id: object = "",
    purpose: str = "",
    detail=None,
):
    audit.record(
        AuditAction.DENY,
        user=user,
        purpose=purpose,
        object_type=object_type,
        object_id=object_id,
        detail={"reason": reason, **(detail or {})},
    )
    raise AccessDenied()


def require(user, capability: str, *, object_type: str = "page", object_id: object = "") -> None:
    if not has(user, capability):
        deny(user, f"missing capability {capability}", object_type=object_type, object_id=object_id)


# --- covenant -------------------------------------------------------------------------


def granted_categories(user, purpose: str) -> frozenset[str]:
    """Data categories the user's organisation may see for this purpose under a covenant in force."""
    if not user.is_authenticated or user.organisation_id is None:
        return frozenset()
    today = timezone.localdate()
    rows = CovenantGrant.objects.filter(
        organisation_id=user.organisation_id,
        organisation__active=True,  # a deactivated organisation (Beheer) sees nothing under the covenant
        purpose__code=purpose,
        covenant__valid_from__lte=today,
    ).filter(Q(covenant__valid_until__isnull=True) | Q(covenant__valid_until__gte=today))
    return frozenset(rows.values_list("data_category", flat=True))


def may_see_category(user, category: str, purpose: str) -> bool:
    return category in granted_categories(user, purpose)


# --- cases ----------------------------------------------------------------------------


def visible_cases(user) -> QuerySet:
    """Cases the user may know exist: those they direct and those their organisation takes part in."""
    from doorbraak.careers.models import Case, CaseParticipant

    if not has(user, Capability.CASES_VIEW):
        return Case.objects.none()
    # A subquery, not a join with DISTINCT: no duplicate rows to remove, so lists, counts and
    # pages stay fast with tens of thousands of cases.
    taking_part = CaseParticipant.objects.filter(organisation_id=user.organisation_id).values(
        "case_id"
    )
    return Case.objects.filter(Q(director=user) | Q(pk__in=taking_part))


def case_categories(user, case) -> frozenset[str]:
    """Which data categories of this case the user sees. The case director sees the whole case."""
    if case.director_id == user.pk and user.role == R.CASE_DIRECTOR:
        return frozenset(DataCategory.values)
    return granted_categories(user, PURPOSE_CASE_WORK)


def get_case_for_user(user, pk) -> tuple[object, frozenset[str]]:
    """The case and the categories the user may see of it; audited as a read."""
    from doorbraak.careers.models import Case

    if not has(user, Capability.CASES_VIEW):
        deny(
            user,
            "role may not view cases",
            object_type="case",
            object_id=pk,
            purpose=PURPOSE_CASE_WORK,
        )
    case = Case.objects.filter(pk=pk).select_related("subject", "director", "case_type").first()
    if case is None:
        raise Http404
    if not visible_cases(user).filter(pk=case.pk).exists():
        deny(
            user,
            "organisation does not take part in case",
            object_type="case",
            object_id=pk,
            purpose=PURPOSE_CASE_WORK,
        )
    categories = case_categories(user, case)
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=PURPOSE_CASE_WORK,
        object_type="case",
        object_id=case.pk,
        categories=categories,
    )
    return case, categories


# Data category of each part of a person-centred case (issue 3). Timeline records carry their own
# category; goals and actions take the category of their life domain (careers.models.DOMAIN_CATEGORY).
CASE_PART_CATEGORIES: dict[str, str] = {
    "members": DataCategory.IDENTITY,
    "relations": DataCategory.IDENTITY,
    "decisions": DataCategory.CARE,
    "reviews": DataCategory.CARE,
    "zrm": DataCategory.CARE,
    "contacts": DataCategory.CONTACT,
    "enrolments": DataCategory.EDUCATION,
    "coaches": DataCategory.EDUCATION,
}


def case_work_organisations() -> QuerySet:
    """Organisations that may take part in case work: active, with a covenant grant for the
    purpose case work in force today. Only these can be partners of a case conference decision."""
    today = timezone.localdate()
    grants = CovenantGrant.objects.filter(
        purpose__code=PURPOSE_CASE_WORK, covenant__valid_from__lte=today
    ).filter(Q(covenant__valid_until__isnull=True) | Q(covenant__valid_until__gte=today))
    return Organisation.objects.filter(
        active=True, pk__in=grants.values("organisation_id")
    ).order_by("name")


# Roles that work on cases and can therefore be a case's lead professional (regiehouder).
CASE_WORK_ROLES = frozenset(
    role for role, caps in ROLE_CAPABILITIES.items() if Capability.CASES_VIEW in caps
)


def possible_leads(case) -> QuerySet:
    """Who may be the case's lead professional: an active user in a case-work role at an
    organisation that takes part in the case (never policy staff, analysts or administrators)."""
    from doorbraak.partners.models import User

    return (
        User.objects.filter(
            is_active=True,
            role__in=CASE_WORK_ROLES,
            organisation__in=case.participants.values("organisation"),
        )
        .select_related("organisation")
        .order_by("organisation__name", "username")
    )


def is_case_manager(user, case) -> bool:
    """The case director of this case: decides, reviews, closes, and sees the whole case."""
    return has(user, Capability.CASES_MANAGE) and case.director_id == user.pk


def require_case_manager(user, case) -> None:
    if not is_case_manager(user, case):
        deny(
            user,
            "only the case director of this case",
            object_type="case",
            object_id=case.pk,
            purpose=PURPOSE_CASE_WORK,
        )


# What can be done on a case (the links on its page and the forms behind them), and the data
# category each write needs; manager-only writes belong to the case director of the case.
CASE_WRITE_CATEGORIES: dict[str, str] = {
    "contact": DataCategory.CONTACT,
    "zrm": DataCategory.CARE,
    "relation": DataCategory.IDENTITY,
}
CASE_MANAGER_WRITES = frozenset({"goal", "plan_roles", "enrol", "coach", "review", "family_member"})


def case_actions(user, case, categories: frozenset[str]) -> frozenset[str]:
    """The writes this user may start on this case: the case page offers exactly these, and the
    form pages behind them refuse the others. (The actions check every write again.)"""
    from doorbraak.careers.models import CaseStatus, domain_category

    if case.status != CaseStatus.OPEN or not has(user, Capability.CASES_VIEW):
        return frozenset()
    allowed = {name for name, category in CASE_WRITE_CATEGORIES.items() if category in categories}
    if categories:
        allowed.add("record")  # in one of the categories the user may see
    manager = is_case_manager(user, case)
    if manager:
        allowed |= CASE_MANAGER_WRITES
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
        deny(
            user,
            f"may not {name} on this case",
            object_type="case",
            object_id=case.pk,
            purpose=PURPOSE_CASE_WORK,
        )


def require_category(user, case, categories: frozenset[str], category: str) -> None:
    """A write in a data category the user's organisation may not see is refused and audited."""
    if category not in categories:
        deny(
            user,
            f"covenant does not allow category {category}",
            object_type="case",
            object_id=case.pk,
            purpose=PURPOSE_CASE_WORK,
        )


def audit_list_read(
    user, object_type: str, ids: Iterable[object], purpose: str, categories: Iterable[str]
) -> None:
    """A list page shows personal data of many objects: one entry naming them all."""
    ids = [str(i) for i in ids]
    if ids:
        audit.record(
            AuditAction.READ,
            user=user,
            purpose=purpose,
            object_type=object_type,
            object_id=f"{len(ids)} objecten",
            categories=categories,
            detail={"ids": ids[:500]},
        )


# --- persons in registers (analysts: pseudonymised by default) -------------------------

REVEAL_SESSION_KEY = "doorbraak_revealed"


def can_reveal(user) -> bool:
    return has(user, Capability.PERSONS_REVEAL) and may_see_category(
        user, DataCategory.IDENTITY, PURPOSE_RISK_ANALYSIS
    )


def reveal_person(user, person, reason: str, session) -> None:
    """Show a person's identity to an analyst for the rest of the session, with a recorded purpose."""
    if not can_reveal(user):
        deny(
            user,
            "may not reveal identities",
            object_type="person",
            object_id=person.pk,
            purpose=PURPOSE_RISK_ANALYSIS,
        )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValueError(str(_("Geef een doel van ten minste 10 tekens op.")))
    if len(reason) > REASON_MAX:
        raise ValueError(
            str(_("Geef een doel van ten hoogste %(n)s tekens op.")) % {"n": REASON_MAX}
        )
    audit.record(
        AuditAction.REVEAL,
        user=user,
        purpose=PURPOSE_RISK_ANALYSIS,
        object_type="person",
        object_id=person.pk,
        categories=[DataCategory.IDENTITY],
        detail={"reason": reason},
    )
    revealed = set(session.get(REVEAL_SESSION_KEY, []))
    revealed.add(person.pk)
    session[REVEAL_SESSION_KEY] = sorted(revealed)


def is_revealed(session, person) -> bool:
    return person.pk in set(session.get(REVEAL_SESSION_KEY, []))


def shows_identity(user, person, session) -> bool:
    """Whether a page shows this register person's identity (name, date of birth, address) to
    the user: an analyst only after revealing it with a purpose; the privacy officer (subject
    access). Nobody else, enforcement officers included (see shows_officer_identity)."""
    if person is None or person.anonymised:
        return False
    if user.role == R.ANALYST:
        return has(user, Capability.REGISTER_PERSONS) and is_revealed(session, person)
    return user.role == R.PRIVACY_OFFICER and has(user, Capability.PRIVACY_MANAGE)


def enforcement_areas() -> frozenset[str]:
    """The areas of the information- and risk-driven enforcement approach: the codes of the
    active focus areas (areas app, configured by an administrator)."""
    return frozenset(areas.focus_areas().values_list("code", flat=True))


def shows_officer_identity(user, officer) -> bool:
    """An enforcement officer sees who runs a company established in the enforcement areas, as a
    fact about that company: the officer's name and function on the company's page, never their
    date of birth, address or other functions. Only with a covenant grant of identity data for
    enforcement."""
    if officer is None or officer.person.anonymised or user.role != R.ENFORCEMENT_OFFICER:
        return False
    return (
        has(user, Capability.ENFORCEMENT_VIEW)
        and officer.company.establishment.area in enforcement_areas()
        and may_see_category(user, DataCategory.IDENTITY, PURPOSE_ENFORCEMENT)
    )
