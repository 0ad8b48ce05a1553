"""Issue 10: ids too large for the database, unbounded free text and implausible dates are bad
input: a clear 400 (or 404 for an object that cannot exist), never a 500, and nothing stored."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLResolver, get_resolver, reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import Concern
from doorbraak.limits import REASON_MAX, TEXT_MAX
from doorbraak.registers.models import Person
from tests.conftest import login

BIG = 10**30  # far beyond a 64-bit integer
ROLES = [
    "case_director",
    "partner_professional",
    "analyst",
    "enforcement_officer",
    "privacy_officer",
    "administrator",
]
ACCEPTED = {302, 400, 403, 404, 405}

FORM_IDS = {
    name: str(BIG)
    for name in (
        "goal",
        "person",
        "organisation",
        "partners",
        "programme",
        "coach",
        "family_case",
        "lead_professional",
        "from_person",
        "to_person",
        "pair",
        "criteria",
        "source",
        "intervention",
        "gezin",
    )
}
API_IDS = {
    "goal_id": BIG,
    "person_id": BIG,
    "organisation_id": BIG,
    "partner_ids": [BIG],
    "criteria_ids": [BIG],
    "programme_id": BIG,
    "family_case_id": BIG,
    "from_person_id": BIG,
    "to_person_id": BIG,
}


def _routes(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def _with_ids(route: str, value) -> str:
    url = re.sub(r"<int:\w+>", str(value), route)
    return "/" + re.sub(r"<str:\w+>", f"per-{value}", url)


ID_ROUTES = sorted(
    {r for r in _routes() if ("<int:" in r or "<str:" in r) and not r.startswith("django-admin")}
)


def test_the_sweep_covers_the_web_and_the_api():
    assert any(r.startswith("api/") for r in ID_ROUTES) and any(
        r.startswith("casussen/") for r in ID_ROUTES
    )
    assert len(ID_ROUTES) > 30


@pytest.mark.parametrize("role", ROLES)
def test_an_id_too_large_in_any_url_is_not_found_never_a_500(client, world, role):
    login(client, world.users[role])
    bad = []
    for route in ID_ROUTES:
        url = _with_ids(route, BIG)
        for response in (
            client.get(url),
            client.post(url, FORM_IDS),
            client.post(url, API_IDS, content_type="application/json"),
        ):
            if response.status_code not in ACCEPTED:
                bad.append((url, response.status_code))
    assert bad == []


@pytest.mark.parametrize("role", ["case_director", "partner_professional", "analyst"])
def test_an_id_too_large_in_a_form_or_body_is_a_400_never_a_500(client, world, role):
    """Real objects in the URL, ids too large for the database in the form or JSON body."""
    login(client, world.users[role])
    real = {"<int:pk>": world.cases["a"].pk}
    bad = []
    for route in ID_ROUTES + ["api/v1/careers/concerns/", "aanmeldingen/nieuw/"]:
        url = "/" + re.sub(r"<int:\w+>", str(real["<int:pk>"]), route).lstrip("/")
        url = re.sub(r"<str:\w+>", "per-1", url)
        for response in (
            client.post(url, FORM_IDS),
            client.post(url, API_IDS, content_type="application/json"),
        ):
            if response.status_code >= 500 or response.status_code == 201:
                bad.append((url, response.status_code))
    assert bad == []


def test_decision_with_an_id_too_large_as_partner_is_a_clear_400(client, world):
    concern = Concern.objects.create(
        person=world.persons["subject_a"],
        organisation=world.orgs["politie"],
        received_on="2026-01-05",
        description="Signalen van ronselen.",
    )
    login(client, world.users["case_director"])
    before = AuditEntry.objects.filter(action="create").count()
    web = client.post(
        reverse("concern_decide", kwargs={"pk": concern.pk}),
        {
            "decided_on": "2026-01-10",
            "outcome": "not_included",
            "reasons": "Geen doorgroeier.",
            "legal_basis": "AVG",
            "partners": [str(BIG)],
        },
    )
    assert web.status_code == 400
    api = client.post(
        reverse("api_concern_decision", kwargs={"pk": concern.pk}),
        {
            "decided_on": "2026-01-10",
            "outcome": "not_included",
            "reasons": "Geen doorgroeier.",
            "legal_basis": "AVG",
            "partner_ids": [BIG],
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and api["Content-Type"].startswith("application/problem+json")
    assert "partner_ids" in {p["name"].split(".")[0] for p in api.json()["invalidParams"]}
    assert AuditEntry.objects.filter(action="create").count() == before
    concern.refresh_from_db()
    assert concern.status == "open"


def test_an_action_with_an_id_too_large_as_owner_is_a_clear_400(client, world):
    from doorbraak.careers.models import Goal, PlanAction

    goal = Goal.objects.create(
        case=world.cases["a"], domain="financien", description="Schulden in beeld"
    )
    login(client, world.users["case_director"])
    body = {
        "description": "Aanmelden schuldhulp",
        "owner_name": "J. Jansen",
        "due_on": "2026-12-01",
    }
    web = client.post(
        reverse("action_create", kwargs={"pk": world.cases["a"].pk}),
        {**body, "goal": goal.pk, "organisation": str(BIG)},
    )
    assert web.status_code == 400
    api = client.post(
        reverse("api_actions", kwargs={"pk": world.cases["a"].pk}),
        {**body, "goal_id": goal.pk, "organisation_id": BIG},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert [p["name"] for p in api.json()["invalidParams"]] == ["organisation_id"]
    assert not PlanAction.objects.exists()


# --- free text -----------------------------------------------------------------------------


def test_a_megabyte_reveal_reason_is_refused_and_nothing_revealed(client, world):
    person = world.persons["officer"]
    login(client, world.users["analyst"])
    response = client.post(
        reverse("person_reveal", kwargs={"pk": person.pk}), {"reason": "Onderzoek " * 100_000}
    )
    assert response.status_code == 400
    assert f"ten hoogste {REASON_MAX} tekens" in response.content.decode()
    assert not AuditEntry.objects.filter(action="reveal").exists()
    assert (
        person.full_name
        not in client.get(reverse("person_detail", kwargs={"pk": person.pk})).content.decode()
    )
    ok = client.post(
        reverse("person_reveal", kwargs={"pk": person.pk}), {"reason": "Bibob-onderzoek 2026-17"}
    )
    assert ok.status_code == 302 and AuditEntry.objects.filter(action="reveal").count() == 1


CONCERN = {"given_names": "Kai", "surname": "Lengtetest", "received_on": "2026-01-05"}


@pytest.mark.parametrize("size", [TEXT_MAX + 1, 2 * 1024 * 1024])
def test_an_oversized_concern_description_is_refused_on_the_web_and_the_api(client, world, size):
    login(client, world.users["partner_professional"])
    before = (Concern.objects.count(), Person.objects.count())
    web = client.post(reverse("concern_create"), {**CONCERN, "description": "z" * size})
    assert web.status_code == 400 and web.context["form"].errors["description"]
    api = client.post(
        reverse("api_concerns"),
        {**CONCERN, "description": "z" * size},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert [p["name"] for p in api.json()["invalidParams"]] == ["description"]
    assert (Concern.objects.count(), Person.objects.count()) == before
    ok = client.post(
        reverse("api_concerns"),
        {**CONCERN, "description": "z" * TEXT_MAX},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_an_oversized_text_is_refused_by_the_action_itself(world):
    from django.core.exceptions import ValidationError

    from doorbraak.careers import actions

    user = world.users["partner_professional"]
    user.is_verified = lambda: True
    with pytest.raises(ValidationError) as err:
        actions.do_report_concern(
            user,
            given_names="Kai",
            surname="Lengtetest",
            received_on=date(2026, 1, 5),
            description="z" * (TEXT_MAX + 1),
        )
    assert "description" in err.value.message_dict


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "ok"), [("2090-03-01", False), ("1850-01-01", False), ("2008-05-17", True)]
)
def test_a_future_or_implausible_birth_date_is_refused(client, world, birth_date, ok):
    login(client, world.users["partner_professional"])
    before = Person.objects.count()
    body = {**CONCERN, "description": "Signalen van ronselen op school.", "birth_date": birth_date}
    api = client.post(reverse("api_concerns"), body, content_type="application/json")
    if ok:
        assert api.status_code == 201
        return
    assert api.status_code == 400, api.content
    assert [p["name"] for p in api.json()["invalidParams"]] == ["birth_date"]
    web = client.post(reverse("concern_create"), body)
    assert web.status_code == 400 and web.context["form"].errors["birth_date"]
    assert Person.objects.count() == before


def test_entity_search_refuses_a_birth_year_in_the_future(client, world):
    login(client, world.users["analyst"])
    response = client.get(reverse("entity_search"), {"q": "Jansen", "geboortejaar": "2090"})
    assert "Geef een geboortejaar op" in response.content.decode()


def test_oversized_text_through_the_general_api_is_refused(client, world):
    from doorbraak.careers.models import CaseRecord
    from doorbraak.privacy.models import ProcessingActivity

    login(client, world.users["school"])
    before = CaseRecord.objects.count()
    response = client.post(
        reverse("api_case_records", kwargs={"pk": world.cases["a"].pk}),
        {
            "category": "education",
            "occurred_on": "2026-03-01",
            "title": "Stage",
            "text": "t" * (TEXT_MAX + 1),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and [
        p["name"] for p in response.json()["invalidParams"]
    ] == ["text"]
    assert CaseRecord.objects.count() == before
    login(client, world.users["privacy_officer"])
    activity = {
        "code": "test-lang",
        "name": "Test",
        "kind": "source",
        "controller": "gemeente-oov",
        "purpose": "casusaanpak",
        "legal_basis": "g" * (TEXT_MAX + 1),
        "data_categories": ["identity"],
        "retention_days": 30,
        "retention_action": "delete",
        "retention_trigger": "levering",
    }
    response = client.post(
        reverse("api_processing_activities"), activity, content_type="application/json"
    )
    assert response.status_code == 400 and "legal_basis" in {
        p["name"] for p in response.json()["invalidParams"]
    }
    assert not ProcessingActivity.objects.filter(code="test-lang").exists()
