"""The escalation ladder for closures: which step the next closure at a premises is on.

The ladder is data (EscalationStep, editable by the administrator in Django admin), per kind of
premises; seeded with the steps of Utrecht's 13b policy (Beleidsregel bestuurlijke handhaving
artikel 13b Opiumwet gemeente Utrecht): a dwelling warning, 3, 6, 12 months; a business premises or
horeca 3, 6, 12 months. Previous closures at the same premises within the look-back period (issued
closure decisions and warnings on the ladder here, plus closures in the closures register) decide
the proposed step; past the last step the last one applies again."""

from __future__ import annotations

from datetime import date, timedelta

from doorbraak.registers.models import EntryKind, Premises, RegisterEntry

from .models import (
    CLOSURE_TYPES,
    Decision,
    DecisionStatus,
    DecisionType,
    EscalationStep,
    PremisesKind,
)

LOOKBACK = timedelta(days=5 * 365)
DWELLING_USES = frozenset({"woonfunctie"})
HORECA_SBI_PREFIX = "56"

# The seed (also used by the data migration): kind -> [(months, label)]
# The seed lives in migrations/0002_escalation_ladder.py; this copy documents it.
DEFAULT_LADDER: dict[str, list[tuple[int, str]]] = {
    PremisesKind.DWELLING: [
        (0, "Waarschuwing"),
        (3, "Sluiting 3 maanden"),
        (6, "Sluiting 6 maanden"),
        (12, "Sluiting 12 maanden"),
    ],
    PremisesKind.BUSINESS: [
        (3, "Sluiting 3 maanden"),
        (6, "Sluiting 6 maanden"),
        (12, "Sluiting 12 maanden"),
    ],
    PremisesKind.HORECA: [
        (3, "Sluiting 3 maanden"),
        (6, "Sluiting 6 maanden"),
        (12, "Sluiting 12 maanden"),
    ],
}


def premises_kind(premises: Premises) -> str:
    if premises.use in DWELLING_USES:
        return PremisesKind.DWELLING
    if premises.companies.filter(
        sbi_code__startswith=HORECA_SBI_PREFIX, deregistered_on__isnull=True
    ).exists():
        return PremisesKind.HORECA
    return PremisesKind.BUSINESS


def previous_closures(premises: Premises, on: date) -> int:
    since = on - LOOKBACK
    decided = Decision.objects.filter(
        premises=premises,
        status=DecisionStatus.ISSUED,
        decision_type__in=[*CLOSURE_TYPES, DecisionType.WARNING],
        escalation_step__isnull=False,
        decision_date__gte=since,
        decision_date__lte=on,
    ).count()
    registered = RegisterEntry.objects.filter(
        premises=premises, kind=EntryKind.CLOSURE, occurred_on__gte=since, occurred_on__lte=on
    ).count()
    return decided + registered


def ladder(kind: str) -> list[EscalationStep]:
    return list(EscalationStep.objects.filter(premises_kind=kind).order_by("number"))


def proposed_step(premises: Premises, on: date) -> EscalationStep | None:
    """The step the next closure at this premises is on: previous closures + 1 (capped at the top)."""
    steps = ladder(premises_kind(premises))
    if not steps:
        return None
    n = previous_closures(premises, on)
    return steps[min(n, len(steps) - 1)]
