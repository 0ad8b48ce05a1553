"""How often each indicator fires per wijk and per sector, beside the wijk's or sector's share
of premises and companies: on hand-made data where every number is known."""

from __future__ import annotations

import pytest

from doorbraak.risk import selectors
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _cell(row, iid):
    return next(c for c in row["cells"] if c["indicator"] == iid)


def test_fairness_per_wijk(run):
    f = selectors.fairness(run)
    wijken = {w["code"]: w for w in f["wijken"]}
    assert set(wijken) == {"overvecht", "oost"}
    ov, oost = wijken["overvecht"], wijken["oost"]
    # premises: 4 in Overvecht (with the world's garage), 2 in Oost; active companies 7 and 1
    assert (ov["premises"], oost["premises"]) == (4, 2)
    assert (ov["companies"], oost["companies"]) == (7, 1)
    assert ov["premises_share"] == pytest.approx(4 / 6)
    vs_ov, vs_oost = _cell(ov, "vulnerable_sector"), _cell(oost, "vulnerable_sector")
    assert (vs_ov["count"], vs_oost["count"]) == (5, 1)
    assert vs_ov["share"] == pytest.approx(5 / 6)
    assert vs_ov["base"] == pytest.approx(7 / 8)  # a company indicator: beside the companies
    assert vs_oost["ratio"] == pytest.approx((1 / 6) / (1 / 8))
    closure = _cell(ov, "earlier_closure")
    assert closure["count"] == 1 and closure["base"] == pytest.approx(4 / 6)  # premises share
    assert _cell(oost, "earlier_closure")["count"] == 0
    # counted at the indicator's own level: the hub's company indicators are not counted twice
    assert f["totals"]["vulnerable_sector"] == 6 and f["totals"]["officer_churn"] == 1


def test_fairness_per_sector(run):
    sectors = {s["code"]: s for s in selectors.fairness(run)["sectors"]}
    assert {k: v["companies"] for k, v in sectors.items()} == {"45": 2, "70": 4, "62": 1, "56": 1}
    holdings = _cell(sectors["70"], "vulnerable_sector")
    assert holdings["count"] == 4 and holdings["share"] == pytest.approx(4 / 6)
    assert holdings["ratio"] == pytest.approx((4 / 6) / (4 / 8))
    assert _cell(sectors["62"], "vulnerable_sector")["count"] == 0
    assert "earlier_closure" not in {c["indicator"] for c in sectors["70"]["cells"]}


def test_fairness_within_an_area(run):
    f = selectors.fairness(run, "oost")
    assert [w["code"] for w in f["wijken"]] == ["oost"]
    assert f["totals"] == {"vulnerable_sector": 1, "permit_missing_or_expired": 1}


def test_fairness_page(client, world, run):
    login(client, world.users["analyst"])
    r = client.get("/risico/eerlijkheid/")
    body = r.content.decode()
    assert r.status_code == 200 and "Overvecht" in body and "vulnerable_sector" in body
    assert "67%" in body  # Overvecht's share of premises
