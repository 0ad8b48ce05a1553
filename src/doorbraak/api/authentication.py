"""API authentication: the browser session. An unauthenticated call gets 401 with a challenge."""

from __future__ import annotations

from drf_spectacular import authentication as spectacular_auth
from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, plus a WWW-Authenticate challenge so that a call without a
    session is answered 401 (RFC 9110 §15.5.2), not 403. The session is made by the login page."""

    def authenticate_header(self, request):
        return 'Session realm="Doorbraak", login="/inloggen/"'


class SessionScheme(spectacular_auth.SessionScheme):
    """The OpenAPI schema describes it as DRF's session (cookie) authentication."""

    target_class = "doorbraak.api.authentication.SessionAuthentication"
