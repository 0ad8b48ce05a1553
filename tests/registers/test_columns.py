"""The column-wise path of premises and companies (validation in DuckDB, references per batch,
new records and their versions written as columns) against the row-by-row one it replaces: the
same values, the same report for every bad row, the same history."""

from __future__ import annotations

import json
from datetime import date

import pytest

from doorbraak.registers import importers
from doorbraak.registers.models import Company, ImportRejection, Premises, RecordVersion
from tests.registers.conftest import FIXTURES

KVK_HEADER = (
    "kvk_nummer,statutaire_naam,handelsnaam,rechtsvorm,sbi_code,sbi_omschrijving,"
    "datum_inschrijving,vestiging_bag_id,postcode,huisnummer,huisletter,toevoeging"
)
MESSY_KVK = [
    "12345678,Autoservice Overvecht B.V.,Garage Noord,Besloten Vennootschap,45204,Auto's,2021-03-01,0344010000100001,,,,",
    "2345X789,Belwinkel,,Vennootschap onder firma,4742,Telefoons,5-3-2019,,3551 ab,101,,bis",
    "34567890,  Shisha   Lounge ,Lounge 12,Eenmanszaak,5630,Cafés,31-02-2022,,3534am,12,a,",
    "45678901,,,Eenmanszaak,53202,Koeriers,2020-01-01,,3534AM,99,,",
    "56789012,Te lang," + "x" * 201 + ",Stichting,9602,Kappers,2020-01-01,0344010000100001,,,,",
    "67890123,Bouw,,Stichting,123456789,Bouw,1849-12-31,,0123AB,0,,",
    "78901234,Kort,,Stichting,4321,Elektro,2020-13-01,,3534AM,12,AB,",
    "89012345,Te weinig kolommen,,Stichting",
    "90123456,Schoonmaak,,Stichting,8121,Reiniging,01/02/2003,0344010000100001,,,,,extra",
    "11111111,Lege bag,,Stichting,8121,Reiniging,2003-02-01,034401000010000,,,,",
    "22222222,Nette rij,Handel,Naamloze Vennootschap,4711,Supermarkten,2001-01-01,,3534 AM,12,A,",
]


def _table(lines: list[str], header: str = KVK_HEADER, fmt: str = "csv", tmp_path=None):
    path = tmp_path / f"messy.{fmt}"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    reader = importers.Reader(path, fmt)
    table = next(reader.batches(1000))
    return reader, table


@pytest.mark.parametrize("source_type", ["kvk_companies", "bag_premises"])
def test_column_wise_validation_reports_what_the_row_by_row_validator_reports(
    source_type, sources, tmp_path
):
    if source_type == "kvk_companies":
        header, lines = KVK_HEADER, MESSY_KVK
    else:
        text = (FIXTURES / "bag_bad.csv").read_text(encoding="utf-8").splitlines()
        good = (FIXTURES / "bag_v1.csv").read_text(encoding="utf-8").splitlines()
        header, lines = text[0], text[1:] + good[1:]
    reader, table = _table(lines, header, tmp_path=tmp_path)
    mapping = importers.load_mapping(source_type)
    validator = importers.Validator(mapping, reader.columns)
    rows, expected = validator.validate(table)
    con = importers._duckdb()
    good, values, problems = validator.validate_columns(table, con)
    reader.close()
    assert expected, "the file has bad rows"
    assert [str(p) for p in problems] == [str(p) for p in expected]
    assert [table.start + i for i in good] == [r.number for r in rows]
    for i, row in zip(good, rows, strict=True):
        assert {name: values[name][i] for name in row.values} == row.values


def test_canonical_and_messy_values_come_out_alike(sources, tmp_path):
    """'3534 am' and '3534AM', '1-2-2003' and '2003-02-01': one value, whichever path took it."""
    lines = [
        "12345678,A,,Stichting,4711,S,2003-02-01,,3534AM,12,A,",
        "23456789,  A  ,,Stichting,4711,S,1-2-2003,,3534 am,12,a,",
    ]
    reader, table = _table(lines, tmp_path=tmp_path)
    validator = importers.Validator(importers.load_mapping("kvk_companies"), reader.columns)
    good, values, problems = validator.validate_columns(table, importers._duckdb())
    reader.close()
    assert problems == [] and good == [0, 1]
    for name in ("name", "registered_on", "postcode", "house_number", "house_letter"):
        assert values[name][0] == values[name][1], name
    assert values["registered_on"][0] == date(2003, 2, 1) and values["postcode"][0] == "3534AM"


