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


class ExitReason(models.TextChoices):
    """Why a case ended, recorded at exit (the review that closes the case). NOT_RECORDED is for
    cases closed before the reason was asked; it cannot be chosen at a new exit."""

    GOALS_REACHED = "goals_reached", _("Doelen bereikt")
    REGULAR_CARE = "regular_care", _("Overgedragen aan reguliere zorg")
    MOVED = "moved", _("Verhuisd buiten de gemeente")
    DETENTION = "detention", _("Detentie")
    NO_COOPERATION = "no_cooperation", _("Wil niet meer meewerken")
    OTHER = "other", _("Anders")
    NOT_RECORDED = "not_recorded", _("Niet geregistreerd")


# The reasons a case director can choose at exit (not "not recorded").
EXIT_REASON_CHOICES = [
    (v, label) for v, label in ExitReason.choices if v != ExitReason.NOT_RECORDED
]


class RecordKind(models.TextChoices):
    SCHOOL = "school", _("School")
    WORK = "work", _("Werk")
    DEBTS = "debts", _("Schulden")
    POLICE = "police", _("Politiecontact")
    DETENTION_IN = "detention_in", _("Detentie (in)")
    DETENTION_OUT = "detention_out", _("Detentie (uit)")
    INTERVENTION = "intervention", _("Interventie")
    MOVE = "move", _("Verhuizing")
    OTHER = "other", _("Overig")


