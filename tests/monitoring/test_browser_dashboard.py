"""The dashboard in a real browser (Debian's Chromium, Playwright): policy staff open it, choose
an area and a period, download the council report, which is turned into text (pdftotext) and
PNG pages (pdftoppm, poppler-utils) and checked to hold the expected sections."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import pytest

from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT, PDFTOPPM = shutil.which("pdftotext"), shutil.which("pdftoppm")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.skipif(
        PDFTOTEXT is None or PDFTOPPM is None, reason="poppler-utils is not installed"
    ),
]

from tests.test_browser import browser  # noqa: E402, F401 (a pytest fixture, shared)


@pytest.mark.django_db(transaction=True)
def test_dashboard_area_period_and_the_pdf(live_server, browser, world, tmp_path):  # noqa: F811
    from doorbraak.monitoring.models import PreventionActivity

    homes = [f.PremisesFactory(wijk="overvecht", area="nieuw_overvecht") for _i in range(8)]
    homes += [f.PremisesFactory(wijk="west", area="") for _i in range(8)]
    for i, home in enumerate(homes):
        f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=date(2026, 1 + i % 9, 2))
    PreventionActivity.objects.create(
        kind="kapot_sterk",
        location="OBS De Tuinen",
        wijk="overvecht",
        area="",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        sessions=6,
        participants=52,
    )
    page = browser.new_page(locale="nl-NL", accept_downloads=True)
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(world.users["policy_staff"].username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/monitoring/")
    assert page.get_by_role("heading", level=1).inner_text() == "Monitoring van de aanpak"
    page.get_by_label("Gebied", exact=True).select_option("nieuw_overvecht")
    page.get_by_label("Van kwartaal", exact=True).select_option("2026-01-01")
    page.get_by_label("Tot en met kwartaal", exact=True).select_option("2026-06-30")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_load_state()
    assert "area=nieuw_overvecht" in page.url and "from=2026-01-01" in page.url
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "Periode: 1 januari 2026 tot en met 30 juni 2026" in body or "2026-K1" in body
    assert page.locator("svg.db-chart").count() >= 10
    # each chart has its table
    assert page.locator("table.utrecht-table").count() >= page.locator("svg.db-chart").count()
    with page.expect_download() as info:
        page.get_by_role("link", name="Raadsrapportage (PDF)").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for section in (
        "Raadsrapportage Grenzen stellen, perspectief bieden",
        "Bedrijventerrein Nieuw Overvecht",
        "Verantwoording",
        "Doorbreken criminele carrières",
        "Doorbreken criminele geldstromen",
        "Preventie",
        "Mensen in de aanpak",
        "Nieuwe opnames",
        "2026-K1",
        "2026-K2",
    ):
        assert section in text, section
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    if os.environ.get("DOORBRAAK_KEEP_REPORT"):
        shutil.copy(pdf, os.environ["DOORBRAAK_KEEP_REPORT"])
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    page.close()
