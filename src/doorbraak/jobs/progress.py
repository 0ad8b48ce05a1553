"""Progress of the running job, reported from anywhere in the code it calls:

    from doorbraak.jobs import progress
    for row in progress.track(rows, "schrijven"):   # a no-op outside a job
        ...
    progress.report(40, "koppelen")                  # percent and a short note

Inside a worker the heartbeat thread writes the latest figure to the Job row every few
seconds (on its own database connection, so it shows while the job's own transaction is still
open on PostgreSQL) and the worker logs each step. Every figure is also published at once
(at most one a second) to a small file beside the job's files (``JOBS_FILES_DIR/progress/``),
outside any database and so outside the job's transaction: on SQLite, whose one writer the
running import is, the heartbeat cannot write the Job row until the import ends, and the
pages and the API read a running job's figure from that file (``overlay``)."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("doorbraak.jobs")
PUBLISH_SECONDS = 1.0  # at most one progress file write a second per job


@dataclass
class Runtime:
    job_id: int
    percent: int | None = None
    note: str = ""
    changed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    _logged: tuple = (None, "")
    _published: float = 0.0

    def set(self, percent: int | None, note: str | None = None) -> None:
        with self.lock:
            if percent is not None:
                self.percent = max(0, min(100, int(percent)))
            if note is not None:
                self.note = str(note)[:200]
            self.changed = True
            now = time.monotonic()
            if now - self._published >= PUBLISH_SECONDS:
                self._published = now
                publish(self.job_id, self.percent, self.note)
            logged_percent, logged_note = self._logged
            if self.note != logged_note or (self.percent or 0) - (logged_percent or 0) >= 10:
                self._logged = (self.percent, self.note)
                logger.info(
                    "taak %s: %s%% %s",
                    self.job_id,
                    self.percent if self.percent is not None else "?",
                    self.note,
                )

    def take(self) -> tuple[int | None, str] | None:
        """The figure to write, or None when nothing changed since the last take."""
        with self.lock:
            if not self.changed:
                return None
            self.changed = False
            return self.percent, self.note


_current: ContextVar[Runtime | None] = ContextVar("doorbraak_job", default=None)
# The job the worker process is running (read by the heartbeat thread, which has no context).
active: Runtime | None = None


def current() -> Runtime | None:
    return _current.get()


def report(percent: int | None, note: str | None = None) -> None:
    runtime = _current.get()
    if runtime is not None:
        runtime.set(percent, note)


def track(
    items: Iterable, note: str = "", total: int | None = None, start: int = 0, end: int = 100
) -> Iterator:
    """Yield from ``items``, reporting progress from ``start`` to ``end`` percent."""
    runtime = _current.get()
    if runtime is None:
        yield from items
        return
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    runtime.set(start, note)
    step = max(1, (total or 0) // 100)
    for i, item in enumerate(items, start=1):
        yield item
        if total and i % step == 0:
            runtime.set(start + (end - start) * i // total, note)


# --- the figure outside the database ----------------------------------------------------------


def _path(job_id: int) -> Path:
    from django.conf import settings

    return Path(settings.JOBS_FILES_DIR) / "progress" / f"{int(job_id)}.json"


def publish(job_id: int, percent: int | None, note: str) -> None:
    """Write the figure of a running job where every process of the installation reads it (the
    file replaced whole, so a reader never sees half of it). A failure only costs the figure."""
    path = _path(job_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"percent": percent, "note": note}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        logger.debug("voortgang van taak %s niet geschreven: %s", job_id, exc)


def published(job_id: int) -> tuple[int | None, str] | None:
    """The figure last published for a job, or None."""
    try:
        data = json.loads(_path(job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    percent = data.get("percent")
    return (int(percent) if percent is not None else None), str(data.get("note") or "")[:200]


def discard(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)


def overlay(job):
    """A running job with its latest published figure (when newer than what the Job row says):
    what the status page and the API show. Returns the job."""
    from .models import JobStatus

    if job.status == JobStatus.RUNNING:
        figure = published(job.pk)
        if figure is not None and (figure[0] or 0) >= (job.progress or 0):
            job.progress, job.progress_note = figure
    return job
