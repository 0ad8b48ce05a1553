"""Run `doorbraak` in a child process with production-like settings: only the variables given,
none of the test process's (no DEBUG, no test settings, no DATABASE_URL unless passed)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(var_dir: Path, **extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DOORBRAAK_", "DJANGO_", "PYTEST")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="doorbraak.settings",
        DOORBRAAK_VAR_DIR=str(var_dir),
        DOORBRAAK_SECRET_KEY=secrets.token_urlsafe(50),
        DOORBRAAK_ALLOWED_HOSTS="doorbraak.gemeente.example",
        DOORBRAAK_CSRF_TRUSTED_ORIGINS="https://doorbraak.gemeente.example",
        PYTHONPATH=str(ROOT / "src"),
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def doorbraak(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "doorbraak.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port(first: int = 8110, last: int = 8119) -> int:
    """A free loopback port, from this work's range first (DOORBRAAK_TEST_PORTS=8110-8119 to
    change it), else one the system picks."""
    span = os.environ.get("DOORBRAAK_TEST_PORTS", f"{first}-{last}")
    low, _, high = span.partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, headers: dict | None = None):
    """(status, headers, body) without following redirects."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an HTTP URL: {url}")
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - checked above
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(
    url: str, process: subprocess.Popen, headers: dict | None = None, seconds: float = 120
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped with exit code {process.returncode}")
        try:
            get(url, headers)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url} within {seconds} s")
