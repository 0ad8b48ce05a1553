"""enforcement.selectors.monitoring_counts: the per-quarter grids monitoring protects —
premises and companies screened (distinct per quarter) and precision per indicator."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from doorbraak.enforcement import actions, selectors
from doorbraak.enforcement.models import ActionType, Outcome


def _quarters(today):
    today = today - timedelta(days=1)  # the day the actions below are carried out
    q = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    prev = date(q.year - (q.month == 1), (q.month - 4) % 12 + 1, 1)
    return [(prev, q - timedelta(days=1)), (q, today + timedelta(days=1))]


def test_screened_and_precision_grids(ew, officer):
    today = timezone.localdate()
    quarters = _quarters(today)
    shop, home = ew.premises["shop"], ew.premises["home"]
    company = ew.companies["shop_co"]

    def act(object_type, object_id, fired, found, days_ago=1):
        a = actions.plan_action(
            officer,
            object_type=object_type,
            object_id=object_id,
            action_type=ActionType.KNOCK_AND_TALK,
            reason="Kennismaking met de ondernemer na signaal uit het risicobeeld.",
            fired_indicators=fired,
            rule_set_version="2026.1",
            planned_on=today - timedelta(days=days_ago + 1),
        )
        actions.record_findings(
            officer,
            a,
            carried_out_on=today - timedelta(days=days_ago),
            outcome=Outcome.IRREGULARITIES if found else Outcome.NOTHING_FOUND,
            irregularities=["no_permit"] if found else [],
        )

    act("premises", shop.bag_id, ["vulnerable_sector"], False)
    act("premises", shop.bag_id, ["vulnerable_sector", "earlier_closure"], True)  # same premises
    act("premises", home.bag_id, [], False)
    act("company", company.kvk_number, ["officer_churn"], True)
    qi = 1
    grids = selectors.monitoring_counts(quarters)
    screened = grids["enforcement_screened"]
    assert screened[("", "nieuw_overvecht", qi, "premises")] == 1, "one premises, twice visited"
    assert screened[("", "amsterdamsestraatweg", qi, "premises")] == 1
    assert sum(v for (_w, _a, _q, c), v in screened.items() if c == "company") == 1
    p = grids["enforcement_precision"]
    assert p[("", "nieuw_overvecht", qi, "vulnerable_sector:checked")] == 2
    assert p[("", "nieuw_overvecht", qi, "vulnerable_sector:hit")] == 1
    assert p[("", "nieuw_overvecht", qi, "earlier_closure:hit")] == 1
    assert p[("", "amsterdamsestraatweg", qi, ":checked")] == 1  # planned without indicator
    # every action once under "*", whatever fired
    assert sum(v for (_w, _a, _q, c), v in p.items() if c == "*:checked") == 4
    assert sum(v for (_w, _a, _q, c), v in p.items() if c == "*:hit") == 2
    assert not any(q == 0 for (_w, _a, q, _c) in p), "nothing in the quarter before"
    assert selectors.indicators_checked() == [
        "earlier_closure",
        "officer_churn",
        "vulnerable_sector",
    ]
