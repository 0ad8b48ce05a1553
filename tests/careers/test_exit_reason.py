"""Issue 13: the reason of exit. Closing a case (the review with outcome exit) records why the case
ended; the reason is required in the action, the form and the API, "niet geregistreerd" is only for
cases closed before the field existed (the migration sets it), and the closing stays audited."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers import actions as a
from doorbraak.careers.models import EXIT_REASON_CHOICES, Case, CaseStatus, ExitReason
from tests.conftest import login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
REVIEW = {
    "suitable": "Draagt bij aan het doel.",
    "necessary": "Geen lichter middel.",
    "balanced": "In verhouding tot het doel.",
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch, world):
    monkeypatch.setattr(a, "_today", lambda: TODAY + timedelta(days=20))
    for user in world.users.values():
        user.is_verified = lambda: True


@pytest.fixture
def case(world):
    concern = a.do_report_concern(
        world.users["partner_professional"],
        given_names="Ravi",
        surname="Redentest",
        received_on=TODAY - timedelta(days=3),
        description="Signalen van ronselen op school.",
    )
    return a.do_decide(
        world.users["case_director"],
        concern.pk,
        decided_on=TODAY,
        outcome="individual",
        reasons="Zorgen op meerdere gebieden.",
        legal_basis="AVG art. 6 lid 1 sub e",
        partner_ids=[world.orgs["politie"].pk],
        criteria_text="Doorgroeier",
        review_due=TODAY + timedelta(days=90),
        inclusion_end=TODAY + timedelta(days=365),
    ).case


def test_the_choosable_reasons_are_the_directors_and_not_the_migration_default():
    values = [v for v, _label in EXIT_REASON_CHOICES]
    assert values == [
        "goals_reached",
        "regular_care",
        "moved",
        "detention",
        "no_cooperation",
        "other",
    ]
    assert ExitReason.NOT_RECORDED not in values
    assert str(ExitReason.NOT_RECORDED.label) == "Niet geregistreerd"


@pytest.mark.parametrize("reason", ["", "not_recorded", "verdwenen"])
def test_exit_without_a_valid_reason_is_refused_and_closes_nothing(world, case, reason):
    with pytest.raises(ValidationError) as err:
        a.do_review(
            world.users["case_director"],
            case.pk,
            held_on=TODAY,
            outcome="exit",
            exit_reason=reason,
            **REVIEW,
        )
    assert set(err.value.message_dict) == {"exit_reason"}
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.exit_reason) == (CaseStatus.OPEN, None, "")
    assert not case.reviews.exists()


def test_a_reason_with_continue_is_refused(world, case):
    with pytest.raises(ValidationError) as err:
        a.do_review(
            world.users["case_director"],
            case.pk,
            held_on=TODAY,
            outcome="continue",
            next_review_due=TODAY + timedelta(days=90),
            exit_reason="moved",
            **REVIEW,
        )
    assert set(err.value.message_dict) == {"exit_reason"}


def test_exit_records_the_reason_and_audits_it(world, case):
    a.do_review(
        world.users["case_director"],
        case.pk,
        held_on=TODAY + timedelta(days=5),
        outcome="exit",
        exit_reason="detention",
        **REVIEW,
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.exit_reason) == (
        CaseStatus.CLOSED,
        TODAY + timedelta(days=5),
        "detention",
    )
    entry = AuditEntry.objects.filter(object_type="case_review", action="update").get()
    assert entry.detail["exit_reason"] == "detention" and entry.detail["outcome"] == "exit"
    assert entry.username == "regisseur"


def test_a_partner_professional_cannot_close_a_case(world, case):
    with pytest.raises(PermissionDenied):
        a.do_review(
            world.users["partner_professional"],
            case.pk,
            held_on=TODAY,
            outcome="exit",
            exit_reason="goals_reached",
            **REVIEW,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.exit_reason == ""


def test_the_review_form_asks_the_reason_and_requires_it_at_exit(client, world, case):
    login(client, world.users["case_director"])
    url = reverse("review_create", kwargs={"pk": case.pk})
    field = client.get(url).context["form"].fields["exit_reason"]
    assert [v for v, _l in field.choices] == ["", *(v for v, _l in EXIT_REASON_CHOICES)]
    body = {**REVIEW, "held_on": TODAY.isoformat(), "outcome": "exit"}
    refused = client.post(url, body)
    assert refused.status_code == 400 and refused.context["form"].errors["exit_reason"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    ok = client.post(url, {**body, "exit_reason": "moved"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.exit_reason) == (CaseStatus.CLOSED, "moved")
    page = client.get(reverse("case_detail", kwargs={"pk": case.pk}))
    assert "Verhuisd buiten de gemeente" in page.content.decode()


def test_the_api_requires_the_reason_at_exit_and_shows_it(client, world, case):
    login(client, world.users["case_director"])
    url = reverse("api_reviews", kwargs={"pk": case.pk})
    body = {**REVIEW, "held_on": TODAY.isoformat(), "outcome": "exit"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert {p["name"] for p in refused.json()["invalidParams"]} == {"exit_reason"}
    chosen_default = client.post(
        url, {**body, "exit_reason": "not_recorded"}, content_type="application/json"
    )
    assert chosen_default.status_code == 400  # not a reason a director can choose
    ok = client.post(
        url, {**body, "exit_reason": "no_cooperation"}, content_type="application/json"
    )
    assert ok.status_code == 201
    dossier = client.get(reverse("api_dossier", kwargs={"pk": case.pk})).json()
    assert (dossier["status"], dossier["exit_reason"]) == ("closed", "no_cooperation")
    detail = client.get(reverse("api_case", kwargs={"pk": case.pk})).json()
    assert detail["exit_reason"] == "no_cooperation"


def test_the_migration_marks_cases_closed_before_it_as_not_recorded(world, case):
    still_open, already = world.cases["b"], world.cases["a"]
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY, exit_reason="")
    Case.objects.filter(pk=still_open.pk).update(status="open", closed_on=None, exit_reason="")
    Case.objects.filter(pk=already.pk).update(status="closed", closed_on=TODAY, exit_reason="moved")
    migration = importlib.import_module("doorbraak.careers.migrations.0006_case_exit_reason")
    migration.closed_cases_not_recorded(django_apps, None)
    reasons = dict(
        Case.objects.filter(pk__in=[case.pk, still_open.pk, already.pk]).values_list(
            "pk", "exit_reason"
        )
    )
    assert reasons == {
        case.pk: "not_recorded",  # closed before the field existed
        still_open.pk: "",  # an open case gets its reason when it closes
        already.pk: "moved",  # a recorded reason is kept
    }
