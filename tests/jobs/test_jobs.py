"""Jobs as their owner sees them (pages, API, access, audit), recovery of jobs whose worker
died, the daily schedule and the health endpoint. Jobs run at once here (immediate backend),
except where a test puts them on the database queue (db_tasks)."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs import actions, registry
from doorbraak.jobs.models import Job, WorkerHeartbeat, _boot_id, process_start_ticks
from tests.conftest import login
from tests.registers.conftest import FIXTURES, sources  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _import(user, source, name="bag_v1.csv") -> Job:
    return actions.start_job(
        "register_import",
        user=user,
        purpose=source.purpose.code,
        categories=source.data_categories,
        params={"source": source.code, "path": str(FIXTURES / name), "delete_file": False},
    )


# --- life cycle in the immediate backend --------------------------------------------------------


def test_immediate_job_runs_to_done_and_links_its_result(world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    assert job.status == "done" and job.progress == 100 and job.attempts == 1 and job.result_url
    assert job.started_at <= job.finished_at


def test_a_handler_error_marks_the_job_failed_with_a_reason(world):
    @registry.job_kind("test_boom", label="boom")
    def boom(job):
        raise ValueError("kapot")

    try:
        job = actions.start_job("test_boom", user=world.users["analyst"])
    finally:
        registry._KINDS.pop("test_boom")
    assert job.status == "failed" and "ValueError" in job.error and job.finished_at


def test_unknown_kind_is_refused_before_anything_is_stored(world):
    with pytest.raises(LookupError):
        actions.start_job("no_such_kind", user=world.users["analyst"])
    assert not Job.objects.exists()


def test_queueing_is_atomic_job_and_task_or_neither(world, db_tasks, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    real_enqueue = actions._enqueue

    def enqueue_then_crash(job):
        real_enqueue(job)  # the task row is written ...
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("... and the web process dies before the commit")

    monkeypatch.setattr(actions, "_enqueue", enqueue_then_crash)
    with pytest.raises(RuntimeError):
        actions.start_job(
            "register_import", user=world.users["analyst"], params={"source": "x", "path": "/nope"}
        )
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


# --- recovery of a job whose worker died ------------------------------------------------------


def _dead_worker_claims(
    job: Job, *, same_machine=True, age=timedelta(seconds=5)
) -> WorkerHeartbeat:
    """Pretend a worker process claimed the job's task and then died (SIGKILL leaves exactly this)."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("dead-worker")
    Job.objects.filter(pk=job.pk).update(
        status="running", attempts=1, started_at=timezone.now(), worker_id="dead-worker"
    )
    # A pid that is not running: the highest pid plus some, on this machine.
    return WorkerHeartbeat.objects.create(
        worker_id="dead-worker",
        hostname=socket.gethostname() if same_machine else "elders",
        boot_id=_boot_id(),
        pid=4_000_000,
        pid_started=1,
        last_seen=timezone.now() - age,
    )


def test_a_job_of_a_dead_worker_is_queued_again_when_it_may_be_repeated(world, sources, db_tasks):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    assert job.max_attempts == 2
    _dead_worker_claims(job)
    old_task = job.task_id
    [recovered] = actions.recover_orphans()
    recovered.refresh_from_db()
    assert (
        recovered.status == "queued"
        and recovered.task_id != old_task
        and "opnieuw" in recovered.progress_note
    )
    assert actions.recover_orphans() == []  # idempotent


def test_a_job_of_a_dead_worker_is_marked_failed_when_out_of_attempts(world, sources, db_tasks):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    _dead_worker_claims(job)
    [recovered] = actions.recover_orphans()
    assert recovered.status == "failed" and "worker stopte" in recovered.error


def test_a_live_worker_on_this_machine_keeps_its_job_even_with_a_late_heartbeat(
    world, sources, db_tasks
):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    hb = _dead_worker_claims(job, age=timedelta(hours=1))
    WorkerHeartbeat.objects.filter(pk=hb.pk).update(
        pid=os.getpid(), pid_started=process_start_ticks(os.getpid())
    )
    assert actions.recover_orphans() == []


def test_a_worker_elsewhere_counts_as_gone_only_when_its_heartbeat_is_stale(
    world, sources, db_tasks, settings
):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    hb = _dead_worker_claims(job, same_machine=False, age=timedelta(seconds=10))
    assert actions.recover_orphans() == []
    WorkerHeartbeat.objects.filter(pk=hb.pk).update(
        last_seen=timezone.now() - timedelta(seconds=settings.JOBS_WORKER_STALE_SECONDS + 1)
    )
    assert [j.pk for j in actions.recover_orphans()] == [job.pk]


