"""The two ends of the single sign-on: to the identity provider, and back.

Both answer 404 unless single sign-on is configured (DOORBRAAK_OIDC_CLIENT_ID and the provider's
endpoints). After the provider has vouched for the user, a role that needs a second factor has
it when the provider says it did multi-factor authentication (the `amr`/`acr` claims); without
that, the user gives the code of their own authenticator app as after a password login."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

logger = logging.getLogger(__name__)

SSO_DEVICE_NAME = "sso-mfa"
SESSION_FLAG = "doorbraak_sso"


def _enabled():
    if not settings.OIDC_ENABLED:
        raise Http404


class SsoStart(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def get(self, request):
        _enabled()
        return super().get(request)


class SsoCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        _enabled()
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as exc:
            # A token not meant for us, a refused code, a provider that does not answer: the
            # login fails, with a reason in the audit log, never a 400 or 500 page.
            logger.warning("single sign-on refused: %s", exc)
            return self.login_failure(reason=str(exc)[:300])

    def login_failure(self, reason: str = "sso refused"):
        audit.record(
            AuditAction.LOGIN_FAILED, username="sso", object_type="sso", detail={"reason": reason}
        )
        messages.error(
            self.request,
            _(
                "Inloggen via de identiteitsprovider is mislukt, of uw account heeft geen rol in "
                "Doorbraak. Vraag de beheerder om een koppeling."
            ),
        )
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        user = self.user
        seen = getattr(self.request, "doorbraak_sso", {}) or {}
        self.request.session[SESSION_FLAG] = True
        verified_by_provider = False
        if policy.requires_second_factor(user) and seen.get("mfa"):
            # The provider's multi-factor authentication is the second factor of this session.
            device, _created = StaticDevice.objects.get_or_create(
                user=user, name=SSO_DEVICE_NAME, defaults={"confirmed": True}
            )
            otp_login(self.request, device)
            verified_by_provider = True
        audit.record(
            AuditAction.LOGIN,
            user=user,
            detail={
                "sso": True,
                "second_factor": verified_by_provider,
                "amr": seen.get("amr", []),
                "acr": seen.get("acr", ""),
            },
        )
        if policy.requires_second_factor(user) and not verified_by_provider:
            return redirect("otp_verify")
        return response
