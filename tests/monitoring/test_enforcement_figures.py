"""Enforcement figures come from the enforcement app's count selector (counts(period, area)),
per quarter for the city and each focus area; the rest of the city is the difference. They are
protected like every other grid, and not published per wijk."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.monitoring import figures as F
from doorbraak.monitoring import report as R

TODAY = date(2026, 12, 1)


def _fake(period, area=None):
    start, _end = period
    q3 = start == date(2026, 7, 1)
    actions = {
        None: {"knock_and_talk": 30, "bibob": 8, "closure_13b": 6},
        "nieuw_overvecht": {"knock_and_talk": 12, "bibob": 3, "closure_13b": 0},
        "amsterdamsestraatweg": {"knock_and_talk": 9, "bibob": 0, "closure_13b": 2},
    }[area or None]
    if not q3:
        actions = {}
    return {
        "actions": actions,
        "findings": {"nothing_found": sum(actions.values()), "irregularities": 0},
        "decisions": {},
        "objections": {"in_time": 0, "late": 0},
        "trainings": {"participants": 40 if q3 and area is None else 0},
    }


@pytest.fixture
def fake_enforcement(monkeypatch):
    from doorbraak.enforcement import selectors

    monkeypatch.setattr(selectors, "counts", _fake)


def test_enforcement_counts_per_focus_area_and_rest_of_city(areas, fake_enforcement):
    quarters = F.history(TODAY)
    q3 = next(i for i, (s, _e) in enumerate(quarters) if s == date(2026, 7, 1))
    c = F.enforcement_counts(quarters)["enforcement_actions"]
    assert c[("", "nieuw_overvecht", q3, "knock_and_talk")] == 12
    assert c[("", "amsterdamsestraatweg", q3, "knock_and_talk")] == 9
    assert c[("", "", q3, "knock_and_talk")] == 9  # 30 - 12 - 9
    cube = F.build_cube(TODAY)
    fig = F.figure("enforcement_actions")
    assert cube.cell(fig, "", q3, "knock_and_talk") == (30, "ok")
    assert cube.cell(fig, "nieuw_overvecht", q3, "bibob")[1] == "small"  # 3
    assert cube.cell(fig, "amsterdamsestraatweg", q3, "closure_13b")[1] == "small"  # 2
    # the city's Bibob count (8) less Nieuw Overvecht's would give the rest (5) and then the 3:
    # some other cell in the row or column is hidden too
    hidden = [
        k for k, s in cube.protected[("enforcement_actions", q3)].status.items() if s == "hidden"
    ]
    assert hidden


def test_enforcement_is_not_published_per_wijk(areas, fake_enforcement):
    rep = R.build("overvecht", date(2026, 7, 1), date(2026, 9, 30), today=TODAY)
    codes = {t.code for t in rep.tables()}
    assert "enforcement_actions" not in codes
    money = next(s for s in rep.sections if s.pillar == "money")
    assert "niet per wijk" in money.note
    city = R.build("", date(2026, 7, 1), date(2026, 9, 30), today=TODAY)
    table = next(t for t in city.tables() if t.code == "enforcement_actions")
    assert table.rows[0][0] == "2026-K3" and table.header[-1] == "Totaal"
