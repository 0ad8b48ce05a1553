"""Monitoring: what the approach does and achieves, in aggregates only.

Two things are stored here, and neither holds personal data: the reach of prevention activities
(counts per school or location, wijk and period, registered by programme owners) and the short
text per pillar that policy staff write for a council report (per period)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreventionKind(models.TextChoices):
    KAPOT_STERK = "kapot_sterk", _("Kapot Sterk-les (basisschool)")
    YOUTH_WORK = "youth_work", _("Jongerenwerk")
    BUURTTEAM = "buurtteam", _("Buurtteam")
    OTHER = "other", _("Andere preventieactiviteit")


class PreventionActivity(models.Model):
    """Reach of a prevention activity in one period at one school or location: counts only."""

    kind = models.CharField(_("soort activiteit"), max_length=20, choices=PreventionKind.choices)
    location = models.CharField(_("school of locatie"), max_length=200)
    wijk = models.CharField(_("wijk"), max_length=40, db_index=True)  # an areas wijk code
    area = models.CharField(_("focusgebied"), max_length=60, blank=True, db_index=True)
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    sessions = models.PositiveIntegerField(_("aantal lessen of bijeenkomsten"))
    participants = models.PositiveIntegerField(_("bereik (aantal deelnemers)"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "wijk", "location"]
        verbose_name = _("preventieactiviteit")
        verbose_name_plural = _("preventieactiviteiten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.location} ({self.period_start:%Y-%m})"


class Pillar(models.TextChoices):
    CAREERS = "careers", _("Doorbreken criminele carrières")
    MONEY = "money", _("Doorbreken criminele geldstromen")
    PREVENTION = "prevention", _("Preventie")


class PillarText(models.Model):
    """The short text per pillar that policy staff write for the council report of a period."""

    pillar = models.CharField(_("pijler"), max_length=20, choices=Pillar.choices)
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    text = models.TextField(_("tekst"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        ordering = ["period_start", "pillar"]
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "period_start", "period_end"], name="one_text_per_pillar_period"
            )
        ]
        verbose_name = _("tekst per pijler")
        verbose_name_plural = _("teksten per pijler")


class StoredCube(models.Model):
    """The protected figures of the whole history, computed in advance (figures.compute_cube)
    so that no reader waits for the disclosure control: per figure and quarter every area ×
    category with its status (shown, `<5`, `x`) and its count (the counts are needed to sum
    quarters into a period; what may be shown follows from the status). Aggregates only: no
    case, person or record. With when, by what and from which data it was made."""

    made_at = models.DateTimeField(_("berekend op"), db_index=True)
    first_quarter = models.DateField(_("eerste kwartaal"))
    last_quarter = models.DateField(_("laatste kwartaal"))
    signature = models.CharField(_("definities (SHA-256)"), max_length=64)
    counts_sha256 = models.CharField(_("tellingen (SHA-256)"), max_length=64, blank=True)
    sources = models.JSONField(_("bronnen"), default=dict)
    cells = models.JSONField(_("beschermde cellen"), default=dict)
    sectors = models.JSONField(_("sectorcijfers bank"), null=True, blank=True)
    made_by = models.CharField(_("berekend door"), max_length=150)
    seconds = models.FloatField(_("rekentijd (seconden)"), null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("vooraf berekende monitoringcijfers")
        verbose_name_plural = _("vooraf berekende monitoringcijfers")

    def __str__(self) -> str:
        return f"{self.first_quarter}–{self.last_quarter} ({self.made_at:%Y-%m-%d %H:%M})"
