"""Enforcement, decided by people: actions on premises and companies, their findings, the
administrative decisions (besluiten) that may follow, objections against them, and the reach of
trainings for entrepreneurs. No indicator ever starts anything here: every action has a human
planner and a recorded reason; the risk result it was planned from is kept only as context (and to
learn from: the fired indicators and rule-set version are copied at planning time)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectType(models.TextChoices):
    PREMISES = "premises", _("pand")
    COMPANY = "company", _("bedrijf")


class ActionType(models.TextChoices):
    KNOCK_AND_TALK = "knock_and_talk", _("Knock and Talk-bezoek")
    INTEGRATED_CONTROL = "integrated_control", _("integrale controle met partners")
    PERMIT_CHECK = "permit_check", _("vergunningcontrole")
    DOR_CHECK = "dor_check", _("controle opkopersregister (DOR)")
    BRP_CHECK = "brp_check", _("adrescontrole BRP")
    BIBOB = "bibob", _("Bibob-onderzoek")
    CLOSURE_13B = "closure_13b", _("sluiting Opiumwet 13b")
    CLOSURE_APV = "closure_apv", _("sluiting Gemeentewet/APV")
    AREA_BAN = "area_ban", _("gebiedsverbod")


class Outcome(models.TextChoices):
    NOTHING_FOUND = "nothing_found", _("niets gevonden")
    IRREGULARITIES = "irregularities", _("onregelmatigheden gevonden")


class Irregularity(models.TextChoices):
    """The fixed list of what an action can find (free text beside it)."""

    NO_PERMIT = "no_permit", _("geen (geldige) vergunning")
    PERMIT_CONDITIONS = "permit_conditions", _("vergunningvoorschriften overtreden")
    DOR_NOT_KEPT = "dor_not_kept", _("opkopersregister niet of onjuist bijgehouden")
    ADDRESS_FRAUD = "address_fraud", _("onjuiste inschrijving BRP (adresfraude)")
    DRUGS = "drugs", _("drugs of drugsgerelateerde goederen aangetroffen")
    STRAW_MAN = "straw_man", _("aanwijzingen voor stroman of katvanger")
    CASH = "cash", _("grote contante geldbedragen")
    ADMINISTRATION = "administration", _("administratie ontbreekt of klopt niet")
    USE_MISMATCH = "use_mismatch", _("gebruik in strijd met bestemming")
    FIRE_SAFETY = "fire_safety", _("brandveiligheid")
    LABOUR = "labour", _("illegale tewerkstelling")
    OTHER = "other", _("anders (zie toelichting)")


class BibobOutcome(models.TextChoices):
    NO_DANGER = "no_danger", _("geen gevaar")
    LESSER_DANGER = "lesser_danger", _("mindere mate van gevaar (voorwaarden)")
    SERIOUS_A = "serious_a", _("ernstig gevaar (a-grond)")
    SERIOUS_B = "serious_b", _("ernstig gevaar (b-grond)")


class UserArea(models.Model):
    """The areas an enforcement officer works in (area codes: focus areas or wijken). An officer
    without any row works in all focus areas (the default of the demo)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enforcement_areas"
    )
    area_code = models.CharField(_("gebied"), max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "area_code"], name="userarea_unique")
        ]
        verbose_name = _("werkgebied")
        verbose_name_plural = _("werkgebieden")

    def __str__(self) -> str:
        return f"{self.user} · {self.area_code}"


