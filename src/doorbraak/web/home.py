"""The monitoring figures, their home panel and menu item (all three move to the monitoring app).
Every other home panel is registered by its app (``<app>/panels.py``); the site composes them."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_noop

from doorbraak.careers.models import Case, CaseStatus
from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C
from doorbraak.privacy.disclosure import suppress
from doorbraak.registers.models import Premises, Wijk
from doorbraak.registers.selectors import area_counts
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel


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
            {"label": a["label"], "count": suppress(a["companies"])} for a in area_counts()
        ],
    }
    return {"tables": tables}


def register() -> None:
    register_nav("monitoring", gettext_noop("Monitoring"), C.MONITORING_VIEW, order=140)
    register_panel(
        Role.POLICY_STAFF, "web/panels/monitoring.html", lambda request: monitoring_figures()
    )
