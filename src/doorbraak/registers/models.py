"""Register data: premises (BAG verblijfsobjecten), companies and establishments (KvK),
persons, and who is officer of what. Every record knows the source it came from."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.areas.models import Area
from doorbraak.privacy.models import ProcessingActivity


class SourceRecord(models.Model):
    # No database constraint (ADR 0008): every import holds its source's row lock from start to
    # commit, a processing activity is never deleted, and PROTECT guards it in Django; the
    # constraint's check ran once per imported row.
    source = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("bron"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    source_file = models.CharField(_("bestand"), max_length=255, blank=True)
    source_row = models.PositiveIntegerField(_("regel"), null=True, blank=True)
    received_on = models.DateField(_("ontvangen op"))

    class Meta:
        abstract = True


class Premises(SourceRecord):
    """A BAG verblijfsobject with its address."""

    bag_id = models.CharField(_("BAG-id"), max_length=16, unique=True)
    street = models.CharField(_("straat"), max_length=120)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    city = models.CharField(_("woonplaats"), max_length=80, default="Utrecht")
    # the code of an Area of kind wijk (doorbraak.areas); area: the code of a focus area, if any
    wijk = models.CharField(_("wijk"), max_length=20, db_index=True)
    area = models.CharField(_("gebied"), max_length=60, blank=True, db_index=True)
    use = models.CharField(_("gebruiksdoel"), max_length=40)
    floor_area = models.PositiveIntegerField(_("oppervlakte (m²)"))
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ["street", "house_number", "house_letter", "house_number_addition"]
        # the importer finds an establishment or residence by its address
        indexes = [models.Index(fields=["postcode", "house_number"], name="premises_address")]
        verbose_name = _("pand")
        verbose_name_plural = _("panden")

    def __str__(self) -> str:
        return self.address

    def get_wijk_display(self) -> str:
        """The wijk's name (an Area), as the choices' display was: from the `wijk_name`
        annotation of registers.selectors when there, else one read; the code if unknown."""
        name = getattr(self, "wijk_name", None)
        if name is None:
            name = Area.objects.filter(code=self.wijk).values_list("name", flat=True).first()
        return name or self.wijk

    @property
    def address(self) -> str:
        extra = self.house_letter + (
            f"-{self.house_number_addition}" if self.house_number_addition else ""
        )
        pc = f"{self.postcode[:4]} {self.postcode[4:]}"
        return f"{self.street} {self.house_number}{extra}, {pc} {self.city}"


def new_pseudonym() -> str:
    return "P-" + secrets.token_hex(5).upper()


class Person(SourceRecord):
    """A natural person. Analysts see `pseudonym` unless they reveal with a purpose."""

    pseudonym = models.CharField(_("pseudoniem"), max_length=16, unique=True, default=new_pseudonym)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    given_names = models.CharField(_("voornamen"), max_length=120)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=120)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    residence = models.ForeignKey(
        Premises,
        verbose_name=_("woonadres"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["surname", "given_names"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname_prefix, self.surname) if p)


class Company(SourceRecord):
    """A KvK registration (legal entity or sole proprietorship) with its main establishment."""

    # unique by a constraint, not unique=True: that would add a second (LIKE) index on
    # PostgreSQL, paid on every row of a bulk import; KvK numbers are only looked up whole
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8)
    name = models.CharField(_("naam"), max_length=200)
    trade_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    legal_form = models.CharField(_("rechtsvorm"), max_length=60)
    sbi_code = models.CharField(_("SBI-code"), max_length=6)  # indexed in Meta
    sbi_description = models.CharField(_("SBI-omschrijving"), max_length=200)
    registered_on = models.DateField(_("ingeschreven op"))
    deregistered_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    # No database constraint (ADR 0008): the importer locks the premises it resolves (FOR KEY
    # SHARE, once per premises rather than a check per company) and PROTECT guards them in
    # Django; premises are never deleted outside the ORM.
    establishment = models.ForeignKey(
        Premises,
        verbose_name=_("vestiging"),
        on_delete=models.PROTECT,
        related_name="companies",
        db_constraint=False,
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], name="registers_company_kvk_unique")
        ]
        # one index for equality, IN and prefix (sector) lookups alike: on PostgreSQL the
        # pattern operator class serves all three, where db_index=True would build two
        indexes = [
            models.Index(
                fields=["sbi_code"], name="registers_company_sbi", opclasses=["varchar_pattern_ops"]
            )
        ]
        verbose_name = _("bedrijf")
        verbose_name_plural = _("bedrijven")

    def __str__(self) -> str:
        return f"{self.name} ({self.kvk_number})"


class Officer(SourceRecord):
    """A person's function at a company (bestuurder, eigenaar, vennoot)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="functions")
    role = models.CharField(_("functie"), max_length=40)
    since = models.DateField(_("sinds"))
    until = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("functionaris")
        verbose_name_plural = _("functionarissen")

    def __str__(self) -> str:
        return f"{self.role} ({self.company_id}, {self.person_id})"


# --- ingestion: sources, import batches, rejections and record history ----------------


class SourceType(models.TextChoices):
    """Which importer and field mapping (``doorbraak_analysis/registers/mappings/<type>.yaml``) a source uses."""

    KVK_COMPANIES = "kvk_companies", _("KvK: bedrijven en vestigingen")
    KVK_OFFICERS = "kvk_officers", _("KvK: functionarissen")
    BAG_PREMISES = "bag_premises", _("BAG: verblijfsobjecten")
    BRP_OCCUPANCY = "brp_occupancy", _("BRP: bewoning per adres")
    PERMITS = "permits", _("Vergunningen")
    CLOSURES = "closures", _("Sluitingen (Opiumwet 13b, APV)")
    DOR = "dor", _("Digitaal Opkopersregister")
    POLICE_SIGNALS = "police_signals", _("Politiesignalen (gepseudonimiseerd)")
    BANK_SECTORS = "bank_sectors", _("Sectorinzichten bank")


