"""Enforcement's menu items, and its panel on risk's object page: the ledger summary and a button to
plan an action. The panel is registered with `risk.panels.register_object_panel` when the risk app
is installed (enforcement imports risk, never the reverse)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Company, Premises
from doorbraak.web.navigation import register_nav

from . import access, selectors


def object_panel(request, object_type: str, object_id: str):
    user = request.user
    if not policy.has(user, C.ENFORCEMENT_VIEW):
        return None
    if object_type == "premises":
        premises = Premises.objects.filter(bag_id=object_id).first()
        company = None
    elif object_type == "company":
        company = (
            Company.objects.select_related("establishment").filter(kvk_number=object_id).first()
        )
        premises = company.establishment if company else None
    else:
        return None
    if premises is None or not access.in_user_areas(user, premises):
        return None
    summary = selectors.ledger_summary(
        premises=premises if company is None else None, company=company
    )
    return (
        "enforcement/_object_panel.html",
        {
            "enforcement_summary": summary,
            "enforcement_object_type": object_type,
            "enforcement_object_id": object_id,
            "enforcement_may_plan": access.may_plan(user, premises),
            "enforcement_risk_result": _result_pk(request, object_type, object_id),
        },
    )


def _result_pk(request, object_type: str, object_id: str) -> str:
    """The risk result shown on the page (the run in ?run=, else the latest): passed to the plan
    form so the action keeps the indicators that fired as context."""
    from doorbraak.risk import selectors as risk_selectors

    pk = request.GET.get("run", "")
    run = risk_selectors.get_run(int(pk)) if pk.isdigit() else risk_selectors.latest_run()
    result = risk_selectors.result_for(run, object_type, object_id)
    return str(result.pk) if result is not None else ""


def register() -> None:
    register_nav("enforcement_actions", gettext_noop("Handhaving"), C.ENFORCEMENT_VIEW, order=132)
    register_nav(
        "enforcement_precision",
        gettext_noop("Precisie indicatoren"),
        C.ENFORCEMENT_FEEDBACK,
        order=134,
    )
    try:
        from doorbraak.risk import panels as risk_panels
    except ImportError:  # the risk app is not installed (yet): its page has no panel then
        return
    hook = getattr(risk_panels, "register_object_panel", None)
    if hook is not None:
        hook(object_panel)
