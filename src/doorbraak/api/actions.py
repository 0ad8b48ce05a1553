"""Issuing and revoking API tokens for partner systems: each an audited write."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

from .models import ApiToken, hash_token, new_raw_token

MAX_DAYS = 366


def issue_token(
    *, user, covenant, name: str, days: int = 90, issued_by: str
) -> tuple[ApiToken, str]:
    """A new token for the service account `user`, bound to its organisation and `covenant`.
    Returns the token and its secret, which is shown once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"a token is valid 1 to {MAX_DAYS} days, not {days}")
    if not policy.may_hold_api_token(user):
        raise ValidationError(
            f"{user.username} may not hold an API token (superusers, staff, administrators and "
            "privacy officers never do; the account needs an organisation)"
        )
    if not covenant.grants.filter(organisation=user.organisation).exists():
        raise ValidationError(
            f"{user.organisation} is not a party to the covenant {covenant} (no grant in it)"
        )
    if not covenant.in_force():
        raise ValidationError(f"the covenant {covenant} is not in force")
    raw = new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            user=user,
            organisation=user.organisation,
            covenant=covenant,
            prefix=raw[:12],
            key_hash=hash_token(raw),
            created_by=issued_by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            AuditAction.CREATE,
            username=issued_by,
            object_type="api_token",
            object_id=token.pk,
            detail={
                "name": name,
                "account": user.username,
                "organisation": user.organisation.code,
                "covenant": covenant.pk,
                "expires_at": token.expires_at.isoformat(),
                "prefix": token.prefix,
            },
        )
    return token, raw


def revoke_token(token: ApiToken, *, revoked_by: str) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = revoked_by
            token.save(update_fields=["revoked_at", "revoked_by"])
            audit.record(
                AuditAction.UPDATE,
                username=revoked_by,
                object_type="api_token",
                object_id=token.pk,
                detail={"revoked": True, "prefix": token.prefix},
            )
    return token
