"""The interface is Dutch: no English words or internal ids on the main pages of any role, and
every Dutch string has its English translation (the language switch)."""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from doorbraak.audit import services as audit
from doorbraak.web.navigation import items as nav_items
from tests.conftest import login

LOCALE = (
    Path(__file__).resolve().parent.parent / "src" / "doorbraak" / "locale" / "en" / "LC_MESSAGES"
)

# Internal ids (snake_case) and English words that have no place in the Dutch interface.
INTERNAL_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ENGLISH = {
    "the",
    "and",
    "with",
    "equal",
    "similar",
    "different",
    "missing",
    "initial",
    "surname",
    "swapped",
    "identity",
    "justice",
    "premises",
    "transactions",
    "education",
    "finance",
    "health",
    "page",
    "reason",
    "denied",
    "read",
    "deny",
    "reveal",
    "pseudonymised",
    "organisation",
    "purpose",
    "role",
    "case",
    "person",
    "roughly",
    "typo",
    "typos",
    "number",
    "street",
    "birth",
    "other",
    "comparisons",
    "yes",
    "no",
    "none",
}


class _Visible(HTMLParser):
    """Text a user sees or hears: element text and the accessible-name attributes, without
    scripts, styles and code samples, and without the language menu's own language names."""

    SKIP = {"script", "style", "code", "option"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


# Names Dutch practice uses as they are (the enforcement method "Knock and Talk" is called so in
# Dutch municipalities' own documents): not English left untranslated.
PROPER_NAMES = ("Knock and Talk",)


def _offences(text: str) -> list[str]:
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    found = set(INTERNAL_ID.findall(text))
    found |= {
        w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH and w not in {"API"}
    }
    return sorted(found)


@pytest.fixture
def busy_world(world):
    """The world with what the main pages show: a linkage run with a pair to review (explained
    by the model's English ids), audit entries with reasons, a retention run."""
    from doorbraak.entities.models import LinkageRun, ReviewPair
    from doorbraak.privacy.models import RetentionRun

    now = timezone.now()
    run = LinkageRun.objects.create(
        entity_type="person",
        started_at=now,
        finished_at=now,
        started_by="test",
        record_count=2,
        entity_count=1,
        review_count=1,
    )
    a, b = world.persons["subject_a"], world.persons["officer"]
    ReviewPair.objects.create(
        run=run,
        left_record=f"person-{a.pk}",
        right_record=f"person-{b.pk}",
        match_probability=0.7,
        explanation={
            "prior_match_weight": -10.0,
            "match_weight": 1.2,
            "comparisons": [
                {"comparison": "given_name", "level": "first initial equal", "match_weight": 1.0},
                {
                    "comparison": "surname",
                    "level": "surname similar (jw >= 0.92)",
                    "match_weight": 3.7,
                },
                {"comparison": "birth", "level": "All other comparisons", "match_weight": -4.0},
                {"comparison": "address", "level": "missing", "match_weight": 0.0},
            ],
        },
    )
    audit.record(
        "deny",
        user=world.users["school"],
        object_type="case",
        object_id=world.cases["b"].pk,
        purpose="casusaanpak",
        detail={"reason": "organisation does not take part in case"},
    )
    audit.record(
        "deny",
        user=world.users["analyst"],
        object_type="page",
        object_id="case_list",
        detail={"reason": "missing capability cases.view"},
    )
    audit.record(
        "reveal",
        user=world.users["analyst"],
        object_type="person",
        object_id=b.pk,
        purpose="risicoanalyse",
        categories=["identity"],
        detail={"reason": "Controle stroman bij garage"},
    )
    RetentionRun.objects.create(
        as_of=timezone.localdate(),
        run_by="systeem",
        summary={"counts": {"case": 1, "person": 2}, "total": 3},
    )
    return world


def _pages(world, role):
    extra = {
        "case_director": ["case_detail:a", "concern_create", "my_concerns"],
        "partner_professional": ["case_detail:a", "my_concerns"],
        "analyst": ["person_detail", "company_detail", "entity_review"],
        "enforcement_officer": ["company_detail", "entity_review"],
        "privacy_officer": ["audit_log", "retention"],
        "administrator": ["user_list", "user_create", "organisation_list", "organisation_covenant"],
    }.get(role, [])
    names = ["home"] + [i.url_name for i in nav_items()] + extra
    for name in dict.fromkeys(names):
        url_name, _sep, arg = name.partition(":")
        kwargs = {}
        if arg == "a":
            kwargs = {"pk": world.cases["a"].pk}
        elif url_name in {"person_detail"}:
            kwargs = {"pk": world.persons["officer"].pk}
        elif url_name == "company_detail":
            kwargs = {"pk": world.companies["garage"].pk}
        elif url_name == "organisation_covenant":
            kwargs = {"pk": world.orgs["school"].pk}
        try:
            yield name, reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:  # pragma: no cover - a page another app removed
            continue


ROLES = [
    "case_director",
    "partner_professional",
    "analyst",
    "enforcement_officer",
    "lawyer",
    "policy_staff",
    "privacy_officer",
    "administrator",
]


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_show_no_english_or_internal_ids(client, busy_world, role):
    login(client, busy_world.users[role])
    problems = {}
    seen = 0
    for name, url in _pages(busy_world, role):
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        seen += 1
        found = _offences(_visible(response.content.decode()))
        if found:
            problems[name] = found
    assert seen >= 2
    assert problems == {}, f"English or internal ids on the pages of {role}: {problems}"


def test_the_scan_catches_what_it_is_for():
    assert _offences(_visible("<p>Knock and Talk-bezoeken</p>")) == []
    assert _offences(_visible("<p>Knock and check</p>")) == ["and"]
    assert _offences(_visible("<td>given_name</td><td>first initial equal</td>")) == [
        "equal",
        "given_name",
        "initial",
    ]
    assert (
        _offences(
            _visible(
                "<p>Voornaam: eerste voorletter gelijk <code>doorbraak link_registers</code></p>"
            )
        )
        == []
    )


def _po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid " not in block:
            continue
        msgid = "".join(
            re.findall(
                r'"((?:[^"\\]|\\.)*)"',
                block.split("msgid ", 1)[1].split("msgstr", 1)[0].split("msgid_plural", 1)[0],
            )
        )
        if not msgid:
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        values = ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s)) for s in strs]
        yield msgid, values, "fuzzy" in block.split("msgid ", 1)[0]


