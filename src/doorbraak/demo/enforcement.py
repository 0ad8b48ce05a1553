"""Two years of enforcement in the demo city's focus areas: actions, findings, decisions,
objections and trainings, deterministic for a seed and dated back from the build day.

Plausible, not dramatic: most Knock and Talk visits find nothing; integrated controls with
partners find more; a Bibob screening mostly ends in 'geen gevaar'; closures are rare (a handful in
two years, each proposed by one person and approved by another), objections few. When a risk run
is available, actions are planned mostly on premises the picture put high, with the fired
indicators and rule-set version copied at planning, and the chance of finding something depends
on which indicators fired (so precision per indicator means something); without one, actions are
planned on focus-area premises for reasons an officer records. Every action has a planner and a
reason: no indicator starts one.

The demo writes the models directly (one audit entry for the whole build, as the demo city does),
reusing the enforcement app's rules: the objection deadline (deadlines.py) and the escalation
ladder (escalation.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.enforcement import deadlines, escalation
from doorbraak.enforcement.models import (
    Action,
    ActionType,
    Decision,
    DecisionStatus,
    DecisionType,
    LegalBasis,
    Objection,
    ObjectionOutcome,
    ObjectType,
    Outcome,
    TrainingSession,
)
from doorbraak.partners.models import DataCategory, User
from doorbraak.registers.models import Premises

SYSTEM_USER = "systeem:demostad"
FOCUS_AREAS = ("nieuw_overvecht", "amsterdamsestraatweg")
DAYS = 730

# per action type: how many in two years, the base chance of finding something, and what
# it finds (irregularities with weights)
PLAN: dict[str, tuple[int, float, list[tuple[str, int]]]] = {
    ActionType.KNOCK_AND_TALK: (
        140,
        0.07,
        [("administration", 3), ("no_permit", 2), ("use_mismatch", 1)],
    ),
    ActionType.INTEGRATED_CONTROL: (
        34,
        0.30,
        [
            ("administration", 3),
            ("fire_safety", 2),
            ("labour", 2),
            ("cash", 1),
            ("drugs", 3),
            ("straw_man", 1),
        ],
    ),
    ActionType.PERMIT_CHECK: (46, 0.20, [("no_permit", 4), ("permit_conditions", 3)]),
    ActionType.DOR_CHECK: (22, 0.22, [("dor_not_kept", 5), ("administration", 1)]),
    ActionType.BRP_CHECK: (30, 0.25, [("address_fraud", 5), ("use_mismatch", 2)]),
    ActionType.BIBOB: (12, 0.15, [("straw_man", 3), ("administration", 1)]),
}
# how much each fired indicator adds to the chance of finding something (demo assumption)
INDICATOR_LIFT = {
    "many_businesses_at_address": 0.10,
    "short_lived_succession": 0.14,
    "officer_churn": 0.10,
    "officer_many_companies": 0.06,
    "earlier_closure": 0.12,
    "permit_missing_or_expired": 0.18,
    "occupancy_mismatch": 0.16,
    "dor_irregularity": 0.20,
    "vulnerable_sector": 0.01,
    "bank_sector_vulnerability": 0.0,
    "vacancy_turnover": 0.05,
}
REASONS = {
    ActionType.KNOCK_AND_TALK: "Kennismakingsbezoek in het gebied: ondernemer informeren over signalen van criminele inmenging.",
    ActionType.INTEGRATED_CONTROL: "Integrale controle met politie, Belastingdienst en brandweer na bespreking in het RIEC-overleg.",
    ActionType.PERMIT_CHECK: "Controle op de exploitatievergunning (APV) na signaal uit de wijk.",
    ActionType.DOR_CHECK: "Controle van het opkopersregister: registraties onvolledig volgens de melding.",
    ActionType.BRP_CHECK: "Adrescontrole: inschrijvingen in de BRP passen niet bij het gebruik van het pand.",
    ActionType.BIBOB: "Bibob-onderzoek bij aanvraag exploitatievergunning: financiering en zeggenschap onduidelijk.",
}


@dataclass
class DemoEnforcementSummary:
    actions: int = 0
    with_irregularities: int = 0
    decisions: int = 0
    closures: int = 0
    objections: int = 0
    trainings: int = 0


def _risk_context(results) -> dict[str, tuple[list[str], str, float, object]]:
    """bag id -> (fired indicator ids, rule-set version, score, result) from risk results of
    premises (object_type 'premises'), if given."""
    out = {}
    for r in results or ():
        if r.object_type == ObjectType.PREMISES:
            out[r.object_id] = (
                [i["id"] for i in (r.indicators or [])],
                r.run.rules_version,
                r.score,
                r,
            )
    return out


def _latest_results():
    """The results of the latest risk run, if the demo has one by now."""
    try:
        from doorbraak.risk import selectors as risk_selectors
    except ImportError:  # the risk app is not installed: actions from the street only
        return []
    run = risk_selectors.latest_run()
    if run is None:
        return []
    return list(risk_selectors.results(run, object_type="premises").select_related("run"))


def build_demo_enforcement(today: date, seed: int = 13, results=None) -> DemoEnforcementSummary:
    """Create two years of enforcement; `results` (risk RiskResults of one run; default: the
    latest run's, if any) steer which premises are actioned and carry the indicators that fired."""
    rng = random.Random(seed * 7919 + 12)
    officer = User.objects.filter(username="handhaver").first()
    lawyer = User.objects.filter(username="jurist").first()
    summary = DemoEnforcementSummary()
    premises = list(Premises.objects.filter(area__in=FOCUS_AREAS).order_by("bag_id"))
    if officer is None or lawyer is None or not premises:
        return summary
    context = _risk_context(_latest_results() if results is None else results)
    with transaction.atomic():
        created = _actions(rng, premises, context, officer, today)
        summary.actions = len(created)
        summary.with_irregularities = sum(a.outcome == Outcome.IRREGULARITIES for a in created)
        _decisions(rng, created, officer, lawyer, today, summary)
        summary.trainings = _trainings(rng, officer, today)
        audit.record(
            AuditAction.CREATE,
            username=SYSTEM_USER,
            purpose=policy.PURPOSE_MANAGEMENT,
            object_type="demostad",
            object_id="handhaving",
            categories=[DataCategory.PREMISES],
            detail={"synthetisch": True, **summary.__dict__},
        )
    return summary


def _actions(rng, premises, context, officer, today: date) -> list[Action]:
    flagged = sorted(
        (p for p in premises if p.bag_id in context), key=lambda p: -context[p.bag_id][2]
    )
    start = today - timedelta(days=DAYS)

    def pick() -> Premises:
        # most actions follow the picture where there is one, the rest come from the street
        if flagged and rng.random() < 0.7:
            return rng.choice(flagged[: max(10, len(flagged) // 2)])
        return rng.choice(premises)

    created: list[Action] = []
    for action_type, (count, base, finds) in PLAN.items():
        for _ in range(count):
            p = pick()
            planned = start + timedelta(days=rng.randrange(0, DAYS - 10))
            fired, version, score, result = context.get(p.bag_id, ([], "", None, None))
            company = p.companies.order_by("kvk_number").first()
            on_company = action_type in (ActionType.BIBOB, ActionType.PERMIT_CHECK) and company
            a = Action(
                object_type=ObjectType.COMPANY if on_company else ObjectType.PREMISES,
                premises=p,
                company=company if on_company else None,
                area_code=p.area,
                wijk=p.wijk,
                action_type=action_type,
                reason=REASONS[action_type],
                planned_by=officer,
                planned_on=planned,
                assigned_to=officer,
                fired_indicators=sorted(fired),
                rule_set_version=version,
                score_at_planning=score,
                **({"risk_result": result} if result is not None else {}),
            )
            done = planned + timedelta(days=rng.randrange(3, 40))
            if done <= today - timedelta(days=2) or rng.random() < 0.3:
                chance = min(0.85, base + sum(INDICATOR_LIFT.get(i, 0.0) for i in fired))
                _findings(rng, a, min(done, today), chance, finds, officer)
            created.append(a)
    Action.objects.bulk_create(created, batch_size=500)
    return created


def _findings(rng, a: Action, done: date, chance: float, finds, officer) -> None:
    found = rng.random() < chance
    a.carried_out_on = done
    a.recorded_by = officer
    a.outcome = Outcome.IRREGULARITIES if found else Outcome.NOTHING_FOUND
    if found:
        codes = [c for c, _w in finds]
        weights = [w for _c, w in finds]
        k = 1 if rng.random() < 0.7 else 2
        a.irregularities = sorted(set(rng.choices(codes, weights=weights, k=k)))
    if a.action_type == ActionType.BIBOB:
        serious = "serious_a" if rng.random() < 0.5 else "lesser_danger"
        a.bibob_outcome = serious if found else "no_danger"


def _decisions(rng, created, officer, lawyer, today: date, summary) -> None:
    """Decisions follow the most serious findings, in date order (the ladder counts earlier ones)."""
    serious = sorted(
        (
            a
            for a in created
            if a.outcome == Outcome.IRREGULARITIES
            and set(a.irregularities) & {"drugs", "straw_man", "no_permit", "dor_not_kept"}
        ),
        key=lambda a: (a.carried_out_on, a.pk),
    )
    for a in serious:
        decision = _decision_for(rng, a, officer, lawyer, today)
        if decision is None:
            continue
        summary.decisions += 1
        summary.closures += decision.is_closure
        if decision.status == DecisionStatus.ISSUED and rng.random() < 0.3:
            summary.objections += _objection(rng, decision, lawyer, today)


def _objection(rng, decision: Decision, lawyer, today: date) -> int:
    received = decision.announced_on + timedelta(days=rng.randrange(10, 50))
    if received >= today:
        return 0
    outcome_on = received + timedelta(days=rng.randrange(40, 100))
    decided = outcome_on < today
    outcomes = [ObjectionOutcome.UNFOUNDED] * 3 + [
        ObjectionOutcome.WITHDRAWN,
        ObjectionOutcome.FOUNDED,
    ]
    Objection.objects.create(
        decision=decision,
        received_on=received,
        in_time=deadlines.objection_in_time(decision.announced_on, received),
        outcome=rng.choice(outcomes) if decided else "",
        outcome_on=outcome_on if decided else None,
        recorded_by=lawyer,
    )
    return 1


TOPICS = [
    "Herkennen van criminele benaderingen (ondermijning)",
    "Veilig ondernemen: witwassen en contante betalingen",
    "Vastgoed en verhuur: signalen van katvangers",
]


def _trainings(rng, officer, today: date) -> int:
    start = today - timedelta(days=DAYS)
    n = 0
    for area in FOCUS_AREAS:
        for q in range(8):  # about one a quarter per area
            held = start + timedelta(days=45 + q * 91 + rng.randrange(0, 30))
            if held >= today:
                continue
            participants = rng.randrange(8, 30)
            TrainingSession.objects.create(
                area_code=area,
                held_on=held,
                title=TOPICS[q % len(TOPICS)],
                participants=participants,
                businesses=max(1, participants - rng.randrange(0, 8)),
                recorded_by=officer,
            )
            n += 1
    return n


def _decision_for(rng, a: Action, officer, lawyer, today: date) -> Decision | None:
    found = set(a.irregularities)
    proposed = a.carried_out_on + timedelta(days=rng.randrange(7, 30))
    if proposed >= today:
        return None
    common = {
        "object_type": a.object_type,
        "premises": a.premises,
        "company": a.company,
        "area_code": a.area_code,
        "action": a,
        "proposed_on": proposed,
    }
    if "drugs" in found:
        kind = escalation.premises_kind(a.premises)
        step = escalation.proposed_step(a.premises, proposed)
        if step is None:
            return None
        decision_type = DecisionType.WARNING if step.is_warning else DecisionType.CLOSURE_13B
        d = Decision(
            decision_type=decision_type,
            legal_basis=LegalBasis.OPIUMWET_13B,
            summary="Handelshoeveelheid drugs aangetroffen bij de controle; "
            + ("waarschuwing." if step.is_warning else f"sluiting van het pand ({kind})."),
            escalation_step=step,
            closure_months=None if step.is_warning else step.months,
            proportionality_suitable=""
            if step.is_warning
            else "De sluiting beëindigt de bekendheid van het pand als drugsadres.",
            proportionality_necessary=""
            if step.is_warning
            else "Lichtere middelen zijn niet voldoende gelet op de aangetroffen hoeveelheid.",
            proportionality_balanced=""
            if step.is_warning
            else "De gevolgen voor de exploitant wegen niet op tegen het belang van de openbare orde.",
            proposed_by=officer,
            **common,
        )
    elif "straw_man" in found and a.action_type == ActionType.BIBOB:
        d = Decision(
            decision_type=DecisionType.BIBOB_REFUSAL
            if a.bibob_outcome == "serious_a"
            else DecisionType.BIBOB_CONDITIONS,
            legal_basis=LegalBasis.BIBOB,
            summary="Uitkomst eigen Bibob-onderzoek: vergunning geweigerd of onder voorwaarden.",
            proposed_by=lawyer,
            **common,
        )
    elif "no_permit" in found and rng.random() < 0.35:
        d = Decision(
            decision_type=DecisionType.PENALTY,
            legal_basis=LegalBasis.AWB_5_32,
            summary="Last onder dwangsom: exploitatie staken tot een vergunning is verleend.",
            proposed_by=lawyer,
            **common,
        )
    elif "dor_not_kept" in found and rng.random() < 0.3:
        d = Decision(
            decision_type=DecisionType.PENALTY,
            legal_basis=LegalBasis.AWB_5_32,
            summary="Last onder dwangsom: het opkopersregister volledig bijhouden.",
            proposed_by=lawyer,
            **common,
        )
    else:
        return None
    if d.decision_type in (DecisionType.CLOSURE_13B,):
        # four eyes: proposed by the officer, approved by the lawyer
        d.approved_by = lawyer
        d.approved_on = proposed + timedelta(days=rng.randrange(1, 5))
    decided = (d.approved_on or proposed) + timedelta(days=rng.randrange(1, 10))
    if decided >= today - timedelta(days=1):
        d.status = DecisionStatus.APPROVED if d.approved_by_id else DecisionStatus.PROPOSED
        d.save()
        return d
    d.status = DecisionStatus.ISSUED
    d.decision_date = decided
    d.announced_on = decided + timedelta(days=rng.randrange(0, 3))
    d.objection_deadline = deadlines.objection_deadline(d.announced_on)
    d.save()
    return d


__all__ = ["build_demo_enforcement"]
