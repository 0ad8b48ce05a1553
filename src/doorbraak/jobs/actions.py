"""Every write of the jobs app: starting a job, giving up on one whose worker died, scheduling
the daily jobs, and the worker heartbeat."""

from __future__ import annotations

import logging
import os
import socket
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from . import registry
from .models import ACTIVE, Job, JobStatus, WorkerHeartbeat, _boot_id, process_start_ticks

logger = logging.getLogger("doorbraak.jobs")

SYSTEM_USER = "systeem:planner"


class WorkerLost(Exception):
    """Recorded on the task when its worker died while running it."""


def _immediate() -> bool:
    from .tasks import run_job

    return not run_job.get_backend().supports_get_result


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job.pk)
    if not _immediate():
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)


def start_job(
    kind: str,
    *,
    user=None,
    requested_by: str = "",
    params: dict | None = None,
    purpose: str = "",
    categories=(),
    scheduled_for: date | None = None,
    max_attempts: int | None = None,
    now: bool = False,
) -> Job:
    """Queue one job. The Job and its task row are written in one transaction: a web process
    killed halfway leaves both or neither. With personal data (``categories``) the start is audited.
    ``now``: run it in this process instead (a management command), recorded like any other job."""
    spec = registry.get(kind)
    who = requested_by or (
        user.get_username() if user is not None and user.is_authenticated else SYSTEM_USER
    )
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            user=user if user is not None and user.is_authenticated else None,
            requested_by=who[:150],
            params=params or {},
            purpose=purpose,
            data_categories=sorted(set(categories)),
            scheduled_for=scheduled_for,
            max_attempts=max_attempts or spec.max_attempts,
        )
        if categories:
            audit.record(
                AuditAction.CREATE,
                user=user,
                username=None if user else who,
                purpose=purpose,
                object_type="job",
                object_id=job.pk,
                categories=categories,
                detail={"kind": kind},
            )
        if not now and not _immediate():
            _enqueue(job)
    if now:
        from . import runner

        runner.execute(job.pk, task_id="", worker_id="")
        job.refresh_from_db()
    elif _immediate():
        # Runs now, in this process (tests, or a set-up without a worker).
        _enqueue(job)
        job.refresh_from_db()
    return job


# --- a worker that died halfway ------------------------------------------------------------


def _alive(worker_id: str, heartbeats: dict, started_at, now) -> bool:
    hb = heartbeats.get(worker_id)
    if hb is not None:
        return hb.is_alive(now)
    # A worker without a heartbeat row (e.g. django-tasks' own db_worker): judge by the task's age.
    return (
        started_at is not None
        and (now - started_at).total_seconds() < settings.JOBS_WORKER_STALE_SECONDS
    )