def test_every_dutch_string_has_an_english_translation():
    missing = [m for m, values, fuzzy in _po_entries() if fuzzy or not all(values)]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for msgid, values, _fuzzy in _po_entries():
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if catalogue.gettext(unescaped) == unescaped and values and values[0] != msgid:
            if "%" not in unescaped or catalogue.ngettext(unescaped, unescaped, 1) == unescaped:
                stale.append(msgid)
    assert stale == [], "django.mo is older than django.po: run compilemessages"


def test_every_comparison_and_level_of_the_linkage_model_has_a_dutch_label():
    from doorbraak.entities.labels import COMPARISONS, LEVELS
    from doorbraak_analysis.linkage import model

    person = {
        "initials",
        "given_names",
        "surname_core",
        "surname_alt",
        "first_name",
        "birth_year",
        "birth_date",
        "bsn",
        "postcode",
        "house_number",
        "street",
        "city",
    }
    company = {
        "name_core",
        "name_trade",
        "kvk_number",
        "legal_form",
        "postcode",
        "house_number",
        "street",
        "city",
    }
    comparisons = (
        model._person_comparisons(person)
        + model._person_comparisons(person - {"given_names"})
        + model._company_comparisons(company)
    )
    assert {name for name, _null, _levels in comparisons} - set(COMPARISONS) == set()
    assert {lv[0] for _n, _null, levels in comparisons for lv in levels} - set(LEVELS) == set()
    assert {"missing", "All other comparisons"} <= set(LEVELS)


def test_review_queue_explains_in_dutch_and_in_english(client, busy_world):
    login(client, busy_world.users["analyst"])
    nl = client.get(reverse("entity_review")).content.decode()
    assert "voornaam" in nl and "eerste voorletter gelijk" in nl and "achternaam lijkt sterk" in nl
    assert "first initial equal" not in nl and "given_name" not in nl
    en = client.get(reverse("entity_review"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "first initial equal" in en and "given name" in en and "eerste voorletter" not in en


def test_monitoring_tables_follow_the_language(client, world):
    login(client, world.users["policy_staff"])
    assert "Mensen in de aanpak" in client.get(reverse("monitoring")).content.decode()
    en = client.get(reverse("monitoring"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "People in the approach" in en and "Mensen in de aanpak" not in en
