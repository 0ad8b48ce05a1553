"""Production settings: no default secret key, `check --deploy` clean, `doorbraak serve` answers."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from .helpers import ROOT, doorbraak, free_port, get, production_env, wait_for

HOST = "doorbraak.gemeente.example"
SETTING = "from django.conf import settings; print(settings.SECRET_KEY)"


def _secret_key(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SETTING}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_fallback_secret_key_in_production(tmp_path):
    env = production_env(tmp_path, DOORBRAAK_SECRET_KEY=None)
    result = _secret_key(env)
    assert result.returncode != 0
    assert "DOORBRAAK_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret-key").exists()
    # A blank key is no key either.
    assert _secret_key(production_env(tmp_path, DOORBRAAK_SECRET_KEY="  ")).returncode != 0


def test_demo_mode_generates_a_random_key_kept_in_its_var_dir(tmp_path):
    keys = []
    for name in ("a", "a", "b"):
        env = production_env(tmp_path / name, DOORBRAAK_SECRET_KEY=None, DOORBRAAK_DEMO_MODE="1")
        result = _secret_key(env)
        assert result.returncode == 0, result.stderr
        keys.append(result.stdout.strip())
    assert keys[0] == keys[1] != keys[2]
    assert len(keys[0]) >= 50
    assert (tmp_path / "a" / "secret-key").stat().st_mode & 0o077 == 0
    # The key is nowhere in the source.
    assert keys[0] not in (ROOT / "src" / "doorbraak" / "settings.py").read_text()


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = doorbraak(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_on_plain_http(tmp_path):
    """The check above can fail: with HTTPS switched off it reports the insecure cookies."""
    result = doorbraak(
        production_env(tmp_path, DOORBRAAK_HTTPS="0"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout


@pytest.mark.slow
def test_serve_starts_with_production_settings_and_answers(tmp_path):
    port = free_port()
    env = production_env(tmp_path, DOORBRAAK_BEHIND_PROXY="1", DOORBRAAK_LOG_LEVEL="INFO")
    migrated = doorbraak(env, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "doorbraak.cli",
            "serve",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    https = {"Host": HOST, "X-Forwarded-Proto": "https"}
    try:
        wait_for(f"{base}/inloggen/", server, https)
        status, headers, body = get(f"{base}/inloggen/", https)
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        cookies = headers.get_all("Set-Cookie") or []
        assert cookies and all("Secure" in c for c in cookies)
        assert (
            b"Synthetische gegevens" not in body and b"Doorbraak-demo" not in body
        )  # no demo help
        # Static files: hashed names from the manifest, gzip copies, cached for ever.
        css = re.search(rb'href="(/static/doorbraak/app\.[0-9a-f]{12}\.css)"', body)
        assert css, "stylesheet not served under a hashed name"
        status, headers, _ = get(base + css.group(1).decode(), {**https, "Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        # Plain http is sent to https; an unknown host is refused; DEBUG is off (no debug page).
        status, headers, _ = get(f"{base}/inloggen/", {"Host": HOST})
        assert status == 301 and headers["Location"] == f"https://{HOST}/inloggen/"
        assert (
            get(f"{base}/inloggen/", {"Host": "elders.example", "X-Forwarded-Proto": "https"})[0]
            == 400
        )
        status, _, body = get(f"{base}/bestaat-niet/", https)
        assert status == 404 and b"URLconf" not in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    log.seek(0)
    lines = [json.loads(line) for line in log if line.startswith("{")]
    assert any(e["logger"] == "gunicorn.error" and "Listening at" in e["message"] for e in lines)
    access = [e for e in lines if e["logger"] == "gunicorn.access"]
    assert {"method": "GET", "path": "/inloggen/", "status": 200}.items() <= access[0].items()
    assert all(e["request_id"] for e in access if e["path"] == "/inloggen/" and e["status"] == 200)