def test_a_company_file_larger_than_the_batch_is_all_or_nothing(run, sources, tmp_path):
    assert run("bag", "bag_v1.csv").ok
    bag = list(Premises.objects.values_list("bag_id", flat=True))
    rows = [
        f"{10_000_000 + i},Bedrijf {i},,Stichting,4711,Winkel,2001-01-01,{bag[i % len(bag)]},,,,"
        for i in range(120)
    ]
    bad = rows + [
        "10000005,Dubbel uit de eerste batch,,Stichting,4711,Winkel,2001-01-01," + bag[0] + ",,,,",
        "10000999,Onbekend adres,,Stichting,4711,Winkel,2001-01-01,,9999ZZ,1,,",
    ]
    path = tmp_path / "kvk_groot.csv"
    path.write_text("\n".join([KVK_HEADER, *bad]) + "\n")
    result = run("kvk", path, batch_size=50)
    assert not result.ok and Company.objects.count() == 0
    reasons = {(r.row, r.line, r.field, r.reason) for r in ImportRejection.objects.all()}
    assert reasons == {
        (121, 122, "sleutel", "dubbel in dit bestand (ook rij 6)"),
        (122, 123, "adres", "adres niet gevonden in de BAG"),
    }
    path.write_text("\n".join([KVK_HEADER, *rows]) + "\n")
    result = run("kvk", path, batch_size=50)
    assert result.ok, result.report()
    assert result.batch.counts == {"company": {"created": 120}}
    assert Company.objects.count() == 120
    versions = RecordVersion.objects.filter(batch=result.batch, model="company")
    assert versions.count() == 120 and not versions.filter(valid_to__isnull=False).exists()


def test_versions_written_column_wise_hold_what_the_record_holds(run, sources, tmp_path):
    """The first version of a new record (written as JSON by DuckDB) is the record's state, as
    the row-by-row path wrote it; a later delivery closes it and adds the changed state."""
    assert run("bag", "bag_v1.csv").ok
    assert run("kvk", "kvk_companies.csv").ok
    for company in Company.objects.all():
        version = RecordVersion.objects.get(model="company", object_id=company.pk)
        values = version.values if isinstance(version.values, dict) else json.loads(version.values)
        assert values == {
            "name": company.name,
            "trade_name": company.trade_name,
            "legal_form": company.legal_form,
            "sbi_code": company.sbi_code,
            "sbi_description": company.sbi_description,
            "registered_on": company.registered_on.isoformat(),
            "deregistered_on": None,
            "establishment_id": company.establishment_id,
        }
        assert version.key == company.kvk_number and version.source_row == company.source_row
    premises = Premises.objects.first()
    version = RecordVersion.objects.get(model="premises", object_id=premises.pk)
    assert (
        version.values["lat"] == premises.lat
        and version.values["floor_area"] == premises.floor_area
    )
    lines = (FIXTURES / "kvk_companies.csv").read_text(encoding="utf-8").splitlines()
    changed = lines[1].replace("Garage Noord", "Garage Zuid")
    path = tmp_path / "kvk_v2.csv"
    path.write_text("\n".join([lines[0], changed, *lines[2:]]) + "\n", encoding="utf-8")
    result = run("kvk", path, received_on=date(2026, 11, 1))
    assert result.ok, result.report()
    counts = result.batch.counts["company"]
    assert counts["updated"] == 1 and counts["confirmed"] == len(lines) - 2
    company = Company.objects.get(kvk_number="12345678")
    history = list(RecordVersion.objects.filter(model="company", object_id=company.pk))
    assert [(v.valid_from, v.valid_to, v.values["trade_name"]) for v in history] == [
        (date(2026, 10, 1), date(2026, 11, 1), "Garage Noord"),
        (date(2026, 11, 1), None, "Garage Zuid"),
    ]
    untouched = Company.objects.exclude(pk=company.pk)
    assert all(
        RecordVersion.objects.filter(model="company", object_id=c.pk).count() == 1
        for c in untouched
    )
