"""Verwerkingsregister (AVG art. 30): every data source and case type with its purpose,
legal basis and retention; and the runs of the retention job."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.partners.models import DataCategory, Organisation, Purpose


class ActivityKind(models.TextChoices):
    SOURCE = "source", _("Gegevensbron")
    CASE_TYPE = "case_type", _("Zaaktype")
    ANALYSIS = "analysis", _("Analyse")


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("verwijderen")
    ANONYMISE = "anonymise", _("anonimiseren")


class ProcessingActivity(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=ActivityKind.choices)
    controller = models.ForeignKey(
        Organisation,
        verbose_name=_("verantwoordelijke / eigenaar"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    purpose = models.ForeignKey(
        Purpose, verbose_name=_("doel"), on_delete=models.PROTECT, related_name="activities"
    )
    legal_basis = models.TextField(_("grondslag"))
    data_categories = models.JSONField(_("gegevenscategorieën"), default=list)
    retention_days = models.PositiveIntegerField(_("bewaartermijn (dagen)"))
    retention_action = models.CharField(
        _("na de bewaartermijn"),
        max_length=20,
        choices=RetentionAction.choices,
        default=RetentionAction.DELETE,
    )
    retention_trigger = models.CharField(
        _("bewaartermijn loopt vanaf"),
        max_length=200,
        help_text=_("bijv. 'sluiting van de zaak', 'laatste levering'"),
    )
    recipients = models.TextField(_("ontvangers"), blank=True)
    refreshed_on = models.DateField(_("laatst ververst"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingsregister")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.data_categories) - set(DataCategory.values)
        if unknown:
            raise ValidationError(
                {"data_categories": _("Onbekende categorie: %s") % ", ".join(sorted(unknown))}
            )

    def expires_before(self, today: date) -> date:
        """Records whose retention clock started before this date have expired."""
        return today - timedelta(days=self.retention_days)

    @property
    def categories_display(self) -> str:
        return ", ".join(
            str(DataCategory(c).label) for c in self.data_categories if c in DataCategory.values
        )


class RetentionRun(models.Model):
    ran_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField(_("peildatum"))
    run_by = models.CharField(max_length=150)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("bewaartermijnrun")
