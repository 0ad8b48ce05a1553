"""Entity resolution over the registers (issue 4): runs, stable entity ids per record, the
review queue and the analysts' judgements (kept as data and passed to every later run)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    PERSON = "person", _("persoon")
    COMPANY = "company", _("bedrijf")


class Verdict(models.TextChoices):
    SAME = "same", _("dezelfde")
    NOT_SAME = "not_same", _("niet dezelfde")
    UNSURE = "unsure", _("twijfel")


def record_key(record_type: str, pk: int) -> str:
    """The record id the linkage library sees: ``person-12``, ``company-7``."""
    return f"{record_type}-{pk}"


def parse_record_key(key: str) -> tuple[str, int]:
    record_type, _, pk = key.partition("-")
    return record_type, int(pk)


class LinkageRun(models.Model):
    entity_type = models.CharField(
        _("soort"), max_length=10, choices=EntityType.choices, db_index=True
    )
    link_threshold = models.FloatField(_("drempel koppelen"), default=0.9)
    review_threshold = models.FloatField(_("drempel beoordelen"), default=0.5)
    model_json = models.TextField(_("model (JSON)"), blank=True)
    started_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    started_by = models.CharField(_("door"), max_length=150)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    entity_count = models.PositiveIntegerField(_("entiteiten"), default=0)
    review_count = models.PositiveIntegerField(_("te beoordelen"), default=0)
    judgement_count = models.PositiveIntegerField(_("oordelen gebruikt"), default=0)
    refused_merges = models.JSONField(
        _("door oordelen geweigerde koppelingen"), default=list, blank=True
    )
    incremental = models.BooleanField(
        _("incrementeel"),
        default=False,
        help_text=_(
            "Alleen nieuwe en gewijzigde records gekoppeld aan de bestaande entiteiten, met het model van "
            "de basisrun."
        ),
    )
    base_run = models.ForeignKey(
        "self",
        verbose_name=_("basisrun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "De volledige run waarvan het model is gebruikt (alleen bij incrementele runs)."
        ),
    )
    new_record_count = models.PositiveIntegerField(_("nieuw of gewijzigd gekoppeld"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("koppelrun")
        verbose_name_plural = _("koppelruns")

    def __str__(self) -> str:
        kind = " incrementeel" if self.incremental else ""
        return f"#{self.pk} {self.entity_type}{kind} {self.started_at:%Y-%m-%d %H:%M}"


class EntityAssignment(models.Model):
    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="assignments")
    record_type = models.CharField(_("soort record"), max_length=10, choices=EntityType.choices)
    record_id = models.PositiveBigIntegerField(_("record-id"))
    entity_id = models.CharField(_("entiteit"), max_length=64, db_index=True)

    class Meta:
        ordering = ["run", "entity_id", "record_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "record_type", "record_id"], name="entityassignment_unique_record"
            )
        ]
        verbose_name = _("toewijzing aan entiteit")
        verbose_name_plural = _("toewijzingen aan entiteiten")

    def __str__(self) -> str:
        return f"{self.key} -> {self.entity_id}"

    @property
    def key(self) -> str:
        return record_key(self.record_type, self.record_id)


class PairState(models.TextChoices):
    OPEN = "open", _("open")
    DECIDED = "decided", _("beoordeeld")


class Judgement(models.Model):
    """An analyst's verdict on one pair of records. Never changed; withdrawn by ``deleted_at``."""

    entity_type = models.CharField(_("soort"), max_length=10, choices=EntityType.choices)
    left_record = models.CharField(_("record links"), max_length=40)
    right_record = models.CharField(_("record rechts"), max_length=40)
    verdict = models.CharField(_("oordeel"), max_length=10, choices=Verdict.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("gegeven op"))
    deleted_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["left_record", "right_record"])]
        verbose_name = _("oordeel")
        verbose_name_plural = _("oordelen")

    def __str__(self) -> str:
        return f"{self.left_record} {self.verdict} {self.right_record}"


class ReviewPair(models.Model):
    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="review_pairs")
    left_record = models.CharField(_("record links"), max_length=40)
    right_record = models.CharField(_("record rechts"), max_length=40)
    match_probability = models.FloatField(_("kans op dezelfde"))
    explanation = models.JSONField(_("uitleg"), default=dict)
    state = models.CharField(
        _("status"), max_length=10, choices=PairState.choices, default=PairState.OPEN, db_index=True
    )
    judgement = models.ForeignKey(
        Judgement, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )

    class Meta:
        ordering = ["-match_probability", "id"]
        verbose_name = _("te beoordelen paar")
        verbose_name_plural = _("te beoordelen paren")

    def __str__(self) -> str:
        return f"{self.left_record} ~ {self.right_record} ({self.match_probability:.2f})"
