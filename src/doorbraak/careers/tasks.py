"""Background job of the careers app: the daily reminders and alerts (scheduled by the worker)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import job_kind


# Idempotent: each alert has a key, so a second run on the same day adds nothing.
@job_kind(
    "careers_daily", label=gettext_lazy("Dagelijkse taak casusregie"), max_attempts=2, daily=True
)
def careers_daily(job, *, as_of: str | None = None) -> dict:
    from .jobs import run_daily

    today = date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = run_daily(today)
    return {
        "summary": _("Casusregie %(today)s: %(n)s nieuwe meldingen.")
        % {"today": result["today"], "n": result["total"]},
        "data": result,
    }
