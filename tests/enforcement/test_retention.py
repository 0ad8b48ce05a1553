"""Enforcement records leave after the retention period of their processing activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from doorbraak.enforcement.models import Action, Decision, Objection
from doorbraak.enforcement.retention import ENFORCEMENT_ACTIVITY
from doorbraak.privacy.retention import run_retention
from tests import factories as f


@pytest.mark.django_db
def test_old_actions_and_decisions_are_deleted_pending_objections_kept(ew, officer, lawyer):
    today = timezone.localdate()
    shop = ew.premises["shop"]
    old = today - timedelta(days=8 * 365)

    def action(on):
        return Action.objects.create(
            object_type="premises",
            premises=shop,
            area_code=shop.area,
            action_type="knock_and_talk",
            reason="Kennismaking in het gebied.",
            planned_by=officer,
            planned_on=on,
            carried_out_on=on,
            outcome="nothing_found",
        )

    def decision(on):
        return Decision.objects.create(
            object_type="premises",
            premises=shop,
            decision_type="penalty",
            legal_basis="awb_5_32",
            summary="Last onder dwangsom.",
            proposed_by=lawyer,
            proposed_on=on,
            decision_date=on,
            announced_on=on,
            status="issued",
        )

    old_action, new_action = action(old), action(today - timedelta(days=30))
    old_decision, pending = decision(old), decision(old)
    Objection.objects.create(
        decision=pending, received_on=old + timedelta(days=10), in_time=True, recorded_by=lawyer
    )
    run_retention(today)  # no activity in the register yet: nothing is removed
    assert Action.objects.count() == 2 and Decision.objects.count() == 2
    f.ActivityFactory(
        code=ENFORCEMENT_ACTIVITY,
        name="Handhavingsdossier",
        retention_days=7 * 365,
        retention_action="delete",
    )
    summary = run_retention(today)
    assert not Action.objects.filter(pk=old_action.pk).exists()
    assert Action.objects.filter(pk=new_action.pk).exists()
    assert not Decision.objects.filter(pk=old_decision.pk).exists()
    assert Decision.objects.filter(pk=pending.pk).exists()  # its objection is not decided
    assert summary["counts"] == {"enforcement_action:delete": 1, "enforcement_decision:delete": 1}
