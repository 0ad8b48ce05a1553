"""The demo city's calendar: every date of the demo is relative to the day it is built.

The story (cases opened years ago, a review due next month, a delivery received two weeks ago)
was written for one reference day, DEMO_ANCHOR. A build on another day moves every generated
date by the same number of days, so the demo always shows current dates: a build on a given
day (and seed) is deterministic, and a build a week later is the same city a week later."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

DEMO_ANCHOR = date(2026, 11, 1)  # the day the demo's story was written for


def demo_today() -> date:
    """The day a demo built now is built for (the local date)."""
    return timezone.localdate()


def offset(today: date) -> timedelta:
    return today - DEMO_ANCHOR


def shift(d: date, today: date) -> date:
    """A date of the story as written for DEMO_ANCHOR, moved to a build on `today`."""
    return d + offset(today)


def built_on() -> date:
    """The day the demo city in the database was built for (today if there is none)."""
    from doorbraak.audit.models import AuditEntry

    entry = (
        AuditEntry.objects.filter(object_type="demostad")
        .order_by("-pk")
        .values_list("detail", flat=True)
        .first()
    )
    if entry and entry.get("vandaag"):
        return date.fromisoformat(entry["vandaag"])
    return demo_today()
