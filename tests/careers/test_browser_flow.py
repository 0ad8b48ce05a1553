"""Issue 3 in a real browser (Debian's Chromium, driven by Playwright): the main flow of case
management, clicked and typed as its users would.

A police professional registers a concern; the case director holds the case conference and
includes the person with criteria, reasons, legal basis, partners and a review date; sets the
lead professional and the contact cadence, adds a goal on a ZRM life domain with an action, and
enrols the person in a programme; the lead professional logs a contact; the daily job, run for a
later date, raises a missed-contact alert that the director sees; the periodic review with the
three-step proportionality test ends in exit, and the case is closed (which starts its retention
period). Nothing is loaded from outside the application, and the reads are audited."""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

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

CADENCE = 10  # days between contacts, set in the plan
CRITERIA = [
    (
        "doorgroeier",
        "Jongere (tot 27 jaar) met signalen van doorgroei naar (drugs)criminaliteit",
        10,
    ),
    ("ronselen", "Signalen van ronselen, geldezel- of koeriersactiviteiten", 30),
    (
        "meerdere-domeinen",
        "Problemen op meerdere leefgebieden waarvoor samenwerking van partners nodig is",
        60,
    ),
]


# the browser and the second-factor code are shared with the role walk
from tests.test_browser import _code, browser  # noqa: E402, F401, F811 (a pytest fixture, shared)


