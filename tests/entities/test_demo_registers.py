"""The demo city's noisy register extracts: every kind of noise is there and agrees with the
ground truth, they go in through the real importers, linkage on them is good, and the
generator is deterministic."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from django.core.management import call_command

from doorbraak.demo import reference as ref
from doorbraak.demo import registers as dr
from doorbraak.demo.generator import build_demo_city
from doorbraak.entities import services
from doorbraak.entities.models import LinkageRun, ReviewPair
from doorbraak.registers import validation as v
from doorbraak.registers.models import (
    BatchStatus,
    Company,
    ImportBatch,
    Officer,
    Person,
    RecordVersion,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_mode")]

BUSINESSES = 300


@pytest.fixture
def city():
    build_demo_city(businesses=BUSINESSES, cases=0)
    return {p.pk: p for p in dr.base_persons()}


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        sample = fh.readline()
        fh.seek(0)
        return list(
            csv.DictReader(fh, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        )


def test_extracts_carry_every_kind_of_noise_and_agree_with_the_truth(city, tmp_path):
    summary = dr.write_extracts(tmp_path)
    truth = dr.read_truth(tmp_path)
    assert len(truth) == sum(summary.files.values()) > 150
    kinds = Counter(k for t in truth for k in t["ruis"].split("+") if k)
    assert kinds == summary.noise
    for kind in (
        "typo",
        "prefix_variant",
        "prefix_glued",
        "initials",
        "partner_name",
        "date_format",
        "postcode_variant",
        "house_variant",
        "mover",
        "namesake",
    ):
        assert kinds[kind] >= 2, (
            kind
        )  # every kind more than once (the draw is seeded, the city changes)
    files = {name: _rows(tmp_path / name) for name, *_ in dr.EXTRACTS}
    for t in truth:
        row = files[t["bestand"]][int(t["rij"]) - 1]
        prefix = row.get("voorvoegsel", row.get("tussenvoegsel"))
        surname = row.get("geslachtsnaam", row.get("achternaam"))
        born = v.parse_date(row["geboortedatum"]) if row["geboortedatum"] else None
        noise = set(t["ruis"].split("+"))
        if "namesake" in noise:  # somebody else: same names and birth year, another day
            assert not t["persoon_pk"]
            other = city[int(t["naamgenoot_van_pk"])]
            assert (row["voornamen"], prefix, surname) == (
                other.given_names,
                other.prefix,
                other.surname,
            )
            assert born.year == other.birth_date.year and born != other.birth_date
            continue
        person = city[int(t["persoon_pk"])]
        assert t["pseudoniem"] == person.pseudonym
        if "date_error" not in noise and born is not None:
            assert born == person.birth_date
        if "prefix_glued" in noise:
            assert not prefix and " " not in surname[: len(person.prefix)] and person.prefix
        elif "prefix_variant" in noise:
            assert (prefix, surname) != (person.prefix, person.surname) and person.prefix
        if "initials" in noise:
            assert row["voornamen"].endswith(".") and row["voornamen"] != person.given_names
        if "partner_name" in noise:
            assert "partner_name" in noise and surname.lower() != person.surname.lower()
        if not noise & {"typo", "partner_name", "prefix_variant", "prefix_glued", "upper_case"}:
            assert (prefix, surname) == (person.prefix, person.surname)
        if "postcode" in row:
            place = (v.parse_postcode(row["postcode"]), v.parse_house_number(row["huisnummer"]))
            home = (
                person.residence.postcode,
                v.HouseNumber(
                    person.residence.house_number,
                    person.residence.house_letter,
                    person.residence.house_number_addition,
                ),
            )
            if t["bestand"] == dr.BRP_UPDATE_FILE and "mover" in noise:
                assert place != home  # moved: the newer BRP has the new home
            elif "undeclared_address" not in noise:
                assert place == home  # the tenants' file still has the old one
    # every demo person an extract is about exists; namesakes are new persons
    assert {int(t["persoon_pk"]) for t in truth if t["persoon_pk"]} <= set(city)


def test_import_goes_through_the_importers_and_linkage_finds_the_persons(city, tmp_path):
    summary = dr.write_extracts(tmp_path)
    results = dr.import_extracts(tmp_path)
    assert [r.batch.status for r in results] == [BatchStatus.ACCEPTED] * 3
    assert set(ImportBatch.objects.values_list("file_name", flat=True)) == {
        name for name, *_ in dr.EXTRACTS
    }
    # every record an extract created or changed knows its source, file and row
    truth = {(t["bestand"], int(t["rij"])): t for t in dr.read_truth(tmp_path)}
    imported = Person.objects.filter(source_file__in=[name for name, *_ in dr.EXTRACTS])
    assert (
        imported.count() >= len(truth) - 40
    )  # confirmed rows move provenance only, a few coincide
    for p in imported.select_related("source"):
        t = truth[(p.source_file, p.source_row)]
        code = {name: code for name, code, *_ in dr.EXTRACTS}[p.source_file]
        assert p.source.code == code
        if t["persoon_pk"] and p.source.code == ref.SOURCE_BRP:
            assert p.pk == int(t["persoon_pk"])  # the BRP's own record moved with the person
    assert (
        Person.objects.filter(source__code=ref.SOURCE_TENANTS).count()
        == summary.files[dr.TENANTS_FILE]
    )
    assert (
        Officer.objects.filter(source_file=dr.KVK_OFFICERS_UPDATE_FILE).count()
        >= summary.files[dr.KVK_OFFICERS_UPDATE_FILE] - 40
    )
    # movers: the old home is kept in the record history
    movers = [
        t for t in truth.values() if t["bestand"] == dr.BRP_UPDATE_FILE and "mover" in t["ruis"]
    ]
    for t in movers:
        first = RecordVersion.objects.filter(
            model="person", object_id=int(t["persoon_pk"]), batch__isnull=True
        ).get()
        assert first.values["residence_id"] == city[int(t["persoon_pk"])].residence.pk
        assert Person.objects.get(pk=t["persoon_pk"]).residence_id != first.values["residence_id"]

    run = services.run_register_linkage("person")
    companies = services.run_register_linkage("company")
    # every company record is its own KvK registration: similar names never merge them
    assert companies.entity_count == companies.record_count == Company.objects.count()
    scores = dr.linkage_scores(tmp_path)
    assert scores["true_pairs"] > 100
    assert scores["f1"] >= 0.9, scores
    assert scores["recall"] >= 0.95, scores
    assert ReviewPair.objects.filter(run=run).exists()  # the review queue has real pairs
    assert run.entity_count < run.record_count


def test_same_seed_same_files_also_after_the_import(city, tmp_path):
    dr.write_extracts(tmp_path / "a")
    dr.write_extracts(tmp_path / "b")
    names = [name for name, *_ in dr.EXTRACTS] + [
        dr.TRUTH_FILE,
        dr.REGISTER_FILE,
        dr.COMBINED_FILE,
        dr.MAPPING_FILE,
        dr.SPARSE_FILE,
        dr.SPARSE_MAPPING_FILE,
        dr.COMPANY_FILE,
        dr.COMPANY_MAPPING_FILE,
    ]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    dr.import_extracts(tmp_path / "a")
    dr.write_extracts(
        tmp_path / "c"
    )  # reads the city as first delivered, not as the extracts changed it
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name
    dr.write_extracts(tmp_path / "d", seed=7)
    assert (tmp_path / "a" / dr.TRUTH_FILE).read_bytes() != (
        tmp_path / "d" / dr.TRUTH_FILE
    ).read_bytes()


def test_demo_city_command_imports_and_links(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_city", businesses=150, cases=0)
    out = capsys.readouterr().out
    assert "F1 tegen de grondwaarheid" in out
    assert ImportBatch.objects.filter(status=BatchStatus.ACCEPTED).count() == 3
    assert set(LinkageRun.objects.values_list("entity_type", flat=True)) == {"person", "company"}
    assert (tmp_path / "demo-extracts" / dr.TRUTH_FILE).exists()
    call_command("demo_extracts", out=str(tmp_path / "again"))
    assert (tmp_path / "again" / dr.TRUTH_FILE).read_bytes() == (
        tmp_path / "demo-extracts" / dr.TRUTH_FILE
    ).read_bytes()


def test_sparse_police_like_source_and_company_list_carry_their_truth(city, tmp_path):
    from doorbraak_analysis import linkage as lk
    from doorbraak_analysis.metrics import cluster_label_scores, pair_set_scores

    summary = dr.write_extracts(tmp_path)
    rows = _rows(tmp_path / dr.SPARSE_FILE)
    assert len(rows) == summary.sparse_rows > 30
    kinds = Counter(k for r in rows for k in r["ruis"].split("+") if k)
    assert kinds == summary.sparse_noise
    for kind in (
        "no_birth_date",
        "birth_year_only",
        "no_postcode",
        "no_house_number",
        "initials",
        "upper_case_place",
        "postcode_variant",
    ):
        assert kinds[kind] >= 2, kind
    pseudonyms = {p.pseudonym: p for p in city.values()}
    for r in rows:
        noise = set(r["ruis"].split("+"))
        if r["waarheid_persoon_id"]:
            assert r["waarheid_persoon_id"] in pseudonyms and not noise & {"namesake", "stranger"}
        else:
            assert noise & {"namesake", "stranger"}
        if "no_birth_date" in noise:
            assert r["geboortedatum"] == "" and r["straat"]  # then it has an address
        if "birth_year_only" in noise:
            assert re.fullmatch(r"\d{4}", r["geboortedatum"])
        if "no_postcode" in noise:
            assert r["postcode"] == ""
        elif r["postcode"]:
            assert v.parse_postcode(r["postcode"].replace("-", " "))
        if "no_house_number" in noise:
            assert r["huisnummer"] == ""
        if "upper_case_place" in noise:
            assert r["woonplaats"] == r["woonplaats"].upper()
    # the mapping links them, and the truth is what the linker is scored against
    mapping = lk.load_mapping(tmp_path / dr.SPARSE_MAPPING_FILE)
    left = lk.read_table(tmp_path / dr.REGISTER_FILE)
    right = lk.read_table(tmp_path / dr.SPARSE_FILE).drop(columns=["waarheid_persoon_id", "ruis"])
    out = lk.link_tables(left, right, mapping["left"], mapping["right"], "person").output()
    linked = out[out.decision == "link"]
    truth = {(r["waarheid_persoon_id"], r["sleutel"]) for r in rows if r["waarheid_persoon_id"]}
    scores = pair_set_scores(set(zip(linked.left_id, linked.right_id, strict=True)), truth)
    assert scores.f1 >= 0.85, scores

    companies = _rows(tmp_path / dr.COMPANY_FILE)
    assert len(companies) == summary.company_rows
    numbers = set(Company.objects.values_list("kvk_number", flat=True))
    assert {r["waarheid_kvk"] for r in companies} <= numbers
    assert sum(r["sleutel"].startswith("kvk:") for r in companies) == len(numbers)
    for r in companies:
        if r["kvk_nummer"]:
            assert r["kvk_nummer"] == r["waarheid_kvk"]
    mapping = lk.load_mapping(tmp_path / dr.COMPANY_MAPPING_FILE)
    table = lk.read_table(tmp_path / dr.COMPANY_FILE)
    result = lk.dedupe_table(
        table.drop(columns=["waarheid_kvk", "ruis"]), mapping["left"], "company"
    )
    entity = result.entity_of()
    true_kvk = dict(zip(table["sleutel"], table["waarheid_kvk"], strict=True))
    per_entity = Counter()
    for record, number in zip(table["sleutel"], table["kvk_nummer"], strict=True):
        if number:
            per_entity[(entity[record], number)] += 1
    # never one entity across two registrations
    assert len({e for e, _ in per_entity}) == len(per_entity)
    s = cluster_label_scores(
        [entity[r] for r in table["sleutel"]], [true_kvk[r] for r in table["sleutel"]]
    )
    assert s.precision >= 0.98 and s.recall >= 0.9, s
