"""A partner who registered a concern (aanmelding) sees what became of it: pending, included or
not included, and the case only where their organisation takes part; never the reasons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers import actions as a
from tests.conftest import login

TODAY = date(2026, 6, 1)
REASONS = "Zorgen op meerdere leefgebieden, broer al in beeld."


@pytest.fixture(autouse=True)
def _verified(world):
    for user in world.users.values():
        user.is_verified = lambda: True


def _report(user, given):
    return a.do_report_concern(
        user,
        given_names=given,
        surname="Testgezin",
        received_on=TODAY - timedelta(days=3),
        description="Signalen van ronselen op school.",
    )


def _decide(world, concern, outcome="individual", partners=("politie", "school")):
    return a.do_decide(
        world.users["case_director"],
        concern.pk,
        decided_on=TODAY,
        outcome=outcome,
        reasons=REASONS,
        legal_basis="AVG art. 6 lid 1 sub e",
        partner_ids=[world.orgs[p].pk for p in partners],
        criteria_text="Doorgroeier",
        review_due=TODAY + timedelta(days=90),
        inclusion_end=TODAY + timedelta(days=365),
        contact_cadence_days=7,
    )


def _rows(client):
    response = client.get(reverse("my_concerns"))
    assert response.status_code == 200
    return response.content.decode()


def test_pending_included_and_not_included_are_shown(client, world):
    agent = world.users["partner_professional"]
    pending = _report(agent, "Aya")
    included = _report(agent, "Bo")
    refused = _report(agent, "Cas")
    decision = _decide(world, included)
    _decide(world, refused, outcome="not_included", partners=("school",))
    login(client, agent)
    page = _rows(client)
    assert "Aya Testgezin" in page and "wacht op het casusoverleg" in page
    assert "Bo Testgezin" in page and "opgenomen" in page and "niet opgenomen" in page
    assert reverse("case_detail", kwargs={"pk": decision.case_id}) in page  # politie takes part
    assert REASONS not in page and "ronselen" not in page
    assert pending.status == "open"
    entry = AuditEntry.objects.filter(
        object_type="concern", action="read", username=agent.username
    ).last()
    assert entry.object_id == "3 objecten" and entry.data_categories == "identity"


def test_included_in_a_case_without_the_reporters_organisation_shows_no_case(client, world):
    agent = world.users["partner_professional"]
    decision = _decide(world, _report(agent, "Dex"), partners=("school",))
    login(client, agent)
    page = _rows(client)
    assert "opgenomen" in page and "uw organisatie neemt niet deel" in page
    assert decision.case.reference not in page
    assert reverse("case_detail", kwargs={"pk": decision.case_id}) not in page


def test_only_the_reporter_sees_their_concerns(client, world):
    _report(world.users["partner_professional"], "Eli")
    login(client, world.users["school"])
    page = _rows(client)
    assert "Eli Testgezin" not in page and "U heeft nog geen zorgen aangemeld." in page


@pytest.mark.parametrize(
    "role",
    [
        "analyst",
        "enforcement_officer",
        "lawyer",
        "policy_staff",
        "privacy_officer",
        "administrator",
    ],
)
def test_roles_that_do_not_report_concerns_are_refused(client, world, role):
    login(client, world.users[role])
    assert client.get(reverse("my_concerns")).status_code == 403


def test_partner_lands_on_the_status_page_after_reporting(client, world):
    login(client, world.users["school"])
    response = client.post(
        reverse("concern_create"),
        {
            "given_names": "Fem",
            "surname": "Testgezin",
            "received_on": TODAY.isoformat(),
            "description": "Verzuim en nieuwe dure spullen.",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_concerns")
    assert "Fem Testgezin" in _rows(client)
    assert reverse("my_concerns") in client.get(reverse("home")).content.decode()
