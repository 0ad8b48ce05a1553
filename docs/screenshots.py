"""Refresh the screenshots in docs/ from a running demo (headless Chromium, Debian's chromium).

    DOORBRAAK_DEMO_MODE=1 DOORBRAAK_VAR_DIR=var/demo .venv/bin/doorbraak demo 127.0.0.1:8180 &
    DOORBRAAK_DEMO_MODE=1 DOORBRAAK_VAR_DIR=var/demo .venv/bin/python docs/screenshots.py http://127.0.0.1:8180

Logs in as the demo accounts with their current second-factor codes (read from the demo database)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def main(base: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from doorbraak.demo.accounts import DEMO_PASSWORD, demo_accounts_with_codes

    codes = {row["username"]: row["code"] for row in demo_accounts_with_codes()}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )

        def session(username: str):
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.goto(f"{base}/")
            page.get_by_label("Gebruikersnaam").fill(username)
            page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
            if codes.get(username):
                page.get_by_label("Verificatiecode").fill(codes[username])
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_load_state()
            return page

        analyst = session("analist")
        analyst.screenshot(path=DOCS / "screenshot-analyst.png")
        analyst.goto(f"{base}/geldstromen/sectoren/?area=Nieuw+Overvecht")
        analyst.screenshot(path=DOCS / "screenshot-sectors.png", full_page=True)
        director = session("regisseur")
        late = director.locator("#te-laat")
        if late.count():  # what is overdue, marked "te laat"
            director.evaluate("document.getElementById('te-laat').scrollIntoView()")
        director.screenshot(path=DOCS / "screenshot-case-director.png")
        case = director.locator("tr[data-overdue-case] a").first
        if case.count():
            case.click()
            director.wait_for_load_state()
            director.screenshot(path=DOCS / "screenshot-case.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8180")
