"""The OpenID Connect login (mozilla-django-oidc), the way Doorbraak needs it.

- The ID token's signature, issuer (DOORBRAAK_OIDC_ISSUER) and audience (our client id) are
  checked; mozilla-django-oidc checks only the signature and the nonce.
- An account is found by the provider's subject (SsoIdentity), never by e-mail address.
- Role and organisation come from an administrator's mapping of the provider's groups
  (SsoGroupMapping), or, where the installation trusts the provider for it
  (DOORBRAAK_OIDC_TRUST_ROLE_CLAIMS), from two claims naming them directly. Without either the
  login is refused: no account without a role and an organisation. They are updated at every
  login (the provider is the source for SSO accounts), each change audited.
- SSO accounts have no password: they cannot log in on the local form. Local accounts work as
  before, beside SSO.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import Organisation, Role, User

from .models import SsoGroupMapping, SsoIdentity

logger = logging.getLogger(__name__)


class SsoRefused(SuspiciousOperation):
    """The provider vouched for someone Doorbraak has no role for (or the token is not ours)."""


def _claim_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[\s,]+", value) if v]
    return [str(v) for v in value]


def role_and_organisation(claims: dict) -> tuple[str, Organisation]:
    """The account's role and organisation from the claims: the administrator's group mapping
    first; the direct claims only where the installation trusts them. SsoRefused otherwise."""
    groups = _claim_list(claims.get(settings.OIDC_GROUPS_CLAIM))
    mapped = {
        (m.role, m.organisation_id): m
        for m in SsoGroupMapping.objects.filter(group__in=groups).select_related("organisation")
    }
    if len(mapped) > 1:
        raise SsoRefused(
            f"groups {sorted(groups)} map to more than one role or organisation: ambiguous"
        )
    if mapped:
        m = next(iter(mapped.values()))
        return m.role, m.organisation
    if settings.OIDC_TRUST_ROLE_CLAIMS:
        role = str(claims.get(settings.OIDC_ROLE_CLAIM) or "")
        code = str(claims.get(settings.OIDC_ORGANISATION_CLAIM) or "")
        organisation = Organisation.objects.filter(code=code, active=True).first()
        if role in Role.values and organisation is not None:
            return role, organisation
    raise SsoRefused("no role and organisation for this identity (no group mapping matches)")


def _username(claims: dict) -> str:
    base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "sso"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


class DoorbraakOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = _claim_list(payload.get("aud"))
        if settings.OIDC_RP_CLIENT_ID not in audience:
            raise SsoRefused("ID token is not meant for this application (aud)")
        if settings.OIDC_ISSUER and payload.get("iss") != settings.OIDC_ISSUER:
            raise SsoRefused("ID token comes from another issuer (iss)")
        if kwargs.get("nonce") is not None:  # the ID token, not a signed userinfo response
            self.id_claims = payload
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def _identity_claims(self, userinfo: dict) -> dict:
        id_claims = getattr(self, "id_claims", {}) or {}
        if userinfo.get("sub") != id_claims.get("sub"):
            raise SsoRefused("userinfo is about another subject than the ID token")
        return {**id_claims, **userinfo}

    def filter_users_by_claims(self, claims):
        issuer = getattr(self, "id_claims", {}).get("iss", "")
        return User.objects.filter(
            sso_identity__issuer=issuer, sso_identity__subject=claims.get("sub")
        )

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return super().get_or_create_user(access_token, id_token, payload)
        except SsoRefused as exc:
            audit.record(
                AuditAction.LOGIN_FAILED,
                username=str(getattr(self, "id_claims", {}).get("sub", "sso"))[:150],
                object_type="sso",
                detail={"reason": str(exc)},
            )
            raise

    def create_user(self, claims):
        claims = self._identity_claims(claims)
        role, organisation = role_and_organisation(claims)
        with transaction.atomic():
            user = User(
                username=_username(claims),
                email=str(claims.get("email") or "")[:254],
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
                role=role,
                organisation=organisation,
            )
            user.set_unusable_password()
            user.save()
            SsoIdentity.objects.create(
                user=user, issuer=claims.get("iss", ""), subject=claims["sub"]
            )
            audit.record(
                AuditAction.CREATE,
                username="systeem:sso",
                object_type="user",
                object_id=user.pk,
                detail={
                    "sso": True,
                    "username": user.username,
                    "role": role,
                    "organisation": organisation.code,
                },
            )
        self._remember(claims)
        return user

    def update_user(self, user, claims):
        claims = self._identity_claims(claims)
        role, organisation = role_and_organisation(claims)
        before = {
            "role": user.role,
            "organisation": user.organisation.code if user.organisation else "",
        }
        after = {"role": role, "organisation": organisation.code}
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        with transaction.atomic():
            if changed:
                user.role, user.organisation = role, organisation
                user.save(update_fields=["role", "organisation"])
                audit.record(
                    AuditAction.UPDATE,
                    username="systeem:sso",
                    object_type="user",
                    object_id=user.pk,
                    detail={"sso": True, "changed": changed},
                )
            SsoIdentity.objects.filter(user=user).update(last_login_at=timezone.now())
        self._remember(claims)
        return user

    def _remember(self, claims: dict) -> None:
        """What the callback view needs: did the provider do multi-factor authentication?"""
        amr = set(_claim_list(claims.get("amr")))
        acr = str(claims.get("acr") or "")
        mfa = bool(amr & set(settings.OIDC_MFA_AMR)) or (acr and acr in settings.OIDC_MFA_ACR)
        self.request.doorbraak_sso = {"mfa": bool(mfa), "amr": sorted(amr), "acr": acr}
