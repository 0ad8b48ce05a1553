"""The demo bank's sector figures tell a plausible story: a year up to the build day (current
quarter included), vulnerable sectors on top with a few percent of their accounts in laundering
patterns, per focus area as well as city-wide, and analysts can choose each focus area."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.urls import reverse

from doorbraak.demo import reference as ref
from doorbraak.demo.bank import FOCUS_AREAS, build_demo_bank
from doorbraak.demo.management.commands.demo_bank import DEMO_BANK_SEED, DEMO_TRANSACTIONS
from doorbraak.demo.sectors import BANK_PREFERENCE
from doorbraak.moneyflows.services import load_sector_figures
from tests.conftest import login

TODAY = date(2026, 12, 1)
VULNERABLE = {sbi for sbi, pref in BANK_PREFERENCE.items() if pref >= 2}
OFFICES = {"6201", "7022", "6920"}  # software, consultancy, administration


@pytest.fixture(scope="module")
def demo_bank(tmp_path_factory):
    """The demo's own bank data, at the size the demo builds (about a minute)."""
    bank = build_demo_bank(
        tmp_path_factory.mktemp("bank"),
        transactions=DEMO_TRANSACTIONS,
        seed=DEMO_BANK_SEED,
        today=TODAY,
    )
    with open(bank.sectors, encoding="utf-8") as fh:
        return bank, list(csv.DictReader(fh))


def _ranked(rows, area, period):
    return sorted(
        (r for r in rows if r["area"] == area and r["period"] == period and r["rank"]),
        key=lambda r: float(r["account_share_low"]),
        reverse=True,
    )


def test_a_year_up_to_the_current_quarter(demo_bank):
    bank, rows = demo_bank
    assert {r["data_date"] for r in rows} <= {"2026-11-30", "2026-12-01"}
    periods = sorted({r["period"] for r in rows})
    assert periods[-1] == "2026-Q4" and "2026-Q1" in periods and periods[0] >= "2025-Q4"


def test_vulnerable_sectors_on_top_with_a_few_percent(demo_bank):
    _bank, rows = demo_bank
    shown = [r for r in rows if r["account_share"]]
    assert shown and max(float(r["account_share"]) for r in shown) < 0.10  # nobody believes 91%
    for period in ("2026-Q1", "2026-Q2", "2026-Q3"):
        city = _ranked(rows, "(alle wijken)", period)
        assert len(city) >= 5, period
        assert {r["sbi"] for r in city[:5]} <= VULNERABLE, [r["sbi"] for r in city[:5]]
        assert 0.01 < float(city[0]["account_share"]) < 0.10
        assert (
            not {r["sbi"] for r in city} & OFFICES
        )  # offices: too few in patterns, suppressed or absent
        assert all(r["sector_name"] for r in city)


def test_each_focus_area_has_its_own_figures(demo_bank):
    _bank, rows = demo_bank
    for area in FOCUS_AREAS:
        ranked = [r for p in ("2026-Q1", "2026-Q2", "2026-Q3") for r in _ranked(rows, area, p)]
        assert ranked, area
        assert {r["sbi"] for r in ranked} <= VULNERABLE, area
        assert all(float(r["account_share"]) < 0.10 for r in ranked)


@pytest.mark.django_db
def test_the_analyst_can_choose_each_focus_area(client, world, demo_bank):
    bank, rows = demo_bank
    ref.seed_reference_data(TODAY)
    load_sector_figures(bank.sectors, source_code=ref.SOURCE_BANK, loaded_by="test")
    login(client, world.users["analyst"])
    page = client.get(reverse("sector_view")).content.decode()
    # the current quarter is there, said to be running; the default is the last complete one
    assert '<option value="2026-Q4">2026-Q4 (loopt nog, tot de peildatum)</option>' in page
    assert '<option value="2026-Q3" selected>' in page
    for area in FOCUS_AREAS:
        assert f'<option value="{area}"' in page
        period = next(p for p in ("2026-Q3", "2026-Q2", "2026-Q1") if _ranked(rows, area, p))
        top = _ranked(rows, area, period)[0]
        shown = client.get(
            reverse("sector_view"), {"area": area, "period": period}
        ).content.decode()
        assert top["sector_name"] in shown and "<td>1</td>" in shown


def test_the_dates_follow_the_build_day(tmp_path):
    bank = build_demo_bank(
        tmp_path, transactions=60_000, seed=DEMO_BANK_SEED, today=date(2027, 5, 10)
    )
    with open(bank.sectors, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert max(r["period"] for r in rows) == "2027-Q2"
    assert {r["data_date"] for r in rows} <= {"2027-05-09", "2027-05-10"}
