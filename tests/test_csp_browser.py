"""The Content-Security-Policy in a real browser (Debian's Chromium): the pages with scripts work
under it and the browser refuses nothing (no inline script or style left), the API documentation
(Redoc) renders under its own policy, and the browser does refuse an inline script."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.test_browser import CHROMIUM, _code, browser  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def own_code_refused(text: str) -> bool:
    """A CSP refusal of the application's own code (an inline script, style or handler, eval, a
    file of its own). Refused loads from outside (Redoc's logo from its CDN) are the CSP doing
    its job, and the accessibility walk checks that nothing outside is fetched."""
    if "Content Security Policy" not in text:
        return False
    outside = re.search(r"'(https?://[^']+)'", text)
    return not outside or urlparse(outside.group(1)).hostname in {"127.0.0.1", "localhost"}


def _watch(page) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if own_code_refused(m.text) else None)
    return refused


@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_csp_and_the_browser_refuses_nothing(
    live_server,
    browser,  # noqa: F811
    world,
):
    from tests import factories as f

    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    refused = _watch(page)
    page.goto(f"{live_server.url}/inloggen/")
    user = world.users["analyst"]
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_label("Verificatiecode").fill(_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url
    for path in (reverse("home"), reverse("otp_backup_codes"), reverse("api_docs")):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        if path == reverse("api_docs"):
            # Redoc ran (its script from 'self', its styles allowed on this page only)
            page.get_by_role("heading", name="Doorbraak API").first.wait_for(timeout=30_000)
    assert refused == []
    # ... and the policy is in force: an inline script injected into a page is refused.
    page.goto(live_server.url + reverse("home"))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.__ran === true") is False
    assert any("inline script" in r or "script-src" in r for r in refused)
    context.close()
