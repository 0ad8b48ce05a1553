"""Actions and decisions: planned by a person with a reason, findings, four eyes, escalation
steps, proportionality, objections — and every write audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from doorbraak.audit.models import AuditAction, AuditEntry
from doorbraak.enforcement import actions, escalation
from doorbraak.enforcement.models import (
    Action,
    ActionType,
    DecisionStatus,
    DecisionType,
    EscalationStep,
    LegalBasis,
    Outcome,
    PremisesKind,
    UserArea,
)
from doorbraak.policy import AccessDenied
from doorbraak.registers.models import EntryKind, RegisterEntry

REASON = "Meerdere bedrijven op dit adres, signaal van de wijkagent over drukte 's nachts."
PROP = {
    "proportionality_suitable": "Sluiting beëindigt de drugshandel vanuit dit pand.",
    "proportionality_necessary": "Een waarschuwing is eerder gegeven en niet opgevolgd.",
    "proportionality_balanced": "Geen bewoners getroffen; de eigenaar is gehoord (zienswijze).",
}


def _plan(user, premises, action_type=ActionType.KNOCK_AND_TALK, **kw):
    return actions.plan_action(
        user,
        object_type="premises",
        object_id=premises.bag_id,
        action_type=action_type,
        reason=REASON,
        **kw,
    )


def _audited(action: str, object_type: str, object_id) -> bool:
    return AuditEntry.objects.filter(
        action=action, object_type=object_type, object_id=str(object_id)
    ).exists()


@pytest.mark.django_db
def test_action_flow_plan_assign_findings(ew, officer):
    shop = ew.premises["shop"]
    action = _plan(
        officer,
        shop,
        fired_indicators=["many_businesses_at_address", "vulnerable_sector"],
        rule_set_version="2026.1",
        score=7.0,
    )
    assert action.planned_by == officer and action.reason == REASON
    assert action.area_code == "nieuw_overvecht"
    assert action.fired_indicators == ["many_businesses_at_address", "vulnerable_sector"]
    assert _audited(AuditAction.CREATE, "enforcement_action", action.pk)

    actions.assign_action(officer, action, ew.users["officer2"])
    action.refresh_from_db()
    assert action.assigned_to == ew.users["officer2"] and action.status == "assigned"

    with pytest.raises(ValidationError) as exc:
        actions.record_findings(
            ew.users["officer2"],
            action,
            carried_out_on=timezone.localdate(),
            outcome="irregularities",
        )
    assert "irregularities" in exc.value.message_dict  # which ones?
    actions.record_findings(
        ew.users["officer2"],
        action,
        carried_out_on=timezone.localdate(),
        outcome=Outcome.IRREGULARITIES,
        irregularities=["no_permit", "administration"],
        note="Geen exploitatievergunning aanwezig.",
    )
    action.refresh_from_db()
    assert action.status == "recorded" and action.irregularities == ["administration", "no_permit"]
    assert _audited(AuditAction.UPDATE, "enforcement_action", action.pk)


@pytest.mark.django_db
def test_no_action_without_a_person_and_a_reason(ew, officer):
    with pytest.raises(ValidationError) as exc:
        actions.plan_action(
            officer,
            object_type="premises",
            object_id=ew.premises["shop"].bag_id,
            action_type=ActionType.PERMIT_CHECK,
            reason="  score  ",
        )
    assert "reason" in exc.value.message_dict
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_officers_plan_only_in_their_areas_and_other_roles_not_at_all(ew, officer):
    with pytest.raises(AccessDenied):
        _plan(officer, ew.premises["outside"])  # not in a focus area
    assert _audited(AuditAction.DENY, "enforcement_action", ew.premises["outside"].bag_id)
    UserArea.objects.create(user=officer, area_code="amsterdamsestraatweg")
    with pytest.raises(AccessDenied):
        _plan(officer, ew.premises["shop"])  # Nieuw Overvecht is no longer theirs
    assert _plan(officer, ew.premises["home"]).area_code == "amsterdamsestraatweg"
    for role in ("analyst", "lawyer", "case_director", "policy_staff"):
        with pytest.raises(AccessDenied):
            _plan(ew.users[role], ew.premises["home"])
    # an action cannot be assigned to an officer outside the area
    UserArea.objects.create(user=ew.users["officer2"], area_code="nieuw_overvecht")
    with pytest.raises(ValidationError):
        _plan(officer, ew.premises["home"], assigned_to=ew.users["officer2"])


def _propose_closure(user, premises, **kw):
    return actions.propose_decision(
        user,
        object_type="premises",
        object_id=premises.bag_id,
        decision_type=kw.pop("decision_type", DecisionType.CLOSURE_13B),
        legal_basis=kw.pop("legal_basis", LegalBasis.OPIUMWET_13B),
        summary="Handelsvoorraad harddrugs aangetroffen bij integrale controle.",
        **{**PROP, **kw},
    )


@pytest.mark.django_db
def test_four_eyes_the_proposer_is_refused_as_approver(ew, lawyer):
    shop = ew.premises["shop"]
    decision = _propose_closure(lawyer, shop)
    assert decision.status == DecisionStatus.PROPOSED and decision.needs_four_eyes
    today = timezone.localdate()
    with pytest.raises(ValidationError):  # not before a second person approved
        actions.issue_decision(lawyer, decision, decision_date=today, announced_on=today)
    with pytest.raises(AccessDenied):
        actions.approve_decision(lawyer, decision)
    assert AuditEntry.objects.filter(
        action=AuditAction.DENY, object_type="enforcement_decision", object_id=str(decision.pk)
    ).exists()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.approved_by is None
    # roles without the capability cannot approve either
    with pytest.raises(AccessDenied):
        actions.approve_decision(ew.users["analyst"], decision)
    actions.approve_decision(ew.users["lawyer2"], decision)
    actions.issue_decision(lawyer, decision, decision_date=today, announced_on=today)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.approved_by == ew.users["lawyer2"]
    assert decision.objection_deadline >= today + timedelta(weeks=6)


@pytest.mark.django_db
def test_area_ban_needs_four_eyes_a_bibob_refusal_does_not(ew, officer, lawyer):
    shop = ew.premises["shop"]
    today = timezone.localdate()
    ban = actions.propose_decision(
        officer,
        object_type="premises",
        object_id=shop.bag_id,
        decision_type=DecisionType.AREA_BAN,
        legal_basis=LegalBasis.APV,
        legal_basis_detail="APV Utrecht art. 2:77",
        summary="Gebiedsverbod rond het pand na herhaalde overlast.",
    )
    assert ban.needs_four_eyes
    with pytest.raises(AccessDenied):
        actions.approve_decision(officer, ban)
    actions.approve_decision(lawyer, ban)
    refusal = actions.propose_decision(
        lawyer,
        object_type="company",
        object_id=ew.companies["shop_co"].kvk_number,
        decision_type=DecisionType.BIBOB_REFUSAL,
        legal_basis=LegalBasis.BIBOB,
        summary="Ernstig gevaar (a-grond) volgens eigen onderzoek; vergunning geweigerd.",
    )
    actions.issue_decision(lawyer, refusal, decision_date=today, announced_on=today)
    assert refusal.status == DecisionStatus.ISSUED and refusal.company == ew.companies["shop_co"]


@pytest.mark.django_db
def test_closure_needs_all_three_proportionality_steps_and_a_fitting_legal_basis(ew, lawyer):
    shop = ew.premises["shop"]
    with pytest.raises(ValidationError) as exc:
        _propose_closure(
            lawyer,
            shop,
            proportionality_suitable="",
            proportionality_necessary="",
            proportionality_balanced="kort",
        )
    assert {
        "proportionality_suitable",
        "proportionality_necessary",
        "proportionality_balanced",
    } <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        _propose_closure(lawyer, shop, legal_basis=LegalBasis.BIBOB)
    assert "legal_basis" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _propose_closure(
            lawyer, shop, decision_type=DecisionType.CLOSURE_APV, legal_basis=LegalBasis.APV
        )
    assert "legal_basis_detail" in exc.value.message_dict  # which APV article


def _issue(decision, proposer, approver, on):
    actions.approve_decision(approver, decision, approved_on=on)
    actions.issue_decision(proposer, decision, decision_date=on, announced_on=on)
    return decision


@pytest.mark.django_db
def test_escalation_steps_follow_previous_closures(ew, lawyer):
    home, shop = ew.premises["home"], ew.premises["shop"]
    assert escalation.premises_kind(home) == PremisesKind.DWELLING
    assert escalation.premises_kind(shop) == PremisesKind.BUSINESS
    # a dwelling: warning first
    today = timezone.localdate()
    step = escalation.proposed_step(home, today)
    assert (step.number, step.months) == (1, 0)
    with pytest.raises(ValidationError) as exc:  # a closure cannot be on the warning step
        _propose_closure(lawyer, home)
    assert "escalation_step" in exc.value.message_dict
    warning = actions.propose_decision(
        lawyer,
        object_type="premises",
        object_id=home.bag_id,
        decision_type=DecisionType.WARNING,
        legal_basis=LegalBasis.OPIUMWET_13B,
        summary="Kleine hoeveelheid softdrugs voor de handel: waarschuwing.",
        proposed_on=today - timedelta(days=400),
    )
    actions.issue_decision(
        lawyer,
        warning,
        decision_date=today - timedelta(days=400),
        announced_on=today - timedelta(days=399),
    )
    second = _propose_closure(lawyer, home, proposed_on=today - timedelta(days=30))
    assert (second.escalation_step.number, second.closure_months) == (2, 3)
    _issue(second, lawyer, ew.users["lawyer2"], today - timedelta(days=20))
    assert escalation.proposed_step(home, today).months == 6

    # a business premises: 3 months first; a closure in the closures register counts too
    assert escalation.proposed_step(shop, today).months == 3
    RegisterEntry.objects.create(
        source=shop.source,
        received_on=today,
        kind=EntryKind.CLOSURE,
        key="13b-2023-001",
        occurred_on=today - timedelta(days=3 * 365),
        premises=shop,
    )
    assert escalation.proposed_step(shop, today).months == 6
    RegisterEntry.objects.create(
        source=shop.source,
        received_on=today,
        kind=EntryKind.CLOSURE,
        key="13b-2015-001",
        occurred_on=today - timedelta(days=11 * 365),  # outside the 5-year look-back
        premises=shop,
    )
    assert escalation.proposed_step(shop, today).months == 6
    for n in range(2):
        d = _propose_closure(lawyer, shop, proposed_on=today - timedelta(days=10 - n))
        _issue(d, lawyer, ew.users["lawyer2"], today - timedelta(days=10 - n))
    top = escalation.proposed_step(shop, today)
    assert (top.number, top.months) == (3, 12)  # past the last step: the last step again

    # the ladder is configuration: the administrator changes a step, the proposal follows
    EscalationStep.objects.filter(premises_kind=PremisesKind.BUSINESS, number=3).update(months=24)
    assert escalation.proposed_step(shop, today).months == 24


@pytest.mark.django_db
def test_objections_in_time_or_not_and_their_outcome(ew, lawyer):
    shop = ew.premises["shop"]
    announced = date(2026, 11, 13)  # deadline Monday 28 December 2026
    d = actions.propose_decision(
        lawyer,
        object_type="premises",
        object_id=shop.bag_id,
        decision_type=DecisionType.PENALTY,
        legal_basis=LegalBasis.AWB_5_32,
        summary="Last onder dwangsom: administratie opkopersregister bijhouden.",
        proposed_on=date(2026, 11, 10),
    )
    actions.issue_decision(lawyer, d, decision_date=date(2026, 11, 12), announced_on=announced)
    assert d.objection_deadline == date(2026, 12, 28)
    with pytest.raises(ValidationError):  # not in the future
        actions.record_objection(lawyer, d, received_on=timezone.localdate() + timedelta(days=1))
    ok = actions.record_objection(lawyer, d, received_on=date(2026, 11, 30))
    assert ok.in_time
    actions.decide_objection(lawyer, ok, outcome="ongegrond", outcome_on=timezone.localdate())
    ok.refresh_from_db()
    assert ok.outcome == "ongegrond"
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="enforcement_objection", object_id=str(ok.pk)
    ).exists()


@pytest.mark.django_db
def test_a_late_objection_is_recorded_as_late(ew, lawyer):
    shop = ew.premises["shop"]
    today = timezone.localdate()
    announced = today - timedelta(days=70)
    d = actions.propose_decision(
        lawyer,
        object_type="premises",
        object_id=shop.bag_id,
        decision_type=DecisionType.PENALTY,
        legal_basis=LegalBasis.AWB_5_32,
        summary="Last onder dwangsom: vergunningvoorschriften naleven.",
        proposed_on=announced,
    )
    actions.issue_decision(lawyer, d, decision_date=announced, announced_on=announced)
    late = actions.record_objection(lawyer, d, received_on=today)
    assert not late.in_time
