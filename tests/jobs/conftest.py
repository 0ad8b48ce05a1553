"""Helpers for the jobs tests: the real database task backend and real worker processes."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings):
    """Jobs go to the database queue (as in production) instead of running at once."""
    settings.TASKS = DB_BACKEND
    return settings


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """`doorbraak worker` as a real process on the test database, its output read line by line."""

    def __init__(self, var_dir, *extra: str, env: dict | None = None):
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
            "DOORBRAAK_DEBUG": "1",
            "DOORBRAAK_TASK_BACKEND": "database",
            "DOORBRAAK_VAR_DIR": str(var_dir),
            "DOORBRAAK_WORKER_HEARTBEAT_SECONDS": "0.5",
            "DOORBRAAK_DAILY_AT": "off",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "doorbraak.cli",
                "worker",
                "--no-startup-delay",
                "--interval",
                "0.2",
                *extra,
            ],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The first line of the worker's output with ``text`` (already read, or waited for)."""
        for line in self.lines:
            if text in line:
                return line
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"worker ended before {text!r}:\n" + "".join(self.lines))
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(
            f"no {text!r} from the worker within {timeout}s:\n" + "".join(self.lines)
        )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode


@pytest.fixture
def worker(tmp_path):
    started: list[Worker] = []

    def start(*extra: str, **kwargs) -> Worker:
        w = Worker(tmp_path / "var", *extra, **kwargs)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def wait_until(predicate, timeout: float = 60, interval: float = 0.2):
    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OperationalError:  # SQLite busy while the worker writes
            value = None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")
