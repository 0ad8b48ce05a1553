"""FollowTheMoney export: entities and stated relations validate against the FtM model."""

import json
from pathlib import Path

import pandas as pd

from doorbraak_analysis import linkage as lk

FIXTURES = Path(__file__).parent / "linkage_fixtures"


def test_export_validates_and_round_trips(tmp_path):
    from followthemoney import model

    brp = lk.read_table(FIXTURES / "brp_personen.csv")
    mapping = lk.load_mapping(FIXTURES / "mapping_personen.yaml")["left"]
    persons = lk.canonical_table(brp, mapping)
    persons["record_id"] = persons["id"]
    persons["entity_id"] = ["per-" + x for x in persons["id"]]
    persons.loc[persons.id == "1010", "entity_id"] = "per-1001"  # two records, one entity
    kvk = lk.read_table(FIXTURES / "bedrijven_kvk.csv")
    companies = lk.canonical_table(
        kvk, lk.load_mapping(FIXTURES / "mapping_bedrijven.yaml")["left"]
    )
    companies["entity_id"] = ["org-" + x for x in companies["id"]]
    companies.loc[1, "name"] = "Autobedrijf Overvecht V.O.F. h.o.d.n. Autoservice Noord"
    relations = [
        lk.Relation(
            "directorship", "per-1004", "org-01234567", role="bestuurder", start_date="01-02-2020"
        ),
        lk.Relation("ownership", "per-1005", "org-30123456", percentage="50"),
        lk.Relation("ownership", "org-01234567", "org-30123456", percentage="50"),
        lk.Relation("family", "per-1011", "per-1012", relationship="partner"),
        lk.Relation("associate", "per-1002", "per-1008", relationship="zakelijk"),
    ]
    out = tmp_path / "graph.ftm.json"
    n = lk.export_ftm(out, persons=persons, companies=companies, relations=relations)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert n == len(lines)
    entities = list(lk.read_ftm(out))
    assert lk.validate_entities(entities) == []
    by_schema = {}
    for e in entities:
        by_schema.setdefault(e.schema.name, []).append(e)
    assert {
        "Person",
        "Company",
        "Address",
        "Directorship",
        "Ownership",
        "Family",
        "Associate",
    } <= set(by_schema)
    people = {e.id: e for e in by_schema["Person"]}
    assert len(people) == 11
    assert set(people["per-1001"].get("birthDate")) == {"1980-03-05", "1955-08-19"}
    assert "Johanna Maria de Vries-Bakker" in people["per-1003"].get("alias")
    # residence via addressEntity, resolving to an Address entity in the export
    address_ids = {e.id for e in by_schema["Address"]}
    assert all(
        set(p.get("addressEntity")) <= address_ids and p.get("addressEntity")
        for p in people.values()
    )
    # partners share one Address entity
    assert people["per-1011"].get("addressEntity") == people["per-1012"].get("addressEntity")
    org = {e.id: e for e in by_schema["Company"]}
    assert org["org-01234567"].get("registrationNumber") == ["01234567"]
    assert org["org-30123456"].get("alias") == ["Autoservice Noord"]
    assert org["org-30123456"].get("name") == ["Autobedrijf Overvecht V.O.F."]
    d = by_schema["Directorship"][0]
    assert d.get("director") == ["per-1004"] and d.get("organization") == ["org-01234567"]
    assert d.get("startDate") == ["2020-02-01"]
    # every line is a plain FtM dict that the model accepts
    for line in lines:
        data = json.loads(line)
        assert model.get(data["schema"]).validate(data) is None
    # no BSN or protected attributes ever leave
    text = out.read_text(encoding="utf-8")
    assert "nationality" not in text and "idNumber" not in text


def test_relation_to_unknown_entity_fails_validation(tmp_path):
    persons = pd.DataFrame({"entity_id": ["per-1"], "given_names": ["Jan"], "surname": ["Jansen"]})
    try:
        lk.export_ftm(
            tmp_path / "x.json",
            persons=persons,
            relations=[lk.Relation("directorship", "per-1", "org-missing")],
        )
    except ValueError as exc:
        assert "org-missing" in str(exc)
    else:
        raise AssertionError("expected a validation error")


def test_records_map_to_entities_through_entity_of():
    persons = pd.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "entity_id": ["per-a", "per-b"],
            "full_name": ["J. de Vries", "P. Jansen"],
        }
    )
    companies = pd.DataFrame({"record_id": ["k1"], "entity_id": ["org-x"], "name": ["X B.V."]})
    entities = lk.entity_graph(persons, companies, [lk.Relation("directorship", "r1", "k1")])
    link = [e for e in entities if e.schema.name == "Directorship"][0]
    assert link.get("director") == ["per-a"] and link.get("organization") == ["org-x"]
    assert lk.validate_entities(entities) == []
