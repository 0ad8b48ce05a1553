"""The first run, as a newcomer and a production installation do it, in a FRESH virtualenv.

    python scripts/demo_smoke.py --uv .venv/bin/uv        (what `make demo-smoke` and CI run)

1. production: a new virtualenv with requirements/base.txt only (plus `--no-deps -e .`): every
   module outside the demo generator imports, and `doorbraak check --deploy` is clean;
2. demo: the same virtualenv (the demo generator's faker is a runtime requirement), `doorbraak demo --no-serve` builds the
   demo city into a temporary DOORBRAAK_VAR_DIR (SQLite), bank data included;
3. served by `doorbraak serve` (gunicorn) on a free loopback port: the login page, every demo
   account logged in with its password and current TOTP code on its role's home page, and the
   OpenAPI schema answer; then the server is stopped.

Only the standard library here: the test requirements are not in that virtualenv, so an import
that only they satisfy fails this run. Exits non-zero at the first failure; prints one line per
check and `demo-smoke: N passed, 0 failed` at the end.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSED: list[str] = []


class SmokeFailure(Exception):
    pass


def ok(what: str) -> None:
    PASSED.append(what)
    print(f"  ok  {what}", flush=True)


def run(cmd: list[str], env: dict, what: str, timeout: float, cwd: Path) -> str:
    started = time.monotonic()
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SmokeFailure(
            f"{what} failed (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-6000:]}"
        )
    ok(f"{what} ({time.monotonic() - started:.0f} s)")
    return result.stdout


def clean_env(**extra: str) -> dict:
    """This process's environment without anything of Doorbraak's, Django's or a virtualenv's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DOORBRAAK_", "DJANGO_", "PYTEST", "VIRTUAL_ENV", "PYTHON"))
        and k != "DATABASE_URL"
    }
    env.update(extra)
    return env


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as the demo accounts' devices use."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret_b32), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A cookie-keeping client with the CSRF token of the last form page."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Accept-Language": "nl"}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return (
                    response.status,
                    response.geturl(),
                    response.read().decode("utf-8", "replace"),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode("utf-8", "replace")

    def csrf(self, page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            raise SmokeFailure("no CSRF token on the login page")
        return found.group(1)


def demo_accounts(python: str, env: dict) -> list[dict]:
    """username, role label and base32 secret (empty: no second factor) from `demo_codes --secrets`."""
    out = run(
        [python, "-m", "doorbraak.cli", "demo_codes", "--secrets"],
        env,
        "doorbraak demo_codes --secrets",
        120,
        cwd=Path(env["DOORBRAAK_VAR_DIR"]),
    )
    table, _, secrets_part = out.partition("Base32-geheimen")
    accounts = []
    for line in table.splitlines():
        parts = line.split()
        if len(parts) >= 3 and (re.fullmatch(r"\d{6}", parts[2]) or parts[2] == "—"):
            accounts.append({"username": parts[0], "role_label": parts[1], "secret": ""})
    keys = dict(re.findall(r"^\s+(\S+)\s+([A-Z2-7]{16,})\s*$", secrets_part, re.M))
    for account in accounts:
        account["secret"] = keys.get(account["username"], "")
    if len(accounts) < 8:
        raise SmokeFailure(
            f"expected the demo accounts of every role, found {len(accounts)}:\n{out}"
        )
    return accounts


def check_served(base: str, accounts: list[dict]) -> None:
    anonymous = Browser(base)
    status, _, page = anonymous.request("/inloggen/")
    if status != 200 or 'name="username"' not in page:
        raise SmokeFailure(f"login page: HTTP {status}")
    ok("login page /inloggen/ answers 200")
    css = re.findall(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    if not css:
        raise SmokeFailure(
            "login page links no stylesheet with a hashed name (collected static files)"
        )
    for href in css:
        if anonymous.request(href)[0] != 200:
            raise SmokeFailure(f"stylesheet {href} does not answer")
    ok(f"{len(css)} collected stylesheets answer 200")

    schema_checked = False
    for account in accounts:
        browser = Browser(base)
        _, _, page = browser.request("/inloggen/")
        form = {
            "csrfmiddlewaretoken": browser.csrf(page),
            "username": account["username"],
            "password": "Doorbraak-demo-2026",
        }
        if account["secret"]:
            if 30 - time.time() % 30 < 3:
                time.sleep(3)  # not on the edge of a 30-second step
            form["otp_token"] = totp(account["secret"])
        status, url, page = browser.request("/inloggen/", form)
        path = urllib.parse.urlparse(url).path
        if status != 200 or path != "/" or f"· {account['role_label']}" not in page:
            raise SmokeFailure(
                f"{account['username']}: after login HTTP {status} at {path}, "
                f"not the home page of a {account['role_label']}"
            )
        ok(f"{account['username']} ({account['role_label']}) logs in; home page answers 200")
        if not schema_checked and account["secret"]:
            status, _, schema = browser.request("/api/schema/")
            if status != 200 or "openapi:" not in schema or "/api/v1/" not in schema:
                raise SmokeFailure(f"OpenAPI schema /api/schema/: HTTP {status}")
            ok("OpenAPI schema /api/schema/ answers 200")
            schema_checked = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--uv",
        default=shutil.which("uv") or str(ROOT / ".venv" / "bin" / "uv"),
        help="uv, to make the virtualenv (default: .venv/bin/uv)",
    )
    parser.add_argument("--python", default=sys.executable, help="the Python of the new virtualenv")
    parser.add_argument(
        "--base",
        default=str(ROOT / "requirements" / "base.txt"),
        help="the runtime requirements (to show that a missing one fails this run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="doorbraak-smoke-"))
    venv, prod_var, demo_var = tmp / "venv", tmp / "var-production", tmp / "var-demo"
    python = str(venv / "bin" / "python")
    server = None
    started = time.monotonic()
    try:
        print(f"== fresh virtualenv from {Path(args.base).name} only ({venv})", flush=True)
        env = clean_env()
        run(
            [args.uv, "venv", "-q", "--python", args.python, str(venv)],
            env,
            "virtualenv",
            300,
            ROOT,
        )
        run(
            [args.uv, "pip", "install", "-q", "--python", python, "-r", args.base],
            env,
            f"install {Path(args.base).name}",
            1200,
            ROOT,
        )
        run(
            [args.uv, "pip", "install", "-q", "--python", python, "--no-deps", "-e", str(ROOT)],
            env,
            "install doorbraak (--no-deps -e .)",
            600,
            ROOT,
        )

        print("== production: runtime requirements only", flush=True)
        prod = clean_env(
            DJANGO_SETTINGS_MODULE="doorbraak.settings",
            DOORBRAAK_VAR_DIR=str(prod_var),
            DOORBRAAK_SECRET_KEY=secrets.token_urlsafe(50),
            DOORBRAAK_ALLOWED_HOSTS="doorbraak.gemeente.example",
        )
        prod_var.mkdir()
        imports = (
            "import importlib, pkgutil, django\n"
            "django.setup()\n"
            "import doorbraak, doorbraak_analysis\n"
            "n = 0\n"
            "for pkg in (doorbraak, doorbraak_analysis):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name); n += 1\n"
            "print(n, 'modules')\n"
        )
        out = run([python, "-c", imports], prod, "every module imports", 600, prod_var)
        print(f"      {out.strip()}")
        run(
            [python, "-m", "doorbraak.cli", "check", "--deploy", "--fail-level", "WARNING"],
            prod,
            "doorbraak check --deploy (production settings)",
            300,
            prod_var,
        )

        print("== demo: doorbraak demo --no-serve (same virtualenv)", flush=True)
        demo_var.mkdir()
        demo = clean_env(DOORBRAAK_VAR_DIR=str(demo_var), DOORBRAAK_DEMO_MODE="1")
        run(
            [python, "-m", "doorbraak.cli", "demo", "--no-serve"],
            demo,
            "doorbraak demo --no-serve",
            1800,
            demo_var,
        )
        accounts = demo_accounts(python, demo)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        print(f"== served: doorbraak serve at {base}", flush=True)
        log = open(tmp / "serve.log", "w+")  # noqa: SIM115 (read back on failure)
        server = subprocess.Popen(
            [python, "-m", "doorbraak.cli", "serve", f"127.0.0.1:{port}", "--workers", "2"],
            env=demo,
            cwd=demo_var,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                raise SmokeFailure(f"doorbraak serve stopped (exit {server.returncode})")
            try:
                urllib.request.urlopen(f"{base}/inloggen/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SmokeFailure("doorbraak serve did not answer within 180 s") from None
                time.sleep(0.5)
        ok("doorbraak serve answers")
        check_served(base, accounts)
    except (SmokeFailure, subprocess.TimeoutExpired) as failure:
        print(f"FAILED {failure}", flush=True)
        if server is not None:
            log.seek(0)
            print("--- server log (last lines)\n" + "".join(log.readlines()[-40:]))
        print(f"demo-smoke: {len(PASSED)} passed, 1 failed")
        return 1
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"   server stopped; {time.monotonic() - started:.0f} s in all")
    print(f"demo-smoke: {len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
