"""Progress of the running job, reported from anywhere in the code it calls:

    from doorbraak.jobs import progress
    for row in progress.track(rows, "schrijven"):   # a no-op outside a job
        ...
    progress.report(40, "koppelen")                  # percent and a short note

Inside a worker the heartbeat thread writes the latest figure to the Job row every few
seconds (on its own database connection, so it shows while the job's own transaction is still
open on PostgreSQL) and the worker logs each step."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

logger = logging.getLogger("doorbraak.jobs")


@dataclass
class Runtime:
    job_id: int
    percent: int | None = None
    note: str = ""
    changed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    _logged: tuple = (None, "")

    def set(self, percent: int | None, note: str | None = None) -> None:
        with self.lock:
            if percent is not None:
                self.percent = max(0, min(100, int(percent)))
            if note is not None:
                self.note = str(note)[:200]
            self.changed = True
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
