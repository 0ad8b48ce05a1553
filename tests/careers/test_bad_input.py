"""Issue 3: bad input on every form and every write endpoint of case management gets a clear error
and saves nothing (no row in any careers table, no register person, no write in the audit log).

Each form and endpoint gets three kinds of bad input: nothing at all, text of the wrong kind in
every field, and oversized values with a NUL character (which PostgreSQL refuses in text)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers import actions as a
from doorbraak.careers.models import Intervention, Programme, VogGuidance
from doorbraak.registers.models import Person
from tests.conftest import login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def scene(world):
    """A case with a goal, an action, an enrolment and a pending concern, made through the actions."""
    for user in world.users.values():
        user.is_verified = lambda: True
    cd = world.users["case_director"]
    concern = a.do_report_concern(
        world.users["partner_professional"],
        given_names="Sem",
        surname="Invoertest",
        received_on=TODAY,
        description="Signalen van ronselen bij de school.",
    )
    decision = a.do_decide(
        cd,
        concern.pk,
        decided_on=TODAY,
        outcome="individual",
        reasons="Meerdere leefgebieden.",
        legal_basis="AVG art. 6 lid 1 sub e",
        partner_ids=[world.orgs["politie"].pk],
        criteria_text="Doorgroeier",
        review_due=TODAY + timedelta(days=90),
        inclusion_end=TODAY + timedelta(days=365),
        contact_cadence_days=7,
    )
    case = decision.case
    goal = a.do_add_goal(cd, case.pk, domain="financien", description="Schulden in beeld")
    action = a.do_add_action(
        cd,
        goal.pk,
        description="Aanmelden schuldhulp",
        organisation_id=world.orgs["politie"].pk,
        owner_name="J. Jansen",
        due_on=TODAY + timedelta(days=30),
    )
    interv = Intervention.objects.create(
        name="Sport", provider="X", recognition="nieuw", type="sport_day"
    )
    programme = Programme.objects.create(
        name="Sport Overvecht", intervention=interv, capacity=5, owner=cd
    )
    enrolment = a.do_enrol(
        cd, case.pk, programme_id=programme.pk, person_id=case.subject_id, requested_on=TODAY
    )
    pending = a.do_report_concern(
        world.users["partner_professional"],
        given_names="Lot",
        surname="Invoertest",
        received_on=TODAY,
        description="Zorgen over schoolverzuim en geld.",
    )
    vog = VogGuidance.objects.create(
        job="Medewerker sportschool", needs_vog=True, screening_profile="algemeen"
    )
    return {
        "case": case.pk,
        "action": action.pk,
        "enrolment": enrolment.pk,
        "concern": pending.pk,
        "programme": programme.pk,
        "vog": vog.pk,
    }


def _state():
    """Row counts of every careers table, register persons and audit writes."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("careers").get_models()}
    counts["persons"] = Person.objects.count()
    counts["audit_writes"] = AuditEntry.objects.filter(
        action__in=["create", "update", "delete"]
    ).count()
    return counts


FORMS = [  # url name, which object of the scene is its pk (None: no pk)
    ("concern_create", None),
    ("concern_decide", "concern"),
    ("contact_create", "case"),
    ("record_create", "case"),
    ("relation_create", "case"),
    ("zrm_create", "case"),
    ("review_create", "case"),
    ("plan_roles", "case"),
    ("goal_create", "case"),
    ("action_create", "case"),
    ("enrol_create", "case"),
    ("coach_match", "case"),
    ("enrolment_update", "enrolment"),
    ("programme_detail", "programme"),
    ("vog_create", None),
    ("vog_edit", "vog"),
    ("intervention_create", None),
    ("programme_create", None),
    ("coach_create", None),
]


FREE_TEXT_FORMS = {
    "vog_create",
    "vog_edit",
}  # every field is free text or a tick box: any text is valid


