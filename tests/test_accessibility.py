"""Accessibility (WCAG 2.1 AA, a legal duty for Dutch government sites) checked by axe-core in a
real browser over every page of every role.

A small demo city is built (cases, families, programmes, registers, imports, linked entities,
bank sector figures), then each demo account logs in through the login form and walks the
application: from its home page it follows every link within the application, visiting each
kind of page (URL pattern plus the names of its query parameters) once, so that lists, detail
pages of real objects, forms and pagination are all reached. On every page axe-core (from npm,
``node_modules/axe-core``, injected from disk: never a CDN) runs, and no serious or critical
violation may remain. The walk also checks that every page answers without a server error and
that no request leaves the application, and that together the roles reached every HTML page
of the URLconf (a page added later is checked as soon as some role can reach it by a link)."""

from __future__ import annotations

import os
import shutil
import time
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from tests import factories as f

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core is not installed (make install runs npm ci)"
    ),
]

# the browser is shared with the role walk
from tests.test_browser import browser  # noqa: E402, F401 (a pytest fixture, shared)

# One demo account per role, and two partners whose covenant grants differ (police, school).
ACCOUNTS = [
    "regisseur",
    "politie",
    "school",
    "analist",
    "handhaver",
    "jurist",
    "beleid",
    "privacy",
    "beheer",
    "programma",
    "gebied",
]

# Not walked: downloads, the JSON API and its schema, Django's own admin, and the language switch.
SKIP_PREFIXES = ("/static/", "/api/v1/", "/api/schema/", "/django-admin/", "/i18n/")
SKIP_SUFFIXES = (".csv", ".json", ".zip", ".ftm", ".pdf")

# URL names in the URLconf that are not HTML pages a link leads to, each with why.
NOT_PAGES = {
    "logout": "POST only",
    "set_language": "POST only (the language switch)",
    "favicon": "an icon",
    "schema": "OpenAPI schema (JSON/YAML)",
    "monitoring_export": "CSV download",
    "monitoring_report_pdf": "PDF download (the council report)",
    "monitoring_report_csv": "CSV download (one table of the report)",
    "monitoring_refresh": "POST only (policy staff queue the monitoring figures job)",
    "audit_export": "CSV download",
    "subject_access_export": "download",
    "entity_judge": "POST only (a reviewer's judgement)",
    "entity_export": "download",
    "person_reveal": "POST only (reveal with a reason)",
    "action_status": "POST only",
    "alert_resolve": "POST only",
    "enrolment_update": "POST only",
    "user_set_active": "POST only (administrator deactivates or reactivates)",
    "user_reset_second_factor": "POST only (administrator resets a second factor)",
    "entity_link": "POST only (the analyst starts a linkage run)",
    "health": "JSON for monitoring (/gezondheid/), no page",
    "health_en": "JSON for monitoring (/health/), no page",
    "job_result": "download of a job's result file",
    "enforcement_action_findings": "POST only (findings form on the action page)",
    "enforcement_decision_approve": "POST only (four eyes: approve on the decision page)",
    "enforcement_decision_issue": "POST only (issue form on the decision page)",
    "enforcement_objection_create": "POST only (objection form on the decision page)",
    "enforcement_objection_decide": "POST only (objection outcome on the decision page)",
    "sso_start": "redirect to the identity provider (404 unless single sign-on is configured)",
    "oidc_authentication_callback": "redirect back from the identity provider (no page)",
    "otp_verify": "only in a single-sign-on session without the provider's MFA (tests/test_sso.py)",
    "risk_map_data": "JSON for the risk map (static/risk/map.js)",
    "risk_export_csv": "CSV download of the ranked list",
    "risk_export_pdf": "PDF download of the ranked list",
    "risk_run_start": "POST only (an analyst starts a risk run)",
    "risk_rule_set_adopt": "POST only (an analyst adopts a draft rule set)",
    "risk_algorithm_register_json": "JSON of the Algoritmeregister entry",
}

SERIOUS = ("serious", "critical")
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')
                                                   .replace(/\\s+/g, ' ').slice(0, 200))})))"""


def _page_kind(path_and_query: str):
    parsed = urlparse(path_and_query)
    try:
        match = resolve(parsed.path)
    except Resolver404:
        return None
    return match.url_name, tuple(
        sorted({k for k, _ in parse_qsl(parsed.query, keep_blank_values=True)})
    )


def _url_names(resolver=None, prefix=""):
    """Every named URL pattern of the URLconf except the ones under the skipped prefixes."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(tuple(p.lstrip("/") for p in SKIP_PREFIXES)):
            continue
        if isinstance(entry, URLResolver):
            names |= _url_names(entry, route)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


@pytest.fixture
def demo_city(db, settings, tmp_path, demo_mode):
    from django.core.management import call_command
    from django.utils import timezone

    from doorbraak.careers.models import Concern
    from doorbraak.demo.generator import build_demo_city
    from doorbraak.demo.registers import build_demo_registers
    from doorbraak.partners.models import User
    from doorbraak.registers.models import Person

    settings.VAR_DIR = tmp_path
    started = time.monotonic()
    build_demo_city(businesses=300, cases=24)
    build_demo_registers(tmp_path / "extracts")
    call_command("demo_bank", "--transactions", "20000", "--seed", "5")
    # a concern waiting for the case conference (the demo city has decided them all)
    police = User.objects.get(username="politie")
    Concern.objects.create(
        person=Person.objects.filter(concerns=None).first(),
        organisation=police.organisation,
        reported_by=police,
        received_on=timezone.localdate(),
        description="Signalen van ronselen rond de school.",
    )
    return time.monotonic() - started


