"""Retention of enforcement records. The clock of an action starts when it was carried out (or
planned, if it never was), of a decision when it was taken (or proposed), under the processing
activity ENFORCEMENT_ACTIVITY of the verwerkingsregister (its retention period and action; the demo
keeps them 7 years: the 13b look-back of 5 years plus the time an appeal can take). Objections go
with their decision. A decision with an objection still undecided is kept. Without that activity
in the register nothing is removed (the clock is the register's, not the code's)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.db.models.functions import Coalesce

from doorbraak.privacy import retention
from doorbraak.privacy.models import ProcessingActivity

ENFORCEMENT_ACTIVITY = "handhaving-ondermijning"


def _activity():
    return ProcessingActivity.objects.filter(code=ENFORCEMENT_ACTIVITY).first()


def _expired_actions(today: date):
    from .models import Action

    activity = _activity()
    if activity is None:
        return
    cutoff = activity.expires_before(today)
    qs = Action.objects.annotate(clock=Coalesce("carried_out_on", "planned_on")).filter(
        clock__lt=cutoff
    )
    # an action a decision still depends on (not expired itself) stays
    qs = qs.exclude(
        Q(decisions__decision_date__gte=cutoff)
        | Q(decisions__decision_date__isnull=True, decisions__proposed_on__gte=cutoff)
    )
    for action in qs.distinct():
        yield action, activity


def _expired_decisions(today: date):
    from .models import Decision

    activity = _activity()
    if activity is None:
        return
    cutoff = activity.expires_before(today)
    qs = Decision.objects.annotate(clock=Coalesce("decision_date", "proposed_on")).filter(
        clock__lt=cutoff
    )
    qs = qs.exclude(objections__outcome="")
    for decision in qs.distinct():
        yield decision, activity


def _delete(obj) -> None:
    obj.delete()


retention.register(
    retention.RetentionHandler("enforcement_decision", _expired_decisions, _delete, _delete)
)
retention.register(
    retention.RetentionHandler("enforcement_action", _expired_actions, _delete, _delete)
)
