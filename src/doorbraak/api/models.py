"""API tokens for partner systems (machine clients).

A token belongs to one account of an organisation (a service account, never a superuser or an
administrator) and is bound to a covenant the organisation is a party to: it works only while
that covenant is in force, the organisation takes part in it and is active, the account is active
and in that organisation, and the token is neither expired nor revoked. What the client may then
see is what the account's role and organisation may see, through the policy layer as always.

Only a hash of the token is stored (SHA-256 of 32 random bytes: a secret of that strength needs no
slow hash); the token itself is shown once, when it is issued."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "dbk_"  # noqa: S105 - the visible start of every token, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    name = models.CharField(
        _("naam"), max_length=100, help_text=_("Welk systeem de sleutel gebruikt")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    covenant = models.ForeignKey(
        "partners.Covenant",
        verbose_name=_("convenant"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    # The first characters, to recognise a token in lists and logs; never enough to use it.
    prefix = models.CharField(_("begin van de sleutel"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("uitgegeven op"), default=timezone.now)
    created_by = models.CharField(_("uitgegeven door"), max_length=150)
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.CharField(_("ingetrokken door"), max_length=150, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def refusal(self, now=None) -> str:
        """Why the token does not work now ("" when it does)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if not self.organisation.active:
            return "organisation inactive"
        if not self.covenant.in_force(timezone.localdate(now)):
            return "covenant not in force"
        if not self.covenant.grants.filter(organisation=self.organisation).exists():
            return "organisation not in the covenant"
        user = self.user
        if not user.is_active or user.organisation_id != self.organisation_id:
            return "account inactive or of another organisation"
        from doorbraak import policy

        if not policy.may_hold_api_token(user):
            return "account may not hold an API token"
        return ""
