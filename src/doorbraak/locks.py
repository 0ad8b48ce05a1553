"""Named locks that serialise long work across threads and processes: two imports of one
source, two linkage runs of one entity type.

On PostgreSQL a lock is a session advisory lock (``pg_advisory_lock``); on SQLite an
exclusive ``flock`` on a lock file beside the database. Both are released by the operating
system or the database when the holder dies, so a killed worker never leaves a lock behind.
A thread that already holds a lock may take it again (re-entrant). Waiting is unbounded
by default; ``timeout`` (seconds) raises ``LockTimeout`` instead.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connections

_held = threading.local()


class LockTimeout(Exception):
    """The lock was not free within the time asked for."""


def _key(name: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


def _lock_file(name: str, settings_dict: dict) -> Path:
    db = str(settings_dict.get("NAME") or "")
    in_memory = db in ("", ":memory:") or "mode=memory" in db
    if in_memory:  # a memory database lives in this process only
        folder, owner = Path(tempfile.gettempdir()) / "doorbraak-locks", f"mem{os.getpid()}"
    else:
        folder, owner = Path(db).resolve().parent, Path(db).name
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.blake2b(f"{owner}|{name}".encode(), digest_size=8).hexdigest()
    return folder / f".lock-{digest}"


@contextmanager
def exclusive(name: str, *, using: str = "default", timeout: float | None = None):
    """Hold the lock ``name`` for the ``with`` block."""
    held = _held.__dict__.setdefault("names", {})
    token = (using, name)
    if held.get(token):
        held[token] += 1
        try:
            yield
        finally:
            held[token] -= 1
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        release = _pg_acquire(connection, _key(name), timeout)
    else:
        release = _file_acquire(_lock_file(name, connection.settings_dict), timeout)
    held[token] = 1
    try:
        yield
    finally:
        held.pop(token, None)
        release()


def _pg_acquire(connection, key: int, timeout: float | None):
    with connection.cursor() as cursor:
        if timeout is None:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        else:
            deadline = time.monotonic() + timeout
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise LockTimeout(key)
                time.sleep(0.05)

    def release():
        if connection.connection is None:  # connection gone: the database released the lock
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

    return release


def _file_acquire(path: Path, timeout: float | None):
    import fcntl

    fh = open(path, "a+b")  # noqa: SIM115 - closed by release()
    try:
        if timeout is None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise LockTimeout(str(path)) from None
                    time.sleep(0.05)
    except BaseException:
        fh.close()
        raise

    def release():
        try:
            fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()

    return release