class Case(models.Model):
    reference = models.CharField(_("zaaknummer"), max_length=20, unique=True)
    kind = models.CharField(
        _("soort"), max_length=20, choices=CaseKind.choices, default=CaseKind.INDIVIDUAL
    )
    case_type = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("zaaktype"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    subject = models.ForeignKey(
        Person,
        verbose_name=_("betrokkene"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
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
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("gestart op"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reden van uitstroom"), max_length=20, choices=ExitReason.choices, blank=True, default=""
    )
    summary = models.TextField(_("samenvatting"), blank=True)
    anonymised = models.BooleanField(default=False)
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regiehouder (lead professional)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_cases",
    )
    contact_cadence_days = models.PositiveSmallIntegerField(
        _("contactfrequentie (dagen)"), default=14
    )
    inclusion_end = models.DateField(_("einddatum opname"), null=True, blank=True)
    next_review_due = models.DateField(_("volgende toets uiterlijk"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "reference"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")

    def __str__(self) -> str:
        return self.reference


class CaseParticipant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    since = models.DateField(_("sinds"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="unique_case_participant")
        ]


class CaseRecord(models.Model):
    """One fact on the case's life-course timeline, in one data category, from one partner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    category = models.CharField(_("categorie"), max_length=20, choices=DataCategory.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("datum"))
    title = models.CharField(_("onderwerp"), max_length=200)
    text = models.TextField(_("toelichting"), blank=True)
    kind = models.CharField(
        _("soort"), max_length=20, choices=RecordKind.choices, default=RecordKind.OTHER
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("casusgegeven")
        verbose_name_plural = _("casusgegevens")


# --- case management (issue 3) ---------------------------------------------------------
#
# Nothing in this module scores, ranks or predicts persons (AI Act art. 5(1)(d)). People decide
# in a case conference; the system records their decision, its reasons and its review.


class ZrmDomain(models.TextChoices):
    """ZRM 2017: 13 domains (GGD Amsterdam)."""

    FINANCES = "financien", _("Financiën")
    WORK_EDUCATION = "werk_opleiding", _("Werk & opleiding")
    TIME_USE = "tijdsbesteding", _("Tijdsbesteding")
    HOUSING = "huisvesting", _("Huisvesting")
    DOMESTIC = "huiselijke_relaties", _("Huiselijke relaties")
    MENTAL = "geestelijke_gezondheid", _("Geestelijke gezondheid")
    PHYSICAL = "lichamelijke_gezondheid", _("Lichamelijke gezondheid")
    SUBSTANCE = "middelengebruik", _("Middelengebruik")
    BASIC_ADL = "basale_adl", _("Basale ADL")
    INSTRUMENTAL_ADL = "instrumentele_adl", _("Instrumentele ADL")
    NETWORK = "sociaal_netwerk", _("Sociaal netwerk")
    PARTICIPATION = "maatschappelijke_participatie", _("Maatschappelijke participatie")
    JUSTICE = "justitie", _("Justitie")


ZRM_SCALE = {
    1: _("Acute problematiek"),
    2: _("Niet zelfredzaam"),
    3: _("Beperkt zelfredzaam"),
    4: _("Voldoende zelfredzaam"),
    5: _("Volledig zelfredzaam"),
}

# Which data category a life domain belongs to (need-to-know for goals and actions).
DOMAIN_CATEGORY = {
    ZrmDomain.FINANCES: DataCategory.FINANCE,
    ZrmDomain.WORK_EDUCATION: DataCategory.EDUCATION,
    ZrmDomain.TIME_USE: DataCategory.EDUCATION,
    ZrmDomain.MENTAL: DataCategory.HEALTH,
    ZrmDomain.PHYSICAL: DataCategory.HEALTH,
    ZrmDomain.SUBSTANCE: DataCategory.HEALTH,
    ZrmDomain.JUSTICE: DataCategory.JUSTICE,
}


def domain_category(domain: str) -> str:
    return DOMAIN_CATEGORY.get(domain, DataCategory.CARE)


class InclusionCriterion(models.Model):
    """One line of the configurable checklist a case conference ticks (no weights, no score)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("criterium"), max_length=300)
    active = models.BooleanField(_("in gebruik"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("opnamecriterium")
        verbose_name_plural = _("opnamecriteria")

    def __str__(self) -> str:
        return self.label


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Wacht op casusoverleg")
    DECIDED = "decided", _("Besloten")


class Concern(models.Model):
    """A partner's concern about a person (aanmelding); only a case conference decides on it."""

    person = models.ForeignKey(
        Person, verbose_name=_("persoon"), on_delete=models.CASCADE, related_name="concerns"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("aangemeld door"), on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("datum aanmelding"))
    description = models.TextField(_("zorg en aanleiding"))
    family_case = models.ForeignKey(
        Case,
        verbose_name=_("voor gezinscasus"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="member_concerns",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")


class DecisionOutcome(models.TextChoices):
    INDIVIDUAL = "individual", _("Opnemen als individuele casus")
    FAMILY_NEW = "family_new", _("Opnemen als gezinscasus (nieuw)")
    FAMILY_MEMBER = "family_member", _("Opnemen als lid van een bestaande gezinscasus")
    NOT_INCLUDED = "not_included", _("Niet opnemen")


class CaseDecision(models.Model):
    """The case conference's decision on one person. Inclusion exists only through one of these."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="decision")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_on = models.DateField(_("datum casusoverleg"))
    outcome = models.CharField(_("besluit"), max_length=20, choices=DecisionOutcome.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    criteria = models.ManyToManyField(
        InclusionCriterion, verbose_name=_("criteria"), blank=True, related_name="+"
    )
    criteria_text = models.TextField(_("criteria (toelichting)"), blank=True)
    reasons = models.TextField(_("motivering"))
    legal_basis = models.TextField(_("grondslag"))
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("deelnemende partners"), related_name="+"
    )
    review_due = models.DateField(_("toetsdatum"), null=True, blank=True)
    inclusion_end = models.DateField(_("einddatum opname"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("besluit casusoverleg")
        verbose_name_plural = _("besluiten casusoverleg")


class MemberRole(models.TextChoices):
    SUBJECT = "subject", _("Hoofdpersoon")
    PARENT = "parent", _("Ouder")
    CHILD = "child", _("Kind")
    SIBLING = "sibling", _("Broer/zus")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Ander gezinslid")


class CaseMember(models.Model):
    """A person included in a case, always through their own decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(
        _("rol in het gezin"), max_length=20, choices=MemberRole.choices, default=MemberRole.SUBJECT
    )
    decision = models.OneToOneField(CaseDecision, on_delete=models.PROTECT, related_name="member")
    since = models.DateField(_("sinds"))

    class Meta:
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="unique_case_member")
        ]


class RelationKind(models.TextChoices):
    PARENT = "parent", _("Ouder van")
    SIBLING = "sibling", _("Broer/zus van")
    PARTNER = "partner", _("Partner van")
    HOUSEHOLD = "household", _("Huisgenoot van")
    FAMILY = "family", _("Familielid van")
    FRIEND = "friend", _("Vriend van")
    CO_SUSPECT = "co_suspect", _("Medeverdachte van")
    MENTOR = "mentor", _("Mentor van")
    OTHER = "other", _("Andere relatie met")


class Relation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations")
    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("relatie"), max_length=20, choices=RelationKind.choices)
    source = models.ForeignKey(
        Organisation, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("datum"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]


class ZrmAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="zrm_assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("datum"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_name = models.CharField(_("afgenomen door"), max_length=200)
    version = models.CharField(_("ZRM-versie"), max_length=20, default="ZRM 2017")
    scores = models.JSONField(_("scores per domein"), default=dict)

    class Meta:
        ordering = ["assessed_on", "id"]


class Review(models.Model):
    """Periodic review: the three-step proportionality test, ending in continue or exit."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Voortzetten")
        EXIT = "exit", _("Uitstromen (casus sluiten)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("datum toets"))
    suitable = models.TextField(_("geschikt"))
    necessary = models.TextField(_("noodzakelijk"))
    balanced = models.TextField(_("evenwichtig"))
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    next_review_due = models.DateField(_("volgende toets"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Loopt")
        REACHED = "reached", _("Bereikt")
        STOPPED = "stopped", _("Gestopt")
        HANDED_OVER = "handed_over", _("Overgedragen aan reguliere zorg")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain = models.CharField(_("leefgebied"), max_length=40, choices=ZrmDomain.choices)
    description = models.CharField(_("doel"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["domain", "id"]

    @property
    def category(self) -> str:
        return domain_category(self.domain)


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        BUSY = "busy", _("Bezig")
        DONE = "done", _("Gedaan")
        CANCELLED = "cancelled", _("Vervallen")
        HANDED_OVER = "handed_over", _("Overgedragen aan reguliere zorg")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("actie"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar (organisatie)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("uitvoerder"), max_length=200)
    due_on = models.DateField(_("uiterlijk"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["due_on", "id"]


class ContactKind(models.TextChoices):
    FACE = "face", _("Face-to-face")
    HOME = "home", _("Huisbezoek")
    PHONE = "phone", _("Telefonisch")
    DETENTION = "detention", _("Bezoek in detentie")
    ATTEMPT = "attempt", _("Poging, niet bereikt")


class Contact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contact_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=20, choices=ContactKind.choices)
    note = models.TextField(_("verslag"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-contact_on", "-id"]

    @property
    def seen(self) -> bool:
        return self.kind != ContactKind.ATTEMPT


class AlertKind(models.TextChoices):
    REVIEW_DUE = "review_due", _("Toets komt eraan")
    REVIEW_OVERDUE = "review_overdue", _("Toets verlopen")
    INCLUSION_END = "inclusion_end", _("Einddatum opname bereikt")
    CONTACT_MISSED = "contact_missed", _("Niet gezien binnen contactfrequentie")
    CONTACT_ESCALATED = "contact_escalated", _("Escalatie: langdurig niet gezien")
    JOB_DUE = "job_due", _("Baangarantie: baan moet worden aangeboden")
    JOB_LAPSED = "job_lapsed", _("Baangarantie vervallen")


class Alert(models.Model):
    """A signal for the case director, produced by the daily job. Stored as data, never a score."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("soort"), max_length=30, choices=AlertKind.choices)
    key = models.CharField(max_length=100, help_text="Makes the daily job idempotent.")
    created_on = models.DateField(_("datum"))
    message = models.CharField(_("melding"), max_length=400)
    resolved_on = models.DateField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        ordering = ["resolved_on", "-created_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "key"], name="unique_alert")]


# --- interventions ------------------------------------------------------------------------


class Recognition(models.TextChoices):
    RECOGNISED = "erkend", _("Erkend")
    DEVELOPING = "in_ontwikkeling", _("In ontwikkeling")
    NEW = "nieuw", _("Nieuw")


class InterventionType(models.TextChoices):
    CREDIBLE_MESSENGER = "credible_messenger", _("Credible messenger")
    JOB_COACH = "job_coach", _("Jobcoach (ook in detentie)")
    INTERNSHIP = "internship", _("Stage of opleiding met status")
    SPORT_DAY = "sport_day", _("Sport- en dagprogramma")
    WIJKRECHTSPRAAK = "wijkrechtspraak", _("Wijkrechtspraak")
    DEBT_JUDGE = "debt_judge", _("Online schuldenrechter")
    MDT = "mdt", _("Multidisciplinair begeleidingsteam")
    OWN_NETWORK = "own_network", _("Vrijwilligers uit eigen netwerk")
    PREVENTION = "prevention", _("Kapot Sterk en andere preventie")
    PROBATION = "probation", _("Reclasseringsinterventie (3RO)")


class Intervention(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    provider = models.CharField(_("aanbieder"), max_length=200)
    recognition = models.CharField(_("erkenning"), max_length=20, choices=Recognition.choices)
    type = models.CharField(_("soort"), max_length=30, choices=InterventionType.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    in_detention = models.BooleanField(_("ook in detentie"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("naam"), max_length=200, unique=True)
    capacity = models.PositiveSmallIntegerField(_("plaatsen"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programma-eigenaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_programmes",
    )
    has_job_guarantee = models.BooleanField(_("met baangarantie"), default=False)
    no_reoffending_months = models.PositiveSmallIntegerField(
        _("periode zonder recidive (maanden)"), default=6
    )
    comparison_cases = models.ManyToManyField(
        Case, verbose_name=_("vergelijkingsgroep"), blank=True, related_name="+"
    )
    comparison_note = models.TextField(_("toelichting vergelijkingsgroep"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("Wachtlijst")
    ACTIVE = "active", _("Deelnemer")
    COMPLETED = "completed", _("Afgerond")
    DROPPED = "dropped", _("Uitgevallen")
    ENDED = "ended", _("Beëindigd bij uitstroom")
    HANDED_OVER = "handed_over", _("Overgedragen aan reguliere zorg")


class ExitChoice(models.TextChoices):
    """What becomes of an open enrolment or action when the case is closed (exit)."""

    END = "end", _("Beëindigen")
    HANDOVER = "handover", _("Overdragen aan reguliere zorg")


OPEN_ENROLMENT = (EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE)
OPEN_ACTION = (PlanAction.Status.PLANNED, PlanAction.Status.BUSY)


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("aangemeld op"))
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    sessions_planned = models.PositiveSmallIntegerField(_("bijeenkomsten gepland"), default=0)
    sessions_attended = models.PositiveSmallIntegerField(_("bijeenkomsten aanwezig"), default=0)
    positive = models.BooleanField(_("positief afgerond"), null=True, blank=True)
    dropout_reason = models.CharField(_("reden uitval"), max_length=300, blank=True)
    # job guarantee (internships "with status")
    job_status = models.CharField(
        _("baangarantie"),
        max_length=20,
        blank=True,
        choices=[
            ("pending", _("Loopt (periode zonder recidive)")),
            ("due", _("Baan moet worden aangeboden")),
            ("offered", _("Baan aangeboden")),
            ("lapsed", _("Vervallen")),
        ],
    )
    job_placed_on = models.DateField(_("baan gestart op"), null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "id"]


class Coach(models.Model):
    class Kind(models.TextChoices):
        CREDIBLE_MESSENGER = "credible_messenger", _("Credible messenger")
        JOB_COACH = "job_coach", _("Jobcoach")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    expertise = models.CharField(_("expertise"), max_length=300)
    max_cases = models.PositiveSmallIntegerField(_("maximaal aantal casussen"), default=5)
    available = models.BooleanField(_("beschikbaar"), default=True)
    works_in_detention = models.BooleanField(_("ook in detentie"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoachMatch(models.Model):
    coach = models.ForeignKey(Coach, on_delete=models.PROTECT, related_name="matches")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coach_matches")
    since = models.DateField(_("sinds"))
    until = models.DateField(_("tot"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class VogGuidance(models.Model):
    """Editable guidance: does this job/internship need a VOG, which screening profile and aspects."""

    job = models.CharField(_("functie of stage"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    needs_vog = models.BooleanField(_("VOG nodig"))
    screening_profile = models.CharField(_("screeningsprofiel"), max_length=200, blank=True)
    functieaspecten = models.CharField(_("functieaspecten"), max_length=300, blank=True)
    advice = models.TextField(_("uitleg voor de jongere"), blank=True)
    verified = models.BooleanField(_("geverifieerd bij Justis"), default=False)
    updated_on = models.DateField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        ordering = ["job"]
