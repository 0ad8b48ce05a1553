"""Issue 10: exit leaves no work open. Closing a case asks, for every open enrolment and plan
action, whether it ends or is handed over to regular care; the places come free (the first on the
waiting list gets one), goals stop running, and nothing is closed half when a choice is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.careers import actions as a
from doorbraak.careers.models import (
    CaseStatus,
    Enrolment,
    Goal,
    Intervention,
    PlanAction,
    Programme,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
REVIEW = {
    "suitable": "Draagt bij aan het doel.",
    "necessary": "Geen lichter middel.",
    "balanced": "In verhouding tot het doel.",
    "outcome": "exit",
    "exit_reason": "regular_care",
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch, world):
    monkeypatch.setattr(a, "_today", lambda: TODAY + timedelta(days=20))
    for user in world.users.values():
        user.is_verified = lambda: True


def _include(world, given):
    cd = world.users["case_director"]
    concern = a.do_report_concern(
        world.users["partner_professional"],
        given_names=given,
        surname="Uitstroomtest",
        received_on=TODAY - timedelta(days=3),
        description="Signalen van ronselen op school.",
    )
    return a.do_decide(
        cd,
        concern.pk,
        decided_on=TODAY,
        outcome="individual",
        reasons="Zorgen op meerdere gebieden.",
        legal_basis="AVG art. 6 lid 1 sub e",
        partner_ids=[world.orgs["politie"].pk],
        criteria_text="Doorgroeier",
        review_due=TODAY + timedelta(days=90),
        inclusion_end=TODAY + timedelta(days=365),
        contact_cadence_days=7,
    ).case


@pytest.fixture
def scene(world):
    """Case X takes the only place of a programme, case Y waits for it; X has a goal with two open
    actions (one done already)."""
    cd = world.users["case_director"]
    x, y = _include(world, "Xena"), _include(world, "Yusuf")
    intervention = Intervention.objects.create(
        name="Stage", provider="ROC", recognition="nieuw", type="internship"
    )
    programme = Programme.objects.create(
        name="Stage met status", intervention=intervention, capacity=1, owner=cd
    )
    taking_part = a.do_enrol(
        cd, x.pk, programme_id=programme.pk, person_id=x.subject_id, requested_on=TODAY
    )
    waiting = a.do_enrol(
        cd, y.pk, programme_id=programme.pk, person_id=y.subject_id, requested_on=TODAY
    )
    assert (taking_part.status, waiting.status) == ("active", "waiting")
    goal = a.do_add_goal(cd, x.pk, domain="financien", description="Schulden in beeld")
    org = world.orgs["politie"].pk
    keep = a.do_add_action(
        cd,
        goal.pk,
        description="Schuldhulp",
        organisation_id=org,
        owner_name="J. Jansen",
        due_on=TODAY + timedelta(days=30),
        case_id=x.pk,
    )
    drop = a.do_add_action(
        cd,
        goal.pk,
        description="Budgetcursus",
        organisation_id=org,
        owner_name="J. Jansen",
        due_on=TODAY + timedelta(days=40),
        case_id=x.pk,
    )
    done = a.do_add_action(
        cd,
        goal.pk,
        description="Intake",
        organisation_id=org,
        owner_name="J. Jansen",
        due_on=TODAY + timedelta(days=5),
        case_id=x.pk,
    )
    a.do_update_action_status(cd, done.pk, status="done")
    return {
        "x": x,
        "y": y,
        "programme": programme,
        "taking_part": taking_part,
        "waiting": waiting,
        "goal": goal,
        "keep": keep,
        "drop": drop,
        "done": done,
    }


def _reload(*objs):
    for o in objs:
        o.refresh_from_db()


def test_exit_without_a_choice_for_open_work_is_refused_and_closes_nothing(world, scene):
    cd = world.users["case_director"]
    with pytest.raises(ValidationError) as err:
        a.do_review(
            cd, scene["x"].pk, held_on=TODAY, **REVIEW, actions={str(scene["keep"].pk): "handover"}
        )
    fields = set(err.value.message_dict)
    assert fields == {f"enrolment_{scene['taking_part'].pk}", f"action_{scene['drop'].pk}"}
    _reload(scene["x"], scene["taking_part"], scene["keep"])
    assert scene["x"].status == CaseStatus.OPEN and scene["taking_part"].status == "active"
    assert scene["keep"].status == "planned"


def test_exit_ends_or_hands_over_each_open_item_and_frees_the_place(world, scene):
    cd = world.users["case_director"]
    a.do_review(
        cd,
        scene["x"].pk,
        held_on=TODAY + timedelta(days=10),
        **REVIEW,
        enrolments={scene["taking_part"].pk: "handover"},
        actions={scene["keep"].pk: "handover", scene["drop"].pk: "end"},
    )
    _reload(
        scene["x"],
        scene["taking_part"],
        scene["waiting"],
        scene["keep"],
        scene["drop"],
        scene["done"],
        scene["goal"],
    )
    assert scene["x"].status == CaseStatus.CLOSED
    assert (scene["taking_part"].status, scene["taking_part"].ended_on) == (
        "handed_over",
        TODAY + timedelta(days=10),
    )
    assert (scene["waiting"].status, scene["waiting"].started_on) == (
        "active",
        TODAY + timedelta(days=10),
    )
    assert (
        Enrolment.objects.filter(programme=scene["programme"], status="active").count() == 1
    )  # the place went on
    assert (scene["keep"].status, scene["drop"].status, scene["done"].status) == (
        "handed_over",
        "cancelled",
        "done",
    )
    assert scene["goal"].status == Goal.Status.HANDED_OVER
    assert not PlanAction.objects.filter(
        goal__case=scene["x"], status__in=["planned", "busy"]
    ).exists()
    assert not Goal.objects.filter(case=scene["x"], status="open").exists()
    exits = AuditEntry.objects.filter(
        action="update", object_type__in=["enrolment", "plan_action", "plan_goal"]
    )
    assert exits.count() >= 5  # each closed item, and the place given to the waiting list


def test_ending_a_waiting_enrolment_at_exit_takes_it_off_the_list(world, scene):
    cd = world.users["case_director"]
    a.do_review(cd, scene["y"].pk, held_on=TODAY, **REVIEW, enrolments={scene["waiting"].pk: "end"})
    _reload(scene["waiting"], scene["taking_part"])
    assert scene["waiting"].status == "ended" and scene["taking_part"].status == "active"


def test_exit_refuses_ids_that_are_not_open_work_of_this_case(world, scene):
    cd = world.users["case_director"]
    with pytest.raises(ValidationError) as err:
        a.do_review(
            cd,
            scene["y"].pk,
            held_on=TODAY,
            **REVIEW,
            enrolments={scene["waiting"].pk: "end", scene["taking_part"].pk: "end"},
        )
    assert "enrolments" in err.value.message_dict


def test_the_review_form_asks_per_open_enrolment_and_action(client, world, scene):
    login(client, world.users["case_director"])
    url = reverse("review_create", kwargs={"pk": scene["x"].pk})
    fields = client.get(url).context["form"].fields
    asked = {name for name in fields if name.startswith(("enrolment_", "action_"))}
    assert asked == {
        f"enrolment_{scene['taking_part'].pk}",
        f"action_{scene['keep'].pk}",
        f"action_{scene['drop'].pk}",
    }
    body = {**REVIEW, "held_on": TODAY.isoformat()}
    refused = client.post(url, body)
    assert (
        refused.status_code == 400
        and refused.context["form"].errors[f"enrolment_{scene['taking_part'].pk}"]
    )
    _reload(scene["x"])
    assert scene["x"].status == "open"
    ok = client.post(
        url,
        {
            **body,
            f"enrolment_{scene['taking_part'].pk}": "end",
            f"action_{scene['keep'].pk}": "handover",
            f"action_{scene['drop'].pk}": "end",
        },
    )
    assert ok.status_code == 302
    _reload(scene["x"], scene["taking_part"], scene["waiting"])
    assert scene["x"].status == "closed" and scene["taking_part"].status == "ended"
    assert scene["waiting"].status == "active"


def test_the_api_asks_per_open_enrolment_and_action(client, world, scene):
    login(client, world.users["case_director"])
    url = reverse("api_reviews", kwargs={"pk": scene["x"].pk})
    body = {**REVIEW, "held_on": TODAY.isoformat()}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    names = {p["name"] for p in refused.json()["invalidParams"]}
    assert names == {
        f"enrolment_{scene['taking_part'].pk}",
        f"action_{scene['keep'].pk}",
        f"action_{scene['drop'].pk}",
    }
    bad = client.post(
        url,
        {**body, "enrolments": {str(scene["taking_part"].pk): "forget"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = client.post(
        url,
        {
            **body,
            "enrolments": {str(scene["taking_part"].pk): "handover"},
            "actions": {str(scene["keep"].pk): "end", str(scene["drop"].pk): "end"},
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    _reload(scene["waiting"])
    assert scene["waiting"].status == "active"
    dossier = client.get(reverse("api_dossier", kwargs={"pk": scene["x"].pk})).json()
    assert {e["status"] for e in dossier["enrolments"]} == {"handed_over"}
    assert {x["status"] for g in dossier["goals"] for x in g["actions"]} == {"cancelled", "done"}