def _bad_payloads(fields) -> dict:
    return {
        "empty": {},
        "wrong_kind": {name: "§ geen geldige waarde §" for name in fields},
        "oversized_nul": {name: "x\x00" + "y" * 5000 for name in fields},
    }


@pytest.mark.parametrize(("name", "obj"), FORMS)
def test_every_form_refuses_bad_input_with_a_clear_error_and_saves_nothing(
    client, world, scene, name, obj
):
    login(client, world.users["case_director"])
    url = reverse(name, kwargs={"pk": scene[obj]}) if obj else reverse(name)
    page = client.get(url)
    assert page.status_code == 200
    fields = list(page.context["form"].fields)
    for label, payload in _bad_payloads(fields).items():
        if label == "wrong_kind" and name in FREE_TEXT_FORMS:
            continue
        before = _state()
        response = client.post(url, payload)
        assert response.status_code == 400, (name, label, response.status_code)
        text = response.content.decode()
        assert "Er is niets opgeslagen" in text or 'role="alert"' in text, (name, label)
        assert response.context["form"].errors, (name, label)
        assert _state() == before, (name, label)


def test_action_status_with_a_bad_status_says_so_and_changes_nothing(client, world, scene):
    login(client, world.users["case_director"])
    before = _state()
    response = client.post(
        reverse("action_status", kwargs={"pk": scene["action"]}), {"status": "weg"}, follow=True
    )
    assert "Kies een geldige status" in response.content.decode()
    assert _state() == before


API = [  # url name, which object of the scene is its pk
    ("api_concerns", None),
    ("api_concern_decision", "concern"),
    ("api_contacts", "case"),
    ("api_reviews", "case"),
    ("api_zrm", "case"),
    ("api_goals", "case"),
    ("api_actions", "case"),
    ("api_relations", "case"),
    ("api_careers_records", "case"),
    ("api_enrolments", "case"),
    ("api_enrolment_events", "enrolment"),
]
API_GARBAGE = {
    "empty": {},
    "wrong_kind": {
        k: "§"
        for k in (
            "given_names",
            "surname",
            "received_on",
            "description",
            "decided_on",
            "outcome",
            "person_id",
            "contact_on",
            "kind",
            "held_on",
            "scores",
            "domain",
            "goal_id",
            "due_on",
            "from_person_id",
            "category",
            "occurred_on",
            "programme_id",
            "event",
        )
    },
    "wrong_types": {
        k: [1, {"a": None}]
        for k in (
            "given_names",
            "surname",
            "received_on",
            "person_id",
            "contact_on",
            "held_on",
            "scores",
            "domain",
            "programme_id",
            "event",
        )
    },
    "nul_and_huge": {
        k: "x\x00" + "y" * 20000
        for k in (
            "given_names",
            "surname",
            "description",
            "note",
            "reasons",
            "legal_basis",
            "title",
            "text",
            "suitable",
        )
    },
}


@pytest.mark.parametrize(("name", "obj"), API)
@pytest.mark.parametrize("payload", list(API_GARBAGE))
def test_every_write_endpoint_answers_bad_input_with_problem_json_and_saves_nothing(
    client, world, scene, name, obj, payload
):
    login(client, world.users["case_director"])
    url = reverse(name, kwargs={"pk": scene[obj]}) if obj else reverse(name)
    before = _state()
    response = client.post(url, API_GARBAGE[payload], content_type="application/json")
    assert response.status_code == 400, (name, payload, response.content[:300])
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400 and body.get("invalidParams"), body
    assert all(p.get("name") and p.get("reason") for p in body["invalidParams"]), body
    assert _state() == before


@pytest.mark.parametrize("body", ["{niet json", "[]", '"tekst"'])
def test_malformed_json_is_a_400_not_a_500(client, world, scene, body):
    login(client, world.users["case_director"])
    before = _state()
    response = client.post(
        reverse("api_contacts", kwargs={"pk": scene["case"]}), body, content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"].startswith(
        "application/problem+json"
    )
    assert _state() == before
