"""What the registers add to the site: menu items and the home panels of the analyst and the
enforcement officer (registered in ``RegistersConfig.ready()``)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from .models import Company, Premises
from .selectors import area_counts


def analyst(request) -> dict:
    return {
        "areas": area_counts(),
        "premises_count": Premises.objects.count(),
        "company_count": Company.objects.count(),
        "sectors": Company.objects.values("sbi_code", "sbi_description")
        .annotate(n=Count("id"))
        .order_by("-n")[:10],
    }


def enforcement_officer(request) -> dict:
    return {
        "areas": area_counts(),
        "recent_companies": Company.objects.filter(
            establishment__area__in=policy.enforcement_areas()
        )
        .select_related("establishment")
        .order_by("-registered_on")[:15],
    }


def register() -> None:
    register_nav("premises_list", gettext_noop("Panden"), C.REGISTERS_VIEW, order=70)
    register_nav("company_list", gettext_noop("Bedrijven"), C.REGISTERS_VIEW, order=80)
    register_nav("source_list", gettext_noop("Bronnen"), C.REGISTERS_IMPORT, order=90)
    register_nav("import_list", gettext_noop("Importen"), C.REGISTERS_IMPORT, order=100)
    register_panel(Role.ANALYST, "registers/panels/analyst.html", analyst)
    register_panel(
        Role.ENFORCEMENT_OFFICER, "registers/panels/enforcement_officer.html", enforcement_officer
    )
