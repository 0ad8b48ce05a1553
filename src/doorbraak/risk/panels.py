"""Panels other apps add to the risk object page (premises or company), without risk importing them.

    from doorbraak.risk.panels import register_object_panel

    def ledger_panel(request, object_type, object_id):   # "premises" + BAG id, "company" + KvK number
        return "enforcement/panel.html", {...}           # or None: nothing to show here

    register_object_panel(ledger_panel)                  # in AppConfig.ready()

A panel that raises is left out (and logged); the page renders fine without any panel.
An access denial (policy.AccessDenied) in a panel also just leaves the panel out.

``register()`` (called in ``RiskConfig.ready()``) adds what the risk app gives the site: its
menu item and a home panel for everyone with RISK_VIEW (latest run, top of the focus areas).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string

logger = logging.getLogger("doorbraak.risk")

PanelFn = Callable[[object, str, str], "tuple[str, dict] | None"]
_PANELS: list[PanelFn] = []


def register_object_panel(fn: PanelFn) -> PanelFn:
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def unregister_object_panel(fn: PanelFn) -> None:
    if fn in _PANELS:
        _PANELS.remove(fn)


def object_panels() -> list[PanelFn]:
    return list(_PANELS)


def render_object_panels(request, object_type: str, object_id: str) -> list[str]:
    """The HTML of every registered panel that has something to show for this object."""
    out = []
    for fn in list(_PANELS):
        try:
            found = fn(request, object_type, object_id)
            if not found:
                continue
            template_name, context = found
            out.append(render_to_string(template_name, context, request=request))
        except PermissionDenied:
            continue
        except Exception:
            logger.exception(
                "paneel %s op %s %s", getattr(fn, "__name__", fn), object_type, object_id
            )
    return out


# --- what the risk app adds to the site (menu, home panel) -----------------------------------


def home_context(request) -> dict:
    from . import selectors

    run = selectors.latest_run()
    if run is None:
        return {"run": None}
    focus = [a for a in selectors.areas() if a.kind == "focus_area"]
    top = []
    for area in focus:
        rows = list(
            selectors.results(run, area.code, "premises", min_score=None).only(
                "object_type", "object_id", "label", "score", "rank"
            )[:3]
        )
        top.append({"area": area, "rows": rows})
    return {"run": run, "top": top}


def register() -> None:
    from django.utils.translation import gettext_noop

    from doorbraak.policy import Capability as C
    from doorbraak.web.navigation import register_nav
    from doorbraak.web.panels import register_panel

    register_nav("risk_picture", gettext_noop("Gebiedsbeeld"), C.RISK_VIEW, order=125)
    register_panel(C.RISK_VIEW, "risk/home_panel.html", home_context, order=15)
