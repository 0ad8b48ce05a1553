"""Need-to-know access: the one place where Doorbraak decides who may see what.

Web views and API views both call these functions; no view checks roles itself. A denial
raises AccessDenied and is written to the audit log; every granted read of personal data
is audited by the function that hands the object out (`get_*_for_user`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.areas import selectors as areas
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
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
    RISK_VIEW = "risk.view"  # the area risk picture, object results, exports (premises/companies)
    RULESETS_MANAGE = "risk.rulesets"  # upload and adopt indicator rule sets, start risk runs
    LEGAL_VIEW = "legal.view"
    MONITORING_VIEW = "monitoring.view"
    MONITORING_REPORT = "monitoring.report"  # council report: texts per pillar, PDF and CSV export
    PREVENTION_REGISTER = "prevention.register"  # reach of prevention activities (counts only)
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
            Capability.RISK_VIEW,
            Capability.RULESETS_MANAGE,
        }
    ),
    # Enforcement works on premises and companies; of persons it sees only who runs a company in
    # its areas, as a fact about that company (see shows_officer_identity), never a person as such.
    R.ENFORCEMENT_OFFICER: frozenset(
        {
            Capability.REGISTERS_VIEW,
            Capability.ENFORCEMENT_VIEW,
            Capability.RISK_VIEW,
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
    R.POLICY_STAFF: frozenset({Capability.MONITORING_VIEW, Capability.MONITORING_REPORT}),
    # Programme owners and area managers steer on aggregates only: never a case, person or record.
    R.PROGRAMME_OWNER: frozenset({Capability.MONITORING_VIEW, Capability.PREVENTION_REGISTER}),
    R.AREA_MANAGER: frozenset({Capability.MONITORING_VIEW}),
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
ROLES_WITHOUT_PERSONAL_DATA = frozenset({R.POLICY_STAFF, R.PROGRAMME_OWNER, R.AREA_MANAGER})

# Roles whose accounts may never hold an API token for a partner system (doorbraak.api.models):
# managing users and covenants, and overseeing the audit log, are for people, not machines.
ROLES_WITHOUT_API_TOKENS = frozenset({R.ADMINISTRATOR, R.PRIVACY_OFFICER})


def may_hold_api_token(user) -> bool:
    return bool(
        user.is_active
        and not user.is_superuser
        and not user.is_staff
        and user.organisation_id is not None
        and user.role not in ROLES_WITHOUT_API_TOKENS
    )


# The purpose under which each kind of access takes place (doelbinding).
PURPOSE_CASE_WORK = "casusaanpak"
PURPOSE_RISK_ANALYSIS = "risicoanalyse"
PURPOSE_ENFORCEMENT = "handhaving"
PURPOSE_PRIVACY = "privacytoezicht"
PURPOSE_MONITORING = "monitoring"
PURPOSE_MANAGEMENT = "beheer"

PURPOSE_SUBJECT_ACCESS = "inzageverzoek"  # a data subject's request (AVG art. 15)
PURPOSE_RETENTION = "bewaartermijn"  # the scheduled retention run

# Under which purpose each role works in the registers and on what is derived from them (entities,
# linkage, search): pages and API alike log this one.
REGISTER_PURPOSES: dict[str, str] = {
    R.ANALYST: PURPOSE_RISK_ANALYSIS,
    R.ENFORCEMENT_OFFICER: PURPOSE_ENFORCEMENT,
    R.ADMINISTRATOR: PURPOSE_MANAGEMENT,  # imports
    R.PRIVACY_OFFICER: PURPOSE_PRIVACY,
}
REGISTER_AREAS = frozenset(
    {
        "registers",
        "person",
        "company",
        "premises",
        "officer",
        "entity",
        "entity_search",
        "import",
        "import_batch",
    }
)

# Kinds of access whose purpose does not depend on the role.
FIXED_PURPOSES: dict[str, str] = {
    "case": PURPOSE_CASE_WORK,
    "concern": PURPOSE_CASE_WORK,
    "enrolment": PURPOSE_CASE_WORK,
    "reveal": PURPOSE_RISK_ANALYSIS,
    "linkage": PURPOSE_RISK_ANALYSIS,
    "ftm_export": PURPOSE_RISK_ANALYSIS,
    "enforcement": PURPOSE_ENFORCEMENT,
    "monitoring": PURPOSE_MONITORING,
    "programme": PURPOSE_MONITORING,
    "audit": PURPOSE_PRIVACY,
    "privacy": PURPOSE_PRIVACY,
    "subject_access": PURPOSE_SUBJECT_ACCESS,
    "retention": PURPOSE_RETENTION,
    "management": PURPOSE_MANAGEMENT,
    "partners": PURPOSE_MANAGEMENT,
    "catalogue": PURPOSE_MANAGEMENT,
}


def purpose_for(user, what: str, obj=None) -> str:
    """The one answer to "under which purpose is this read or write logged" (doelbinding).

    `what` names the kind of object or action ("person", "case", "reveal", "subject_access", ...);
    in the registers the purpose follows the user's role, so the person page logs the same
    purpose on the web and in the API. An object that was created for a recorded purpose (a
    background job started for a subject-access request) is read under that purpose.
    An unknown `what` is a programming error and raises ValueError, never a silent default."""
    recorded = getattr(obj, "purpose", None) if obj is not None else None
    if isinstance(recorded, str) and recorded:
        return recorded
    if what in REGISTER_AREAS:
        return REGISTER_PURPOSES.get(getattr(user, "role", ""), PURPOSE_RISK_ANALYSIS)
    try:
        return FIXED_PURPOSES[what]
    except KeyError:
        raise ValueError(f"no purpose defined for {what!r}") from None


def register_purpose(user) -> str:
    """Deprecated spelling of purpose_for(user, "registers"), kept until every view uses it."""
    return purpose_for(user, "registers")


class AccessDenied(PermissionDenied):
    def __init__(self, message: str = ""):
        super().__init__(message or str(_("U heeft geen toegang tot deze gegevens.")))
        self.message = message or str(_("U heeft geen toegang tot deze gegevens."))


def requires_second_factor(user) -> bool:
    """Every role that sees personal data; policy staff (aggregates only) too where the
    installation asks for it (DOORBRAAK_SECOND_FACTOR_ALL_ROLES; ADR 0005)."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    return user.role not in ROLES_WITHOUT_PERSONAL_DATA or settings.SECOND_FACTOR_ALL_ROLES


