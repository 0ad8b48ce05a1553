"""Test settings: the base settings with a fast password hasher."""

import os

os.environ.setdefault("DOORBRAAK_DEBUG", "1")
os.environ.setdefault(
    "DOORBRAAK_SECRET_KEY", "test-settings-only-" + "x" * 40
)  # tests only, never served
# Jobs run at once, in the test's own process; the worker tests switch to the database backend.
os.environ.setdefault("DOORBRAAK_TASK_BACKEND", "immediate")

from doorbraak.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, like a real installation (WAL, busy timeout and immediate transactions apply),
    # instead of the shared in-memory database, whose table locks fail at once under threads;
    # a worker process started by a test (tests/jobs) opens the same file.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"doorbraak-test-{os.getpid()}.sqlite3")
    }
