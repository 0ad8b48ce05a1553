"""Background jobs of the privacy app: the daily retention run and subject-access exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import JobFailed, job_kind


# Each expired object is handled in its own transaction, so running it again is harmless.
@job_kind("retention", label=gettext_lazy("Bewaartermijnen toepassen"), max_attempts=2, daily=True)
def retention(job, *, as_of: str | None = None) -> dict:
    from . import retention as service

    today = date.fromisoformat(as_of) if as_of else timezone.localdate()
    result = service.run_retention(today, run_by=job.requested_by)
    return {
        "summary": _("Bewaartermijnen toegepast: %(n)s gegevens verwijderd of geanonimiseerd.")
        % {"n": result["total"]},
        "url": reverse("retention"),
        "data": result,
    }


@job_kind("subject_access_export", label=gettext_lazy("Inzageverzoek (export)"), max_attempts=2)
def subject_access_export(job, *, person: int) -> dict:
    from . import subject_access

    subject = subject_access.get_subject(person)
    if subject is None:
        raise JobFailed(_("Deze persoon bestaat niet (meer)."))
    content, filename = subject_access.export_zip(subject, requested_by=job.user)
    folder = Path(settings.JOBS_FILES_DIR) / "exports" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_bytes(content)
    return {
        "summary": _("Inzage-export klaar (%(kb)s kB).") % {"kb": max(1, len(content) // 1024)},
        "file": str(path),
    }
