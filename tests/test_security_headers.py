"""Web hardening: the Content-Security-Policy and the templates it relies on, Permissions-Policy,
HSTS and secure cookies with production settings, and the client address behind a proxy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from doorbraak.web.security import ClientAddressMiddleware, client_address

SRC = Path(__file__).resolve().parent.parent / "src"

# An inline script is a <script> element with something between its tags (a <script src=...>
# </script> is fine, and so is data in <script type="application/json">, which never runs).
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.S)
HANDLER_ATTR = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.S)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
DATA_TYPES = re.compile(r"""type\s*=\s*["']application/(?:ld\+)?json["']""", re.I)


def all_templates() -> list[Path]:
    """Every template of every app and the site, including apps added after this test."""
    return sorted(p for p in SRC.rglob("templates/**/*") if p.suffix in {".html", ".txt", ".xml"})


def inline_code(text: str) -> list[str]:
    found = []
    for attrs, body in SCRIPT.findall(text):
        if body.strip() and not DATA_TYPES.search(attrs):
            found.append("inline <script> body")
    if STYLE_BLOCK.search(text):
        found.append("<style> block")
    if STYLE_ATTR.search(text):
        found.append("style= attribute")
    if HANDLER_ATTR.search(text):
        found.append("on*= event handler")
    if JAVASCRIPT_URL.search(text):
        found.append("javascript: URL")
    return found


def test_the_scanner_finds_each_kind_of_inline_code():
    assert inline_code("<script>alert(1)</script>") == ["inline <script> body"]
    assert inline_code('<script src="/static/a.js"></script>') == []
    assert inline_code('<script type="application/json" id="d">{"a": 1}</script>') == []
    assert inline_code("<style>p{}</style>") == ["<style> block"]
    assert inline_code('<span class="x" style="left:1%">') == ["style= attribute"]
    assert inline_code('<button type="button"\n onclick="go()">') == ["on*= event handler"]
    assert inline_code('<a href="javascript:void(0)">') == ["javascript: URL"]
    assert inline_code('<p data-style="x" class="onload">') == []


def test_no_template_has_inline_scripts_or_styles():
    """The CSP allows scripts and styles from the application's own files only: anything inline
    in a template (any app's, also those added later) would be refused by the browser."""
    templates = all_templates()
    assert len(templates) > 40
    offenders = {
        str(p.relative_to(SRC)): found for p in templates if (found := inline_code(p.read_text()))
    }
    assert offenders == {}, offenders


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_permissions_policy(client):
    response = client.get("/inloggen/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_docs_keep_scripts_to_self(client):
    from tests import factories as f

    client.force_login(f.UserFactory(role="policy_staff"))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-eval" not in csp
    assert not re.search(rb"<script>\s*\S", response.content)


# --- client address behind a reverse proxy ---------------------------------------------------


def _meta(remote, xff=None, proto=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    if proto is not None:
        meta["HTTP_X_FORWARDED_PROTO"] = proto
    return meta


@override_settings(TRUSTED_PROXIES=["10.0.0.5", "10.1.0.0/24"], BEHIND_PROXY=True)
def test_client_address_from_trusted_proxies_only():
    # the client, seen by two proxies of our own
    assert client_address(_meta("10.0.0.5", "203.0.113.7, 10.1.0.9")) == "203.0.113.7"
    # a client claiming an address: the right-most hop not ours is what the proxy saw
    assert client_address(_meta("10.0.0.5", "1.2.3.4, 198.51.100.2")) == "198.51.100.2"
    # a peer that is not a proxy of ours is the client, whatever it writes in the header
    assert client_address(_meta("198.51.100.9", "10.9.9.9")) == "198.51.100.9"
    # garbage in the header: the proxy's own address, never the garbage
    assert client_address(_meta("10.0.0.5", "not-an-ip")) == "10.0.0.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"], BEHIND_PROXY=True)
def test_middleware_strips_forwarded_headers_from_untrusted_peers():
    seen = {}

    def view(request):
        seen.update(request.META)
        from django.http import HttpResponse

        return HttpResponse()

    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    request.META["HTTP_X_FORWARDED_FOR"] = "10.0.0.1"
    ClientAddressMiddleware(view)(request)
    assert seen["REMOTE_ADDR"] == "198.51.100.9"
    assert "HTTP_X_FORWARDED_PROTO" not in seen and "HTTP_X_FORWARDED_FOR" not in seen
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
    request.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    ClientAddressMiddleware(view)(request)
    assert seen["REMOTE_ADDR"] == "203.0.113.7" and seen["HTTP_X_FORWARDED_PROTO"] == "https"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.5"], BEHIND_PROXY=True)
def test_audit_and_lockout_record_the_client_not_the_proxy(client):
    from axes.models import AccessAttempt

    from doorbraak.audit.models import AuditAction, AuditEntry

    for _ in range(2):
        client.post(
            "/inloggen/",
            {"username": "niemand", "password": "fout-wachtwoord-123"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    entry = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).last()
    assert entry.ip_address == "203.0.113.7"
    assert AccessAttempt.objects.filter(ip_address="203.0.113.7").exists()
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.5").exists()
