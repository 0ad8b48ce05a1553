"""The worker as a real process on the real database queue (SQLite or PostgreSQL, whichever the
suite runs on): a job's life cycle queued -> running -> done and -> failed, and a worker killed
with SIGKILL in the middle of an import: nothing half-imported, the job retried or marked failed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doorbraak.jobs.actions import start_job
from doorbraak.jobs.models import Job, WorkerHeartbeat
from doorbraak.registers.models import ImportBatch, Premises
from tests.conftest import login
from tests.jobs.conftest import wait_until
from tests.registers.conftest import FIXTURES, sources  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

BAG_HEADER = (
    "verblijfsobject_id;openbare_ruimte;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaats;wijk;"
    "gebruiksdoel;oppervlakte;lat;lon\n"
)


def bag_file(tmp_path, n: int):
    """A valid BAG extract of n premises."""
    path = tmp_path / f"bag_{n}.csv"
    with open(path, "w") as fh:
        fh.write(BAG_HEADER)
        for i in range(n):
            fh.write(
                f"03449900{i:08d};Nijverheidsweg;{i % 300 + 1};;;3534AM;Utrecht;Overvecht;bedrijfsfunctie;"
                f"{40 + i % 500};52.11;5.11\n"
            )
    return path


def queue_import(user, source, path, batch_size=None, **kwargs) -> Job:
    return start_job(
        "register_import",
        user=user,
        purpose=source.purpose.code,
        categories=source.data_categories,
        params={
            "source": source.code,
            "path": str(path),
            "received_on": "2026-10-01",
            "delete_file": False,
            "batch_size": batch_size,
        },
        **kwargs,
    )


def test_life_cycle_queued_running_done(world, sources, db_tasks, worker, tmp_path):  # noqa: F811
    job = queue_import(world.users["analyst"], sources["bag"], FIXTURES / "bag_v1.csv")
    assert job.status == "queued" and job.task_id and ImportBatch.objects.count() == 0
    w = worker()
    w.wait_for(f"taak {job.pk} (register_import) gestart")
    done = wait_until(lambda: Job.objects.filter(pk=job.pk, status="done").first())
    assert done.attempts == 1 and done.started_at and done.finished_at and done.worker_id
    assert (
        done.result_url == f"/bronnen/importen/{ImportBatch.objects.get().pk}/"
        and "rijen" in done.summary
    )
    assert Premises.objects.filter(bag_id__startswith="03440100001").count() == 4
    hb = WorkerHeartbeat.objects.get(pk=done.worker_id)
    assert hb.stopped_at is None and hb.is_alive()
    w.wait_for("Starting worker")
    assert w.stop() == 0
    hb.refresh_from_db()
    assert hb.stopped_at is not None and not hb.is_alive()


def test_life_cycle_queued_running_failed_with_the_reason(world, sources, db_tasks, worker):  # noqa: F811
    job = queue_import(world.users["analyst"], sources["bag"], FIXTURES / "bag_bad.csv")
    worker()
    failed = wait_until(lambda: Job.objects.filter(pk=job.pk, status="failed").first())
    assert "afgewezen" in failed.error and failed.result_url and failed.result["problems"]
    assert ImportBatch.objects.get().status == "rejected"
    missing = queue_import(world.users["analyst"], sources["bag"], FIXTURES / "no-such-file.csv")
    failed = wait_until(lambda: Job.objects.filter(pk=missing.pk, status="failed").first())
    assert "no-such-file.csv" in failed.error or "bestand" in failed.error.lower()


@pytest.mark.parametrize("attempts", [2, 1], ids=["retried", "marked-failed"])
def test_worker_killed_mid_import_leaves_nothing_half_imported(
    world,
    sources,
    db_tasks,
    worker,
    tmp_path,  # noqa: F811
    attempts,
):
    n = 6000
    path = bag_file(tmp_path, n)
    before = Premises.objects.count()
    job = queue_import(
        world.users["analyst"], sources["bag"], path, batch_size=500, max_attempts=attempts
    )
    first = worker()
    # The importer reports each batch it has written, inside its one transaction: kill it there,
    # after the first of twelve.
    line = first.wait_for(f"taak {job.pk}: ")
    first.kill()
    assert "inlezen: 500 rijen" in line
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1
    # Nothing half-imported; only the attempt itself is on record, still marked running.
    assert Premises.objects.count() == before, "nothing half-imported"
    assert list(ImportBatch.objects.values_list("status", "imported_by")) == [
        ("running", "analist")
    ]

    second = worker()
    if attempts == 2:
        done = wait_until(lambda: Job.objects.filter(pk=job.pk, status="done").first(), timeout=180)
        assert done.attempts == 2 and done.worker_id != job.worker_id
        batch = ImportBatch.objects.get(status="accepted")
        assert Premises.objects.count() == before + n
        # the retry recorded the killed attempt as failed, with who started it and when
        killed = ImportBatch.objects.exclude(pk=batch.pk).get()
        assert killed.status == "failed" and "nooit afgerond" in killed.note
        assert "analist" in killed.note
    else:
        failed = wait_until(
            lambda: Job.objects.filter(pk=job.pk, status="failed").first(), timeout=60
        )
        assert "worker stopte" in failed.error and failed.attempts == 1
        assert Premises.objects.count() == before
        # the worker's maintenance found the import's lock free: recorded as failed
        killed = wait_until(lambda: ImportBatch.objects.filter(status="failed").first(), timeout=60)
        assert "nooit afgerond" in killed.note and "analist" in killed.note
        assert ImportBatch.objects.count() == 1
    from django_tasks_db.models import DBTaskResult

    lost = DBTaskResult.objects.get(pk=job.task_id)
    assert lost.status == "FAILED" and "WorkerLost" in lost.exception_class_path
    second.wait_for("Starting worker")  # in its loop: SIGTERM is a graceful stop
    assert second.stop() == 0


def test_progress_of_a_running_import_shows_while_its_transaction_is_open(
    client,
    world,
    sources,  # noqa: F811
    db_tasks,
    worker,
    tmp_path,
):
    """The importer reports each batch inside its one transaction; on SQLite that transaction
    holds the database's only write lock until the end, so the figure must reach the person who
    started the import another way: the status page and the API show it while the job runs."""
    db_tasks.JOBS_FILES_DIR = tmp_path / "var" / "jobs"  # the worker's var dir, as in production
    path = bag_file(tmp_path, 40_000)
    job = queue_import(world.users["analyst"], sources["bag"], path, batch_size=200)
    login(client, world.users["analyst"])
    url = reverse("api_job", kwargs={"pk": job.pk})
    worker()

    def running_with_progress():
        figure = client.get(url).json()
        if figure["status"] == "done":
            raise AssertionError("the import ended before any progress was shown")
        return figure if figure["status"] == "running" and figure["progress"] else None

    seen = wait_until(running_with_progress, timeout=120, interval=0.05)
    assert 0 < seen["progress"] < 100 and "rijen" in seen["progress_note"]
    assert Premises.objects.filter(bag_id__startswith="034499").count() == 0, "not committed yet"
    page = client.get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "rijen" in page
    done = wait_until(lambda: Job.objects.filter(pk=job.pk, status="done").first(), timeout=180)
    assert done.progress == 100
    assert client.get(url).json()["progress"] == 100
    assert not (tmp_path / "var" / "jobs" / "progress" / f"{job.pk}.json").exists()


def test_the_worker_schedules_and_runs_the_daily_jobs_once_per_day(world, db_tasks, worker):
    first = worker("--batch", env={"DOORBRAAK_DAILY_AT": "00:00"})
    assert first.proc.wait(timeout=180) == 0
    daily = Job.objects.filter(scheduled_for__isnull=False)
    assert {(j.kind, j.status, j.requested_by) for j in daily} == {
        ("retention", "done", "systeem:planner"),
        ("careers_daily", "done", "systeem:planner"),
        ("audit_checkpoint", "done", "systeem:planner"),
        ("monitoring_cube", "done", "systeem:planner"),
    }
    second = worker("--batch", env={"DOORBRAAK_DAILY_AT": "00:00"})
    assert second.proc.wait(timeout=180) == 0
    assert Job.objects.filter(scheduled_for__isnull=False).count() == 4, "idempotent: once per day"
