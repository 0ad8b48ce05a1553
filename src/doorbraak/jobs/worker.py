"""The worker's heartbeat thread: every few seconds it refreshes the worker's heartbeat, writes
the running job's progress, and now and then gives up on tasks of dead workers and queues the
daily jobs. It has its own database connection, so it keeps going while a job runs."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from . import actions, progress
from .models import Job, JobStatus

logger = logging.getLogger("doorbraak.jobs")

MAINTENANCE_SECONDS = 30


class Heartbeat(threading.Thread):
    def __init__(
        self,
        worker_id: str,
        interval: float | None = None,
        maintenance: float = MAINTENANCE_SECONDS,
    ):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval or settings.JOBS_HEARTBEAT_SECONDS
        self.maintenance = maintenance
        self._stop_event = threading.Event()
        self._last_maintenance = time.monotonic()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=self.interval + 5)

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.interval):
                self.tick()
        finally:
            connection.close()

    def tick(self) -> None:
        try:
            close_old_connections()
            actions.beat(self.worker_id)
            runtime = progress.active
            figure = runtime.take() if runtime is not None else None
            if figure is not None:
                percent, note = figure
                Job.objects.filter(pk=runtime.job_id, status=JobStatus.RUNNING).update(
                    progress=percent, progress_note=note
                )
            if time.monotonic() - self._last_maintenance >= self.maintenance:
                self._last_maintenance = time.monotonic()
                maintain()
        except Exception as exc:  # noqa: BLE001 - e.g. SQLite busy while a job writes; next beat
            logger.debug("heartbeat of worker %s skipped: %s", self.worker_id, exc)


# Apps add their own periodic clean-up (e.g. the registers app records imports that never
# finished as failed); run with the worker's maintenance, every MAINTENANCE_SECONDS.
MAINTENANCE_HOOKS: list = []


def register_maintenance(hook) -> None:
    if hook not in MAINTENANCE_HOOKS:
        MAINTENANCE_HOOKS.append(hook)


def maintain() -> None:
    for job in actions.recover_orphans():
        logger.warning("taak %s: worker gestopt tijdens de taak -> %s", job.pk, job.status)
    for job in actions.schedule_daily():
        logger.info("dagelijkse taak %s (%s) ingepland", job.pk, job.kind)
    if removed := actions.sweep_files():
        logger.info("%s oude upload- en resultaatbestanden verwijderd", removed)
    for hook in MAINTENANCE_HOOKS:
        try:
            hook()
        except Exception:  # noqa: BLE001 - one app's clean-up never stops the worker's
            logger.exception("onderhoudstaak %s mislukt", getattr(hook, "__name__", hook))
