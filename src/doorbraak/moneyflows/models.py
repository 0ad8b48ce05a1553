"""Sector vulnerability figures from the bank pilot (pillar 2: doorbreken criminele geldstromen).

Only aggregates arrive here: the analysis runs at the bank's side (compute-to-data) and hands
over per SBI sector, area and period the share of accounts and amounts in laundering patterns,
with counts under 5 already suppressed. Each set is stored with its data date and the rule-set
version that produced it, ready to serve as the sector indicator of the area risk picture."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.privacy.models import ProcessingActivity


class SectorFigureSet(models.Model):
    source = models.ForeignKey(
        ProcessingActivity, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+"
    )
    data_date = models.DateField(_("peildatum gegevens"))
    ruleset_version = models.CharField(_("versie regels"), max_length=40)
    file_name = models.CharField(_("bestand"), max_length=255)
    content_hash = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(_("ingelezen op"), auto_now_add=True)
    loaded_by = models.CharField(_("ingelezen door"), max_length=150)

    class Meta:
        ordering = ["-data_date", "-loaded_at"]
        verbose_name = _("set sectorcijfers")


class SectorFigure(models.Model):
    """One line of the published table; suppressed values are empty, counts may read "<5"."""

    figure_set = models.ForeignKey(
        SectorFigureSet, on_delete=models.CASCADE, related_name="figures"
    )
    period = models.CharField(_("periode"), max_length=10, db_index=True)
    sbi = models.CharField(_("SBI-code"), max_length=6, db_index=True)
    sector_name = models.CharField(_("sector"), max_length=200, blank=True)
    area = models.CharField(_("gebied"), max_length=60, db_index=True)
    accounts = models.CharField(_("rekeningen"), max_length=12)
    accounts_in_patterns = models.CharField(_("rekeningen in patronen"), max_length=12)
    account_share = models.FloatField(null=True)
    account_share_low = models.FloatField(null=True)
    account_share_high = models.FloatField(null=True)
    amount_eur = models.FloatField(null=True)
    amount_in_patterns_eur = models.FloatField(null=True)
    amount_share = models.FloatField(null=True)
    amount_share_low = models.FloatField(null=True)
    amount_share_high = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    change_pp = models.FloatField(_("verandering (procentpunt)"), null=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["period", "rank", "sbi", "area"]
