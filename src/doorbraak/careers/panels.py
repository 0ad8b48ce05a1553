"""What the careers app adds to the site: its menu items and the home panels of the case director
and the partner professional (registered in ``CareersConfig.ready()``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.partners.models import DataCategory, Role
from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from . import access, selectors
from .models import Case, CaseStatus, PlanAction


def case_director(request) -> dict:
    user = request.user
    mine = Case.objects.filter(director=user, status=CaseStatus.OPEN).select_related("case_type")
    today = timezone.localdate()
    return {
        "my_cases": mine[:20],
        "my_case_count": mine.count(),
        "alerts": selectors.director_alerts(user)[:50],
        "concern_count": selectors.open_concerns().count(),
        "reviews_due": selectors.reviews_due(user, today)[:20],
        "overdue": selectors.overdue_cases(user, today),
        "today": today,
    }


def partner_professional(request) -> dict:
    user = request.user
    cases = access.visible_cases(user).filter(status=CaseStatus.OPEN)
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


def register() -> None:
    register_nav("case_list", gettext_noop("Casussen"), C.CASES_VIEW, order=10)
    register_nav("concern_list", gettext_noop("Aanmeldingen"), C.CASES_MANAGE, order=20)
    register_nav("my_concerns", gettext_noop("Mijn aanmeldingen"), C.CONCERNS_REPORT, order=30)
    register_nav("catalogue", gettext_noop("Interventies"), C.CASES_VIEW, order=40)
    register_nav("vog_list", gettext_noop("VOG-wijzer"), C.CASES_VIEW, order=50)
    register_nav("outcomes", gettext_noop("Resultaten"), C.MONITORING_VIEW, order=60)
    register_panel(Role.CASE_DIRECTOR, "careers/panels/case_director.html", case_director)
    register_panel(
        Role.PARTNER_PROFESSIONAL, "careers/panels/partner_professional.html", partner_professional
    )
