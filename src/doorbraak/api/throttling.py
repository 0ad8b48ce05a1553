"""Throttling of the API per user (session) and per token (partner system).

Counts are kept in the "throttle" cache (settings.CACHES): a file-based cache shared by every
worker process of the server in production, memory in development and tests. Over the limit the
answer is 429 problem+json with Retry-After (api/problems.py)."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .models import ApiToken


class _CacheMixin:
    @property
    def cache(self):
        return caches["throttle"]


class TokenRateThrottle(_CacheMixin, SimpleRateThrottle):
    """Per token: every call made with one partner system's token."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class UserRateThrottle(_CacheMixin, SimpleRateThrottle):
    """Per user logged in with a session (token calls are counted per token above)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonymousRateThrottle(_CacheMixin, AnonRateThrottle):
    """Calls without a session or token, per client address."""
