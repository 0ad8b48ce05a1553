"""Audit log of every read and write of personal data: append-only and hash-chained.

An entry is written at once, unchained (no lock: its id is its place in the order of writing);
a single sequencer (services.chain_pending) then gives it its place in the chain (`chain_seq`)
and fills in `prev_hash` and `entry_hash`. The database triggers allow exactly that one update
(hash fields of a not-yet-chained row, nothing else) and refuse every other change."""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("inzien")
    CREATE = "create", _("aanmaken")
    UPDATE = "update", _("wijzigen")
    DELETE = "delete", _("verwijderen")
    DENY = "deny", _("toegang geweigerd")
    EXPORT = "export", _("exporteren")
    REVEAL = "reveal", _("identiteit onthuld")
    ANONYMISE = "anonymise", _("geanonimiseerd")
    LOGIN = "login", _("aangemeld")
    LOGIN_FAILED = "login_failed", _("aanmelden mislukt")


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    occurred_at = models.DateTimeField(_("tijdstip"), db_index=True)
    username = models.CharField(_("gebruiker"), max_length=150, db_index=True)
    organisation = models.CharField(_("organisatie"), max_length=40, blank=True)
    role = models.CharField(_("rol"), max_length=30, blank=True)
    purpose = models.CharField(_("doel"), max_length=40, blank=True, db_index=True)
    action = models.CharField(
        _("handeling"), max_length=20, choices=AuditAction.choices, db_index=True
    )
    object_type = models.CharField(_("objecttype"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True, db_index=True)
    data_categories = models.CharField(_("gegevenscategorieën"), max_length=200, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True)
    ip_address = models.CharField(_("IP-adres"), max_length=45, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(_("pad"), max_length=500, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    # Filled in once by the sequencer; empty while the entry is not yet chained.
    chain_seq = models.BigIntegerField(_("plaats in de keten"), null=True, blank=True, unique=True)
    # NULL (not "") until the sequencer chains the entry, like entry_hash, whose unique index
    # needs NULLs: many entries are unchained at once.
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    entry_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(entry_hash__isnull=True),
                name="audit_entry_unchained",
            ),
        ]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def canonical(self) -> bytes:
        payload = {
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "username": self.username,
            "organisation": self.organisation,
            "role": self.role,
            "purpose": self.purpose,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "data_categories": self.data_categories,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "method": self.method,
            "path": self.path,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class ChainHead(models.Model):
    """Single row with the end of the chain: only the sequencer writes it (it exposes truncation)."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_entry_id = models.BigIntegerField(null=True)
    last_seq = models.BigIntegerField(default=0)
