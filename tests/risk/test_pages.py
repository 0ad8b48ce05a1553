"""The pages of the risk picture render with real content; exports are what they say."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, world):
    return login(client, world.users["analyst"])


def test_picture_lists_ranked_objects_with_filters(analyst, run, register):
    r = analyst.get("/risico/?min=0")
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="risk-map"' in body and "kaart.json" in body
    assert body.index("Nevadadreef 10") < body.index("Nevadadreef 12")  # 3.5 before 3.0
    r = analyst.get("/risico/?gebied=oost&min=0").content.decode()
    assert "Biltstraat 5" in r and "Nevadadreef 10" not in r
    r = analyst.get("/risico/?soort=company&indicator=officer_churn&min=0").content.decode()
    assert register["car"].name in r and "Café De Hoek" not in r
    r = analyst.get("/risico/?min=3").content.decode()
    assert "Nevadadreef 10" in r and "Biltstraat 5" not in r
    r = analyst.get("/risico/?sector=56&min=0").content.decode()
    assert "Café De Hoek" in r and "Holding 1" not in r


def test_picture_without_a_run_says_so(analyst, register):
    r = analyst.get("/risico/")
    assert r.status_code == 200 and "nog geen risicorun" in r.content.decode()


def test_unknown_area_is_404(analyst, run):
    assert analyst.get("/risico/?gebied=atlantis").status_code == 404


def test_map_data_has_points_and_outlines(analyst, run, register):
    data = analyst.get("/risico/kaart.json?gebied=nieuw_overvecht&min=0").json()
    ids = {p["id"] for p in data["points"]}
    assert ids == {register["hub"].bag_id, register["closed"].bag_id}
    hub = next(p for p in data["points"] if p["id"] == register["hub"].bag_id)
    assert hub["score"] == 3.5 and hub["band"] == "medium" and hub["url"].endswith("/")
    assert data["outlines"][0]["properties"]["code"] == "nieuw_overvecht"
    assert data["outlines"][0]["geometry"]["type"] == "Polygon"


def test_premises_page_explains_every_indicator(analyst, run, register):
    r = analyst.get(f"/risico/panden/{register['closed'].bag_id}/").content.decode()
    assert "earlier_closure" in r and "occupancy_mismatch" in r
    assert "Opiumwet art. 13b" in r  # legal basis
    assert "13B-2024-007" in r  # the source record
    assert f"/panden/{register['closed'].pk}/" in r  # link to the register page
    assert "3" in r


def test_company_page_and_object_without_signal(analyst, run, register):
    r = analyst.get(f"/risico/bedrijven/{register['car'].kvk_number}/").content.decode()
    assert "officer_churn" in r and "functiewijziging" in r
    quiet = analyst.get(f"/risico/panden/{register['quiet'].bag_id}/")
    assert quiet.status_code == 200 and "geen signaal" in quiet.content.decode()
    assert analyst.get("/risico/panden/0344010000999999/").status_code == 404


def test_csv_export_of_an_area(analyst, run, register):
    r = analyst.get("/risico/export.csv?gebied=nieuw_overvecht&min=0")
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert rows[0]["object_id"] == register["hub"].bag_id and rows[0]["score"] == "3.5"
    assert rows[0]["regelset"] == run.rules_version
    assert {r["object_type"] for r in rows} == {"premises", "company"}
    assert all(r["gebied"] == "nieuw_overvecht" for r in rows)


def test_pdf_export_renders(analyst, run, register):
    r = analyst.get("/risico/export.pdf?gebied=nieuw_overvecht&min=0")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 2000
    from doorbraak.risk import exports, selectors

    html = exports.pdf_html(
        run,
        selectors.get_area("nieuw_overvecht"),
        list(selectors.results(run, "nieuw_overvecht")),
        selectors.catalogue_by_id(run.rule_set),
    )
    assert "Nevadadreef 10" in html and "many_businesses_at_address" in html


def test_run_pages(analyst, run):
    r = analyst.get(f"/risico/runs/{run.pk}/").content.decode()
    assert run.results_sha256 in r and "kvk_companies.parquet" in r
    assert str(run.pk) in analyst.get("/risico/runs/").content.decode()


def test_algorithm_register_entry_from_the_live_rule_set(analyst, run):
    data = json.loads(analyst.get("/risico/algoritmeregister.json").content)
    assert set(data) == {"algemeen", "verantwoord_gebruik", "werking", "metadata"}
    assert data["metadata"]["regelset_versie"] == run.rules_version
    assert data["algemeen"]["status"] == "In gebruik"
    assert len(data["algemeen"]["korte_omschrijving"]) <= 350
    assert {i["id"] for i in data["werking"]["indicatoren"]} >= {"vulnerable_sector"}
    page = analyst.get("/risico/algoritmeregister/").content.decode()
    assert run.rules_version in page and "Publicatiecategorie" in page


def test_api_results_and_object(analyst, run, register):
    r = analyst.get(
        f"/api/v1/risk/runs/{run.pk}/results/?area=nieuw_overvecht&object_type=premises"
    )
    data = r.json()
    assert [x["object_id"] for x in data["results"]] == [
        register["hub"].bag_id,
        register["closed"].bag_id,
    ]
    obj = analyst.get(f"/api/v1/risk/objects/company/{register['car'].kvk_number}/").json()
    assert obj["score"] == 2.0 and {i["id"] for i in obj["indicators"]} == {
        "officer_churn",
        "vulnerable_sector",
    }
    quiet = analyst.get(f"/api/v1/risk/objects/premises/{register['quiet'].bag_id}/").json()
    assert quiet["score"] == 0 and quiet["indicators"] == []
    assert analyst.get(f"/api/v1/risk/runs/{run.pk}/results/?area=atlantis").status_code == 400
