"""API errors are application/problem+json: 400 for bad input, 403 for denied access,
404 for unknown objects; bad input never causes a 500 and never saves anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doorbraak.careers.models import CaseRecord
from doorbraak.partners.models import Organisation
from doorbraak.privacy.models import ProcessingActivity
from tests.conftest import login

PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("payload", "bad_field"),
    [
        ({"category": "justice", "occurred_on": "31-02-2026", "title": "x"}, "occurred_on"),
        ({"category": "religie", "occurred_on": "2026-02-01", "title": "x"}, "category"),
        ({"category": "justice", "occurred_on": "2026-02-01"}, "title"),
        ({"category": "justice", "occurred_on": "2026-02-01", "title": "x" * 500}, "title"),
    ],
)
def test_bad_case_record_is_400_with_invalid_params_and_saves_nothing(
    client, world, payload, bad_field
):
    login(client, world.users["partner_professional"])
    url = reverse("api_case_records", kwargs={"pk": world.cases["a"].pk})
    body = _problem(client.post(url, payload, content_type="application/json"), 400)
    assert bad_field in {p["name"] for p in body["invalidParams"]}
    assert all(p["reason"] for p in body["invalidParams"])
    assert CaseRecord.objects.filter(case=world.cases["a"]).count() == 2


def test_malformed_json_is_400(client, world):
    login(client, world.users["partner_professional"])
    url = reverse("api_case_records", kwargs={"pk": world.cases["a"].pk})
    _problem(client.post(url, "{not json", content_type="application/json"), 400)


def test_unknown_case_is_404_problem(client, world):
    login(client, world.users["case_director"])
    _problem(client.get(reverse("api_case", kwargs={"pk": 999999})), 404)
    _problem(client.get("/api/v1/bestaat-niet/"), 404)


def test_denied_is_403_problem(client, world):
    login(client, world.users["analyst"])
    body = _problem(client.get(reverse("api_cases")), 403)
    assert "toegang" in body["detail"].lower()


def test_wrong_method_is_405_problem(client, world):
    login(client, world.users["privacy_officer"])
    _problem(client.delete(reverse("api_audit_entries")), 405)


@pytest.mark.parametrize(
    ("payload", "bad_fields"),
    [
        ({}, {"code", "name", "kind"}),
        ({"code": "met spaties", "name": "X", "kind": "municipality"}, {"code"}),
        ({"code": "nieuw", "name": "X", "kind": "sekte"}, {"kind"}),
        ({"code": "gemeente-oov", "name": "Dubbel", "kind": "municipality"}, {"code"}),
        ({"code": "nieuw", "name": "X", "kind": "municipality", "parent": 999999}, {"parent"}),
    ],
)
def test_bad_organisation_is_400(client, world, payload, bad_fields):
    login(client, world.users["administrator"])
    before = Organisation.objects.count()
    body = _problem(
        client.post(reverse("api_organisations"), payload, content_type="application/json"), 400
    )
    assert bad_fields <= {p["name"] for p in body["invalidParams"]}
    assert Organisation.objects.count() == before


def test_good_organisation_is_created_and_audited(client, world):
    from doorbraak.audit.models import AuditEntry

    login(client, world.users["administrator"])
    response = client.post(
        reverse("api_organisations"),
        {"code": "jeugdbescherming", "name": "Jeugdbescherming (test)", "kind": "care"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditEntry.objects.filter(action="create", object_type="organisation").exists()


@pytest.mark.parametrize(
    ("change", "bad_field"),
    [
        ({"data_categories": ["nationaliteit"]}, "data_categories"),
        ({"data_categories": []}, "data_categories"),
        ({"retention_days": 0}, "retention_days"),
        ({"retention_days": "vijf jaar"}, "retention_days"),
        ({"controller": "bestaat-niet"}, "controller"),
        ({"legal_basis": ""}, "legal_basis"),
    ],
)
def test_processing_activity_validation(client, world, change, bad_field):
    login(client, world.users["privacy_officer"])
    payload = {
        "code": "vergunningen",
        "name": "Vergunningen",
        "kind": "source",
        "controller": "gemeente-vth",
        "purpose": "handhaving",
        "legal_basis": "APV art. 3:4",
        "data_categories": ["identity", "premises"],
        "retention_days": 730,
        "retention_action": "delete",
        "retention_trigger": "einde vergunning",
    }
    payload.update(change)
    before = ProcessingActivity.objects.count()
    body = _problem(
        client.post(reverse("api_processing_activities"), payload, content_type="application/json"),
        400,
    )
    assert bad_field in {p["name"].split(".")[0] for p in body["invalidParams"]}
    assert ProcessingActivity.objects.count() == before


def test_lawyer_may_read_but_not_write_the_register(client, world):
    login(client, world.users["lawyer"])
    assert client.get(reverse("api_processing_activities")).status_code == 200
    _problem(
        client.post(reverse("api_processing_activities"), {}, content_type="application/json"), 403
    )


def test_schema_is_openapi_3(client, world):
    login(client, world.users["lawyer"])
    response = client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert any(p.startswith("/api/v1/cases/{") and p.endswith("/records/") for p in schema["paths"])


@pytest.mark.parametrize(
    "name", ["api_me", "api_cases", "api_audit_entries", "api_organisations", "schema"]
)
def test_anonymous_api_call_is_401_with_challenge(client, world, name):
    response = client.get(reverse(name))
    body = _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Session")
    assert body["title"] == "Niet aangemeld"


def test_problem_titles_and_details_follow_the_language(client, world):
    nl = client.get(reverse("api_me")).json()
    en = client.get(reverse("api_me"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["title"] == "Not authenticated" and nl["title"] == "Niet aangemeld"
    assert en["detail"] != nl["detail"]
    login(client, world.users["analyst"])
    assert (
        client.get(reverse("api_cases"), HTTP_ACCEPT_LANGUAGE="en").json()["title"]
        == "Access denied"
    )
    login(client, world.users["case_director"])
    assert (
        client.get(reverse("api_case", kwargs={"pk": 999999}), HTTP_ACCEPT_LANGUAGE="en").json()[
            "title"
        ]
        == "Not found"
    )


def test_html_refusal_logs_one_line_not_a_traceback(client, world, caplog):
    login(client, world.users["analyst"])
    with caplog.at_level("WARNING", logger="django.request"):
        response = client.get(reverse("case_list"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text and "\n" not in records[0].getMessage()
