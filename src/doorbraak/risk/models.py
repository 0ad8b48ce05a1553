"""The area risk picture: rule sets (versioned, stored as YAML), runs of the rule set over a
snapshot of the registers, and their results per premises and company (never per person)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    ADOPTED = "adopted", _("vastgesteld (in gebruik)")
    RETIRED = "retired", _("buiten gebruik")


class RuleSet(models.Model):
    """One version of the indicator rule set (``doorbraak_analysis/risk/rules.yaml`` format).
    At most one is adopted at a time: the live rule set every new run uses."""

    version = models.CharField(_("versie"), max_length=40, unique=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    yaml = models.TextField(_("regels (YAML)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_by = models.CharField(_("ingediend door"), max_length=150)
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    adopted_by = models.CharField(_("vastgesteld door"), max_length=150, blank=True)
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    retired_at = models.DateTimeField(_("buiten gebruik sinds"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("regelset")
        verbose_name_plural = _("regelsets")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="adopted"),
                name="risk_one_adopted_rule_set",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.get_status_display()})"

    def parsed(self):
        """The rule set as ``doorbraak_analysis.risk.rules.RuleSet`` (validated)."""
        import yaml as pyyaml

        from doorbraak_analysis.risk.rules import parse_rules

        return parse_rules(pyyaml.safe_load(self.yaml), self.yaml, f"regelset {self.version}")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class RiskRun(models.Model):
    """One evaluation of a rule set over a snapshot of the register tables, kept so the picture
    it gave can be reproduced exactly: the rule set (and its hash), every parameter and weight,
    the evaluation date, and the SHA-256 and row count of each snapshot file."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("regelset"), on_delete=models.PROTECT, related_name="runs"
    )
    rules_version = models.CharField(_("versie regelset"), max_length=40)
    rules_sha256 = models.CharField(_("SHA-256 regelset"), max_length=64)
    parameters = models.JSONField(_("parameters en gewichten"), default=dict, blank=True)
    as_of = models.DateField(_("peildatum"))
    snapshot_path = models.CharField(
        _("momentopname (map onder DOORBRAAK_VAR_DIR)"), max_length=300, blank=True
    )
    snapshot = models.JSONField(
        _("momentopname: bestand, SHA-256 en rijen per bron"), default=dict, blank=True
    )
    snapshot_removed_at = models.DateTimeField(
        _("momentopname verwijderd (bewaartermijn)"), null=True, blank=True
    )
    not_evaluated = models.JSONField(_("niet geëvalueerd"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    started_by = models.CharField(_("gestart door"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gestart door (gebruiker)"),
    )
    job = models.ForeignKey(
        "jobs.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("achtergrondtaak"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    results_sha256 = models.CharField(_("SHA-256 van de uitkomst"), max_length=64, blank=True)
    code_version = models.CharField(_("versie analysecode"), max_length=40, blank=True)
    error = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["-as_of", "-created_at", "-id"]
        verbose_name = _("risicorun")
        verbose_name_plural = _("risicoruns")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.rules_version}, {self.as_of})"


class ObjectType(models.TextChoices):
    PREMISES = "premises", _("pand")
    COMPANY = "company", _("bedrijf")


class RiskResult(models.Model):
    """A premises (BAG id) or company (KvK number) on which at least one indicator fired.

    ``indicators``: a list of ``{id, value, weight, sources, via}``: ``sources`` are the source
    records behind it (``{source, record, row}``: source type, record key, row in the snapshot
    file), ``via`` the KvK numbers through which a company indicator counts at a premises."""

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="results")
    object_type = models.CharField(_("soort"), max_length=10, choices=ObjectType.choices)
    object_id = models.CharField(_("BAG-id of KvK-nummer"), max_length=16)
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(_("rang"), default=0)
    indicators = models.JSONField(_("indicatoren"), default=list)
    # where and what, copied at run time for the filters and the fairness figures
    wijk = models.CharField(_("wijk"), max_length=20, blank=True, db_index=True)
    area = models.CharField(_("gebied"), max_length=60, blank=True, db_index=True)
    sbi_code = models.CharField(_("SBI-code"), max_length=6, blank=True)
    label = models.CharField(_("naam of adres"), max_length=200, blank=True)

    class Meta:
        ordering = ["run", "-score", "object_type", "object_id"]
        verbose_name = _("risico-uitkomst")
        verbose_name_plural = _("risico-uitkomsten")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "object_type", "object_id"], name="risk_result_unique_object"
            )
        ]
        indexes = [models.Index(fields=["run", "object_type", "-score"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}: {self.score:g}"

    @property
    def indicator_ids(self) -> list[str]:
        return [i["id"] for i in self.indicators]