class Walk:
    def __init__(self, browser, base: str):
        self.browser = browser
        self.base = base
        self.host = urlparse(base).netloc
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.visited: dict[str, set] = {}
        self.axe_seconds = 0.0
        self.csp_refusals: list[str] = []

    def context(self, **kwargs):
        """A browser context that enforces the pages' CSP, serves axe-core from the site's own
        address and records every refusal by the CSP (an inline script or style left over)."""
        context = self.browser.new_context(locale="nl-NL", **kwargs)
        context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE)))
        context.on("console", self._console)
        return context

    def _console(self, message):
        from tests.test_csp_browser import own_code_refused

        if own_code_refused(message.text):
            self.csp_refusals.append(f"{(message.location or {}).get('url')}: {message.text}")

    def _request(self, request):
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname not in {
            "localhost",
            "127.0.0.1",
        }:
            self.outside.append(url)

    def _failed(self, request):
        # A request the page's Content-Security-Policy stopped in the browser never left it.
        if request.failure == "csp" and request.url in self.outside:
            self.outside.remove(request.url)

    def _check(self, page, who: str, path: str):
        started = time.monotonic()
        # From this site's own address (served from disk by the context's route): the pages'
        # Content-Security-Policy allows scripts from 'self' only, never an inline one.
        page.add_script_tag(url=f"{self.base}{AXE_URL}")
        found = page.evaluate(AXE_RUN)
        self.axe_seconds += time.monotonic() - started
        for v in found:
            self.violations.append(
                f"{who} {path}: [{v['impact']}] {v['id']} ({v['help']})\n      "
                + "\n      ".join(v["nodes"])
            )

    def login(self, page, username: str):
        from doorbraak.demo.accounts import DEMO_PASSWORD, current_code, needs_second_factor
        from doorbraak.partners.models import User

        page.goto(f"{self.base}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        if needs_second_factor(User.objects.get(username=username).role):
            page.get_by_label("Verificatiecode").fill(current_code(username))
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        assert "/inloggen/" not in page.url, (username, page.get_by_role("alert").all_inner_texts())

    def walk(self, who: str, start: list[str], login_as: str | None = None, follow: bool = True):
        context = self.context()
        context.set_default_timeout(20_000)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        page = context.new_page()
        if login_as:
            self.login(page, login_as)
        seen = self.visited.setdefault(who, set())
        queue = deque(start)
        while queue:
            path = queue.popleft()
            kind = _page_kind(path)
            if kind is None or kind in seen:
                continue
            seen.add(kind)
            response = page.goto(self.base + path)
            page.wait_for_load_state("load")
            if response is None or response.status >= 500:
                self.errors.append(f"{who} {path}: {response and response.status}")
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            if kind[0] == "api_docs":
                page.get_by_role("heading", name="Doorbraak API").first.wait_for()
            self._check(page, who, path)
            if not follow:
                continue
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                url = urlparse(href)
                if (
                    url.netloc != self.host
                    or url.path.startswith(SKIP_PREFIXES)
                    or url.path.endswith(SKIP_SUFFIXES)
                ):
                    continue
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
        context.close()
        print(f"{who}: {len(seen)} kinds of page", flush=True)


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_has_no_serious_accessibility_violations(
    live_server, browser, demo_city
):
    from doorbraak.careers.models import Case, CaseKind, CaseStatus
    from doorbraak.partners.models import Organisation, Role

    started = time.monotonic()
    print(f"\ndemo city built in {demo_city:.0f} s", flush=True)
    walk = Walk(browser, live_server.url)
    # Before logging in: the login page and a page that does not exist.
    walk.walk("anonymous", ["/inloggen/", "/bestaat-niet/"])
    # the walk takes the first page of each kind it finds; a family case's board is started from
    family = Case.objects.filter(kind=CaseKind.FAMILY, status=CaseStatus.OPEN).first()
    extra = {"regisseur": [reverse("family_board", args=[family.pk])]}
    for username in ACCOUNTS:
        walk.walk(username, ["/", "/bestaat-niet/", *extra.get(username, [])], login_as=username)
    # A refused page (403) and the second-factor set-up a new account sees first.
    walk.walk("beleid (403)", ["/audit/"], login_as="beleid", follow=False)
    newcomer = f.UserFactory(
        username="nieuw", role=Role.ANALYST, organisation=Organisation.objects.first()
    )
    newcomer.totpdevice_set.all().delete()
    context = walk.context()
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("nieuw")
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/tweede-factor/" in page.url
    walk._check(page, "nieuw", "/tweede-factor/instellen/")
    walk.visited["nieuw"] = {("otp_setup", ())}
    context.close()

    pages = sum(len(kinds) for kinds in walk.visited.values())
    print(
        f"axe-core over {pages} pages of {len(walk.visited)} users in {time.monotonic() - started:.0f} s "
        f"({walk.axe_seconds:.0f} s in axe)"
    )
    assert walk.errors == []
    assert walk.outside == []
    assert walk.csp_refusals == [], "\n".join(walk.csp_refusals)
    assert walk.violations == [], "\n".join(walk.violations)

    reached = {name for kinds in walk.visited.values() for name, _ in kinds}
    unreached = _url_names() - reached - NOT_PAGES.keys()
    print("not reached:", sorted(unreached))
    assert unreached == set(), (
        "HTML pages no role reached by a link (link them, or add them to NOT_PAGES with why): "
        f"{sorted(unreached)}"
    )
