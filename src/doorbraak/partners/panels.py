"""What the partners app adds to the site: the covenant and management in the menu, and the
administrator's home panel (registered in ``PartnersConfig.ready()``)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_noop

from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from .models import Organisation, Role, User


def administrator(request) -> dict:
    return {
        "organisation_count": Organisation.objects.count(),
        "user_count": User.objects.count(),
        "users_by_role": [
            {"role": Role(r["role"]).label if r["role"] in Role.values else r["role"], "n": r["n"]}
            for r in User.objects.values("role").annotate(n=Count("id")).order_by("role")
        ],
    }


def register() -> None:
    register_nav("covenant", gettext_noop("Convenant"), C.LEGAL_VIEW, order=160)
    register_nav("organisation_list", gettext_noop("Organisaties"), C.PARTNERS_MANAGE, order=200)
    register_nav("user_list", gettext_noop("Gebruikers"), C.PARTNERS_MANAGE, order=210)
    register_panel(Role.ADMINISTRATOR, "partners/panels/administrator.html", administrator)
