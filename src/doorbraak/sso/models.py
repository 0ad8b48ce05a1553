"""Single sign-on with OpenID Connect: which identity an account is, and how an administrator
maps the identity provider's groups to a role and organisation in Doorbraak."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.partners.models import Role


class SsoIdentity(models.Model):
    """The identity provider's subject (`iss` + `sub`) an account logs in as. Accounts are found
    by it, never by e-mail address (which a provider may let its users change)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity"
    )
    issuer = models.CharField(_("identiteitsprovider"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_subject")
        ]
        verbose_name = _("SSO-identiteit")
        verbose_name_plural = _("SSO-identiteiten")

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"


class SsoGroupMapping(models.Model):
    """A group the identity provider names (in the groups claim) gives this role in this
    organisation. Kept by the administrator (Django admin)."""

    group = models.CharField(_("groep bij de identiteitsprovider"), max_length=200, unique=True)
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "partners.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["group"]
        verbose_name = _("SSO-groepskoppeling")
        verbose_name_plural = _("SSO-groepskoppelingen")

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}, {self.organisation}"
