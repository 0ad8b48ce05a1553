"""The role home pages, composed from the panels the apps register (``doorbraak.web.panels``):
the site gives each role its heading, the apps fill the page."""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from doorbraak import policy
from doorbraak.partners.models import Role
from doorbraak.web.decorators import page
from doorbraak.web.panels import panels_for

HEADINGS = {
    Role.CASE_DIRECTOR: _("Procesregie"),
    Role.PARTNER_PROFESSIONAL: _("Casussen van uw organisatie"),
    Role.ANALYST: _("Analyse: registers en focusgebieden"),
    Role.ENFORCEMENT_OFFICER: _("Handhaving in de focusgebieden"),
    Role.LAWYER: _("Juridische grondslagen"),
    Role.POLICY_STAFF: _("Monitoring voor de gemeenteraad"),
    Role.PRIVACY_OFFICER: _("Privacytoezicht"),
    Role.ADMINISTRATOR: _("Beheer"),
    Role.PROGRAMME_OWNER: _("Programma-eigenaar"),
    Role.AREA_MANAGER: _("Gebiedsmanager"),
}


@page()
def home(request):
    panels = [
        render_to_string(p.template, p.context(request), request=request)
        for p in panels_for(request.user)
    ]
    return render(
        request,
        "site/home.html",
        {"heading": HEADINGS.get(policy.role_of(request.user), _("Start")), "panels": panels},
    )
