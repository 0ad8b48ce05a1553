"""Person-centred cases (pillar 1: doorbreken criminele carrières).

The foundation holds the case, the partners taking part and the case's records per data
category, which is what need-to-know access is decided on. Case management proper (entry
decisions, plan, reviews, interventions) builds on these models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.partners.models import DataCategory, Organisation
from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers.models import Person


class CaseKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuele casus")
    FAMILY = "family", _("Gezinscasus")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Lopend")
    CLOSED = "closed", _("Afgesloten")


class Case(models.Model):
    reference = models.CharField(_("zaaknummer"), max_length=20, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=CaseKind.choices, default=CaseKind.INDIVIDUAL)
    case_type = models.ForeignKey(
        ProcessingActivity, verbose_name=_("zaaktype"), on_delete=models.PROTECT, related_name="cases"
    )
    subject = models.ForeignKey(
        Person, verbose_name=_("betrokkene"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("procesregisseur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="directed_cases",
    )
    organisations = models.ManyToManyField(
        Organisation, through="CaseParticipant", verbose_name=_("partners"), related_name="cases"
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("gestart op"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_on", "reference"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")

    def __str__(self) -> str:
        return self.reference


class CaseParticipant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    since = models.DateField(_("sinds"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="unique_case_participant")]


class CaseRecord(models.Model):
    """One fact on the case's life-course timeline, in one data category, from one partner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    category = models.CharField(_("categorie"), max_length=20, choices=DataCategory.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("datum"))
    title = models.CharField(_("onderwerp"), max_length=200)
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("casusgegeven")
        verbose_name_plural = _("casusgegevens")
