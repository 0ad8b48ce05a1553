"""Background job of monitoring: compute and store the protected figures (the cube), daily
(scheduled by the worker), on request of policy staff and after a prevention registration."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import job_kind

KIND = "monitoring_cube"


# Safe to run again: each run stores a new cube whole (one insert), the readers take the latest.
@job_kind(
    KIND, label=gettext_lazy("Monitoring: cijfers vooraf berekenen"), max_attempts=2, daily=True
)
def monitoring_cube(job, *, as_of: str | None = None) -> dict:
    from . import figures

    today = date.fromisoformat(as_of) if as_of else timezone.localdate()
    cube = figures.refresh_cube(today, made_by=f"taak {job.pk}")
    stored = figures.stored_cube(today)
    return {
        "summary": _("Monitoringcijfers berekend voor %(first)s tot en met %(last)s.")
        % {
            "first": figures.quarter_label(cube.quarters[0][0]),
            "last": figures.quarter_label(cube.quarters[-1][0]),
        },
        "data": {
            "stored_cube": cube.stored_id,
            "made_at": cube.made_at.isoformat(),
            "counts_sha256": cube.sources.get("counts_sha256", ""),
            "current": stored is not None and stored.stored_id == cube.stored_id,
        },
    }
