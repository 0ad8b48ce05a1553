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