def test_a_superseded_task_never_runs_the_job_again(world, sources):  # noqa: F811
    from doorbraak.jobs import runner

    job = _import(world.users["analyst"], sources["bag"])
    Job.objects.filter(pk=job.pk).update(status="queued", task_id="new-task")
    assert runner.execute(job.pk, task_id="old-task", worker_id="w") == {"skipped": "superseded"}
    assert Job.objects.get(pk=job.pk).status == "queued"


# --- the daily jobs ---------------------------------------------------------------------------


def test_daily_jobs_are_queued_once_per_day(world, db_tasks, settings):
    settings.JOBS_DAILY_AT = "02:00"
    tz = timezone.get_current_timezone()
    assert actions.schedule_daily(datetime(2026, 12, 1, 1, 59, tzinfo=tz)) == []
    first = actions.schedule_daily(datetime(2026, 12, 1, 2, 0, tzinfo=tz))
    assert {j.kind for j in first} >= {"retention", "careers_daily"}
    assert all(j.status == "queued" and j.scheduled_for.isoformat() == "2026-12-01" for j in first)
    assert actions.schedule_daily(datetime(2026, 12, 1, 14, 0, tzinfo=tz)) == []
    again = actions.schedule_daily(datetime(2026, 12, 2, 9, 0, tzinfo=tz))
    assert {j.kind for j in again} == {j.kind for j in first}
    assert Job.objects.filter(kind="retention").count() == 2


def test_old_uploads_and_result_files_are_removed(world, settings, tmp_path):
    import time

    settings.JOBS_FILES_DIR = tmp_path
    (tmp_path / "uploads").mkdir()
    stale, fresh, needed = (
        tmp_path / "uploads" / n for n in ("stale.csv", "fresh.csv", "needed.csv")
    )
    for p in (stale, fresh, needed):
        p.write_text("x")
    day_ago = time.time() - 2 * 24 * 3600
    for p in (stale, needed):
        os.utime(p, (day_ago, day_ago))
    Job.objects.create(
        kind="register_import", requested_by="t", status="queued", params={"path": str(needed)}
    )
    export = tmp_path / "exports" / "9" / "inzage.zip"
    export.parent.mkdir(parents=True)
    export.write_bytes(b"PK")
    old = Job.objects.create(
        kind="subject_access_export",
        requested_by="t",
        status="done",
        result_file=str(export),
        finished_at=timezone.now() - timedelta(days=settings.JOBS_RESULT_DAYS + 1),
    )
    assert actions.sweep_files() == 2
    assert not stale.exists() and fresh.exists() and needed.exists() and not export.exists()
    old.refresh_from_db()
    assert old.result_file == "" and old.status == "done"


def test_a_running_jobs_published_progress_is_shown_and_cleared(world, settings, tmp_path):
    from doorbraak.jobs import progress

    settings.JOBS_FILES_DIR = tmp_path
    running = Job.objects.create(kind="register_import", requested_by="t", status="running")
    done = Job.objects.create(kind="register_import", requested_by="t", status="done", progress=100)
    for job in (running, done):
        progress.publish(job.pk, 40, "inlezen: 200 rijen")
    fresh = Job.objects.get(pk=running.pk)  # the row says nothing yet (its writer is busy)
    assert fresh.progress is None
    assert (progress.overlay(fresh).progress, fresh.progress_note) == (40, "inlezen: 200 rijen")
    finished = progress.overlay(Job.objects.get(pk=done.pk))
    assert finished.progress == 100, "a finished job shows its own figure, not a stale file"
    assert actions.sweep_files() == 1  # the finished job's left-over figure
    assert progress.published(running.pk) == (40, "inlezen: 200 rijen")
    assert progress.published(done.pk) is None


# --- pages, API, access, audit ----------------------------------------------------------------


