"""A real browser (Debian's Chromium, driven by Playwright) logs in as each role and sees
that role's home page; nothing is loaded from outside the application."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import pytest
from django_otp.oath import TOTP

from tests import factories as f

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]

HOME_HEADINGS = {
    "case_director": "Procesregie",
    "partner_professional": "Casussen van uw organisatie",
    "analyst": "Analyse: registers en focusgebieden",
    "enforcement_officer": "Handhaving in de focusgebieden",
    "lawyer": "Juridische grondslagen",
    "policy_staff": "Monitoring voor de gemeenteraad",
    "privacy_officer": "Privacytoezicht",
    "administrator": "Beheer",
}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


def _code(user) -> str:
    device = user.totpdevice_set.get()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_each_role_logs_in_and_sees_its_home_page(live_server, browser, world, role):
    user = world.users[role]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in {"localhost", "127.0.0.1"}
            and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/")
    assert "/inloggen/" in page.url
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    if role != "policy_staff":
        page.get_by_label("Verificatiecode").fill(_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == HOME_HEADINGS[role]
    # The Utrecht design system stylesheet came from our own server.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.utrecht-button') || document.body).fontFamily"
    )
    css = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert any("component-library-css" in href for href in css)
    assert outside == []
    # Every form control has a label (WCAG 1.3.1 / 4.1.2).
    unlabelled = page.evaluate("""[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabelled == []
    # Keyboard: the skip link is the first thing the tab key reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "utrecht-skip-link"
    context.close()


@pytest.mark.django_db(transaction=True)
def test_wrong_code_keeps_the_user_out(live_server, browser, world):
    page = browser.new_page(locale="nl-NL")
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_label("Verificatiecode").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    # the same answer whatever was wrong (password or second factor), issue 14
    assert page.get_by_role("alert").inner_text().strip().startswith("Inloggen mislukt")
    assert "/inloggen/" in page.url
    page.close()


def _contrast(fg: str, bg: str) -> float:
    """WCAG 2.1 contrast ratio of two CSS rgb()/rgba() colours."""
    import re

    def luminance(css):
        r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _logged_in_page(browser, live_server, user):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_label("Verificatiecode").fill(_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_from_the_application_alone(live_server, browser, world):
    """The footer's link to the API documentation opens Redoc, rendered from the app's own files:
    no request leaves the application (Redoc's logo from its CDN is stopped by the page's CSP)."""
    context, page = _logged_in_page(browser, live_server, world.users["analyst"])
    sent, blocked = [], []

    def outside(url):
        return not url.startswith(("data:", "blob:")) and urlparse(url).hostname not in {
            "localhost",
            "127.0.0.1",
        }

    page.on("request", lambda r: sent.append(r.url) if outside(r.url) else None)
    page.on(
        "requestfailed",
        lambda r: blocked.append(r.url) if outside(r.url) and r.failure == "csp" else None,
    )
    page.get_by_role("contentinfo").get_by_role("link", name="API-documentatie").click()
    page.get_by_role("heading", name="Doorbraak API").first.wait_for(timeout=20_000)
    assert page.get_by_text("Loading").count() == 0
    assert page.locator("[id^='operation/']").count() > 5  # the operations of the schema are listed
    assert sorted(sent) == sorted(blocked)  # whatever Redoc tries outside, the browser never sends
    html = page.request.get(f"{live_server.url}/api/docs/").text()
    assert "https://" not in html and "http://" not in html.replace(live_server.url, "")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_footer_text_is_readable_and_the_favicon_is_served(live_server, browser, world):
    context, page = _logged_in_page(browser, live_server, world.users["case_director"])
    footer = page.get_by_role("contentinfo")
    background = footer.evaluate("el => getComputedStyle(el).backgroundColor")
    for element in (footer.locator("p").first, footer.get_by_role("link").first):
        colour = element.evaluate("el => getComputedStyle(el).color")
        assert _contrast(colour, background) >= 4.5, (colour, background)
    # the diagonal's second, lighter red as well
    assert (
        _contrast(
            footer.locator("p").first.evaluate("el => getComputedStyle(el).color"),
            "rgb(214, 52, 51)",
        )
        >= 4.5
    )
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    context.close()
