"""Each importer on good and bad files: all-or-nothing, a report per bad row, idempotent
re-import, newer extracts with history, Parquet, provenance and one audit entry per batch."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from doorbraak.audit.models import AuditEntry
from doorbraak.audit.services import verify_chain
from doorbraak.registers.importers import ImportError_, import_file
from doorbraak.registers.models import (
    Company,
    ImportBatch,
    ImportRejection,
    Officer,
    Person,
    Premises,
    RecordVersion,
    RegisterEntry,
    SourceFeed,
)
from tests.registers.conftest import FIXTURES

V1, V2 = date(2026, 10, 1), date(2026, 11, 1)


def problems_by_row(batch):
    out = {}
    for r in ImportRejection.objects.filter(batch=batch):
        out.setdefault(r.row, set()).add(r.field)
    return out


# --- BAG -------------------------------------------------------------------------------


def test_bag_premises_are_imported_with_provenance_and_normalised(run, sources):
    result = run("bag", "bag_v1.csv")
    assert result.ok, result.report()
    assert Premises.objects.count() == 4
    p = Premises.objects.get(bag_id="0344010000100003")
    assert (p.postcode, p.house_number, p.house_letter, p.house_number_addition) == (
        "3551AB",
        101,
        "",
        "BIS",
    )
    assert p.wijk == "noordwest" and p.floor_area == 64 and p.use == "woonfunctie"
    assert (p.source, p.source_file, p.source_row, p.received_on) == (
        sources["bag"],
        "bag_v1.csv",
        3,
        V1,
    )
    four = Premises.objects.get(bag_id="0344010000100004")
    assert (four.house_number, four.house_number_addition) == (101, "1")
    assert Premises.objects.get(bag_id="0344010000100002").house_letter == "A"
    batch = result.batch
    assert batch.status == "accepted" and batch.row_count == 4
    assert batch.counts == {"premises": {"created": 4}}
    assert RecordVersion.objects.filter(batch=batch, model="premises").count() == 4
    sources["bag"].refresh_from_db()
    assert sources["bag"].refreshed_on == V1


def test_bad_bag_file_is_rejected_whole_with_a_reason_per_row(run):
    result = run("bag", "bag_bad.csv")
    assert not result.ok
    assert (
        Premises.objects.count() == 0 and RecordVersion.objects.count() == 0
    )  # row 1 was fine, still nothing
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and batch.row_count == 5
    assert problems_by_row(batch) == {
        2: {"bag_id"},
        3: {"postcode"},
        4: {"house_number", "floor_area"},
        5: {"wijk"},
    }
    # row 5 repeats row 1's BAG-id, but a row with other problems is not checked for duplicates
    rej = ImportRejection.objects.get(batch=batch, row=3)
    assert rej.line == 4 and rej.value == "3551 SA" and "postcode" in rej.reason
    report = result.report()
    assert "rij 2 (regel 3): bag_id" in report and "niets ingelezen" in report


def test_duplicate_keys_in_one_file_are_rejected(run, tmp_path):
    lines = (FIXTURES / "bag_v1.csv").read_text().splitlines()
    path = tmp_path / "dubbel.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    result = run("bag", path)
    assert not result.ok
    rej = ImportRejection.objects.get(batch=result.batch)
    assert (rej.row, rej.field) == (5, "sleutel") and "ook rij 1" in rej.reason


def test_missing_column_and_empty_file(run, tmp_path):
    path = tmp_path / "kolom.csv"
    path.write_text("verblijfsobject_id;straat\n0344010000100001;Nijverheidsweg\n")
    result = run("bag", path)
    assert not result.ok
    fields = {r.field for r in result.batch.rejections.all()}
    assert {"house_number", "postcode", "use", "floor_area", "lat", "lon"} <= fields
    assert all(r.row is None for r in result.batch.rejections.all())
    # A header and no rows is a valid extract: accepted, nothing read in (issue 14).
    empty = tmp_path / "leeg.csv"
    empty.write_text((FIXTURES / "bag_v1.csv").read_text().splitlines()[0] + "\n")
    result = run("bag", empty)
    assert result.ok and result.batch.status == "accepted" and result.batch.row_count == 0
    assert "geen gegevensrijen" in result.batch.note


def test_reimporting_the_same_file_changes_nothing(run):
    run("bag", "bag_v1.csv")
    before = list(Premises.objects.order_by("pk").values())
    again = run("bag", "bag_v1.csv", received_on=V2)
    assert again.ok and again.batch.status == "unchanged"
    assert list(Premises.objects.order_by("pk").values()) == before
    assert RecordVersion.objects.count() == 4


def test_same_content_in_another_file_is_compared_per_record(run, tmp_path):
    run("bag", "bag_v1.csv")
    before = list(Premises.objects.order_by("pk").values())
    copy = tmp_path / "bag_kopie.csv"
    copy.write_bytes(
        (FIXTURES / "bag_v1.csv").read_bytes().replace(b"\n", b"\r\n")
    )  # other bytes, same rows
    result = run("bag", copy)  # same delivery date
    assert result.batch.status == "accepted"
    assert result.batch.counts == {"premises": {"unchanged": 4}}
    assert list(Premises.objects.order_by("pk").values()) == before
    assert RecordVersion.objects.count() == 4


def test_newer_extract_updates_what_changed_and_keeps_history(run):
    first = run("bag", "bag_v1.csv").batch
    second = run("bag", "bag_v2.csv", received_on=V2).batch
    assert second.counts == {"premises": {"created": 1, "updated": 1, "confirmed": 3}}
    changed = Premises.objects.get(bag_id="0344010000100002")
    assert changed.use == "bijeenkomstfunctie"
    assert (changed.source_file, changed.received_on) == ("bag_v2.csv", V2)
    history = list(
        RecordVersion.objects.filter(model="premises", object_id=changed.pk).order_by("valid_from")
    )
    assert [(h.values["use"], h.valid_from, h.valid_to, h.batch_id) for h in history] == [
        ("winkelfunctie", V1, V2, first.pk),
        ("bijeenkomstfunctie", V2, None, second.pk),
    ]
    same = Premises.objects.get(bag_id="0344010000100001")
    assert same.received_on == V2  # confirmed by the newer delivery: the retention clock restarts
    assert RecordVersion.objects.filter(model="premises", object_id=same.pk).count() == 1
    # an older extract never overwrites a newer one
    older = run("bag", FIXTURES / "bag_v1.csv", received_on=date(2026, 9, 1))
    assert older.batch.status == "unchanged"  # same bytes as the first delivery


def test_older_extract_with_other_values_is_ignored(run, tmp_path):
    run("bag", "bag_v2.csv", received_on=V2)
    older = tmp_path / "bag_oud.csv"
    older.write_text(
        (FIXTURES / "bag_v1.csv").read_text().replace("winkelfunctie", "kantoorfunctie")
    )
    result = run("bag", older, received_on=V1)
    assert result.batch.counts["premises"]["older_ignored"] == 1
    assert Premises.objects.get(bag_id="0344010000100002").use == "bijeenkomstfunctie"


def test_records_from_before_the_first_import_keep_their_old_state(run, sources):
    from tests import factories as f

    old = f.PremisesFactory(
        source=sources["bag"],
        bag_id="0344010000100002",
        street="Nijverheidsweg",
        house_number=12,
        house_letter="A",
        postcode="3534AM",
        use="kantoorfunctie",
        received_on=date(2025, 1, 1),
        source_file="bag-2025.csv",
        source_row=9,
    )
    run("bag", "bag_v1.csv")
    history = list(
        RecordVersion.objects.filter(model="premises", object_id=old.pk).order_by("valid_from")
    )
    assert [
        (h.values["use"], h.batch_id is None, h.source_file, h.source_row) for h in history
    ] == [("kantoorfunctie", True, "bag-2025.csv", 9), ("winkelfunctie", False, "bag_v1.csv", 2)]


def test_parquet_path(run, tmp_path):
    table = pacsv.read_csv(FIXTURES / "bag_v1.csv", parse_options=pacsv.ParseOptions(delimiter=";"))
    # as a typical export writes it: ids and numbers typed, the BAG-id's leading zero lost
    assert table.schema.field("verblijfsobject_id").type == pa.int64()
    path = tmp_path / "bag.parquet"
    pq.write_table(table, path)
    result = run("bag", path)
    assert result.ok, result.report()
    assert result.batch.file_format == "parquet"
    p = Premises.objects.get(bag_id="0344010000100003")
    assert (p.postcode, p.house_number_addition, p.source_file, p.source_row) == (
        "3551AB",
        "BIS",
        "bag.parquet",
        3,
    )
    # the same data as CSV is recognised record by record
    assert run("bag", "bag_v1.csv").batch.counts == {"premises": {"unchanged": 4}}


def test_bad_parquet_is_rejected(run, tmp_path):
    path = tmp_path / "kapot.parquet"
    path.write_bytes(b"PAR1 not really")
    result = run("bag", path)
    assert not result.ok and "Parquet" in result.problems[0].reason


# --- KvK ---------------------------------------------------------------------------------


def test_kvk_companies_with_establishments_by_bag_id_or_address(run, sources):
    run("bag", "bag_v1.csv")
    result = run("kvk", "kvk_companies.csv")
    assert result.ok, result.report()
    garage = Company.objects.get(kvk_number="12345678")
    assert garage.establishment.bag_id == "0344010000100001" and garage.registered_on == date(
        2021, 3, 1
    )
    phone = Company.objects.get(kvk_number="23456789")
    assert phone.establishment.bag_id == "0344010000100003"  # '3551 ab' + '101-bis'
    assert phone.registered_on == date(2019, 3, 5) and phone.trade_name == ""
    lounge = Company.objects.get(kvk_number="34567890")
    assert lounge.establishment.bag_id == "0344010000100002"  # '3534am' + '12 a'
    assert (lounge.source, lounge.source_file, lounge.source_row) == (
        sources["kvk"],
        "kvk_companies.csv",
        3,
    )


def test_bad_kvk_companies_file_is_rejected_whole(run):
    run("bag", "bag_v1.csv")
    result = run("kvk", "kvk_companies_bad.csv")
    assert not result.ok and Company.objects.count() == 0
    assert problems_by_row(result.batch) == {
        2: {"kvk_number"},
        3: {"registered_on"},
        4: {"adres"},
        5: {"sleutel"},
    }
    reasons = {r.row: r.reason for r in result.batch.rejections.all()}
    assert (
        "8 cijfers" in reasons[2]
        and "bestaat niet" in reasons[3]
        and "niet gevonden in de BAG" in reasons[4]
    )


def test_kvk_officers_create_persons_and_functions(run, sources):
    run("bag", "bag_v1.csv")
    run("kvk", "kvk_companies.csv")
    with pytest.raises(ImportError_):
        run("kvk", "kvk_officers.csv", source_type="nonsense")
    result = run("kvk", "kvk_officers.csv", source_type="kvk_officers")
    assert result.ok, result.report()
    assert result.batch.counts == {"person": {"created": 2}, "officer": {"created": 3}}
    jan = Person.objects.get(given_names="Jan Pieter")
    assert (
        jan.surname_prefix == "van der"
        and jan.birth_date == date(1980, 5, 17)
        and jan.source == sources["kvk"]
    )
    assert sorted(jan.functions.values_list("company__kvk_number", "role")) == [
        ("12345678", "bestuurder"),
        ("23456789", "vennoot"),
    ]
    assert Officer.objects.get(person=jan, role="vennoot").since == date(2019, 3, 5)
    again = run("kvk", FIXTURES / "kvk_officers.csv", source_type="kvk_officers", received_on=V2)
    assert again.batch.status == "unchanged"
    assert Person.objects.count() == 2 and Officer.objects.count() == 3


def test_bad_kvk_officers_file(run):
    run("bag", "bag_v1.csv")
    run("kvk", "kvk_companies.csv")
    result = run("kvk", "kvk_officers_bad.csv", source_type="kvk_officers")
    assert not result.ok and Person.objects.count() == 0 and Officer.objects.count() == 0
    assert problems_by_row(result.batch) == {2: {"kvk_number"}, 3: {"given_names"}}


def test_source_feed_decides_the_importer(run, sources):
    run("bag", "bag_v1.csv")
    run("kvk", "kvk_companies.csv")
    SourceFeed.objects.create(activity=sources["kvk"], source_type="kvk_officers")
    assert run("kvk", "kvk_officers.csv").batch.source_type == "kvk_officers"


# --- BRP ---------------------------------------------------------------------------------


def test_brp_occupancy_persons_residing_at_premises(run, sources):
    run("bag", "bag_v1.csv")
    result = run("brp", "brp_occupancy.csv")
    assert result.ok, result.report()
    anna = Person.objects.get(bsn="999990007")
    assert anna.residence.bag_id == "0344010000100003" and anna.surname_prefix == "de"
    bram = Person.objects.get(bsn="999990019")
    assert bram.residence.bag_id == "0344010000100004" and bram.birth_date == date(1988, 8, 12)
    kees = Person.objects.get(bsn="011122237")
    assert kees.residence.bag_id == "0344010000100003" and kees.surname_prefix == "van 't"
    assert kees.pseudonym.startswith("P-") and kees.source_row == 3


def test_brp_mover_gets_a_new_residence_with_history(run, tmp_path):
    run("bag", "bag_v1.csv")
    run("brp", "brp_occupancy.csv")
    moved = tmp_path / "brp_nov.csv"
    moved.write_text(
        (FIXTURES / "brp_occupancy.csv")
        .read_text()
        .replace(
            "999990007,Anna,de,Vries,1990-04-12,0344010000100003",
            "999990007,Anna,de,Vries,1990-04-12,0344010000100001",
        )
    )
    result = run("brp", moved, received_on=V2)
    assert result.batch.counts == {"person": {"updated": 1, "confirmed": 2}}
    anna = Person.objects.get(bsn="999990007")
    assert anna.residence.bag_id == "0344010000100001"
    old, new = RecordVersion.objects.filter(model="person", object_id=anna.pk).order_by(
        "valid_from"
    )
    assert (
        old.valid_to == V2
        and new.valid_to is None
        and old.values["residence_id"] != new.values["residence_id"]
    )


def test_bad_brp_file_is_rejected_whole(run):
    run("bag", "bag_v1.csv")
    result = run("brp", "brp_occupancy_bad.csv")
    assert not result.ok and Person.objects.count() == 0
    assert problems_by_row(result.batch) == {2: {"bsn"}, 3: {"birth_date"}, 4: {"adres"}}
    assert "elfproef" in result.batch.rejections.get(row=2).reason


# --- generic sources -----------------------------------------------------------------------


def test_closures_share_the_generic_mapping(run, sources):
    run("bag", "bag_v1.csv")
    run("kvk", "kvk_companies.csv")
    result = run("closures", "closures.csv")
    assert result.ok, result.report()
    first = RegisterEntry.objects.get(key="Z-2023-0001")
    assert first.kind == "closure" and first.premises.bag_id == "0344010000100002"
    assert first.company.kvk_number == "34567890" and first.occurred_on == date(2023, 2, 1)
    assert first.data == {"duration_months": 3, "object_type": "lokaal"}
    second = RegisterEntry.objects.get(key="Z-2024-0002")
    assert (
        second.company is None
        and second.premises.bag_id == "0344010000100004"
        and second.ends_on is None
    )


# --- audit, dry run, unknown input ------------------------------------------------------------


def test_one_audit_entry_per_batch_naming_counts(run):
    before = AuditEntry.objects.count()
    good = run("bag", "bag_v1.csv").batch
    bad = run("brp", "brp_occupancy_bad.csv").batch
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("create", "import_batch", str(good.pk)),
        ("create", "import_batch", str(bad.pk)),
    ]
    assert (
        entries[0].detail["counts"] == {"premises": {"created": 4}}
        and entries[0].username == "test:import"
    )
    assert entries[0].data_categories == "premises"
    assert entries[1].detail["status"] == "rejected" and entries[1].detail["problems"] == 3
    assert verify_chain().ok


def test_dry_run_stores_nothing(run):
    before = AuditEntry.objects.count()
    result = run("bag", "bag_v1.csv", dry_run=True)
    assert result.ok and result.batch.pk is None
    assert (
        Premises.objects.count() == 0
        and ImportBatch.objects.count() == 0
        and AuditEntry.objects.count() == before
    )


def test_source_without_importer_and_non_sources_are_refused(sources, db):
    from doorbraak.privacy.models import ActivityKind
    from tests import factories as f

    unknown = f.ActivityFactory(code="bron-iets", kind=ActivityKind.SOURCE)
    with pytest.raises(ImportError_, match="geen brontype"):
        import_file(unknown, FIXTURES / "bag_v1.csv")
    case_type = f.ActivityFactory(code="casus-x", kind=ActivityKind.CASE_TYPE)
    with pytest.raises(ImportError_, match="geen gegevensbron"):
        import_file(case_type, FIXTURES / "bag_v1.csv", source_type="bag_premises")
