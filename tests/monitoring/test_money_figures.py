"""Pillar 2 figures on hand-made data: premises and companies screened, in the risk picture,
the precision of each indicator on checked cases, and the bank's sector figures with the
bank's own suppression. Monitoring reads only the apps' count selectors (faked here with
hand-made counts; the selectors themselves are tested in tests/enforcement and tests/risk)."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.monitoring import charts
from doorbraak.monitoring import figures as F
from doorbraak.monitoring import report as R

TODAY = date(2026, 12, 1)
Q3 = date(2026, 7, 1)


def _qi(quarters, start):
    return next(i for i, (s, _e) in enumerate(quarters) if s == start)


def _fake_enforcement(quarters):
    q = _qi(quarters, Q3)
    screened = {
        ("", "nieuw_overvecht", q, "premises"): 14,
        ("", "nieuw_overvecht", q, "company"): 6,
        ("", "amsterdamsestraatweg", q, "premises"): 9,
        ("", "amsterdamsestraatweg", q, "company"): 5,
        ("zuid", "zuid", q, "premises"): 7,  # not a focus area: the rest of the city
    }
    precision = {}

    def add(area, indicator, checked, hit):
        precision[("", area, q, f"{indicator}:checked")] = checked
        precision[("", area, q, f"{indicator}:hit")] = hit

    add("nieuw_overvecht", "*", 30, 9)
    add("nieuw_overvecht", "earlier_closure", 12, 6)
    add("nieuw_overvecht", "vulnerable_sector", 20, 5)
    add("nieuw_overvecht", "", 8, 1)
    add("amsterdamsestraatweg", "*", 9, 5)
    add("amsterdamsestraatweg", "earlier_closure", 6, 5)
    add("amsterdamsestraatweg", "vulnerable_sector", 7, 0)
    add("amsterdamsestraatweg", "", 0, 0)
    return {"enforcement_screened": screened, "enforcement_precision": precision}


def _fake_risk(quarters):
    out = {}
    for qi, (qs, _qe) in enumerate(quarters):
        if qs < date(2026, 4, 1):
            continue  # before the first run: no count at all
        out[("overvecht", "nieuw_overvecht", qi, "premises")] = 25
        out[("overvecht", "", qi, "premises")] = 6
        out[("noordwest", "amsterdamsestraatweg", qi, "premises")] = 11
        out[("zuid", "", qi, "premises")] = 13
        out[("overvecht", "nieuw_overvecht", qi, "company")] = 8
    return {"risk_flagged": out}


SECTORS = {
    "set_id": 1,
    "data_date": "2026-10-01",
    "ruleset_version": "flows-2026.2",
    "file_name": "SECTORS.csv",
    "content_hash": "ab" * 32,
    "rows": [
        {
            "period": "2026-Q2",
            "sbi": "4511",
            "sector": "Autohandel",
            "area": "",
            "accounts": "120",
            "accounts_in_patterns": "9",
            "share": 0.075,
            "share_low": 0.04,
            "share_high": 0.137,
            "rank": 1,
            "change_pp": None,
            "suppressed": False,
        },
        {
            "period": "2026-Q3",
            "sbi": "4511",
            "sector": "Autohandel",
            "area": "",
            "accounts": "125",
            "accounts_in_patterns": "11",
            "share": 0.088,
            "share_low": 0.05,
            "share_high": 0.151,
            "rank": 1,
            "change_pp": 1.3,
            "suppressed": False,
        },
        {
            "period": "2026-Q3",
            "sbi": "6201",
            "sector": "Software",
            "area": "",
            "accounts": "80",
            "accounts_in_patterns": "<5",
            "share": None,
            "share_low": None,
            "share_high": None,
            "rank": None,
            "change_pp": None,
            "suppressed": True,
        },
        {
            "period": "2026-Q3",
            "sbi": "4511",
            "sector": "Autohandel",
            "area": "nieuw_overvecht",
            "accounts": "60",
            "accounts_in_patterns": "8",
            "share": 0.133,
            "share_low": 0.07,
            "share_high": 0.24,
            "rank": 1,
            "change_pp": None,
            "suppressed": False,
        },
    ],
}


@pytest.fixture
def money(monkeypatch, areas):
    from doorbraak.enforcement import selectors as enforcement
    from doorbraak.risk import selectors as risk

    monkeypatch.setattr(enforcement, "monitoring_counts", _fake_enforcement)
    monkeypatch.setattr(
        enforcement, "indicators_checked", lambda: ["earlier_closure", "vulnerable_sector"]
    )
    monkeypatch.setattr(risk, "monitoring_counts", _fake_risk)
    monkeypatch.setattr(
        risk, "monitoring_runs", lambda q: [{"id": 1, "as_of": "2026-04-15", "version": "2026.1"}]
    )
    monkeypatch.setattr(F, "sector_figures", lambda: SECTORS)


def test_screened_per_focus_area_and_the_rest_of_the_city(money):
    cube = F.build_cube(TODAY)
    fig = F.figure("enforcement_screened")
    q = _qi(cube.quarters, Q3)
    assert cube.cell(fig, "nieuw_overvecht", q, "premises") == (14, "ok")
    assert cube.cell(fig, "nieuw_overvecht", q, "company") == (6, "ok")
    assert cube.cell(fig, "amsterdamsestraatweg", q, "company") == (5, "ok")
    # the city: 14 + 9 + 7 premises; Zuid is not a focus area, so it counts in the rest
    assert cube.cell(fig, "", q, "premises")[0] == 30
    table = F.figure_table(cube, fig, "nieuw_overvecht", [q])
    assert table.header[-1] == F.TOTAAL and table.rows[0][-1] == "20"
    # not published per wijk, like every enforcement figure
    rep = R.build("zuid", date(2026, 7, 1), date(2026, 9, 30), today=TODAY)
    assert "enforcement_screened" not in [t.code for t in rep.tables()]


def test_risk_picture_is_a_state_per_wijk_and_none_before_the_first_run(money):
    cube = F.build_cube(TODAY)
    fig = F.figure("risk_flagged")
    assert fig.stock and not fig.focus_only
    q = _qi(cube.quarters, Q3)
    assert cube.cell(fig, "overvecht", q, "premises") == (31, "ok")
    assert cube.cell(fig, "nieuw_overvecht", q, "premises") == (25, "ok")
    assert cube.cell(fig, "", q, dc_total())[0] == 25 + 6 + 11 + 13 + 8
    first = _qi(cube.quarters, date(2026, 1, 1))
    assert cube.cell(fig, "", first, dc_total()) == (0, "ok")
    # before the first run: not a zero but no count at all, in the table and the chart
    assert not cube.counted(fig, first) and cube.counted(fig, q)
    rows = F.figure_table(cube, fig, "", [first, q]).rows
    assert rows[0][1:] == ["—"] * (len(rows[0]) - 1) and rows[1][-1] == str(25 + 6 + 11 + 13 + 8)
    point = F.trend(cube, fig, "")[first]
    assert point["value"] is None and point["absent"] and point["shown"] == "—"
    svg = charts.trend_svg(F.trend(cube, fig, ""), "t", "c")
    assert svg.count('class="db-chart-hidden"') == 0, "no open marker for an absent count"
    # a state: the period shows its last quarter, no sum and no Totaal row
    table = F.figure_table(cube, fig, "", [q - 1, q])
    assert not table.has_total_row and len(table.rows) == 2
    assert "geen oordeel over een persoon" in table.definition


def dc_total():
    from doorbraak.monitoring import disclosure as dc

    return dc.TOTAL


def test_precision_per_indicator_is_a_rate_on_ten_checks_or_more(money):
    """For the whole city (the two focus areas' actions together)."""
    cube = F.build_cube(TODAY)
    fig = F.figure("enforcement_precision")
    assert fig.city_only and fig.no_total
    q = _qi(cube.quarters, Q3)
    table = F.figure_table(cube, fig, "", [q])
    rows = {r[0]: r[1:] for r in table.rows}
    assert table.header[1:] == ["Gecontroleerd", "Met bevinding", "Precisie"]
    assert not table.has_total_row and not table.has_total_col
    assert rows["Alle acties met bevindingen"] == ["39", "14", "36%"]
    assert rows["earlier_closure"] == ["18", "11", "61%"]  # no live rule set: the id
    assert rows["vulnerable_sector"] == ["27", "5", "19%"]
    base = rows["Zonder indicator gepland (vergelijking)"]
    assert base == ["8", "<5", "—"]  # base under 10 and a small part: no rate
    assert "niet een uitspraak over een persoon" in table.definition
    # the chart draws the number of checked actions, not a category total (there is none)
    assert F.trend(cube, fig, "")[q]["value"] == 39
    # published for the city only
    rep = R.build("nieuw_overvecht", date(2026, 7, 1), date(2026, 9, 30), today=TODAY)
    assert "enforcement_precision" not in [t.code for t in rep.tables()]


def test_precision_is_protected_like_every_count(money):
    """The baseline's hit (1) is `<5`; there is no total over the overlapping categories."""
    cube = F.build_cube(TODAY)
    q = _qi(cube.quarters, Q3)
    p = cube.protected[("enforcement_precision", q)]
    assert p.status[("", ":hit")] == "small"
    assert ("", "__total__") not in p.status


def test_a_long_indicator_description_becomes_a_short_label():
    assert F._short("Een bedrijf had 3 of meer wisselingen (functie begonnen). Meer.") == (
        "Een bedrijf had 3 of meer wisselingen"
    )
    assert len(F._short("woord " * 40)) <= 90


def test_sector_figures_as_the_bank_published_them(money):
    rep = R.build("", date(2026, 4, 1), date(2026, 9, 30), today=TODAY)
    money_section = next(s for s in rep.sections if s.pillar == "money")
    table = next(f["table"] for f in money_section.figures if f["table"].code == "bank_sectors")
    assert table.header[:3] == ["Sector (SBI)", "2026-K2", "2026-K3"]
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["Autohandel (4511)"] == ["7,5% (4,0%–13,7%)", "8,8% (5,0%–15,1%)", "1"]
    # the bank's suppression is kept: a small count means no share
    assert rows["Software (6201)"][1] == "<5" and rows["Software (6201)"][0] == "—"
    # per area where the bank gives the area; counts are never shown
    rep_no = R.build("nieuw_overvecht", date(2026, 7, 1), date(2026, 9, 30), today=TODAY)
    t = next(t for t in rep_no.tables() if t.code == "bank_sectors")
    assert t.rows == [["Autohandel (4511)", "13,3% (7,0%–24,0%)", "1"]]
    assert not any("125" in cell for row in table.rows for cell in row)
    assert "bank" in table.definition and "geen tellingen van personen" in table.definition
    assert any("SECTORS.csv" in s["detail"] for s in rep.sources)


def test_sector_figures_selector_reads_the_stored_set(db):
    from doorbraak.moneyflows import selectors
    from doorbraak.moneyflows.models import SectorFigure, SectorFigureSet
    from tests import factories as f

    assert selectors.sector_vulnerability() is None
    fs = SectorFigureSet.objects.create(
        source=f.ActivityFactory(),
        data_date=date(2026, 10, 1),
        ruleset_version="flows-2026.2",
        file_name="SECTORS.csv",
        content_hash="cd" * 32,
        loaded_by="test",
    )
    SectorFigure.objects.create(
        figure_set=fs,
        period="2026-Q3",
        sbi="4511",
        sector_name="Autohandel",
        area="(alle wijken)",
        accounts="125",
        accounts_in_patterns="11",
        account_share=0.088,
        account_share_low=0.05,
        account_share_high=0.151,
        rank=1,
    )
    SectorFigure.objects.create(
        figure_set=fs,
        period="2026-Q3",
        sbi="6201",
        sector_name="Software",
        area="overvecht",
        accounts="80",
        accounts_in_patterns="<5",
        suppressed=True,
    )
    data = selectors.sector_vulnerability()
    assert data["file_name"] == "SECTORS.csv" and len(data["rows"]) == 2
    city = next(r for r in data["rows"] if r["sbi"] == "4511")
    assert city["area"] == "" and city["share"] == pytest.approx(0.088)
    soft = next(r for r in data["rows"] if r["sbi"] == "6201")
    assert soft["suppressed"] and soft["share"] is None
