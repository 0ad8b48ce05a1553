"""The API contract (issue 14): the OpenAPI document is published without login at
/api/v1/openapi.json and describes what the server does.

The property-based run: schemathesis reads the published document over the application's WSGI
interface, generates requests for every operation from it and checks every answer: no 5xx, a
status code the document lists, the content type it lists and a body that matches the
schema given for that status. It runs as two roles with the API's own authentication (the
session of a user who logged in with a second factor; writes carry the CSRF token), bounded
in examples per operation and in total time, deterministic (derandomised, no example database).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import login

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 8  # per operation and role
BUDGET_SECONDS = 150  # the whole run per role; it takes far less on an idle machine
CSRF = "schemathesisCSRFtoken0123456789a"  # 32 characters: a valid unmasked CSRF secret

CAREERS_WRITES = {
    "/api/v1/careers/concerns/": "ConcernIn",
    "/api/v1/careers/concerns/{id}/decision/": "DecisionIn",
    "/api/v1/careers/cases/{id}/contacts/": "ContactIn",
    "/api/v1/careers/cases/{id}/reviews/": "ReviewIn",
    "/api/v1/careers/cases/{id}/zrm/": "ZrmIn",
    "/api/v1/careers/cases/{id}/goals/": "GoalIn",
    "/api/v1/careers/cases/{id}/actions/": "ActionIn",
    "/api/v1/careers/cases/{id}/relations/": "RelationIn",
    "/api/v1/careers/cases/{id}/records/": "RecordIn",
    "/api/v1/careers/cases/{id}/enrolments/": "EnrolIn",
    "/api/v1/careers/enrolments/{id}/events/": "EnrolmentEventIn",
}


@pytest.fixture
def wsgi_app():
    """The application as a server runs it. Django closes the database connection after each
    request; inside a test's transaction that would close the test's own connection, so (as
    Django's test client does) the request signals leave connections alone during the run."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def published(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_is_public_and_the_old_schema_url_still_works(client, world):
    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 200
    assert anonymous["Content-Type"].startswith("application/")
    assert anonymous.json()["openapi"].startswith("3.")
    # /api/schema/ is kept as it was: for a logged-in user
    assert client.get("/api/schema/").status_code in (401, 403)
    login(client, world.users["analyst"])
    assert client.get("/api/schema/").status_code == 200


def test_the_schema_is_generated_without_warnings(tmp_path):
    """drf-spectacular warns where it has to guess (two components with one name, a view it
    cannot introspect): each warning is a place where the document may not tell the truth."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_each_careers_write_documents_its_own_request_body(published):
    for path, component in CAREERS_WRITES.items():
        body = published["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"]["$ref"] == f"#/components/schemas/{component}", path
    assert len({published["paths"][p]["post"]["operationId"] for p in CAREERS_WRITES}) == len(
        CAREERS_WRITES
    )


def test_the_alerts_list_is_a_list_of_alerts(published):
    schema = published["paths"]["/api/v1/careers/alerts/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema["type"] == "array"
    alert = published["components"]["schemas"][schema["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"id", "case", "case_id", "kind", "created_on", "message"} <= set(alert["properties"])


def test_problem_responses_are_documented_for_every_operation(published):
    problem = published["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance"} <= set(problem["properties"])
    for path, operations in published["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403", "429"}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            refers = body and any(
                name.endswith(("_id", "_ids"))
                for name in published["components"]["schemas"][
                    body["schema"]["$ref"].rsplit("/", 1)[1]
                ]["properties"]
            )
            if "{" in path or refers:
                expected.add("404")
            if method in ("post", "put", "patch") or operation.get("parameters"):
                expected.add("400")
            assert expected <= set(responses), f"{method.upper()} {path}: {sorted(responses)}"
            for status in expected:
                content = responses[status]["content"]
                assert list(content) == ["application/problem+json"], (path, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


@pytest.mark.slow
@pytest.mark.parametrize("role", ["case_director", "analyst"])
def test_every_answer_matches_the_published_schema(client, world, wsgi_app, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    login(client, world.users[role])
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    headers = {"X-CSRFToken": CSRF}
    started = time.monotonic()
    failures, operations, statuses = [], 0, Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            response = case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
            statuses[response.status_code] += 1

        try:
            answers_as_documented()
        except Exception as exc:  # every operation's failure is reported, not just the first
            failures.append(f"{operation.label}: {exc}")
        assert time.monotonic() - started < BUDGET_SECONDS, (
            f"over the time budget after {operations} operations"
        )
    assert operations >= 30
    assert not failures, "\n\n".join(failures)
    # the run was the role's own: logged in (never 401), and it got real answers, not only errors
    assert statuses[401] == 0, statuses
    assert sum(n for status, n in statuses.items() if status < 300) >= operations // 3, statuses
