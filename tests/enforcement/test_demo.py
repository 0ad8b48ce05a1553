"""The demo's two years of enforcement are plausible: most Knock and Talk visits find nothing,
closures are rare and four-eyed, objections few, deadlines as the Awb counts them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from doorbraak.enforcement import deadlines, selectors
from doorbraak.enforcement.models import (
    FOUR_EYES_TYPES,
    Action,
    ActionType,
    Decision,
    DecisionStatus,
    Objection,
    Outcome,
    TrainingSession,
)


@pytest.mark.django_db
def test_demo_enforcement_is_plausible(demo_mode):
    from doorbraak.demo.generator import build_demo_city

    summary = build_demo_city(businesses=300, cases=6)
    today = summary.today
    actions = Action.objects.all()
    assert 250 <= actions.count() <= 300
    assert actions.filter(planned_on__lt=today - timedelta(days=365)).exists()  # two years
    assert not actions.filter(planned_on__lt=today - timedelta(days=731)).exists()
    assert not actions.exclude(area_code__in=["nieuw_overvecht", "amsterdamsestraatweg"]).exists()
    assert not actions.filter(reason="").exists()  # always a reason, always a planner

    kt = actions.filter(action_type=ActionType.KNOCK_AND_TALK).exclude(outcome="")
    found = kt.filter(outcome=Outcome.IRREGULARITIES).count()
    assert kt.count() > 100 and found / kt.count() < 0.25  # most visits find nothing
    controls = actions.filter(action_type=ActionType.INTEGRATED_CONTROL).exclude(outcome="")
    assert (
        controls.filter(outcome=Outcome.IRREGULARITIES).count() / controls.count()
        > found / kt.count()
    )

    decisions = Decision.objects.all()
    closures = decisions.filter(decision_type__in=FOUR_EYES_TYPES)
    assert 0 < decisions.count() < actions.count() / 5
    assert closures.count() <= 10
    for d in closures.filter(status=DecisionStatus.ISSUED):
        assert d.approved_by_id and d.approved_by_id != d.proposed_by_id
        assert d.proportionality_suitable and d.proportionality_necessary
    for d in decisions.filter(status=DecisionStatus.ISSUED):
        assert d.objection_deadline == deadlines.objection_deadline(d.announced_on)
    assert Objection.objects.count() <= decisions.count() / 2
    assert TrainingSession.objects.count() >= 10

    c = selectors.counts((today - timedelta(days=365), today))
    assert c["actions_total"] > 50 and c["trainings"]["participants"] > 0


@pytest.mark.django_db
def test_demo_pages_render_for_each_enforcement_role(demo_mode, client):
    from django.urls import reverse

    from doorbraak.demo.generator import build_demo_city
    from doorbraak.partners.models import User
    from tests.conftest import login

    build_demo_city(businesses=300, cases=6)
    action = Action.objects.exclude(company=None).exclude(outcome="").first()
    decision = Decision.objects.filter(status=DecisionStatus.ISSUED).first()
    pages = [
        reverse("enforcement_actions") + "?status=all",
        reverse("enforcement_action", args=[action.pk]),
        reverse("enforcement_decisions"),
        reverse("enforcement_decision", args=[decision.pk]),
        reverse("enforcement_ledger_premises", args=[action.premises.bag_id]),
        reverse("enforcement_ledger_company", args=[action.company.kvk_number]),
        reverse("enforcement_trainings"),
    ]
    for username in ("handhaver", "jurist"):
        login(client, User.objects.get(username=username))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
    login(client, User.objects.get(username="handhaver"))
    planning = client.get(
        reverse("enforcement_action_create")
        + f"?object_type=premises&object_id={action.premises.bag_id}"
    )
    assert planning.status_code == 200
    proposing = client.get(
        reverse("enforcement_decision_create")
        + f"?object_type=premises&object_id={action.premises.bag_id}&actie={action.pk}"
    )
    assert proposing.status_code == 200
    login(client, User.objects.get(username="analist"))
    precision = client.get(reverse("enforcement_precision"))
    assert precision.status_code == 200 and "(geen indicator)" in precision.content.decode()
