"""Register data: premises (BAG verblijfsobjecten), companies and establishments (KvK),
persons, and who is officer of what. Every record knows the source it came from."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorbraak.privacy.models import ProcessingActivity


class Wijk(models.TextChoices):
    WEST = "west", "West"
    NOORDWEST = "noordwest", "Noordwest"
    OVERVECHT = "overvecht", "Overvecht"
    NOORDOOST = "noordoost", "Noordoost"
    OOST = "oost", "Oost"
    BINNENSTAD = "binnenstad", "Binnenstad"
    ZUID = "zuid", "Zuid"
    ZUIDWEST = "zuidwest", "Zuidwest"
    LEIDSCHE_RIJN = "leidsche_rijn", "Leidsche Rijn"
    VLEUTEN_DE_MEERN = "vleuten_de_meern", "Vleuten-De Meern"


class SourceRecord(models.Model):
    source = models.ForeignKey(ProcessingActivity, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+")
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
    wijk = models.CharField(_("wijk"), max_length=20, choices=Wijk.choices, db_index=True)
    area = models.CharField(_("gebied"), max_length=60, blank=True, db_index=True)
    use = models.CharField(_("gebruiksdoel"), max_length=40)
    floor_area = models.PositiveIntegerField(_("oppervlakte (m²)"))
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ["street", "house_number", "house_letter", "house_number_addition"]
        verbose_name = _("pand")
        verbose_name_plural = _("panden")

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        extra = self.house_letter + (f"-{self.house_number_addition}" if self.house_number_addition else "")
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
        Premises, verbose_name=_("woonadres"), null=True, blank=True, on_delete=models.SET_NULL, related_name="residents"
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

    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    trade_name = models.CharField(_("handelsnaam"), max_length=200, blank=True)
    legal_form = models.CharField(_("rechtsvorm"), max_length=60)
    sbi_code = models.CharField(_("SBI-code"), max_length=6, db_index=True)
    sbi_description = models.CharField(_("SBI-omschrijving"), max_length=200)
    registered_on = models.DateField(_("ingeschreven op"))
    establishment = models.ForeignKey(
        Premises, verbose_name=_("vestiging"), on_delete=models.PROTECT, related_name="companies"
    )

    class Meta:
        ordering = ["name"]
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

    class Meta:
        verbose_name = _("functionaris")
        verbose_name_plural = _("functionarissen")
