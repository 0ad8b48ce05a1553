"""Precision per indicator and rule-set version on hand-made data, and the count selector."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from doorbraak.enforcement import actions, selectors
from doorbraak.enforcement.models import ActionType, DecisionType, LegalBasis, Outcome
from doorbraak.enforcement.selectors import precision_rows

D1, D2 = date(2026, 2, 10), date(2026, 5, 20)  # first and second quarter


def test_precision_per_indicator_version_quarter_and_area():
    records = []
    # indicator A, v1: 12 actions, 3 with irregularities -> 25 %
    for i in range(12):
        records.append(
            (
                ["A"],
                "v1",
                D1 if i < 6 else D2,
                "nieuw_overvecht" if i % 2 else "amsterdamsestraatweg",
                "irregularities" if i in (0, 1, 7) else "nothing_found",
            )
        )
    # A and B fired together on 4 actions, 4 found something
    records += [(["A", "B"], "v1", D2, "nieuw_overvecht", "irregularities")] * 4
    # A under another version: counted apart
    records += [(["A"], "v2", D2, "nieuw_overvecht", "nothing_found")] * 10
    # planned without any indicator (the baseline)
    records += [([], "", D1, "nieuw_overvecht", "nothing_found")] * 2
    rows = {(r.indicator, r.version): r for r in precision_rows(records)}

    a1 = rows[("A", "v1")]
    assert (a1.total.actions, a1.total.hits) == (16, 7)
    assert a1.total.precision == pytest.approx(7 / 16)
    # per quarter: K1 has 6 actions (2 hits): no rate under 10, the counts stay
    assert (a1.by_quarter["2026-K1"].actions, a1.by_quarter["2026-K1"].hits) == (6, 2)
    assert a1.by_quarter["2026-K1"].precision is None and not a1.by_quarter["2026-K1"].enough
    assert (a1.by_quarter["2026-K2"].actions, a1.by_quarter["2026-K2"].hits) == (10, 5)
    assert a1.by_quarter["2026-K2"].precision == pytest.approx(0.5)
    assert a1.by_area["nieuw_overvecht"].actions == 6 + 4
    assert a1.by_area["nieuw_overvecht"].hits == 2 + 4  # i = 1, 7 and the four

    b1 = rows[("B", "v1")]
    assert (b1.total.actions, b1.total.hits, b1.total.precision) == (4, 4, None)
    a2 = rows[("A", "v2")]
    assert (a2.total.actions, a2.total.hits, a2.total.precision) == (10, 0, 0.0)
    base = rows[("", "")]
    assert base.total.actions == 2


@pytest.mark.django_db
def test_precision_from_recorded_actions_changes_with_each_finding(ew, officer):
    shop = ew.premises["shop"]
    today = timezone.localdate()

    def visit(found: bool):
        a = actions.plan_action(
            officer,
            object_type="premises",
            object_id=shop.bag_id,
            action_type=ActionType.KNOCK_AND_TALK,
            reason="Kennismaking met de ondernemer na signaal uit het risicobeeld.",
            fired_indicators=["vulnerable_sector"],
            rule_set_version="2026.1",
            planned_on=today - timedelta(days=3),
        )
        actions.record_findings(
            officer,
            a,
            carried_out_on=today - timedelta(days=1),
            outcome=Outcome.IRREGULARITIES if found else Outcome.NOTHING_FOUND,
            irregularities=["no_permit"] if found else [],
        )

    for i in range(9):
        visit(found=i < 2)
    row = selectors.precision(version="2026.1")[0]
    assert (row.total.actions, row.total.hits, row.total.precision) == (9, 2, None)
    visit(found=True)
    row = selectors.precision(version="2026.1")[0]
    assert (row.total.actions, row.total.hits) == (10, 3)
    assert row.total.precision == pytest.approx(0.3)
    assert selectors.precision(version="2026.1", area="amsterdamsestraatweg") == []


@pytest.mark.django_db
def test_counts_for_monitoring(ew, officer, lawyer):
    shop, home = ew.premises["shop"], ew.premises["home"]
    today = timezone.localdate()
    period = (today - timedelta(days=30), today)

    def act(premises, kind, outcome, irregularities=(), bibob=""):
        a = actions.plan_action(
            officer,
            object_type="premises",
            object_id=premises.bag_id,
            action_type=kind,
            reason="Controle na signaal van de wijkagent en het risicobeeld.",
            planned_on=today - timedelta(days=10),
        )
        actions.record_findings(
            officer,
            a,
            carried_out_on=today - timedelta(days=5),
            outcome=outcome,
            irregularities=list(irregularities),
            bibob_outcome=bibob,
        )
        return a

    act(shop, ActionType.KNOCK_AND_TALK, Outcome.NOTHING_FOUND)
    act(shop, ActionType.KNOCK_AND_TALK, Outcome.NOTHING_FOUND)
    act(home, ActionType.KNOCK_AND_TALK, Outcome.IRREGULARITIES, ["address_fraud"])
    act(shop, ActionType.BIBOB, Outcome.IRREGULARITIES, ["straw_man"], bibob="serious_a")
    ban = actions.propose_decision(
        officer,
        object_type="premises",
        object_id=shop.bag_id,
        decision_type=DecisionType.AREA_BAN,
        legal_basis=LegalBasis.APV,
        legal_basis_detail="APV art. 2:77",
        summary="Gebiedsverbod na herhaalde overlast rond het pand.",
        proposed_on=today - timedelta(days=4),
    )
    actions.approve_decision(lawyer, ban, approved_on=today - timedelta(days=3))
    actions.issue_decision(
        officer,
        ban,
        decision_date=today - timedelta(days=3),
        announced_on=today - timedelta(days=2),
    )
    actions.record_objection(lawyer, ban, received_on=today)
    actions.record_training(
        officer,
        area_code="nieuw_overvecht",
        held_on=today - timedelta(days=7),
        title="Herkennen van criminele benaderingen",
        participants=14,
        businesses=9,
    )

    c = selectors.counts(period)
    assert c["actions"] == {"bibob": 1, "knock_and_talk": 3}
    assert c["actions_total"] == 4
    assert c["findings"] == {"nothing_found": 2, "irregularities": 2, "not_recorded": 0}
    assert c["irregularities"] == {"address_fraud": 1, "straw_man": 1}
    assert c["decisions"] == {"area_ban": 1} and c["area_bans"] == 1
    assert c["bibob"] == {"serious_a": 1}
    assert c["objections"]["received"] == 1 and c["objections"]["in_time"] == 1
    assert c["trainings"] == {"sessions": 1, "participants": 14, "businesses": 9}
    assert c["knock_and_talk"] == {"visits": 3, "premises": 2}

    assert selectors.counts(period, "utrecht") == {**c, "area": "utrecht"}  # the city: all
    no = selectors.counts(period, "nieuw_overvecht")
    assert no["actions"] == {"bibob": 1, "knock_and_talk": 2}
    assert no["knock_and_talk"] == {"visits": 2, "premises": 1}
    assert selectors.counts(period, "noordwest")["actions_total"] == 1  # the wijk of the home
    asw = selectors.counts(period, "amsterdamsestraatweg")
    assert asw["actions_total"] == 1 and asw["trainings"]["sessions"] == 0
    before = selectors.counts((today - timedelta(days=400), today - timedelta(days=31)))
    assert before["actions_total"] == 0 and before["decisions_total"] == 0
