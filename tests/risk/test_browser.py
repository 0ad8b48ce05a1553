"""The risk picture in a real browser: the map is drawn from the app's own Leaflet (nothing
fetched from elsewhere), with a keyboard-reachable marker per premises and the area outline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests import factories as f
from tests.test_browser import CHROMIUM, _code, browser  # noqa: F401 (the shared fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_picture_draws_the_map_with_markers(live_server, browser, world, run, register):  # noqa: F811
    user = world.users["enforcement_officer"]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    outside, errors = [], []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in {"localhost", "127.0.0.1"}
            and not r.url.startswith("data:")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/risico/?gebied=nieuw_overvecht&min=0")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_label("Verificatiecode").fill(_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("#risk-map.db-risk-map--ready", timeout=15000)
    assert "/risico/" in page.url
    markers = page.locator("#risk-map .leaflet-marker-icon")
    assert markers.count() == 2  # the hub and the closed premises in Nieuw Overvecht
    labels = sorted(markers.nth(i).get_attribute("aria-label") for i in range(2))
    assert labels[0].startswith("Nevadadreef 10") and "score 3,5" in labels[0]
    assert labels[1].startswith("Nevadadreef 12") and "score 3" in labels[1]
    # shape and text, not colour alone: the score is written on the marker
    assert sorted(markers.nth(i).inner_text() for i in range(2)) == ["3", "3,5"]
    assert page.locator("#risk-map path.leaflet-interactive").count() >= 1  # the outline
    # keyboard: a marker takes focus and Enter opens its explanation with a link
    markers.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for(timeout=5000)
    assert "/risico/panden/" in popup.get_attribute("href")
    # the text alternative: the ranked list on the same page
    assert page.locator("#risk-list tbody tr").count() >= 2
    assert outside == [] and errors == []
    context.close()
