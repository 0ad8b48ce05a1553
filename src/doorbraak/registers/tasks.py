"""Background jobs of the registers app: importing a register extract (the upload page and
`doorbraak import --enqueue` queue one; `doorbraak worker` runs it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs import progress
from doorbraak.jobs.registry import JobFailed, job_kind

MAX_PROBLEMS_SHOWN = 50


def _report(rows: int, fraction: float) -> None:
    """After each batch the importer has read, checked and written (inside its one transaction)."""
    progress.report(int(fraction * 99), _("inlezen: %(n)s rijen") % {"n": rows})


# An import is all-or-nothing (one transaction) and the same file twice changes nothing, so a
# run cut short by a dying worker is safe to try once more.
@job_kind("register_import", label=gettext_lazy("Registerimport"), max_attempts=2)
def register_import(
    job,
    *,
    source: str,
    path: str,
    source_type: str | None = None,
    fmt: str | None = None,
    received_on: str | None = None,
    file_name: str | None = None,
    dry_run: bool = False,
    delete_file: bool = True,
    batch_size: int | None = None,
) -> dict:
    from doorbraak.privacy.models import ProcessingActivity

    from . import importers

    try:
        activity = ProcessingActivity.objects.filter(code=source).select_related("purpose").first()
        if activity is None:
            raise JobFailed(_("Onbekende bron %(code)s.") % {"code": source})
        try:
            result = importers.import_file(
                activity,
                Path(path),
                source_type=source_type or None,
                fmt=fmt or None,
                received_on=date.fromisoformat(received_on) if received_on else None,
                file_name=file_name,
                user=job.user,
                username=None if job.user else job.requested_by,
                dry_run=dry_run,
                on_progress=_report,
                batch_size=batch_size,
            )
        except (importers.ImportError_, OSError) as exc:
            raise JobFailed(str(exc)) from exc
    except JobFailed:
        if delete_file:
            Path(path).unlink(missing_ok=True)
        raise
    if delete_file:
        Path(path).unlink(missing_ok=True)
    problems = [str(p) for p in result.problems[:MAX_PROBLEMS_SHOWN]]
    if result.batch.pk is None:  # dry run: nothing stored
        if result.ok:
            return {
                "summary": _("Controle geslaagd: het bestand kan worden ingelezen (%(n)s rijen).")
                % {"n": result.batch.row_count}
            }
        raise JobFailed(
            _("Controle: het bestand zou worden afgewezen (%(n)s problemen).")
            % {"n": result.problem_count},
            data={"problems": problems},
        )
    url = reverse("import_detail", kwargs={"pk": result.batch.pk})
    if not result.ok:
        raise JobFailed(
            _("Het bestand is afgewezen; er is niets ingelezen (%(n)s problemen).")
            % {"n": result.problem_count},
            url=url,
            data={"problems": problems, "batch": result.batch.pk},
        )
    return {
        "summary": result.report(),
        "url": url,
        "data": {"batch": result.batch.pk, "status": result.batch.status},
    }
