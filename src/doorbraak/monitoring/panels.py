"""What monitoring adds to the site: its menu items and the home panels of policy staff,
programme owners and area managers (registered in ``MonitoringConfig.ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from . import figures


def _areas(request) -> dict:
    return {"focus_areas": figures.focus_areas()}


def register() -> None:
    register_nav("monitoring", gettext_noop("Monitoring"), C.MONITORING_VIEW, order=140)
    register_nav("prevention", gettext_noop("Preventiebereik"), C.PREVENTION_REGISTER, order=145)
    register_panel(Role.POLICY_STAFF, "monitoring/panels/policy_staff.html", lambda r: {})
    register_panel(Role.PROGRAMME_OWNER, "monitoring/panels/programme_owner.html", lambda r: {})
    register_panel(Role.AREA_MANAGER, "monitoring/panels/area_manager.html", _areas)
