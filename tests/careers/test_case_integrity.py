"""Issue 10: a write lands only where it belongs. An action goes to a goal of the case in the URL;
only organisations with a covenant grant for case work can be partners of a decision; only
case workers of a participating organisation can be the lead professional."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers.models import CaseDecision, Concern, Goal, PlanAction
from tests.conftest import login

pytestmark = pytest.mark.django_db

ACTION = {"description": "Aanmelden schuldhulp", "owner_name": "J. Jansen", "due_on": "2026-12-01"}


@pytest.fixture
def goals(world):
    return {
        k: Goal.objects.create(case=world.cases[k], domain="financien", description=f"Schulden {k}")
        for k in ("a", "b")
    }


def test_api_refuses_an_action_on_a_goal_of_another_case(client, world, goals):
    login(client, world.users["case_director"])  # directs both cases
    url = reverse("api_actions", kwargs={"pk": world.cases["a"].pk})
    body = {**ACTION, "organisation_id": world.orgs["oov"].pk}
    refused = client.post(url, {**body, "goal_id": goals["b"].pk}, content_type="application/json")
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["goal"]
    assert "deze casus" in refused.json()["invalidParams"][0]["reason"]
    assert not PlanAction.objects.exists()
    ok = client.post(url, {**body, "goal_id": goals["a"].pk}, content_type="application/json")
    assert ok.status_code == 201
    assert list(PlanAction.objects.values_list("goal__case", flat=True)) == [world.cases["a"].pk]


def test_web_form_refuses_an_action_on_a_goal_of_another_case(client, world, goals):
    login(client, world.users["case_director"])
    url = reverse("action_create", kwargs={"pk": world.cases["a"].pk})
    page = client.get(url)
    offered = {int(v) for v, _label in page.context["form"].fields["goal"].widget.choices if v}
    assert offered == {goals["a"].pk}
    response = client.post(
        url, {**ACTION, "goal": goals["b"].pk, "organisation": world.orgs["oov"].pk}
    )
    assert response.status_code == 400 and response.context["form"].errors["goal"]
    assert not PlanAction.objects.exists()


def test_a_partner_cannot_reach_another_case_through_a_goal_id(client, world, goals):
    """The police take part in case A only; a goal of case B through case A's URL is refused."""
    login(client, world.users["partner_professional"])
    response = client.post(
        reverse("api_actions", kwargs={"pk": world.cases["a"].pk}),
        {**ACTION, "goal_id": goals["b"].pk, "organisation_id": world.orgs["politie"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not PlanAction.objects.exists()


@pytest.fixture
def concern(world):
    return Concern.objects.create(
        person=world.persons["subject_a"],
        organisation=world.orgs["politie"],
        received_on="2026-01-05",
        description="Signalen van ronselen.",
    )


DECISION = {
    "decided_on": "2026-01-10",
    "outcome": "not_included",
    "reasons": "Geen doorgroeier op dit moment.",
    "legal_basis": "AVG art. 6 lid 1 sub e",
}


def test_decision_offers_and_accepts_only_partners_with_a_case_work_grant(client, world, concern):
    login(client, world.users["case_director"])
    url = reverse("concern_decide", kwargs={"pk": concern.pk})
    offered = set(
        client.get(url).context["form"].fields["partners"].queryset.values_list("code", flat=True)
    )
    assert offered == {
        "gemeente-oov",
        "politie",
        "school",
    }  # not VTH, RIEC, FG, ICT, Juridische Zaken
    web = client.post(
        url, {**DECISION, "partners": [world.orgs["politie"].pk, world.orgs["vth"].pk]}
    )
    assert web.status_code == 400 and web.context["form"].errors["partners"]
    api = client.post(
        reverse("api_concern_decision", kwargs={"pk": concern.pk}),
        {**DECISION, "partner_ids": [world.orgs["politie"].pk, world.orgs["riec"].pk]},
        content_type="application/json",
    )
    assert api.status_code == 400
    reasons = {p["name"]: p["reason"] for p in api.json()["invalidParams"]}
    assert "RIEC Midden-Nederland" in reasons["partners"] and "convenant" in reasons["partners"]
    assert not CaseDecision.objects.exists()
    ok = client.post(
        reverse("api_concern_decision", kwargs={"pk": concern.pk}),
        {**DECISION, "partner_ids": [world.orgs["politie"].pk]},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_lead_professional_is_never_policy_staff(client, world):
    login(client, world.users["case_director"])
    url = reverse("plan_roles", kwargs={"pk": world.cases["a"].pk})
    offered = {
        int(v)
        for v, _label in client.get(url).context["form"].fields["lead_professional"].widget.choices
        if v
    }
    u = world.users
    assert offered == {u["case_director"].pk, u["partner_professional"].pk, u["school"].pk}
    assert (
        u["policy_staff"].organisation_id == u["case_director"].organisation_id
    )  # same organisation, not offered
    before = AuditEntry.objects.filter(action="update", object_type="case").count()
    response = client.post(
        url, {"lead_professional": u["policy_staff"].pk, "contact_cadence_days": 14}
    )
    assert response.status_code == 400 and response.context["form"].errors["lead_professional"]
    world.cases["a"].refresh_from_db()
    assert world.cases["a"].lead_professional_id is None
    assert AuditEntry.objects.filter(action="update", object_type="case").count() == before
    ok = client.post(
        url, {"lead_professional": u["partner_professional"].pk, "contact_cadence_days": 14}
    )
    assert ok.status_code == 302
    world.cases["a"].refresh_from_db()
    assert world.cases["a"].lead_professional == u["partner_professional"]
