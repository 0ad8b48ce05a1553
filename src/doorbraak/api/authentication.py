"""API authentication: the browser session, and tokens for partner systems.

An unauthenticated call gets 401 with a challenge (RFC 9110 §15.5.2), not 403."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as spectacular_auth
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from .models import ApiToken, hash_token

# last_used_at is written at most this often per token (not on every call).
LAST_USED_RESOLUTION_SECONDS = 60


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, plus a WWW-Authenticate challenge so that a call without a
    session is answered 401, not 403. The session is made by the login page."""

    def authenticate_header(self, request):
        # Both ways in, as two challenges (RFC 9110 §11.6.1): a person's session, a system's token.
        return 'Session realm="Doorbraak", login="/inloggen/", Bearer realm="Doorbraak"'


class SessionScheme(spectacular_auth.SessionScheme):
    """The OpenAPI schema describes it as DRF's session (cookie) authentication."""

    target_class = "doorbraak.api.authentication.SessionAuthentication"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer dbk_…` from a partner system. The token stands for its service
    account (request.user) within its organisation and covenant; request.auth is the ApiToken.
    A refused token is audited and answered 401 with one message whatever the reason."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel.")) from exc
        token = (
            ApiToken.objects.select_related("user__organisation", "organisation", "covenant")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        reason = "unknown token" if token is None else token.refusal()
        if reason:
            audit.record(
                AuditAction.LOGIN_FAILED,
                username=token.user.username if token else "api-token",
                object_type="api_token",
                object_id=token.pk if token else "",
                detail={"reason": reason},
            )
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel."))
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        # A machine client has no second factor to give: the token (32 random bytes, hashed at
        # rest, bound to organisation and covenant, expiring) is its credential.
        user.is_verified = lambda: True
        user.api_token = token
        return user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="Doorbraak"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "doorbraak.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API-sleutel van een partnersysteem (`doorbraak api_token issue`).",
        }
