"""Entity resolution over the registers: runs, judgements from the review queue, stable ids,
pseudonymised pages, denied roles, FtM export."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.entities import services
from doorbraak.entities.models import Judgement, PairState
from tests.conftest import login


def key(person):
    return f"person-{person.pk}"


def entity_of(register, run):
    ids = services.assignments_of(run)
    return {name: ids[key(p)] for name, p in register.persons.items()}


def pair_of(run, a, b):
    wanted = {key(a), key(b)}
    return next(p for p in run.review_pairs.all() if {p.left_record, p.right_record} == wanted)


def test_run_resolves_prefix_variants_and_typos(register):
    run = services.run_register_linkage("person")
    e = entity_of(register, run)
    assert e["jan1"] == e["jan2"] == e["jan3"]  # 'van der', 'v.d.', glued 'Vanderberg'
    assert e["fat1"] == e["fat2"]  # typo in the surname
    assert e["kees"] == e["kees2"]
    assert e["sam"] != e["sam_namesake"]  # namesake: other birth date and address
    assert len({e["jan1"], e["fat1"], e["kees"], e["anna"], e["piet"]}) == 5
    assert all(v.startswith("per-") for v in e.values())
    # the mover (same name and birth date, other address) goes to an analyst
    pair = pair_of(run, register.persons["piet"], register.persons["piet_moved"])
    assert pair.state == PairState.OPEN and 0.5 <= pair.match_probability < 0.9
    names = {c["comparison"] for c in pair.explanation["comparisons"]}
    assert {"surname", "birth", "address"} <= names
    assert run.record_count == len(register.persons) + 3  # plus the world's persons
    assert AuditEntry.objects.filter(object_type="linkage_run", object_id=str(run.pk)).count() == 1


def test_entity_ids_are_stable_across_runs(register):
    first = entity_of(register, services.run_register_linkage("person"))
    second = entity_of(register, services.run_register_linkage("person"))
    assert first == second


def test_judgements_from_the_review_queue_override_the_model(client, world, register):
    analyst = world.users["analyst"]
    run = services.run_register_linkage("person")
    before = entity_of(register, run)
    login(client, analyst)
    # 'same' on the review pair merges
    pair = pair_of(run, register.persons["piet"], register.persons["piet_moved"])
    response = client.post(reverse("entity_judge"), {"pair": pair.pk, "verdict": "same"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.state == PairState.DECIDED and pair.judgement.verdict == "same"
    assert AuditEntry.objects.filter(action="create", object_type="linkage_judgement").count() == 1
    # 'not_same' on two records the model linked splits them
    response = client.post(
        reverse("entity_judge"),
        {
            "left": key(register.persons["jan1"]),
            "right": key(register.persons["jan3"]),
            "verdict": "not_same",
        },
    )
    assert response.status_code == 302
    after = entity_of(register, services.run_register_linkage("person"))
    assert after["piet"] == after["piet_moved"]
    assert after["jan1"] != after["jan3"]
    assert before["jan1"] in (after["jan1"], after["jan3"])  # the bigger part keeps the id
    assert after["fat1"] == before["fat1"]
    # judged pairs do not come back to the queue
    latest = services.latest_run("person")
    assert not [
        p
        for p in latest.review_pairs.all()
        if {p.left_record, p.right_record}
        == {key(register.persons["piet"]), key(register.persons["piet_moved"])}
    ]
    # withdrawing the 'not_same' (soft delete) lets the model link them again
    services.withdraw_judgement(Judgement.objects.get(verdict="not_same"), analyst)
    assert Judgement.objects.filter(verdict="not_same").count() == 1
    again = entity_of(register, services.run_register_linkage("person"))
    assert again["jan1"] == again["jan3"]


def test_review_page_shows_pseudonyms_unless_revealed(client, world, register):
    services.run_register_linkage("person")
    analyst = world.users["analyst"]
    login(client, analyst)
    page = client.get(reverse("entity_review")).content.decode()
    piet, moved = register.persons["piet"], register.persons["piet_moved"]
    assert piet.pseudonym in page and moved.pseudonym in page
    assert "Bakker" not in page and "1969" not in page
    assert "geboortedatum gelijk" in page  # the explanation: which fields agreed, with weights
    read = AuditEntry.objects.filter(action="read", object_type="person").last()
    assert str(piet.pk) in read.detail["ids"] and read.data_categories == ""
    # reveal one through the existing flow, with a purpose
    client.post(
        reverse("person_reveal", kwargs={"pk": piet.pk}), {"reason": "Onderzoek pand Kanaalweg 7"}
    )
    page = client.get(reverse("entity_review")).content.decode()
    assert "Piet Bakker" in page and "Kanaalweg 7" in page
    assert moved.pseudonym in page  # the other one stays pseudonymised
    assert AuditEntry.objects.filter(action="reveal", object_id=str(piet.pk)).count() == 1


def test_entity_page_records_network_and_timeline(client, world, register):
    services.run_register_linkage("person")
    services.run_register_linkage("company")
    e = entity_of(register, services.latest_run("person"))
    login(client, world.users["analyst"])
    response = client.get(reverse("entity_detail", kwargs={"entity_id": e["jan1"]}))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("jan1", "jan2", "jan3"):
        assert register.persons[name].pseudonym in page
    assert "Berg" not in page and "Vanderberg" not in page
    assert "brp.csv" in page and "huurders.csv" in page and "Huurdersbestand corporatie" in page
    # the network: an SVG with links (works without JS), the script only adds interaction
    assert "<svg" in page and 'src="/static/entities/graph.js"' in page and "<script>" not in page
    # network: his companies, the other company at the same address, the co-partner
    for company in ("garage", "shisha", "kapper"):
        assert register.companies[company].name in page
    assert register.persons["kees"].pseudonym in page
    assert "Zeeweg 1" in page
    # timeline: officer since dates and received dates
    assert "2019-04-01" in page and "2022-07-01" in page
    assert AuditEntry.objects.filter(
        action="read", object_type="entity", object_id=e["jan1"]
    ).exists()
    # a company entity
    org = services.assignments_of(services.latest_run("company"))[
        f"company-{register.companies['shisha'].pk}"
    ]
    page = client.get(reverse("entity_detail", kwargs={"entity_id": org})).content.decode()
    assert "Kapsalon Noord" in page and "ingeschreven" in page
    assert (
        client.get(reverse("entity_detail", kwargs={"entity_id": "per-onbekend"})).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role",
    [
        "case_director",
        "partner_professional",
        "lawyer",
        "policy_staff",
        "privacy_officer",
        "administrator",
        "enforcement_officer",
    ],
)
def test_roles_without_the_capability_cannot_judge_or_export(client, world, register, role):
    run = services.run_register_linkage("person")
    pair = run.review_pairs.first()
    login(client, world.users[role])
    assert (
        client.post(reverse("entity_judge"), {"pair": pair.pk, "verdict": "same"}).status_code
        == 403
    )
    assert (
        client.post(reverse("entity_export"), {"reason": "Doel van de export hier"}).status_code
        == 403
    )
    assert not Judgement.objects.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_ftm_export_validates_and_is_audited(client, world, register):
    from followthemoney import model

    services.run_register_linkage("person")
    services.run_register_linkage("company")
    login(client, world.users["analyst"])
    assert (
        client.post(reverse("entity_export"), {"reason": "kort"}).status_code == 400
    )  # purpose too short
    assert not AuditEntry.objects.filter(action="export").exists()
    response = client.post(
        reverse("entity_export"), {"reason": "Analyse netwerk Amsterdamsestraatweg"}
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    lines = [json.loads(x) for x in response.content.decode().splitlines()]
    proxies = [model.get_proxy(x) for x in lines]
    for data in lines:
        assert model.get(data["schema"]).validate(data) is None
    ids = {p.id for p in proxies}
    by_schema = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
    assert {"Person", "Company", "Address", "Directorship"} <= set(by_schema)
    e = entity_of(register, services.latest_run("person"))
    people = {p.id: p for p in by_schema["Person"]}
    assert e["jan1"] in people and e["jan2"] == e["jan1"]
    assert all(set(p.get("addressEntity")) <= ids for p in people.values())
    directors = {(d.first("director"), d.first("organization")) for d in by_schema["Directorship"]}
    assert any(director == e["jan2"] for director, _ in directors)
    assert "999990019" not in response.content.decode()  # no BSN
    entry = AuditEntry.objects.get(action="export", object_type="ftm_export")
    assert (
        entry.detail["reason"] == "Analyse netwerk Amsterdamsestraatweg"
        and entry.username == "analist"
    )


def test_ftm_export_without_followthemoney_says_so(client, world, monkeypatch):
    monkeypatch.setattr(services, "ftm_available", lambda: False)
    login(client, world.users["analyst"])
    page = client.get(reverse("entity_export")).content.decode()
    assert "followthemoney" in page and "niet beschikbaar" in page
    response = client.post(
        reverse("entity_export"), {"reason": "Analyse netwerk Amsterdamsestraatweg"}
    )
    assert response.status_code == 503 and not AuditEntry.objects.filter(action="export").exists()


def test_command_links_companies(register, capsys):
    call_command("link_registers", "--entity", "company")
    out = capsys.readouterr().out
    assert "records" in out and "entities" in out
    run = services.latest_run("company")
    assert run.record_count == 5
    entry = AuditEntry.objects.get(object_type="linkage_run", object_id=str(run.pk))
    assert entry.username == "systeem"
