"""Issue 12 end to end in a real browser (Debian's Chromium via Playwright), across risk and
enforcement: the enforcement officer opens the risk picture of Nieuw Overvecht and looks at the
map (markers drawn), opens a premises from the ranked list, plans a Knock and Talk visit from the
enforcement panel on its risk page with a reason, records what the visit found, and the precision
per indicator changes: before, no action had findings; after, the indicators that fired at
planning count the visit (one action with irregularities: shown as counts, no rate under 10).
Nothing is loaded from outside the application."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

from tests.test_browser import _code, browser  # noqa: E402, F401 (a pytest fixture, shared)

pytest.importorskip("doorbraak.risk.actions", reason="the risk app is not installed")

REASON = "Vijf bedrijven op één adres en een autobedrijf met wisselende bestuurders: kennismaken."


@pytest.fixture
def hub(world, settings, tmp_path):
    """A registration address in Nieuw Overvecht with five active companies (the indicator
    many_businesses_at_address fires there), and one risk run over the registers."""

    settings.VAR_DIR = tmp_path
    kvk = f.ActivityFactory(code="kvk-e2e", name="KvK")
    hub = f.PremisesFactory(
        bag_id="0344010000955501", street="Nevadadreef", house_number=40, lat=52.115, lon=5.115
    )
    for i in range(5):
        f.CompanyFactory(
            kvk_number=f"9255000{i}",
            name=f"Registratie {i} B.V.",
            sbi_code="70102" if i else "45111",
            sbi_description="Holdings" if i else "Handel in auto's",
            establishment=hub,
            source=kvk,
            registered_on=date(2024, 1, 1),
        )
    from doorbraak.risk import actions as risk_actions

    run = risk_actions.start_run(requested_by="test", now=True)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return hub


def _login(page, base, user):
    page.goto(f"{base}/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_label("Verificatiecode").fill(_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url


@pytest.mark.django_db(transaction=True)
def test_risk_picture_to_visit_to_findings_to_precision(live_server, browser, world, hub):  # noqa: F811
    from doorbraak.audit.models import AuditEntry
    from doorbraak.enforcement.models import Action

    officer = world.users["enforcement_officer"]
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(15_000)
    outside, errors = [], []
    context.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("data:", "blob:"))
            and urlparse(r.url).hostname not in {"localhost", "127.0.0.1"}
            else None
        ),
    )
    context.on("response", lambda r: errors.append(r.url) if r.status >= 500 else None)
    page = context.new_page()
    base = live_server.url
    _login(page, base, officer)

    # precision before: no action with findings yet
    page.goto(f"{base}/handhaving/precisie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Precisie per indicator")
    expect(page.locator("#precisie")).to_contain_text("Nog geen uitgevoerde acties")

    # the risk picture of Nieuw Overvecht, with its map (min=0: the test city is small, its one
    # signalled premises scores under the picture's default threshold)
    page.goto(f"{base}/risico/?gebied=nieuw_overvecht&min=0")
    expect(page.locator("#risk-map .db-risk-marker").first).to_be_visible()
    assert int(page.locator("#risk-map").get_attribute("data-markers")) >= 1

    # from the ranked list to the premises
    page.get_by_role("link", name=re.compile("Nevadadreef 40")).first.click()
    page.wait_for_load_state()
    assert "/risico/panden/0344010000955501/" in page.url
    expect(page.get_by_role("heading", name="Handhaving")).to_be_visible()

    # plan a Knock and Talk visit from the enforcement panel
    page.get_by_role("link", name="Actie plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actie plannen")
    expect(page.get_by_role("note")).to_contain_text("Gepland vanuit het risicobeeld")
    page.get_by_label("Soort actie").select_option("knock_and_talk")
    page.get_by_label("Reden").fill(REASON)
    page.get_by_role("button", name="Actie plannen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("De actie is gepland")
    action = Action.objects.get()
    assert action.planned_by == officer and action.reason == REASON
    assert "many_businesses_at_address" in action.fired_indicators
    assert action.rule_set_version and action.risk_result_id

    # record what the visit found
    page.get_by_label("onregelmatigheden gevonden").check()
    page.get_by_label("administratie ontbreekt of klopt niet").check()
    page.get_by_role("button", name="Bevindingen opslaan").click()
    page.wait_for_load_state()
    expect(page.locator("#bevinding")).to_contain_text("administratie ontbreekt")

    # the precision figures changed: the fired indicators count the visit
    page.goto(f"{base}/handhaving/precisie/")
    row = page.locator("#precisie tr", has_text="many_businesses_at_address")
    expect(row).to_contain_text("1/1")
    expect(row).to_contain_text("te weinig voor een percentage")

    assert AuditEntry.objects.filter(object_type="enforcement_action", action="create").exists()
    assert outside == [] and errors == []
    context.close()
