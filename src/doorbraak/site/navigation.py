"""The main menu and the site-wide template context: built from what the apps register
(``doorbraak.web.navigation``), shown by ``templates/site/_navigation.html``."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.web.navigation import items_for

HOME = ("home", gettext_noop("Start"))


def nav_for(user) -> list[tuple[str, str]]:
    """(URL name, label) of each menu item this user may open, the home page first; nothing
    before the user has signed in (with the second factor where needed)."""
    items = items_for(user)
    if items is None:
        return []
    return [HOME, *((i.url_name, i.label) for i in items)]


def doorbraak(request):
    """Context processor (settings.TEMPLATES): the menu and the demo-mode banner flag."""
    user = getattr(request, "user", None)
    nav = nav_for(user)
    # the footer's link to the backup codes, for the roles with a second factor
    second_factor = bool(nav) and policy.requires_second_factor(user)
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": nav, "has_second_factor": second_factor}
