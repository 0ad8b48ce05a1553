"""Request hardening that Django does not do itself.

- `ClientAddressMiddleware`: behind a reverse proxy every request comes from the proxy's address.
  Only when the direct peer is one of the trusted proxies (``DOORBRAAK_TRUSTED_PROXIES``, or any
  peer with ``DOORBRAAK_BEHIND_PROXY=1`` and no list) is ``X-Forwarded-For`` believed: the client
  is the right-most address in it that is not itself a trusted proxy. ``REMOTE_ADDR`` is replaced
  by it, so the audit log and the login lock-out (django-axes) see the user's address, never the
  proxy's. A request from anyone else has its ``X-Forwarded-*`` headers removed, so a client
  cannot forge its address or claim https.
- `PermissionsPolicyMiddleware`: the ``Permissions-Policy`` header (no camera, microphone,
  location, payment, ...: the application uses none of them).
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


@cache
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    trusted = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    if not trusted:
        return bool(getattr(settings, "BEHIND_PROXY", False))
    ip = _address(address)
    return ip is not None and any(ip in net for net in _networks(trusted))


def client_address(meta) -> str:
    """The client's address: the peer, or, from a trusted proxy, the right-most address in
    X-Forwarded-For that is not a trusted proxy (addresses further left are the client's own
    claims and could be anything)."""
    peer = meta.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(peer):
        return peer
    hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    trusted = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    for hop in reversed(hops):
        ip = _address(hop)
        if ip is None:
            break  # garbage in the header: stop believing it
        if trusted and any(ip in net for net in _networks(trusted)):
            continue
        return str(ip)
    return peer


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if is_trusted_proxy(meta.get("REMOTE_ADDR", "")):
            meta["DOORBRAAK_PROXY_ADDR"] = meta.get("REMOTE_ADDR", "")
            meta["REMOTE_ADDR"] = client_address(meta)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
