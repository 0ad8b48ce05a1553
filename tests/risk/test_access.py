"""Who sees the risk picture: analysts and enforcement officers (RISK_VIEW); rule sets and runs
are managed by analysts (RULESETS_MANAGE). Denials are audited; reads are audited."""

from __future__ import annotations

import pytest

from doorbraak.audit.models import AuditEntry
from tests.conftest import login

pytestmark = pytest.mark.django_db

DENIED = ("case_director", "policy_staff", "partner_professional", "lawyer")


def _urls(register, run):
    return [
        "/risico/",
        "/risico/kaart.json",
        "/risico/export.csv",
        "/risico/export.pdf",
        "/risico/eerlijkheid/",
        f"/risico/panden/{register['hub'].bag_id}/",
        f"/risico/bedrijven/{register['car'].kvk_number}/",
        "/risico/runs/",
        f"/risico/runs/{run.pk}/",
        "/risico/regelsets/",
        f"/risico/regelsets/{run.rule_set_id}/",
        "/risico/algoritmeregister/",
        "/risico/algoritmeregister.json",
        "/api/v1/risk/runs/",
        f"/api/v1/risk/runs/{run.pk}/",
        f"/api/v1/risk/runs/{run.pk}/results/",
        f"/api/v1/risk/objects/premises/{register['hub'].bag_id}/",
    ]


@pytest.mark.parametrize("role", DENIED)
def test_roles_without_the_picture_are_refused_and_audited(client, world, run, register, role):
    user = world.users[role]
    login(client, user)
    for url in _urls(register, run):
        before = AuditEntry.objects.filter(username=user.username, action="deny").count()
        r = client.get(url)
        assert r.status_code == 403, (url, r.status_code)
        after = AuditEntry.objects.filter(username=user.username, action="deny").count()
        assert after == before + 1, url


@pytest.mark.parametrize("role", ("analyst", "enforcement_officer"))
def test_analysts_and_enforcement_officers_see_every_page(client, world, run, register, role):
    login(client, world.users[role])
    for url in _urls(register, run):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)


def test_object_read_and_list_are_audited(client, world, run, register):
    user = world.users["enforcement_officer"]
    login(client, user)
    client.get(f"/risico/panden/{register['hub'].bag_id}/")
    read = AuditEntry.objects.get(
        username=user.username, object_type="risk_premises", object_id=register["hub"].bag_id
    )
    assert read.action == "read" and read.purpose == "handhaving"
    assert "premises" in read.data_categories
    client.get("/risico/")
    listed = AuditEntry.objects.filter(username=user.username, object_type="risk_result").last()
    assert listed is not None and "objecten" in listed.object_id


def test_exports_are_audited_as_exports(client, world, run, register):
    user = world.users["analyst"]
    login(client, user)
    client.get("/risico/export.csv?min=0")
    client.get("/risico/export.pdf?min=0")
    formats = [
        e.detail["format"]
        for e in AuditEntry.objects.filter(username=user.username, action="export")
    ]
    assert formats == ["csv", "pdf"]


def test_only_analysts_manage_rule_sets_and_runs(client, world, run):
    login(client, world.users["enforcement_officer"])
    assert client.get("/risico/regelsets/nieuw/").status_code == 403
    assert client.post("/risico/runs/starten/").status_code == 403
    assert client.post(f"/risico/regelsets/{run.rule_set_id}/vaststellen/").status_code == 403


def test_no_person_appears_in_results_or_the_api(client, world, run, register):
    """Officers are facts about a company: a record key is the company's KvK number; the
    pseudonym, name or BSN of a person appears nowhere in the stored results or the API."""
    from doorbraak.registers.models import Person
    from doorbraak.risk.models import RiskResult

    stored = str(list(RiskResult.objects.values_list("object_id", "label", "indicators")))
    login(client, world.users["analyst"])
    api = client.get(f"/api/v1/risk/runs/{run.pk}/results/?area=utrecht&min_score=0").content
    for p in Person.objects.all():
        for value in (p.pseudonym, p.surname, p.bsn):
            if value:
                assert value not in stored
                assert value.encode() not in api
    assert set(RiskResult.objects.values_list("object_type", flat=True)) <= {"premises", "company"}