class Action(models.Model):
    """An enforcement action on a premises or a company, planned by a person with a reason."""

    object_type = models.CharField(_("soort object"), max_length=10, choices=ObjectType.choices)
    premises = models.ForeignKey(
        "registers.Premises",
        verbose_name=_("pand"),
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
    )
    company = models.ForeignKey(
        "registers.Company",
        verbose_name=_("bedrijf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_actions",
    )
    area_code = models.CharField(_("gebied"), max_length=60, db_index=True, blank=True)
    wijk = models.CharField(_("wijk"), max_length=40, blank=True)
    action_type = models.CharField(_("soort actie"), max_length=30, choices=ActionType.choices)
    reason = models.TextField(_("reden"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepland door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_on = models.DateField(_("gepland op"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegewezen aan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Context at planning time (never the cause: a person planned this, for the reason above).
    risk_result = models.ForeignKey(
        "risk.RiskResult",
        verbose_name=_("gepland vanuit risicoresultaat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enforcement_actions",
    )
    rule_set_version = models.CharField(_("versie regelset"), max_length=40, blank=True)
    fired_indicators = models.JSONField(_("indicatoren bij planning"), default=list, blank=True)
    score_at_planning = models.FloatField(_("score bij planning"), null=True, blank=True)
    carried_out_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    outcome = models.CharField(_("bevinding"), max_length=20, choices=Outcome.choices, blank=True)
    irregularities = models.JSONField(_("onregelmatigheden"), default=list, blank=True)
    findings_note = models.TextField(_("toelichting bevindingen"), blank=True)
    bibob_outcome = models.CharField(
        _("Bibob-uitkomst"), max_length=20, choices=BibobOutcome.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["action_type", "carried_out_on"])]
        verbose_name = _("handhavingsactie")
        verbose_name_plural = _("handhavingsacties")

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} {self.object_id}"

    @property
    def object_id(self) -> str:
        if self.object_type == ObjectType.COMPANY and self.company_id:
            return self.company.kvk_number
        return self.premises.bag_id

    @property
    def status(self) -> str:
        if self.outcome:
            return "recorded"
        if self.carried_out_on:
            return "carried_out"
        return "assigned" if self.assigned_to_id else "planned"

    def irregularity_labels(self) -> list[str]:
        labels = dict(Irregularity.choices)
        return [str(labels.get(code, code)) for code in self.irregularities]


class PremisesKind(models.TextChoices):
    """The kind of premises the escalation ladder distinguishes (Utrecht's 13b policy)."""

    DWELLING = "woning", _("woning")
    BUSINESS = "lokaal", _("bedrijfspand of lokaal")
    HORECA = "horeca", _("horeca of publiek toegankelijk lokaal")


class EscalationStep(models.Model):
    """One step of the escalation ladder for closures, per kind of premises: the n-th closure
    (previous closures at the premises + 1) proposes this step. Editable by the administrator
    (Django admin); seeded with the steps of Utrecht's 13b policy (warning, 3, 6, 12 months)."""

    premises_kind = models.CharField(_("soort pand"), max_length=10, choices=PremisesKind.choices)
    number = models.PositiveSmallIntegerField(_("stap"))
    months = models.PositiveSmallIntegerField(_("duur sluiting (maanden)"), default=0)
    label = models.CharField(_("omschrijving"), max_length=120)

    class Meta:
        ordering = ["premises_kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["premises_kind", "number"], name="escalation_unique")
        ]
        verbose_name = _("escalatiestap")
        verbose_name_plural = _("escalatieladder")

    def __str__(self) -> str:
        return f"{self.get_premises_kind_display()} {self.number}: {self.label}"

    @property
    def is_warning(self) -> bool:
        return self.months == 0


class DecisionType(models.TextChoices):
    CLOSURE_13B = "closure_13b", _("sluiting (Opiumwet art. 13b)")
    CLOSURE_GEMEENTEWET = "closure_gemeentewet", _("sluiting (Gemeentewet art. 174/174a)")
    CLOSURE_APV = "closure_apv", _("sluiting (APV)")
    WARNING = "warning", _("waarschuwing")
    AREA_BAN = "area_ban", _("gebiedsverbod")
    BIBOB_REFUSAL = "bibob_refusal", _("weigering of intrekking vergunning (Wet Bibob)")
    BIBOB_CONDITIONS = "bibob_conditions", _("vergunning onder voorwaarden (Wet Bibob)")
    PERMIT_REFUSAL = "permit_refusal", _("weigering vergunning (APV)")
    PENALTY = "penalty", _("last onder dwangsom")


CLOSURE_TYPES = frozenset(
    {DecisionType.CLOSURE_13B, DecisionType.CLOSURE_GEMEENTEWET, DecisionType.CLOSURE_APV}
)
# A second person approves these before they are issued (four eyes).
FOUR_EYES_TYPES = CLOSURE_TYPES | {DecisionType.AREA_BAN}


class LegalBasis(models.TextChoices):
    OPIUMWET_13B = "opiumwet_13b", _("Opiumwet art. 13b")
    GEMEENTEWET_174 = "gemeentewet_174", _("Gemeentewet art. 174")
    GEMEENTEWET_174A = "gemeentewet_174a", _("Gemeentewet art. 174a")
    GEMEENTEWET_172 = "gemeentewet_172", _("Gemeentewet art. 172")
    APV = "apv", _("APV (artikel vermelden)")
    BIBOB = "bibob", _("Wet Bibob art. 3")
    AWB_5_32 = "awb_5_32", _("Awb art. 5:32 (last onder dwangsom)")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("voorgesteld")
    APPROVED = "approved", _("goedgekeurd")
    ISSUED = "issued", _("genomen en bekendgemaakt")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class Decision(models.Model):
    """An administrative decision (besluit) on a premises or company."""

    object_type = models.CharField(_("soort object"), max_length=10, choices=ObjectType.choices)
    premises = models.ForeignKey(
        "registers.Premises",
        verbose_name=_("pand"),
        on_delete=models.PROTECT,
        related_name="enforcement_decisions",
    )
    company = models.ForeignKey(
        "registers.Company",
        verbose_name=_("bedrijf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_decisions",
    )
    area_code = models.CharField(_("gebied"), max_length=60, db_index=True, blank=True)
    action = models.ForeignKey(
        Action,
        verbose_name=_("naar aanleiding van"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decision_type = models.CharField(
        _("soort besluit"), max_length=30, choices=DecisionType.choices
    )
    legal_basis = models.CharField(
        _("wettelijke grondslag"), max_length=30, choices=LegalBasis.choices
    )
    legal_basis_detail = models.CharField(
        _("artikel (bijv. APV art. 2:30)"), max_length=120, blank=True
    )
    summary = models.TextField(_("inhoud en motivering"))
    # closures: the escalation step (proposed from previous closures) and the proportionality test
    escalation_step = models.ForeignKey(
        EscalationStep,
        verbose_name=_("escalatiestap"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_months = models.PositiveSmallIntegerField(_("duur (maanden)"), null=True, blank=True)
    proportionality_suitable = models.TextField(_("geschiktheid"), blank=True)
    proportionality_necessary = models.TextField(_("noodzakelijkheid"), blank=True)
    proportionality_balanced = models.TextField(_("evenwichtigheid"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField(_("voorgesteld op"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("goedgekeurd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("goedgekeurd op"), null=True, blank=True)
    decision_date = models.DateField(_("datum besluit"), null=True, blank=True)
    announced_on = models.DateField(_("verzonden of bekendgemaakt op"), null=True, blank=True)
    objection_deadline = models.DateField(_("bezwaartermijn eindigt"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self) -> str:
        return f"{self.get_decision_type_display()} {self.premises.bag_id}"

    @property
    def needs_four_eyes(self) -> bool:
        return self.decision_type in FOUR_EYES_TYPES

    @property
    def is_closure(self) -> bool:
        return self.decision_type in CLOSURE_TYPES


class ObjectionOutcome(models.TextChoices):
    UNFOUNDED = "ongegrond", _("ongegrond")
    FOUNDED = "gegrond", _("gegrond")
    INADMISSIBLE = "niet_ontvankelijk", _("niet-ontvankelijk")
    WITHDRAWN = "ingetrokken", _("ingetrokken")


class Objection(models.Model):
    """An objection (bezwaar) against a decision: when it came in, whether in time, and how it ended."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("ontvangen op"))
    in_time = models.BooleanField(_("tijdig"))
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=ObjectionOutcome.choices, blank=True
    )
    outcome_on = models.DateField(_("datum uitkomst"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")


class TrainingSession(models.Model):
    """A training session for entrepreneurs in an area (e.g. recognising criminal approaches), as
    counts only: no names or other personal data of the participants."""

    area_code = models.CharField(_("gebied"), max_length=60, db_index=True)
    held_on = models.DateField(_("datum"))
    title = models.CharField(_("onderwerp"), max_length=200)
    participants = models.PositiveIntegerField(_("aantal deelnemers"))
    businesses = models.PositiveIntegerField(_("aantal bedrijven vertegenwoordigd"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training voor ondernemers")
        verbose_name_plural = _("trainingen voor ondernemers")