class Session:
    """One user's browser context; records every request that leaves the application and every
    server error, for all pages of the context."""

    def __init__(self, browser, live_server, user):
        self.base = live_server.url
        self.context = browser.new_context(locale="nl-NL")
        self.context.set_default_timeout(15_000)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._request)
        self.context.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
        self.page = self.context.new_page()
        self._login(user)

    def _request(self, request):
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname not in {
            "localhost",
            "127.0.0.1",
        }:
            self.outside.append(url)

    def _login(self, user):
        page = self.page
        page.goto(f"{self.base}/")
        assert "/inloggen/" in page.url
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(f.PASSWORD)
        page.get_by_label("Verificatiecode").fill(_code(user))
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        assert "/inloggen/" not in page.url, page.get_by_role("alert").all_inner_texts()

    def expect_h1(self, text: str):
        """Wait for the page with this main heading (the click before may still be navigating)."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(text)

    def save(self, name: str = "Opslaan"):
        self.page.get_by_role("button", name=name).click()
        self.page.wait_for_load_state()

    def expect_status(self, text: str):
        """The confirmation the page shows after a save (role=status)."""
        expect(self.page.get_by_role("status").filter(has_text=text)).to_be_visible()

    def close(self):
        self.context.close()


def _nl(d) -> str:
    with translation.override("nl"):
        return formats.date_format(d)


@pytest.mark.django_db(transaction=True)
def test_main_flow_concern_to_exit(live_server, browser, world):
    from doorbraak.audit.models import AuditEntry
    from doorbraak.careers.models import (
        Alert,
        Case,
        CaseDecision,
        CaseStatus,
        Contact,
        Enrolment,
        InclusionCriterion,
        Intervention,
        Programme,
        Review,
    )
    from doorbraak.privacy import retention

    today = timezone.localdate()
    director, agent = world.users["case_director"], world.users["partner_professional"]
    politie, school = world.orgs["politie"], world.orgs["school"]
    # The checklist a migration seeds (a flush by an earlier transactional test removes it).
    for code, label, order in CRITERIA:
        InclusionCriterion.objects.get_or_create(
            code=code, defaults={"label": label, "order": order}
        )
    intervention = Intervention.objects.create(
        name="Stage met status", provider="ROC (test)", recognition="nieuw", type="internship"
    )
    Programme.objects.create(
        name="Stage met baangarantie",
        intervention=intervention,
        capacity=2,
        owner=director,
        has_job_guarantee=True,
        no_reoffending_months=6,
    )

    sessions = []
    try:
        # 1. A police professional registers a concern (aanmelding).
        partner = Session(browser, live_server, agent)
        sessions.append(partner)
        page = partner.page
        partner.expect_h1("Casussen van uw organisatie")
        page.get_by_role(
            "link", name="Zorg over een persoon aanmelden bij het casusoverleg"
        ).click()
        partner.expect_h1("Aanmelding (zorg over een persoon)")
        assert (
            page.get_by_label("Datum aanmelding").input_value() == today.isoformat()
        )  # prefilled, ISO for the browser
        page.get_by_label("Voornamen").fill("Noor")
        page.get_by_label("Achternaam").fill("Testgezin")
        page.get_by_label("Geboortedatum").fill("2009-03-14")
        page.get_by_label("Zorg en aanleiding").fill(
            "Gezien bij een dealpand; signalen van ronselen op school."
        )
        partner.save()
        partner.expect_h1("Mijn aanmeldingen")  # the partner follows what becomes of the concern
        partner.expect_status("Aanmelding geregistreerd")
        expect(page.get_by_role("row").filter(has_text="Noor Testgezin")).to_contain_text(
            "wacht op het casusoverleg"
        )
        assert not Case.objects.filter(
            subject__given_names="Noor"
        ).exists()  # a concern is not an inclusion

        # 2. The case director holds the case conference and decides to include.
        regie = Session(browser, live_server, director)
        sessions.append(regie)
        page = regie.page
        regie.expect_h1("Procesregie")
        page.get_by_role("link", name="aanmeldingen voor het casusoverleg").click()
        regie.expect_h1("Aanmeldingen voor het casusoverleg")
        row = page.get_by_role("row").filter(has_text="Noor Testgezin")
        assert "Politie Midden-Nederland" in row.inner_text()
        row.get_by_role("link", name="Besluit vastleggen").click()
        regie.expect_h1("Besluit casusoverleg")
        expect(page.get_by_text("signalen van ronselen op school")).to_be_visible()
        assert page.get_by_label("Datum casusoverleg").input_value() == today.isoformat()
        page.get_by_label("Opnemen als individuele casus").check()
        page.get_by_label(CRITERIA[0][1]).check()
        page.get_by_label(CRITERIA[1][1]).check()
        page.get_by_label("Criteria (toelichting)").fill(
            "Politie en school zien dezelfde signalen."
        )
        page.get_by_label("Motivering").fill(
            "Zorgen op meerdere leefgebieden; vroeg ingrijpen biedt perspectief."
        )
        assert page.get_by_label("Grondslag").input_value().startswith("AVG art. 6")
        assert page.get_by_label(politie.name).is_checked()  # the reporting partner took part
        page.get_by_label(school.name).check()
        page.get_by_label("Toetsdatum").fill((today + timedelta(days=90)).isoformat())
        page.get_by_label("Einddatum opname").fill((today + timedelta(days=365)).isoformat())
        page.get_by_label("Contactfrequentie (dagen)").fill("14")
        regie.save("Besluit vastleggen")
        regie.expect_status("Besluit van het casusoverleg vastgelegd")
        case = Case.objects.get(subject__given_names="Noor", subject__surname="Testgezin")
        decision = CaseDecision.objects.get(case=case)
        assert decision.outcome == "individual" and decision.decided_on == today
        assert {c.code for c in decision.criteria.all()} == {"doorgroeier", "ronselen"}
        assert {p.code for p in decision.partners.all()} == {"politie", "school"}
        regie.expect_h1(f"Casus {case.reference}")
        expect(
            page.get_by_role("definition").filter(has_text="Noor Testgezin").first
        ).to_be_visible()
        expect(page.get_by_text("Zorgen op meerdere leefgebieden")).to_be_visible()
        expect(page.get_by_text("Opnemen als individuele casus")).to_be_visible()

        # 3. The plan: lead professional and contact cadence, a goal on a life domain, an action.
        page.get_by_role("link", name="Regiehouder en contactfrequentie").click()
        page.get_by_label("Regiehouder").select_option(label=f"{agent.username} ({politie.name})")
        assert page.get_by_label("Contactfrequentie (dagen)").input_value() == "14"
        page.get_by_label("Contactfrequentie (dagen)").fill(str(CADENCE))
        regie.save()
        regie.expect_status("Plan bijgewerkt")
        expect(page.get_by_text(f"contact minstens elke {CADENCE} dagen")).to_be_visible()
        expect(page.get_by_role("definition").filter(has_text=agent.username)).to_be_visible()

        page.get_by_role("link", name="Doel toevoegen").click()
        page.get_by_label("Voor persoon").select_option(label="Noor Testgezin")
        page.get_by_label("Leefgebied").select_option(label="Werk & opleiding")
        page.get_by_label("Doel").fill("Noor haalt een startkwalificatie")
        regie.save()
        regie.expect_status("Doel toegevoegd")
        expect(
            page.get_by_role("heading", name="Werk & opleiding: Noor haalt een startkwalificatie")
        ).to_be_visible()

        page.get_by_role("link", name="Actie toevoegen").click()
        page.get_by_label("Doel").select_option(
            label="Werk & opleiding: Noor haalt een startkwalificatie"
        )
        page.get_by_label("Actie").fill("Gesprek met mentor en leerplicht")
        page.get_by_label("Organisatie (eigenaar)").select_option(label=politie.name)
        page.get_by_label("Uitvoerder").fill("Wijkagent Centrum")
        page.get_by_label("Uiterlijk").fill((today + timedelta(days=21)).isoformat())
        regie.save()
        regie.expect_status("Actie toegevoegd")
        action_row = page.get_by_role("row").filter(has_text="Gesprek met mentor en leerplicht")
        assert (
            "Wijkagent Centrum" in action_row.inner_text()
            and politie.name in action_row.inner_text()
        )

        # 4. Enrolment in a programme with places.
        page.get_by_role("link", name="Aanmelden voor programma").click()
        page.get_by_label("Programma").select_option(
            label="Stage met baangarantie (0/2 bezet, 0 wachtend)"
        )
        page.get_by_label("Persoon").select_option(label="Noor Testgezin")
        assert page.get_by_label("Aangemeld op").input_value() == today.isoformat()
        regie.save()
        regie.expect_status("Aangemeld")
        enrol_row = page.get_by_role("row").filter(has_text="Stage met baangarantie")
        assert "Deelnemer" in enrol_row.inner_text()
        assert Enrolment.objects.get(case=case).status == "active"

        # 5. The lead professional (police) sees the case and its action, and logs a contact.
        page = partner.page
        page.goto(f"{partner.base}/")
        expect(
            page.get_by_role("row").filter(has_text="Gesprek met mentor en leerplicht")
        ).to_be_visible()
        page.get_by_role("link", name=case.reference).first.click()
        partner.expect_h1(f"Casus {case.reference}")
        page.get_by_role("link", name="Contact vastleggen").click()
        page.get_by_label("Persoon").select_option(label="Noor Testgezin")
        assert page.get_by_label("Datum").input_value() == today.isoformat()
        page.get_by_label("Soort contact").select_option(label="Face-to-face")
        page.get_by_label("Verslag").fill("Gesprek op het bureau; afspraken over school.")
        partner.save()
        partner.expect_status("Contact vastgelegd")
        contact_row = page.get_by_role("row").filter(has_text="Gesprek op het bureau")
        assert (
            "Face-to-face" in contact_row.inner_text() and politie.name in contact_row.inner_text()
        )
        assert Contact.objects.get(case=case).organisation == politie

        # 6. The daily job on a simulated clock: on the cadence day nothing, one day later an alert.
        call_command("careers_daily", "--today", str(today + timedelta(days=CADENCE)))
        assert not Alert.objects.filter(case=case).exists()
        call_command("careers_daily", "--today", str(today + timedelta(days=CADENCE + 1)))
        assert list(Alert.objects.filter(case=case).values_list("kind", flat=True)) == [
            "contact_missed"
        ]
        page = regie.page
        page.goto(f"{regie.base}/")
        regie.expect_h1("Procesregie")
        alert_rows = page.get_by_role("row").filter(has_text="Niet gezien binnen contactfrequentie")
        home_alert = alert_rows.filter(
            has=page.get_by_role("link", name=case.reference, exact=True)
        )
        assert f"niet gezien sinds {today:%d-%m-%Y} ({CADENCE + 1} dagen" in home_alert.inner_text()
        home_alert.get_by_role("link", name=case.reference).click()
        regie.expect_h1(f"Casus {case.reference}")
        case_alerts = page.get_by_role("status").filter(
            has=page.get_by_role("heading", name="Meldingen")
        )
        assert "Niet gezien binnen contactfrequentie" in case_alerts.inner_text()
        assert f"afgesproken elke {CADENCE} dagen" in case_alerts.inner_text()

        # 7. The periodic review: the three-step proportionality test, outcome exit.
        page.get_by_role("link", name="Periodieke toets").click()
        assert page.get_by_label("Datum toets").input_value() == today.isoformat()
        regie.save()  # nothing filled in: a clear error, nothing saved
        expect(page.get_by_role("alert").filter(has_text="Er is niets opgeslagen")).to_be_visible()
        assert not Review.objects.filter(case=case).exists()
        page.get_by_label("Geschikt").fill("De aanpak heeft Noor weer naar school gebracht.")
        page.get_by_label("Noodzakelijk").fill(
            "Zonder de partners samen lukt het niet; lichtere middelen zijn geprobeerd."
        )
        page.get_by_label("Evenwichtig").fill(
            "Het doel is bereikt; verder vasthouden staat niet meer in verhouding."
        )
        page.get_by_label("Uitstromen (casus sluiten)").check()
        page.get_by_label("Reden van uitstroom (bij uitstromen)").select_option(
            label="Doelen bereikt"
        )
        # exit asks what becomes of the open enrolment and action (issue 10)
        page.get_by_label("Bij uitstromen — Stage met baangarantie (Deelnemer)").select_option(
            label="Overdragen aan reguliere zorg"
        )
        page.get_by_label("Bij uitstromen — actie: Gesprek met mentor en leerplicht").select_option(
            label="Beëindigen"
        )
        regie.save()
        regie.expect_status("Toets vastgelegd")
        expect(page.get_by_role("row").filter(has_text="Stage met baangarantie")).to_contain_text(
            "Overgedragen aan reguliere zorg"
        )
        expect(
            page.get_by_role("row").filter(has_text="Gesprek met mentor en leerplicht")
        ).to_contain_text("Vervallen")

        # 8. The case is closed; its retention period starts on the closing date.
        closed = page.get_by_role("definition").filter(has_text="Afgesloten")
        assert f"afgesloten op {_nl(today)}" in closed.inner_text()
        review_row = page.get_by_role("row").filter(has_text="Uitstromen (casus sluiten)")
        assert "Zonder de partners samen lukt het niet" in review_row.inner_text()
        expect(page.get_by_role("link", name="Contact vastleggen")).to_have_count(
            0
        )  # nothing can be added any more
        expect(page.get_by_role("heading", name="Meldingen")).to_have_count(
            0
        )  # the alert was resolved
        page.goto(f"{regie.base}/")
        regie.expect_h1("Procesregie")
        expect(alert_rows.filter(has_text=case.reference)).to_have_count(
            0
        )  # the world's other cases keep theirs
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.closed_on == today
        assert not Alert.objects.filter(case=case, resolved_on__isnull=True).exists()
        keep = timedelta(days=case.case_type.retention_days)
        assert "case" not in {
            r["object_type"] for r in retention.preview(today + keep - timedelta(days=1))
        }
        assert "case" in {
            r["object_type"] for r in retention.preview(today + keep + timedelta(days=1))
        }

        # Nothing left the application, and no page failed.
        for s in sessions:
            assert s.outside == [], s.outside
            assert s.errors == [], s.errors
    finally:
        for s in sessions:
            s.close()

    # Every read of personal data was audited, per user.
    reads = AuditEntry.objects.filter(action="read")
    assert reads.filter(
        object_type="concern", username=director.username
    ).exists()  # list and decision page
    assert (
        reads.filter(object_type="case", object_id=str(case.pk), username=director.username).count()
        >= 5
    )
    assert (
        reads.filter(object_type="case", object_id=str(case.pk), username=agent.username).count()
        >= 2
    )
    writes = set(AuditEntry.objects.exclude(action="read").values_list("object_type", flat=True))
    assert {
        "concern",
        "case_decision",
        "case",
        "plan_goal",
        "plan_action",
        "enrolment",
        "case_contact",
        "case_review",
        "careers_daily",
    } <= writes
    assert re.fullmatch(r"DBR-\d{4}-\d{4}", case.reference)
