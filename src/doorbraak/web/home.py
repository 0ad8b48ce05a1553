"""What each role's home page shows: the work of that role, nothing more."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.audit import display as audit_display
from doorbraak.audit import selectors as audit_selectors
from doorbraak.audit.models import AuditAction, AuditEntry
from doorbraak.careers.models import Case, CaseStatus
from doorbraak.partners.models import DataCategory, Organisation, Purpose, Role, User
from doorbraak.privacy import retention
from doorbraak.privacy.disclosure import suppress
from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers.models import Company, Premises, Wijk
from doorbraak.registers.selectors import AREAS


def context_for(request) -> dict:
    user = request.user
    builder = {
        Role.CASE_DIRECTOR: _case_director,
        Role.PARTNER_PROFESSIONAL: _partner_professional,
        Role.ANALYST: _analyst,
        Role.ENFORCEMENT_OFFICER: _enforcement_officer,
        Role.LAWYER: _lawyer,
        Role.POLICY_STAFF: lambda u: monitoring_figures(),
        Role.PRIVACY_OFFICER: _privacy_officer,
        Role.ADMINISTRATOR: _administrator,
    }[user.role]
    return builder(user)


def _case_director(user) -> dict:
    from doorbraak.careers import selectors as careers

    mine = Case.objects.filter(director=user, status=CaseStatus.OPEN).select_related("case_type")
    today = timezone.localdate()
    return {
        "my_cases": mine[:20],
        "my_case_count": mine.count(),
        "alerts": careers.director_alerts(user)[:50],
        "concern_count": careers.open_concerns().count(),
        "reviews_due": careers.reviews_due(user, today)[:20],
        "overdue": careers.overdue_cases(user, today),
        "today": today,
    }


def _partner_professional(user) -> dict:
    from doorbraak.careers.models import PlanAction

    cases = policy.visible_cases(user).filter(status=CaseStatus.OPEN)
    actions = (
        PlanAction.objects.filter(
            organisation_id=user.organisation_id,
            goal__case__in=cases,
            status__in=[PlanAction.Status.PLANNED, PlanAction.Status.BUSY],
        )
        .select_related("goal__case")
        .order_by("due_on")[:20]
    )
    return {
        "cases": cases[:20],
        "my_actions": actions,
        "case_count": cases.count(),
        "categories": sorted(
            DataCategory(c).label for c in policy.granted_categories(user, policy.PURPOSE_CASE_WORK)
        ),
    }


def _area_counts():
    rows = []
    for code, label in AREAS:
        rows.append(
            {
                "code": code,
                "label": label,
                "premises": Premises.objects.filter(area=code).count(),
                "companies": Company.objects.filter(establishment__area=code).count(),
            }
        )
    return rows


def _analyst(user) -> dict:
    return {
        "areas": _area_counts(),
        "premises_count": Premises.objects.count(),
        "company_count": Company.objects.count(),
        "sectors": Company.objects.values("sbi_code", "sbi_description")
        .annotate(n=Count("id"))
        .order_by("-n")[:10],
    }


def _enforcement_officer(user) -> dict:
    return {
        "areas": _area_counts(),
        "recent_companies": Company.objects.filter(establishment__area__in=[a for a, _ in AREAS])
        .select_related("establishment")
        .order_by("-registered_on")[:15],
    }


def _lawyer(user) -> dict:
    return {
        "activities": ProcessingActivity.objects.select_related("purpose")[:20],
        "purposes": Purpose.objects.all(),
    }


def _privacy_officer(user) -> dict:
    since = timezone.now() - timedelta(days=7)
    return {
        "denials": AuditEntry.objects.filter(
            action=AuditAction.DENY, occurred_at__gte=since
        ).count(),
        "reveals": AuditEntry.objects.filter(
            action=AuditAction.REVEAL, occurred_at__gte=since
        ).count(),
        "recent": audit_display.labelled(AuditEntry.objects.order_by("-id")[:10]),
        "denial_patterns": audit_selectors.denial_patterns()[:50],
        "denial_rules": audit_selectors.DenialRules.from_settings(),
        "retention_preview": [
            {**p, "object_label": audit_display.object_type_label(p["object_type"])}
            for p in retention.preview(timezone.localdate())
        ],
    }


def _administrator(user) -> dict:
    return {
        "organisation_count": Organisation.objects.count(),
        "user_count": User.objects.count(),
        "users_by_role": [
            {"role": Role(r["role"]).label if r["role"] in Role.values else r["role"], "n": r["n"]}
            for r in User.objects.values("role").annotate(n=Count("id")).order_by("role")
        ],
    }


def monitoring_figures() -> dict:
    """Aggregates for the council. Every count is suppressed under 5 before it is shown."""
    by_status = Case.objects.values("status").annotate(n=Count("id"))
    by_kind = Case.objects.values("kind").annotate(n=Count("id"))
    by_wijk = Premises.objects.values("wijk").annotate(n=Count("id"))
    wijk_labels = dict(Wijk.choices)
    tables = {
        gettext_noop("Casussen naar status"): [
            {"label": str(CaseStatus(r["status"]).label), "count": suppress(r["n"])}
            for r in by_status
        ],
        gettext_noop("Casussen naar soort"): [
            {
                "label": dict(Case._meta.get_field("kind").choices)[r["kind"]],
                "count": suppress(r["n"]),
            }
            for r in by_kind
        ],
        gettext_noop("Panden naar wijk"): [
            {"label": wijk_labels.get(r["wijk"], r["wijk"]), "count": suppress(r["n"])}
            for r in by_wijk.order_by("wijk")
        ],
        gettext_noop("Bedrijven in focusgebieden"): [
            {"label": a["label"], "count": suppress(a["companies"])} for a in _area_counts()
        ],
    }
    return {"tables": tables}