def is_verified(user) -> bool:
    """Logged in, and with a second factor where the role needs one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if requires_second_factor(user):
        return bool(getattr(user, "is_verified", lambda: False)())
    return True


def capabilities_of(role: str | None) -> frozenset[str]:
    return ROLE_CAPABILITIES.get(role or "", frozenset())


def role_has(role: str | None, capability: str) -> bool:
    """Whether a role (not a logged-in user: see `has`) carries a capability."""
    return capability in ROLE_CAPABILITIES.get(role or "", frozenset())


def has(user, capability: str) -> bool:
    return is_verified(user) and capability in ROLE_CAPABILITIES.get(user.role, frozenset())


# --- the user's role, for the rest of the code (which never compares roles itself) -------


def role_of(user) -> str:
    """The role code of a signed-in user ("" for anyone else): for what is only keyed by role
    and grants nothing (a home page's heading, the order of the monitoring sections). Whether a
    user may do something is a capability: `has`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(getattr(user, "role", "") or "")


def has_role_audience(user, audience: str) -> bool:
    """Whether something addressed to an audience (a home-page panel) is for this user: the
    audience is a capability the user has (a capability has a dot: ``registers.view``), or the
    user's own role."""
    if "." in audience:
        return has(user, audience)
    return bool(audience) and audience == role_of(user)


def user_role_has(user, capability: str) -> bool:
    """Whether a user's role carries a capability, for a user who is not the one signed in (the
    officer an action is assigned to); for the signed-in user use `has` (second factor too)."""
    return role_has(role_of(user), capability)


def roles_with(capability: str) -> list[str]:
    """The roles that carry a capability, in the order of the role table."""
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def role_needs_second_factor(role: str | None) -> bool:
    """Whether a role's accounts get a second factor (every role that sees personal data)."""
    return (role or "") not in ROLES_WITHOUT_PERSONAL_DATA


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


# --- cases: the rules (careers.access is the door that fetches and audits) --------------


def case_categories(user, case) -> frozenset[str]:
    """Which data categories of this case the user sees. The case director sees the whole case."""
    if case.director_id == user.pk and user.role == R.CASE_DIRECTOR:
        return frozenset(DataCategory.values)
    return granted_categories(user, PURPOSE_CASE_WORK)


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


def name_searchable_person_ids(user, session) -> list[int]:
    """Persons the user may find by name, address or birth year: exactly those whose identity the
    pages show them by name after a reveal (an analyst: those revealed in this session). Everyone
    else finds persons by pseudonym only; the privacy officer searches in subject access."""
    if user.role == R.ANALYST and has(user, Capability.REGISTER_PERSONS):
        return list(session.get(REVEAL_SESSION_KEY, []))
    return []


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


def shows_officer(user, officer, session) -> bool:
    """Whether a company's officer is shown by name: under the officer rule (enforcement), or
    because the person's identity is shown to the user anyway (a revealed person)."""
    return shows_officer_identity(user, officer) or shows_identity(user, officer.person, session)


def works_in_django_admin(role: str) -> bool:
    """Who gets Django's admin site (is_staff): the role that manages users and partners (the
    administrator), nobody else."""
    return role_has(role, Capability.PARTNERS_MANAGE)
