"""Incremental linking: new register records join the existing entities without a full
re-run, every earlier entity id stays, judgements still override, and a register import
triggers it after its commit without ever being broken by it."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.entities import services
from doorbraak.entities.models import Judgement, LinkageRun
from doorbraak.registers.models import Person
from tests import factories as f
from tests.conftest import login


def key(person):
    return f"person-{person.pk}"


def add_person(register, name, given, prefix, surname, born, address, source_row=100):
    person = f.PersonFactory(
        source=register.persons["jan1"].source,
        source_file="brp-nov.csv",
        source_row=source_row,
        given_names=given,
        surname_prefix=prefix,
        surname=surname,
        birth_date=born,
        residence=register.premises[address],
    )
    register.persons[name] = person
    return person


def test_new_records_join_existing_entities_and_old_ids_stay(register):
    full = services.run_register_linkage("person")
    before = services.assignments_of(full)
    jan4 = add_person(register, "jan4", "Jan Pieter", "van der", "Berg", date(1980, 3, 5), "nijv12")
    mila = add_person(
        register, "mila", "Mila", "", "Hendriks", date(1999, 7, 7), "kan9", source_row=101
    )
    run = services.run_incremental_linkage("person")
    assert run is not None and run.incremental and run.base_run == full
    assert run.model_json == full.model_json and run.new_record_count == 2
    after = services.assignments_of(run)
    assert {k: after[k] for k in before} == before  # every earlier record keeps its entity id
    assert after[key(jan4)] == before[key(register.persons["jan1"])]  # joins Jan's entity
    assert after[key(mila)] not in set(before.values()) and after[key(mila)].startswith("per-")
    assert run.record_count == len(before) + 2
    assert run.entity_count == len(set(before.values())) + 1
    assert services.latest_run("person") == run
    # the review queue of the full run is carried over (the mover is still open)
    piet, moved = key(register.persons["piet"]), key(register.persons["piet_moved"])
    assert any({p.left_record, p.right_record} == {piet, moved} for p in run.review_pairs.all())
    entry = AuditEntry.objects.get(object_type="linkage_run", object_id=str(run.pk))
    assert entry.action == "create" and entry.username == "systeem"
    assert entry.detail["incremental"] is True and entry.detail["new_records"] == 2
    assert entry.detail["joined_existing"] == 1 and entry.detail["new_entities"] == 1
    assert entry.detail["after_run"] == full.pk
    # nothing new: no run
    assert services.run_incremental_linkage("person") is None
    assert LinkageRun.objects.filter(entity_type="person").count() == 2
    # a later full run keeps the ids the incremental run gave
    again = services.assignments_of(services.run_register_linkage("person"))
    assert again[key(jan4)] == after[key(jan4)] and again[key(mila)] == after[key(mila)]


def test_incremental_on_top_of_incremental_uses_the_base_model(register):
    full = services.run_register_linkage("person")
    add_person(register, "jan4", "Jan Pieter", "van der", "Berg", date(1980, 3, 5), "nijv12")
    first = services.run_incremental_linkage("person")
    fat3 = add_person(
        register, "fat3", "Fatima", "el", "Amrani", date(1992, 11, 23), "kan5", source_row=102
    )
    second = services.run_incremental_linkage("person")
    assert second.base_run == full and second.new_record_count == 1
    ids = services.assignments_of(second)
    assert ids[key(fat3)] == ids[key(register.persons["fat1"])]
    previous = services.assignments_of(first)
    assert {k: ids[k] for k in previous} == previous


def test_no_run_yet_means_nothing_happens(register):
    assert services.run_incremental_linkage("person") is None
    assert not LinkageRun.objects.exists()


def test_judgements_still_override_the_model(client, world, register):
    services.run_register_linkage("person")
    before = services.assignments_of(services.latest_run("person"))
    fat3 = add_person(
        register, "fat3", "Fatima", "el", "Amrani", date(1992, 11, 23), "kan5", source_row=102
    )
    odd = add_person(
        register, "odd", "Ko", "", "Onbekend", date(1950, 1, 1), "amst102", source_row=103
    )
    login(client, world.users["analyst"])
    # 'not the same' keeps an otherwise certain match out of the entity
    assert (
        client.post(
            reverse("entity_judge"),
            {"left": key(register.persons["fat1"]), "right": key(fat3), "verdict": "not_same"},
        ).status_code
        == 302
    )
    # 'the same' links a record the model would never link
    assert (
        client.post(
            reverse("entity_judge"),
            {"left": key(register.persons["kees"]), "right": key(odd), "verdict": "same"},
        ).status_code
        == 302
    )
    assert Judgement.objects.count() == 2
    run = services.run_incremental_linkage("person", world.users["analyst"])
    after = services.assignments_of(run)
    assert after[key(fat3)] != before[key(register.persons["fat1"])]
    assert after[key(fat3)] not in set(before.values())
    assert after[key(odd)] == before[key(register.persons["kees"])]
    assert {k: after[k] for k in before} == before
    assert run.judgement_count == 2 and run.started_by == "analist"
    entry = AuditEntry.objects.get(object_type="linkage_run", object_id=str(run.pk))
    assert entry.username == "analist"


def test_changed_record_is_linked_again_and_keeps_its_id_when_alone(register):
    services.run_register_linkage("person")
    before = services.assignments_of(services.latest_run("person"))
    ties = register.persons["ties"]
    Person.objects.filter(pk=ties.pk).update(residence=register.premises["kan9"])
    run = services.run_incremental_linkage("person", changed=[key(ties)])
    after = services.assignments_of(run)
    assert run.incremental and run.new_record_count == 1
    assert after == before  # re-linked, still alone, same id


def test_command_incremental(register, capsys):
    call_command("link_registers", "--entity", "person", "--incremental")
    assert "nothing to link" in capsys.readouterr().out
    services.run_register_linkage("person")
    add_person(register, "jan4", "Jan Pieter", "van der", "Berg", date(1980, 3, 5), "nijv12")
    call_command("link_registers", "--entity", "person", "--incremental")
    assert "incremental run" in capsys.readouterr().out


# --- the hook after a register import ------------------------------------------------------------


@pytest.fixture
def brp_source(register):
    from doorbraak.privacy.models import ActivityKind

    owner = f.OrganisationFactory(code="gemeente-oov", name="Gemeente Utrecht OOV")
    purpose = f.PurposeFactory(code="risicoanalyse")
    return f.ActivityFactory(
        code="bron-brp-bewoning",
        name="BRP-bewoning",
        kind=ActivityKind.SOURCE,
        controller=owner,
        purpose=purpose,
        data_categories=["identity", "premises"],
        retention_days=730,
        refreshed_on=None,
    )


def brp_file(tmp_path, register, rows):
    header = "burgerservicenummer,voornamen,voorvoegsel,geslachtsnaam,geboortedatum,adresseerbaar_object_identificatie\n"
    path = tmp_path / "brp_nov.csv"
    path.write_text(
        header
        + "".join(
            f"{bsn},{given},{prefix},{surname},{born},{register.premises[address].bag_id}\n"
            for bsn, given, prefix, surname, born, address in rows
        ),
        encoding="utf-8",
    )
    return path


ROWS = [
    ("999990007", "Jan Pieter", "van der", "Berg", "1980-03-05", "nijv12"),
    ("999990019", "Mila", "", "Hendriks", "1999-07-07", "kan9"),
]


def do_import(source, path, **kwargs):
    from doorbraak.registers.importers import import_file

    return import_file(
        source,
        path,
        source_type="brp_occupancy",
        received_on=date(2026, 11, 1),
        username="test:import",
        **kwargs,
    )


def test_import_links_new_persons_after_commit(
    register, brp_source, tmp_path, django_capture_on_commit_callbacks
):
    full = services.run_register_linkage("person")
    before = services.assignments_of(full)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = do_import(brp_source, brp_file(tmp_path, register, ROWS))
    assert result.ok, result.report()
    from doorbraak.audit.services import _chain_after_commit

    assert (
        len([c for c in callbacks if c is not _chain_after_commit]) == 1
    )  # linking (besides audit chaining)
    run = services.latest_run("person")
    assert run != full and run.incremental and run.new_record_count == 2
    after = services.assignments_of(run)
    jan, mila = (
        Person.objects.get(source=brp_source, bsn=bsn) for bsn in ("999990007", "999990019")
    )
    assert after[key(jan)] == before[key(register.persons["jan1"])]
    assert after[key(mila)] not in set(before.values())
    assert {k: after[k] for k in before} == before
    # the same file again changes nothing and links nothing
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert do_import(brp_source, brp_file(tmp_path, register, ROWS)).batch.status == "unchanged"
    assert callbacks == [] and services.latest_run("person") == run
    # a mover: the changed record is linked again, and keeps its entity
    moved = [ROWS[0], (*ROWS[1][:5], "kan5")]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = do_import(brp_source, brp_file(tmp_path, register, moved))
    assert result.batch.counts["person"]["updated"] == 1
    later = services.latest_run("person")
    assert later.incremental and later.new_record_count == 1
    assert services.assignments_of(later)[key(mila)] == after[key(mila)]


def test_import_without_a_linkage_run_links_nothing(
    register, brp_source, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = do_import(brp_source, brp_file(tmp_path, register, ROWS))
    assert result.ok and Person.objects.filter(source=brp_source).count() == 2
    assert not LinkageRun.objects.exists()


def test_failing_linkage_never_breaks_the_import(
    register, brp_source, tmp_path, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    services.run_register_linkage("person")

    def broken(*args, **kwargs):
        raise RuntimeError("duckdb is weg")

    monkeypatch.setattr(services, "run_incremental_linkage", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        result = do_import(brp_source, brp_file(tmp_path, register, ROWS))
    assert result.ok and result.batch.status == "accepted"
    assert Person.objects.filter(source=brp_source).count() == 2
    assert "failed; the import stands" in caplog.text and "duckdb is weg" in caplog.text
    assert LinkageRun.objects.filter(incremental=True).count() == 0


def test_dry_run_and_opt_out_register_no_callback(
    register, brp_source, tmp_path, django_capture_on_commit_callbacks
):
    services.run_register_linkage("person")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        do_import(brp_source, brp_file(tmp_path, register, ROWS), dry_run=True)
        do_import(brp_source, brp_file(tmp_path, register, ROWS), announce=False)
    assert callbacks == []
    assert not LinkageRun.objects.filter(incremental=True).exists()
