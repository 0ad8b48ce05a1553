"""Running one job inside the worker (or at once, with the immediate backend)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress, registry
from .models import Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger("doorbraak.jobs")


def execute(job_id: int, *, task_id: str, worker_id: str) -> dict:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return {"skipped": "no such job"}
        if job.task_id and job.task_id != task_id:
            # A task that was given up on (its worker seemed dead) and replaced: never run twice.
            return {"skipped": "superseded"}
        if job.status != JobStatus.QUEUED:
            return {"skipped": job.status}
        job.status, job.started_at, job.worker_id = (
            JobStatus.RUNNING,
            timezone.now(),
            worker_id[:64],
        )
        job.attempts += 1
        job.progress, job.progress_note, job.error = None, "", ""
        job.save(
            update_fields=[
                "status",
                "started_at",
                "worker_id",
                "attempts",
                "progress",
                "progress_note",
                "error",
                "updated_at",
            ]
        )
    if worker_id:
        WorkerHeartbeat.objects.filter(pk=worker_id).update(job=job)
    logger.info("taak %s (%s) gestart, poging %s", job.pk, job.kind, job.attempts)
    runtime = progress.Runtime(job.pk)
    token = progress._current.set(runtime)
    progress.active = runtime
    try:
        kind = registry.get(job.kind)
        out = kind.handler(job, **job.params) or {}
    except registry.JobFailed as exc:
        _finish(job, JobStatus.FAILED, error=str(exc), url=exc.url, data=exc.data)
        logger.info("taak %s mislukt: %s", job.pk, exc)
        return {"job": job.pk, "status": JobStatus.FAILED}
    except BaseException as exc:
        _finish(
            job,
            JobStatus.FAILED,
            error=_(
                "Onverwachte fout (%(type)s); er is niets half opgeslagen. "
                "De beheerder vindt de details in het takenlog."
            )
            % {"type": type(exc).__name__},
        )
        logger.exception("taak %s (%s) mislukt", job.pk, job.kind)
        raise
    finally:
        progress._current.reset(token)
        progress.active = None
        if worker_id:
            WorkerHeartbeat.objects.filter(pk=worker_id).update(job=None)
    _finish(
        job,
        JobStatus.DONE,
        summary=out.get("summary", ""),
        url=out.get("url", ""),
        file=out.get("file", ""),
        data=out.get("data") or {},
    )
    logger.info("taak %s klaar: %s", job.pk, out.get("summary", ""))
    return {"job": job.pk, "status": JobStatus.DONE}


def _finish(
    job: Job,
    status: str,
    *,
    summary: str = "",
    url: str = "",
    file: str = "",
    error: str = "",
    data: dict | None = None,
) -> None:
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "summary": str(summary),
        "result_url": str(url)[:300],
        "result_file": str(file)[:300],
        "error": str(error),
        "result": data or {},
        "updated_at": timezone.now(),
    }
    if status == JobStatus.DONE:
        fields["progress"] = 100
    # Only the run that owns the job may finish it (not one that was given up on meanwhile).
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, task_id=job.task_id).update(**fields)
    progress.discard(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)