class SourceFeed(models.Model):
    """How a source of the verwerkingsregister is delivered: its importer/mapping and how often
    a fresh extract is expected. Purpose, legal basis, owner and retention stay on the activity."""

    activity = models.OneToOneField(
        ProcessingActivity,
        verbose_name=_("bron"),
        on_delete=models.CASCADE,
        related_name="feed",
        primary_key=True,
    )
    source_type = models.CharField(_("brontype"), max_length=30, choices=SourceType.choices)
    refresh_days = models.PositiveIntegerField(
        _("verversing verwacht (dagen)"), null=True, blank=True
    )
    delivered_by = models.CharField(_("aangeleverd door"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bronaanlevering")
        verbose_name_plural = _("bronaanleveringen")

    def __str__(self) -> str:
        return f"{self.activity} ({self.source_type})"


class BatchStatus(models.TextChoices):
    ACCEPTED = "accepted", _("ingelezen")
    UNCHANGED = "unchanged", _("ongewijzigd (zelfde bestand)")
    REJECTED = "rejected", _("afgewezen")
    # An import in progress; left so by one that never finished (killed, crashed), which the
    # next import of the source then records as FAILED (importers.sweep_unfinished).
    RUNNING = "running", _("bezig")
    FAILED = "failed", _("mislukt (niet afgerond)")


class ImportBatch(models.Model):
    """One delivery of one file of one source: accepted whole, or rejected whole."""

    source = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("bron"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    source_type = models.CharField(_("brontype"), max_length=30, choices=SourceType.choices)
    file_name = models.CharField(_("bestand"), max_length=255)
    file_format = models.CharField(_("formaat"), max_length=10)
    file_hash = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    received_on = models.DateField(_("ontvangen op"))
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    imported_by = models.CharField(_("door"), max_length=150)
    row_count = models.PositiveIntegerField(_("rijen"), default=0)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("importbatch")
        verbose_name_plural = _("importbatches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.status})"


class ImportRejection(models.Model):
    """Why one row (or the file as a whole: row null) was not acceptable.

    ``row`` is the 1-based data row: the first record under the header is row 1 (in Parquet:
    0-based index + 1). ``line`` is, for CSV, the 1-based line of the file where the record
    ends (the header is line 1; equal to ``row + 1`` when no field spans lines)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejections")
    row = models.PositiveIntegerField(_("rij"), null=True, blank=True)
    line = models.PositiveIntegerField(_("regel in het bestand"), null=True, blank=True)
    field = models.CharField(_("veld"), max_length=60, blank=True)
    value = models.CharField(_("waarde"), max_length=200, blank=True)
    reason = models.CharField(_("reden"), max_length=300)

    class Meta:
        ordering = ["row", "id"]
        verbose_name = _("afgewezen rij")
        verbose_name_plural = _("afgewezen rijen")

    def __str__(self) -> str:
        return f"{self.row or 'bestand'}: {self.field} {self.reason}"


class RecordVersion(models.Model):
    """Append-only history of imported records: every distinct state a source delivered, with
    the delivery it came from. The current state has ``valid_to`` empty."""

    # no index of its own: the index on (model, object_id) serves a search by model as well
    model = models.CharField(_("soort"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object-id"))
    key = models.CharField(_("sleutel"), max_length=200)
    # A history table (as django-simple-history's): no foreign-key constraint in the database.
    # Only the importer writes versions, in the transaction that creates their batch and holds
    # the source's row lock; PROTECT still guards both in Django. The two constraints' per-row
    # checks were a third of the database's time in a bulk import (ADR 0008).
    source = models.ForeignKey(
        ProcessingActivity,
        verbose_name=_("bron"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        db_constraint=False,
        help_text=_("leeg: de stand van vóór de eerste import via Doorbraak"),
    )
    source_file = models.CharField(_("bestand"), max_length=255)
    source_row = models.PositiveIntegerField(_("regel"))
    received_on = models.DateField(_("ontvangen op"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot"), null=True, blank=True)
    values = models.JSONField(_("waarden"), default=dict)

    class Meta:
        ordering = ["model", "object_id", "valid_from", "id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("recordversie")
        verbose_name_plural = _("recordversies")

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.valid_from}–{self.valid_to or ''}"


class EntryKind(models.TextChoices):
    PERMIT = "permit", _("vergunning")
    CLOSURE = "closure", _("sluiting")
    DOR = "dor", _("opkopersregistratie")
    POLICE_SIGNAL = "police_signal", _("politiesignaal")
    BANK_SECTOR = "bank_sector", _("sectorinzicht bank")


class RegisterEntry(SourceRecord):
    """A record of a source without a model of its own (permits, closures, DOR, police signals,
    bank sector insights): a key, a date, what it is about, and the mapped fields."""

    kind = models.CharField(_("soort"), max_length=20, choices=EntryKind.choices, db_index=True)
    key = models.CharField(_("kenmerk"), max_length=100)
    occurred_on = models.DateField(_("datum"), null=True, blank=True)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    premises = models.ForeignKey(
        Premises,
        verbose_name=_("pand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entries",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("bedrijf"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entries",
    )
    data = models.JSONField(_("gegevens"), default=dict, blank=True)

    class Meta:
        ordering = ["kind", "-occurred_on", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "key"], name="registerentry_unique_key"
            )
        ]
        verbose_name = _("registervermelding")
        verbose_name_plural = _("registervermeldingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"
