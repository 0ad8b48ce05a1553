"""Access through the policy: who sees and does what in enforcement, on pages and the API, with
every read audited and every refusal an audited 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit.models import AuditAction, AuditEntry
from doorbraak.enforcement import actions
from doorbraak.enforcement.models import Action, ActionType, DecisionType, LegalBasis
from tests.conftest import login

REASON = "Signaal wijkagent: veel wisselende bedrijven op dit adres."


@pytest.fixture
def planned(ew, officer):
    return actions.plan_action(
        officer,
        object_type="premises",
        object_id=ew.premises["shop"].bag_id,
        action_type=ActionType.PERMIT_CHECK,
        reason=REASON,
    )


def _denied(client, url, method="get", **data):
    before = AuditEntry.objects.filter(action=AuditAction.DENY).count()
    response = getattr(client, method)(url, data)
    assert response.status_code == 403, url
    assert AuditEntry.objects.filter(action=AuditAction.DENY).count() == before + 1, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["case_director", "partner_professional", "policy_staff", "privacy_officer", "analyst"]
)
def test_roles_without_enforcement_see_nothing(client, ew, planned, role):
    login(client, ew.users[role])
    shop = ew.premises["shop"]
    for url in (
        reverse("enforcement_actions"),
        reverse("enforcement_action", args=[planned.pk]),
        reverse("enforcement_decisions"),
        reverse("enforcement_ledger_premises", args=[shop.bag_id]),
        reverse("enforcement_ledger_company", args=[ew.companies["shop_co"].kvk_number]),
        reverse("api_enforcement_actions"),
        reverse("api_enforcement_decisions"),
    ):
        _denied(client, url)
    _denied(
        client,
        reverse("enforcement_action_create") + f"?object_type=premises&object_id={shop.bag_id}",
        "post",
        action_type="permit_check",
        reason=REASON,
    )


@pytest.mark.django_db
def test_analysts_see_precision_not_cases_of_enforcement(client, ew):
    login(client, ew.users["analyst"])
    assert client.get(reverse("enforcement_precision")).status_code == 200
    login(client, ew.users["lawyer"])
    _denied(client, reverse("enforcement_precision"))


@pytest.mark.django_db
def test_officer_plans_from_the_ledger_and_records_findings(client, ew, officer):
    login(client, officer)
    shop = ew.premises["shop"]
    ledger = client.get(reverse("enforcement_ledger_premises", args=[shop.bag_id]))
    assert ledger.status_code == 200 and "Actie plannen" in ledger.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="enforcement_ledger", object_id=shop.bag_id
    ).exists()
    url = reverse("enforcement_action_create") + f"?object_type=premises&object_id={shop.bag_id}"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action_type": "knock_and_talk", "reason": ""})
    assert bad.status_code == 400 and not Action.objects.exists()
    response = client.post(url, {"action_type": "knock_and_talk", "reason": REASON})
    action = Action.objects.get()
    assert response.status_code == 302 and action.planned_by == officer
    page = client.get(reverse("enforcement_action", args=[action.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("enforcement_action_findings", args=[action.pk]),
        {
            "carried_out_on": timezone.localdate().isoformat(),
            "outcome": "irregularities",
            "irregularities": ["dor_not_kept"],
            "note": "",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.irregularities == ["dor_not_kept"]


@pytest.mark.django_db
def test_officer_outside_their_areas_is_refused_and_audited(client, ew, officer):
    login(client, officer)
    outside = ew.premises["outside"]
    _denied(client, reverse("enforcement_ledger_premises", args=[outside.bag_id]))
    _denied(
        client,
        reverse("enforcement_action_create") + f"?object_type=premises&object_id={outside.bag_id}",
    )
    # an action another officer planned elsewhere is not visible either
    from doorbraak.enforcement.models import UserArea

    other = ew.users["officer2"]
    a = actions.plan_action(
        other,
        object_type="premises",
        object_id=ew.premises["home"].bag_id,
        action_type=ActionType.BRP_CHECK,
        reason=REASON,
    )
    UserArea.objects.create(user=officer, area_code="nieuw_overvecht")
    _denied(client, reverse("enforcement_action", args=[a.pk]))
    listing = client.get(reverse("enforcement_actions"), {"status": "all"})
    assert listing.status_code == 200
    assert reverse("enforcement_action", args=[a.pk]) not in listing.content.decode()


@pytest.mark.django_db
def test_lawyer_sees_decisions_everywhere_and_cannot_approve_own_on_the_page(client, ew, lawyer):
    d = actions.propose_decision(
        lawyer,
        object_type="premises",
        object_id=ew.premises["shop"].bag_id,
        decision_type=DecisionType.CLOSURE_13B,
        legal_basis=LegalBasis.OPIUMWET_13B,
        summary="Handelsvoorraad harddrugs aangetroffen bij controle.",
        proportionality_suitable="Sluiting beëindigt de handel vanuit het pand.",
        proportionality_necessary="Lichtere middelen hebben niet gewerkt.",
        proportionality_balanced="Geen bewoners; belang openbare orde weegt zwaarder.",
    )
    login(client, lawyer)
    page = client.get(reverse("enforcement_decision", args=[d.pk]))
    assert page.status_code == 200
    assert "Goedkeuren" not in page.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="enforcement_decision", object_id=str(d.pk)
    ).exists()
    _denied(client, reverse("enforcement_decision_approve", args=[d.pk]), "post")
    login(client, ew.users["lawyer2"])
    assert "Goedkeuren" in client.get(reverse("enforcement_decision", args=[d.pk])).content.decode()
    assert client.post(reverse("enforcement_decision_approve", args=[d.pk])).status_code == 302
    today = timezone.localdate()
    response = client.post(
        reverse("enforcement_decision_issue", args=[d.pk]),
        {"decision_date": today.isoformat(), "announced_on": today.isoformat()},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "issued" and d.objection_deadline > today + timedelta(days=41)
    # lawyers do not plan actions
    _denied(
        client,
        reverse("enforcement_action_create")
        + f"?object_type=premises&object_id={ew.premises['shop'].bag_id}",
    )


@pytest.mark.django_db
def test_api_actions_and_decisions(client, ew, officer, planned):
    login(client, officer)
    listing = client.get(reverse("api_enforcement_actions"))
    assert listing.status_code == 200
    assert [a["id"] for a in listing.json()["results"]] == [planned.pk]
    created = client.post(
        reverse("api_enforcement_actions"),
        {
            "object_type": "company",
            "object_id": ew.companies["shop_co"].kvk_number,
            "action_type": "bibob",
            "reason": REASON,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        reverse("api_enforcement_findings", args=[pk]),
        {"carried_out_on": timezone.localdate().isoformat(), "outcome": "nothing_found"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    ok = client.post(
        reverse("api_enforcement_findings", args=[pk]),
        {
            "carried_out_on": timezone.localdate().isoformat(),
            "outcome": "nothing_found",
            "bibob_outcome": "no_danger",
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["outcome"] == "nothing_found"
    assert client.get(reverse("api_enforcement_decisions")).status_code == 200