def test_owner_sees_the_job_and_the_read_of_personal_data_is_audited(client, world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    login(client, world.users["analyst"])
    page = client.get(reverse("job_detail", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and "Registerimport" in page.content.decode()
    read = AuditEntry.objects.filter(action="read", object_type="job", object_id=str(job.pk)).get()
    assert read.username == "analist" and read.data_categories == "premises"
    listing = client.get(reverse("job_list")).content.decode()
    assert reverse("job_detail", kwargs={"pk": job.pk}) in listing
    api = client.get(reverse("api_job", kwargs={"pk": job.pk})).json()
    assert (
        api["status"] == "done"
        and api["status_label"] == "Klaar"
        and api["result_url"] == job.result_url
    )
    assert [j["id"] for j in client.get(reverse("api_jobs")).json()["results"]] == [job.pk]


def test_polling_a_running_job_writes_no_audit_entry(client, world, sources, db_tasks):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    assert job.status == "queued"
    login(client, world.users["analyst"])
    before = AuditEntry.objects.count()
    for _ in range(3):
        assert client.get(reverse("api_job", kwargs={"pk": job.pk})).json()["status"] == "queued"
    assert client.get(reverse("job_detail", kwargs={"pk": job.pk})).status_code == 200
    assert AuditEntry.objects.count() == before


def test_others_do_not_see_a_job_and_the_attempt_is_audited(client, world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    login(client, world.users["case_director"])
    assert client.get(reverse("job_detail", kwargs={"pk": job.pk})).status_code == 403
    assert client.get(reverse("api_job", kwargs={"pk": job.pk})).status_code == 403
    assert (
        AuditEntry.objects.filter(action="deny", object_type="job", object_id=str(job.pk)).count()
        == 2
    )
    assert client.get(reverse("api_jobs")).json()["results"] == []
    assert (
        reverse("job_detail", kwargs={"pk": job.pk})
        not in client.get(reverse("job_list")).content.decode()
    )
    assert (
        reverse("job_detail", kwargs={"pk": job.pk})
        not in client.get(reverse("job_list") + "?alle=1").content.decode()
    )


def test_privacy_officer_supervises_all_jobs_but_not_their_result_data(client, world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"], "bag_bad.csv")
    assert job.status == "failed" and job.result["problems"]
    login(client, world.users["privacy_officer"])
    listing = client.get(reverse("job_list") + "?alle=1").content.decode()
    assert reverse("job_detail", kwargs={"pk": job.pk}) in listing and "analist" in listing
    page = client.get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "Mislukt" in page and "3551 SA" not in page
    assert client.get(reverse("api_job", kwargs={"pk": job.pk})).json()["result"] == {}


def test_job_pages_need_a_login(client, world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    for url in (reverse("job_list"), reverse("job_detail", kwargs={"pk": job.pk})):
        assert client.get(url).status_code == 302
    assert client.get(reverse("api_job", kwargs={"pk": job.pk})).status_code in (401, 403)


def test_job_pages_in_english(client, world, sources):  # noqa: F811
    job = _import(world.users["analyst"], sources["bag"])
    login(client, world.users["analyst"])
    page = client.get(
        reverse("job_detail", kwargs={"pk": job.pk}), headers={"accept-language": "en"}
    ).content.decode()
    assert "Register import" in page and "Finished" in page and "My jobs" in page


# --- health -----------------------------------------------------------------------------------


def _health(client, url="/gezondheid/"):
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_health_without_a_worker_is_degraded_but_answers_200(client, db):
    status, body = _health(client)
    assert status == 200 and body["status"] == "degraded" and body["database"]["ok"] is True
    assert body["worker"]["ok"] is False and body["worker"]["alive"] == 0
    assert client.get("/health/?strict=1").status_code == 503


def test_health_with_a_live_worker_is_ok(client, db):
    actions.register_worker("w-live")
    status, body = _health(client, "/health/")
    assert status == 200 and body["status"] == "ok" and body["worker"]["alive"] == 1
    assert body["queue"] == {"queued": 0, "running": 0, "oldest_queued_seconds": None}
    assert client.get("/health/?strict=1").status_code == 200


def test_health_reports_a_stale_heartbeat_as_degraded(client, db, settings):
    WorkerHeartbeat.objects.create(
        worker_id="w-far",
        hostname="elders",
        pid=1,
        last_seen=timezone.now() - timedelta(seconds=settings.JOBS_WORKER_STALE_SECONDS + 5),
    )
    status, body = _health(client)
    assert status == 200 and body["status"] == "degraded" and body["worker"]["stale"] == 1
    assert body["worker"]["age_seconds"] > settings.JOBS_WORKER_STALE_SECONDS


def test_health_without_a_database_is_down_503(client, db, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def unreachable(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    status, body = _health(client)
    assert status == 503 and body["status"] == "down" and body["database"]["ok"] is False


def test_health_needs_no_login_and_writes_no_audit(client, db):
    before = AuditEntry.objects.count()
    assert client.get("/gezondheid/").status_code == 200
    assert AuditEntry.objects.count() == before


def test_analyst_starts_a_linkage_run_and_lands_on_its_status(client, world):
    login(client, world.users["analyst"])
    response = client.post(reverse("entity_link"), {"soort": "person"})
    job = Job.objects.get(kind="linkage_run")
    assert response["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    assert job.status == "done" and job.params == {"entity": "person", "incremental": False}, (
        job.error
    )
    assert job.result["run"] and job.result_url.startswith(reverse("entity_review"))


def test_a_linkage_run_of_an_unknown_kind_is_refused_and_nothing_queued(client, world):
    login(client, world.users["analyst"])
    response = client.post(reverse("entity_link"), {"soort": "huisdier"})
    assert response.status_code == 302 and response["Location"] == reverse("entity_review")
    assert not Job.objects.exists()
    login(client, world.users["enforcement_officer"])
    assert client.post(reverse("entity_link"), {"soort": "person"}).status_code == 403