def recover_orphans(now: datetime | None = None) -> list[Job]:
    """Tasks that were running on a worker that has died: the task is marked failed and its
    job is queued again (kinds safe to repeat, attempts left) or marked failed with the reason.
    A job never stays 'running' for ever and never runs twice at once."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    heartbeats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    recovered = []
    for task in DBTaskResult.objects.running():
        worker_id = task.worker_ids[-1] if task.worker_ids else ""
        if _alive(worker_id, heartbeats, task.started_at, now):
            continue
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=task.pk, status=task.status)
                .first()
            )
            if task is None:
                continue
            task.set_failed(WorkerLost(f"worker {worker_id} stopped while running this task"))
            job = (
                Job.objects.select_for_update()
                .filter(task_id=str(task.id), status__in=ACTIVE)
                .first()
            )
            if job is not None:
                recovered.append(_retry_or_fail(job, worker_id))
    # Jobs marked running whose task is no longer running (e.g. the task row was pruned).
    for job in Job.objects.filter(status=JobStatus.RUNNING).exclude(task_id=""):
        if DBTaskResult.objects.running().filter(pk=job.task_id).exists():
            continue
        if _alive(job.worker_id, heartbeats, job.started_at, now):
            continue
        with transaction.atomic():
            job = (
                Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.RUNNING).first()
            )
            if job is not None:
                recovered.append(_retry_or_fail(job, job.worker_id))
    return recovered


def _retry_or_fail(job: Job, worker_id: str) -> Job:
    if job.attempts < job.max_attempts:
        job.status, job.progress, job.progress_note = (
            JobStatus.QUEUED,
            None,
            _("De worker stopte tijdens poging %(n)s; de taak staat opnieuw in de wachtrij.")
            % {"n": job.attempts},
        )
        job.save(update_fields=["status", "progress", "progress_note", "updated_at"])
        _enqueue(job)
        logger.warning(
            "taak %s: worker %s gestopt tijdens poging %s; opnieuw in de wachtrij",
            job.pk,
            worker_id,
            job.attempts,
        )
    else:
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
        job.error = _(
            "De worker stopte tijdens deze taak (poging %(n)s van %(m)s). Wat de taak schrijft, gebeurt in "
            "één transactie: er is niets half opgeslagen. Start de taak opnieuw."
        ) % {"n": job.attempts, "m": job.max_attempts}
        job.save(update_fields=["status", "finished_at", "error", "updated_at"])
        logger.warning("taak %s: worker %s gestopt; taak mislukt", job.pk, worker_id)
    return job


# --- the daily jobs -------------------------------------------------------------------------


def daily_time() -> time | None:
    """JOBS_DAILY_AT as a time; None when it is "off" (no scheduling, e.g. in tests)."""
    if str(settings.JOBS_DAILY_AT).lower() in {"off", "uit", "0", "none", ""}:
        return None
    try:
        return time.fromisoformat(settings.JOBS_DAILY_AT)
    except ValueError:
        return time(2, 0)


def schedule_daily(now: datetime | None = None) -> list[Job]:
    """Queue each daily job once per calendar day, at or after JOBS_DAILY_AT (a worker that was
    down then catches up when it starts). Idempotent across workers: one Job per kind and day."""
    local = timezone.localtime(now or timezone.now())
    at = daily_time()
    if at is None or local.time() < at:
        return []
    today = local.date()
    started = []
    for spec in registry.daily_kinds():
        if Job.objects.filter(kind=spec.name, scheduled_for=today).exists():
            continue
        try:
            with transaction.atomic():
                started.append(
                    start_job(
                        spec.name,
                        requested_by=SYSTEM_USER,
                        params={"as_of": today.isoformat()},
                        scheduled_for=today,
                    )
                )
        except IntegrityError:  # another worker was first
            continue
    return started


# --- files the jobs leave behind ----------------------------------------------------------


def sweep_files(now: datetime | None = None) -> int:
    """Uploads no active job needs (a day old: never one still being written) and result files
    of jobs finished more than JOBS_RESULT_DAYS ago (a subject-access export is personal data)
    are removed; the job keeps its record, without the file. Returns the number of files removed."""
    import shutil
    from pathlib import Path

    now = now or timezone.now()
    root = Path(settings.JOBS_FILES_DIR)
    removed = 0
    uploads = root / "uploads"
    if uploads.is_dir():
        needed = {
            str(p)
            for p in Job.objects.filter(status__in=ACTIVE).values_list("params__path", flat=True)
            if p
        }
        for path in uploads.iterdir():
            age = now.timestamp() - path.stat().st_mtime
            if str(path) not in needed and age > 24 * 3600:
                path.unlink(missing_ok=True)
                removed += 1
    cutoff = now - timedelta(days=settings.JOBS_RESULT_DAYS)
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(result_file=""):
        path = Path(job.result_file)
        if path.exists() and root.resolve() in path.resolve().parents:
            folder = path.parent
            path.unlink()
            removed += 1
            if folder != root and not any(folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(result_file="")
    progress = (
        root / "progress"
    )  # figures of running jobs (jobs.progress); a killed one leaves its own
    if progress.is_dir():
        running = set(Job.objects.filter(status=JobStatus.RUNNING).values_list("pk", flat=True))
        for path in progress.glob("*.json"):
            if path.stem.isdigit() and int(path.stem) not in running:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


# --- heartbeats -----------------------------------------------------------------------------


def register_worker(worker_id: str) -> WorkerHeartbeat:
    pid = os.getpid()
    now = timezone.now()
    hb, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={
            "hostname": socket.gethostname()[:255],
            "boot_id": _boot_id(),
            "pid": pid,
            "pid_started": process_start_ticks(pid),
            "started_at": now,
            "last_seen": now,
            "stopped_at": None,
        },
    )
    # Rows of workers long gone are of no use to anyone.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=7)).delete()
    return hb


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=timezone.now())


def stop_worker(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).update(stopped_at=timezone.now(), job=None)
