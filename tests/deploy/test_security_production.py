"""Security headers and cookies with production settings (DEBUG off, the settings a municipality
sets): CSP, Permissions-Policy, HSTS, secure cookies, https redirect; behind a trusted proxy only
that proxy's X-Forwarded-Proto counts; the API answers JSON only, with API-Version."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import ROOT, production_env

HOST = "doorbraak.gemeente.example"

SCRIPT = f"""
import json, django
django.setup()
from django.test import Client

def seen(r):
    return {{
        "status": r.status_code,
        "headers": dict(r.headers),
        "cookies": {{k: {{"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
                          "samesite": v["samesite"]}} for k, v in r.cookies.items()}},
    }}

from django.test import override_settings

# Only the static files' storage is swapped (the manifest needs collectstatic, which
# `doorbraak serve` runs and tests/deploy/test_production_settings.py covers): every security
# setting is production's.
override_settings(
    STORAGES={{"default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
              "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
).enable()
c = Client(HTTP_HOST="{HOST}")
out = {{
    "login": seen(c.get("/inloggen/", secure=True)),
    "plain": seen(c.get("/inloggen/")),
    "api": seen(c.get("/api/v1/me/", secure=True)),
    "api_html": seen(c.get("/api/v1/me/", secure=True, HTTP_ACCEPT="text/html")),
    "via_proxy": seen(c.get("/inloggen/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")),
    "forged": seen(c.get("/inloggen/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")),
}}
print(json.dumps(out))
"""


def _run(tmp_path, **env):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=production_env(tmp_path, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_headers_and_cookies_with_production_settings(tmp_path):
    seen = _run(tmp_path, DOORBRAAK_TRUSTED_PROXIES="10.0.0.5")
    login = seen["login"]
    assert login["status"] == 200
    h = login["headers"]
    csp = h["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in h["Permissions-Policy"] and "geolocation=()" in h["Permissions-Policy"]
    assert "max-age=31536000" in h["Strict-Transport-Security"]
    assert "includeSubDomains" in h["Strict-Transport-Security"]
    assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert login["cookies"] and all(c["secure"] for c in login["cookies"].values())
    assert all(c["samesite"] == "Lax" for c in login["cookies"].values())
    # plain http goes to https
    assert seen["plain"]["status"] == 301
    assert seen["plain"]["headers"]["Location"] == f"https://{HOST}/inloggen/"
    # the API: JSON problems, with its version; no browsable API: HTML is not on offer
    api = seen["api"]
    assert api["status"] == 401
    assert api["headers"]["Content-Type"] == "application/problem+json"
    assert api["headers"]["API-Version"] == "1.0.0"
    html = seen["api_html"]
    assert html["status"] == 406 and "html" not in html["headers"]["Content-Type"]
    # X-Forwarded-Proto from the trusted proxy counts; from anyone else it is removed
    assert seen["via_proxy"]["status"] == 200
    assert seen["forged"]["status"] == 301
