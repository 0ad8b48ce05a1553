"""Every write of enforcement: checked through access/policy, validated completely before anything
is written, atomic, audited in the same transaction, events sent once it has committed.

No indicator starts an action: `plan_action` needs a person (the user) and a recorded reason. The
risk result it was planned from is context, copied (fired indicator ids, rule-set version, score)
so that precision per indicator survives later runs."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import TEXT_MAX
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Company, Premises

from . import access, deadlines, escalation, signals
from .models import (
    CLOSURE_TYPES,
    FOUR_EYES_TYPES,
    Action,
    ActionType,
    BibobOutcome,
    Decision,
    DecisionStatus,
    DecisionType,
    EscalationStep,
    Irregularity,
    LegalBasis,
    Objection,
    ObjectionOutcome,
    ObjectType,
    Outcome,
    TrainingSession,
)

P = access.PURPOSE
REASON_MIN = 10
# Which legal bases fit which decision (a closure under 13b cites art. 13b, and so on).
LEGAL_BASES: dict[str, set[str]] = {
    DecisionType.CLOSURE_13B: {LegalBasis.OPIUMWET_13B},
    DecisionType.CLOSURE_GEMEENTEWET: {
        LegalBasis.GEMEENTEWET_174,
        LegalBasis.GEMEENTEWET_174A,
        LegalBasis.GEMEENTEWET_172,
    },
    DecisionType.CLOSURE_APV: {LegalBasis.APV, LegalBasis.GEMEENTEWET_174},
    DecisionType.WARNING: {
        LegalBasis.OPIUMWET_13B,
        LegalBasis.GEMEENTEWET_174,
        LegalBasis.GEMEENTEWET_174A,
        LegalBasis.APV,
    },
    DecisionType.AREA_BAN: {LegalBasis.APV, LegalBasis.GEMEENTEWET_172},
    DecisionType.BIBOB_REFUSAL: {LegalBasis.BIBOB},
    DecisionType.BIBOB_CONDITIONS: {LegalBasis.BIBOB},
    DecisionType.PERMIT_REFUSAL: {LegalBasis.APV},
    DecisionType.PENALTY: {LegalBasis.AWB_5_32, LegalBasis.OPIUMWET_13B, LegalBasis.APV},
}


def _check(errors: dict) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _log(user, action: str, object_type: str, obj, **detail) -> None:
    audit.record(
        action,
        user=user,
        purpose=P,
        object_type=object_type,
        object_id=obj.pk,
        categories=access.CATEGORIES,
        detail=detail or None,
    )


def _text_error(value: str, label: str, minimum: int = REASON_MIN) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        return _("Vul %(label)s in (ten minste %(n)s tekens).") % {"label": label, "n": minimum}
    if len(value) > TEXT_MAX:
        return _("Ten hoogste %(n)s tekens.") % {"n": TEXT_MAX}
    return ""


def resolve_object(object_type: str, object_id: str) -> tuple[Premises, Company | None]:
    """The premises (BAG id) or company (KvK number) an action or decision is about; a company's
    action is located at its establishment."""
    if object_type == ObjectType.PREMISES:
        premises = Premises.objects.filter(bag_id=object_id).first()
        if premises is None:
            raise ValidationError({"object_id": _("Geen pand met dit BAG-id.")})
        return premises, None
    if object_type == ObjectType.COMPANY:
        company = (
            Company.objects.select_related("establishment").filter(kvk_number=object_id).first()
        )
        if company is None:
            raise ValidationError({"object_id": _("Geen bedrijf met dit KvK-nummer.")})
        return company.establishment, company
    raise ValidationError({"object_type": _("Kies een pand of een bedrijf.")})


def _assignee_error(assignee, premises: Premises) -> str:
    if assignee is None:
        return ""
    if not assignee.is_active or not access.role_may(assignee, C.ENFORCEMENT_PLAN):
        return _("Wijs de actie toe aan een handhaver.")
    areas = access.user_areas_of(assignee)
    if premises.area not in areas and premises.wijk not in areas:
        return _("Deze handhaver werkt niet in het gebied van dit pand.")
    return ""


def plan_action(
    user,
    *,
    object_type: str,
    object_id: str,
    action_type: str,
    reason: str,
    planned_on: date | None = None,
    assigned_to=None,
    risk_result=None,
    fired_indicators: list[str] | None = None,
    rule_set_version: str = "",
    score: float | None = None,
) -> Action:
    """A person plans an action on a premises or company, for a recorded reason."""
    premises, company = resolve_object(object_type, object_id)
    access.require_plan(user, premises, object_id)
    today = timezone.localdate()
    planned_on = planned_on or today
    _check(
        {
            "action_type": ""
            if action_type in ActionType.values
            else _("Kies een soort actie uit de lijst."),
            "reason": _text_error(reason, _("de reden")),
            "planned_on": _("Een actie kan niet in de toekomst gepland zijn.")
            if planned_on > today
            else "",
            "assigned_to": _assignee_error(assigned_to, premises),
        }
    )
    if risk_result is not None:
        fired_indicators = [i["id"] for i in (risk_result.indicators or [])]
        rule_set_version = risk_result.run.rules_version
        score = risk_result.score
    with transaction.atomic():
        action = Action.objects.create(
            object_type=object_type,
            premises=premises,
            company=company,
            area_code=premises.area,
            wijk=premises.wijk,
            action_type=action_type,
            reason=reason.strip(),
            planned_by=user,
            planned_on=planned_on,
            assigned_to=assigned_to,
            fired_indicators=sorted(set(fired_indicators or [])),
            rule_set_version=rule_set_version or "",
            score_at_planning=score,
            risk_result=risk_result,
        )
        _log(
            user,
            AuditAction.CREATE,
            "enforcement_action",
            action,
            about=object_type,
            about_id=object_id,
            action_type=action_type,
        )
        transaction.on_commit(lambda: signals.action_planned.send(Action, action=action))
    return action


def assign_action(user, action: Action, assignee) -> Action:
    access.require_plan(user, action.premises, action.pk)
    _check(
        {
            "assigned_to": _assignee_error(assignee, action.premises)
            or (_("Kies een handhaver.") if assignee is None else "")
        }
    )
    with transaction.atomic():
        action.assigned_to = assignee
        action.save(update_fields=["assigned_to"])
        _log(user, AuditAction.UPDATE, "enforcement_action", action, assigned_to=assignee.pk)
    return action


def record_findings(
    user,
    action: Action,
    *,
    carried_out_on: date,
    outcome: str,
    irregularities: list[str] | None = None,
    note: str = "",
    bibob_outcome: str = "",
) -> Action:
    """The action was carried out: when, and what it found (nothing, or which irregularities)."""
    access.require_plan(user, action.premises, action.pk)
    irregularities = sorted(set(irregularities or []))
    today = timezone.localdate()
    errors = {
        "carried_out_on": "",
        "outcome": "" if outcome in Outcome.values else _("Kies wat de actie heeft opgeleverd."),
        "irregularities": "",
        "note": _("Ten hoogste %(n)s tekens.") % {"n": TEXT_MAX} if len(note) > TEXT_MAX else "",
        "bibob_outcome": "",
    }
    if carried_out_on is None:
        errors["carried_out_on"] = _("Vul de datum van uitvoering in.")
    elif carried_out_on < action.planned_on or carried_out_on > today:
        errors["carried_out_on"] = _("De uitvoering ligt tussen de planning en vandaag.")
    unknown = [i for i in irregularities if i not in Irregularity.values]
    if unknown:
        errors["irregularities"] = _("Onbekende onregelmatigheid: %(v)s") % {
            "v": ", ".join(unknown)
        }
    elif outcome == Outcome.IRREGULARITIES and not irregularities:
        errors["irregularities"] = _("Kies welke onregelmatigheden er zijn gevonden.")
    elif outcome == Outcome.NOTHING_FOUND and irregularities:
        errors["irregularities"] = _("Bij 'niets gevonden' horen geen onregelmatigheden.")
    if Irregularity.OTHER in irregularities and not note.strip():
        errors["note"] = _("Licht 'anders' toe.")
    if bibob_outcome and (
        bibob_outcome not in BibobOutcome.values or action.action_type != ActionType.BIBOB
    ):
        errors["bibob_outcome"] = _("Alleen bij een Bibob-onderzoek, uit de lijst.")
    if action.action_type == ActionType.BIBOB and not bibob_outcome:
        errors["bibob_outcome"] = _("Vul de uitkomst van het Bibob-onderzoek in.")
    _check(errors)
    with transaction.atomic():
        correction = bool(action.outcome)
        action.carried_out_on = carried_out_on
        action.outcome = outcome
        action.irregularities = irregularities
        action.findings_note = note.strip()
        action.bibob_outcome = bibob_outcome
        action.recorded_by = user
        action.save()
        _log(
            user,
            AuditAction.UPDATE,
            "enforcement_action",
            action,
            outcome=outcome,
            irregularities=irregularities,
            correction=correction,
        )
        transaction.on_commit(lambda: signals.findings_recorded.send(Action, action=action))
    return action


def propose_decision(
    user,
    *,
    object_type: str,
    object_id: str,
    decision_type: str,
    legal_basis: str,
    summary: str,
    legal_basis_detail: str = "",
    action: Action | None = None,
    escalation_step: EscalationStep | None = None,
    closure_months: int | None = None,
    proportionality_suitable: str = "",
    proportionality_necessary: str = "",
    proportionality_balanced: str = "",
    proposed_on: date | None = None,
) -> Decision:
    """Propose a decision. A closure records its step on the escalation ladder (proposed from the
    previous closures at the premises when none is chosen) and the three-step proportionality test,
    field by field, all required."""
    premises, company = resolve_object(object_type, object_id)
    access.require_capability(user, C.DECISIONS_PROPOSE, "enforcement_decision", object_id)
    access.require_area(user, premises, "enforcement_decision", object_id)
    today = timezone.localdate()
    proposed_on = proposed_on or today
    errors: dict = {
        "decision_type": ""
        if decision_type in DecisionType.values
        else _("Kies een soort besluit uit de lijst."),
        "legal_basis": "",
        "legal_basis_detail": "",
        "summary": _text_error(summary, _("de inhoud en motivering")),
        "proposed_on": _("Een voorstel kan niet in de toekomst liggen.")
        if proposed_on > today
        else "",
        "action": "",
    }
    if decision_type in LEGAL_BASES and legal_basis not in LEGAL_BASES[decision_type]:
        allowed = ", ".join(str(LegalBasis(b).label) for b in sorted(LEGAL_BASES[decision_type]))
        errors["legal_basis"] = _("Past niet bij dit besluit; kies uit: %(b)s") % {"b": allowed}
    if legal_basis == LegalBasis.APV and not legal_basis_detail.strip():
        errors["legal_basis_detail"] = _("Vermeld het artikel van de APV.")
    if action is not None and action.premises_id != premises.pk:
        errors["action"] = _("De actie gaat over een ander pand.")
    closure = decision_type in CLOSURE_TYPES
    on_ladder = closure or decision_type == DecisionType.WARNING
    if on_ladder:
        if escalation_step is None:
            escalation_step = escalation.proposed_step(premises, proposed_on)
        if escalation_step is None:
            errors["escalation_step"] = _(
                "De escalatieladder voor dit soort pand is niet ingesteld."
            )
        elif escalation_step.premises_kind != escalation.premises_kind(premises):
            errors["escalation_step"] = _("Deze stap hoort bij een ander soort pand.")
        elif decision_type == DecisionType.WARNING and not escalation_step.is_warning:
            errors["escalation_step"] = _("Een waarschuwing hoort bij een waarschuwingsstap.")
        elif closure and escalation_step.is_warning:
            errors["escalation_step"] = _(
                "Deze stap is een waarschuwing: kies het besluit 'waarschuwing'."
            )
        if closure_months is None and escalation_step is not None:
            closure_months = escalation_step.months
    else:
        escalation_step = None
    if closure:
        errors["proportionality_suitable"] = _text_error(
            proportionality_suitable, _("de geschiktheid")
        )
        errors["proportionality_necessary"] = _text_error(
            proportionality_necessary, _("de noodzakelijkheid")
        )
        errors["proportionality_balanced"] = _text_error(
            proportionality_balanced, _("de evenwichtigheid")
        )
        if not closure_months or closure_months > 120:
            errors["closure_months"] = _("Vul de duur van de sluiting in maanden in (1 tot 120).")
    _check(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            object_type=object_type,
            premises=premises,
            company=company,
            area_code=premises.area,
            action=action,
            decision_type=decision_type,
            legal_basis=legal_basis,
            legal_basis_detail=legal_basis_detail.strip(),
            summary=summary.strip(),
            escalation_step=escalation_step,
            closure_months=closure_months if closure else None,
            proportionality_suitable=proportionality_suitable.strip(),
            proportionality_necessary=proportionality_necessary.strip(),
            proportionality_balanced=proportionality_balanced.strip(),
            proposed_by=user,
            proposed_on=proposed_on,
        )
        _log(
            user,
            AuditAction.CREATE,
            "enforcement_decision",
            decision,
            decision_type=decision_type,
            about=object_type,
            about_id=object_id,
        )
    return decision


def approve_decision(user, decision: Decision, approved_on: date | None = None) -> Decision:
    """The second pair of eyes: someone else than the proposer approves the decision."""
    access.require_capability(user, C.DECISIONS_APPROVE, "enforcement_decision", decision.pk)
    access.require_area(user, decision.premises, "enforcement_decision", decision.pk)
    if decision.proposed_by_id == user.pk:
        policy.deny(
            user,
            "the proposer may not approve their own proposal (four eyes)",
            object_type="enforcement_decision",
            object_id=decision.pk,
            purpose=P,
        )
    approved_on = approved_on or timezone.localdate()
    _check(
        {
            "status": ""
            if decision.status == DecisionStatus.PROPOSED
            else _("Alleen een voorgesteld besluit kan worden goedgekeurd."),
            "approved_on": _("De goedkeuring ligt tussen het voorstel en vandaag.")
            if not (decision.proposed_on <= approved_on <= timezone.localdate())
            else "",
        }
    )
    with transaction.atomic():
        decision.status = DecisionStatus.APPROVED
        decision.approved_by = user
        decision.approved_on = approved_on
        decision.save(update_fields=["status", "approved_by", "approved_on"])
        _log(user, AuditAction.UPDATE, "enforcement_decision", decision, status="approved")
    return decision


def issue_decision(
    user, decision: Decision, *, decision_date: date, announced_on: date
) -> Decision:
    """The decision is taken and announced (sent); the objection deadline follows from the
    announcement (see deadlines.objection_deadline). A closure or area ban only after approval."""
    access.require_capability(user, C.DECISIONS_PROPOSE, "enforcement_decision", decision.pk)
    access.require_area(user, decision.premises, "enforcement_decision", decision.pk)
    today = timezone.localdate()
    status_error = ""
    if decision.status == DecisionStatus.ISSUED:
        status_error = _("Dit besluit is al genomen.")
    elif decision.status == DecisionStatus.WITHDRAWN:
        status_error = _("Dit voorstel is ingetrokken.")
    elif decision.decision_type in FOUR_EYES_TYPES and decision.status != DecisionStatus.APPROVED:
        status_error = _("Een tweede persoon moet dit besluit eerst goedkeuren (vier ogen).")
    errors = {"status": status_error, "decision_date": "", "announced_on": ""}
    if decision_date is None or decision_date > today or decision_date < decision.proposed_on:
        errors["decision_date"] = _("De datum van het besluit ligt tussen het voorstel en vandaag.")
    elif decision.approved_on and decision_date < decision.approved_on:
        errors["decision_date"] = _("Het besluit kan niet voor de goedkeuring genomen zijn.")
    if (
        announced_on is None
        or (decision_date and announced_on < decision_date)
        or (announced_on and announced_on > today)
    ):
        errors["announced_on"] = _("De bekendmaking ligt tussen het besluit en vandaag.")
    _check(errors)
    with transaction.atomic():
        decision.status = DecisionStatus.ISSUED
        decision.decision_date = decision_date
        decision.announced_on = announced_on
        decision.objection_deadline = deadlines.objection_deadline(announced_on)
        decision.save(
            update_fields=["status", "decision_date", "announced_on", "objection_deadline"]
        )
        _log(
            user,
            AuditAction.UPDATE,
            "enforcement_decision",
            decision,
            status="issued",
            objection_deadline=decision.objection_deadline.isoformat(),
        )
        transaction.on_commit(lambda: signals.decision_issued.send(Decision, decision=decision))
    return decision


def withdraw_proposal(user, decision: Decision) -> Decision:
    access.require_capability(user, C.DECISIONS_PROPOSE, "enforcement_decision", decision.pk)
    access.require_area(user, decision.premises, "enforcement_decision", decision.pk)
    _check(
        {
            "status": ""
            if decision.status in (DecisionStatus.PROPOSED, DecisionStatus.APPROVED)
            else _("Alleen een voorstel kan worden ingetrokken.")
        }
    )
    with transaction.atomic():
        decision.status = DecisionStatus.WITHDRAWN
        decision.save(update_fields=["status"])
        _log(user, AuditAction.UPDATE, "enforcement_decision", decision, status="withdrawn")
    return decision


def record_objection(
    user, decision: Decision, *, received_on: date, posted_on: date | None = None
) -> Objection:
    """An objection came in; whether it is in time follows from the deadline (Awb 6:7-6:9)."""
    access.require_capability(user, C.DECISIONS_PROPOSE, "enforcement_objection", decision.pk)
    access.require_area(user, decision.premises, "enforcement_objection", decision.pk)
    today = timezone.localdate()
    errors = {
        "decision": ""
        if decision.status == DecisionStatus.ISSUED
        else _("Bezwaar kan alleen tegen een genomen besluit."),
        "received_on": "",
        "posted_on": "",
    }
    if received_on is None or received_on > today:
        errors["received_on"] = _("Vul een ontvangstdatum in die niet in de toekomst ligt.")
    elif decision.announced_on and received_on <= decision.announced_on:
        errors["received_on"] = _("Het bezwaar is ontvangen na de bekendmaking.")
    if posted_on and received_on and posted_on > received_on:
        errors["posted_on"] = _("Verzonden voor de ontvangst.")
    _check(errors)
    with transaction.atomic():
        objection = Objection.objects.create(
            decision=decision,
            received_on=received_on,
            in_time=deadlines.objection_in_time(decision.announced_on, received_on, posted_on),
            recorded_by=user,
        )
        _log(
            user,
            AuditAction.CREATE,
            "enforcement_objection",
            objection,
            decision=decision.pk,
            in_time=objection.in_time,
        )
    return objection


def decide_objection(user, objection: Objection, *, outcome: str, outcome_on: date) -> Objection:
    decision = objection.decision
    access.require_capability(user, C.DECISIONS_PROPOSE, "enforcement_objection", objection.pk)
    access.require_area(user, decision.premises, "enforcement_objection", objection.pk)
    errors = {
        "outcome": "" if outcome in ObjectionOutcome.values else _("Kies een uitkomst."),
        "outcome_on": "",
    }
    if (
        outcome_on is None
        or outcome_on < objection.received_on
        or outcome_on > timezone.localdate()
    ):
        errors["outcome_on"] = _("De uitkomst ligt tussen de ontvangst en vandaag.")
    _check(errors)
    with transaction.atomic():
        objection.outcome = outcome
        objection.outcome_on = outcome_on
        objection.save(update_fields=["outcome", "outcome_on"])
        _log(user, AuditAction.UPDATE, "enforcement_objection", objection, outcome=outcome)
    return objection


def record_training(
    user, *, area_code: str, held_on: date, title: str, participants: int, businesses: int
) -> TrainingSession:
    """A training session for entrepreneurs, as counts (no personal data)."""
    access.require_capability(user, C.ENFORCEMENT_PLAN, "enforcement_training", area_code)
    areas = access.user_areas(user) or frozenset()
    errors = {
        "area_code": "" if area_code in areas else _("Kies een van uw werkgebieden."),
        "held_on": _("Vul een datum in die niet in de toekomst ligt.")
        if held_on is None or held_on > timezone.localdate()
        else "",
        "title": _text_error(title, _("het onderwerp"), 3)
        if len(title or "") <= 200
        else _("Ten hoogste 200 tekens."),
        "participants": "" if 0 < (participants or 0) <= 10000 else _("Tussen 1 en 10.000."),
        "businesses": ""
        if 0 <= (businesses or 0) <= (participants or 0)
        else _("Niet meer bedrijven dan deelnemers."),
    }
    _check(errors)
    with transaction.atomic():
        session = TrainingSession.objects.create(
            area_code=area_code,
            held_on=held_on,
            title=title.strip(),
            participants=participants,
            businesses=businesses,
            recorded_by=user,
        )
        _log(user, AuditAction.CREATE, "enforcement_training", session, area_code=area_code)
    return session
