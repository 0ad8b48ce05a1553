"""The retention job: deletes or anonymises what has passed its retention period under the
verwerkingsregister, and writes each step to the audit log.

Each kind of record registers a handler with `register` (careers: cases and concerns; registers:
persons, officers, record history, ...), from its app's ready(). Run daily: `doorbraak retention`
(optionally `--as-of YYYY-MM-DD` to simulate a date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from .models import ProcessingActivity, RetentionAction, RetentionRun

SYSTEM_USER = "systeem:bewaartermijn"
PURPOSE = "bewaartermijn"


# Handlers run in this order (then in registration order): cases first, because anonymising
# or deleting a case can leave its subject without a case, and the register persons' handler
# then applies the source's retention to them in the same run; what hangs off cases afterwards.
ORDER_CASES = 10
ORDER_REGISTER_PERSONS = 20
ORDER_DEFAULT = 50


@dataclass(frozen=True)
class RetentionHandler:
    name: str  # object_type in the audit log
    expired: Callable[[date], Iterable[tuple[object, ProcessingActivity]]]
    delete: Callable[[object], None]
    anonymise: Callable[[object], None]
    order: int = ORDER_DEFAULT


# The registry. The privacy app knows no other app: each app that stores personal data registers
# its handlers from its AppConfig.ready() (its own `retention.register_handlers()`).
HANDLERS: list[RetentionHandler] = []


def register(handler: RetentionHandler) -> RetentionHandler:
    """Add a handler (a handler of the same name is replaced, so registering twice is harmless)."""
    HANDLERS[:] = [h for h in HANDLERS if h.name != handler.name] + [handler]
    HANDLERS.sort(key=lambda h: h.order)  # stable: registration order within one order
    return handler


def activities(kind: str):
    """The processing activities of one kind (a source, a case type): each has its own period."""
    yield from ProcessingActivity.objects.filter(kind=kind)


def preview(today: date) -> list[dict]:
    """What a run on this date would do, per handler and activity (counts only)."""
    counts: Counter = Counter()
    for handler in HANDLERS:
        for _obj, activity in handler.expired(today):
            counts[(handler.name, activity.name, activity.get_retention_action_display())] += 1
    return [
        {"object_type": k[0], "activity": k[1], "action": k[2], "count": n}
        for k, n in sorted(counts.items())
    ]


def run_retention(today: date, run_by: str = SYSTEM_USER) -> dict:
    """Apply retention as of `today`. Each object is handled in its own transaction together
    with its audit entry, so a failure part-way leaves everything done so far consistent."""
    summary: Counter = Counter()
    for handler in HANDLERS:
        for obj, activity in list(handler.expired(today)):
            anonymise = activity.retention_action == RetentionAction.ANONYMISE
            object_id = obj.pk
            with transaction.atomic():
                (handler.anonymise if anonymise else handler.delete)(obj)
                audit.record(
                    AuditAction.ANONYMISE if anonymise else AuditAction.DELETE,
                    username=SYSTEM_USER,
                    purpose=PURPOSE,
                    object_type=handler.name,
                    object_id=object_id,
                    categories=activity.data_categories,
                    detail={
                        "activity": activity.code,
                        "retention_days": activity.retention_days,
                        "as_of": today.isoformat(),
                        "run_by": run_by,
                    },
                )
            summary[f"{handler.name}:{'anonymise' if anonymise else 'delete'}"] += 1
    result = {"as_of": today.isoformat(), "counts": dict(summary), "total": sum(summary.values())}
    RetentionRun.objects.create(as_of=today, run_by=run_by, summary=result)
    return result
