"""Partners of the approach (Eén Overheid): organisations, their users and roles, and the covenant
that says which organisation may see which data category for which purpose."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_DIRECTOR = "case_director", _("Procesregisseur")
    PARTNER_PROFESSIONAL = "partner_professional", _("Partnerprofessional")
    ANALYST = "analyst", _("Analist")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Handhaver")
    LAWYER = "lawyer", _("Jurist")
    POLICY_STAFF = "policy_staff", _("Beleidsmedewerker")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")
    ADMINISTRATOR = "administrator", _("Beheerder")
    PROGRAMME_OWNER = "programme_owner", _("Programma-eigenaar")
    AREA_MANAGER = "area_manager", _("Gebiedsmanager")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identiteit")
    CONTACT = "contact", _("Contactgegevens")
    EDUCATION = "education", _("Onderwijs en werk")
    CARE = "care", _("Zorg en welzijn")
    HEALTH = "health", _("Gezondheid")
    FINANCE = "finance", _("Financiën")
    JUSTICE = "justice", _("Justitie en politie")
    PREMISES = "premises", _("Panden en bedrijven")
    TRANSACTIONS = "transactions", _("Transacties")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    POLICE = "police", _("Politie")
    PROSECUTION = "prosecution", _("Openbaar Ministerie")
    PROBATION = "probation", _("Reclassering")
    CARE = "care", _("Zorg en welzijn")
    YOUTH_WORK = "youth_work", _("Jongerenwerk")
    EDUCATION = "education", _("Onderwijs")
    RIEC = "riec", _("RIEC")
    TAX = "tax", _("Belastingdienst")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Overig")


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("onderdeel van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person working for exactly one organisation, in one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(
        _("rol"), max_length=30, choices=Role.choices, default=Role.PARTNER_PROFESSIONAL
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class Purpose(models.Model):
    """A processing purpose (doelbinding); every access to personal data names one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self) -> str:
        return self.name


class Covenant(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    legal_basis = models.TextField(_("grondslag"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("convenant")
        verbose_name_plural = _("convenanten")

    def __str__(self) -> str:
        return self.title

    def in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class CovenantGrant(models.Model):
    """One line of the covenant: organisation may see data category for purpose."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    data_category = models.CharField(
        _("gegevenscategorie"), max_length=20, choices=DataCategory.choices
    )
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="grants")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "organisation", "data_category", "purpose"],
                name="unique_covenant_grant",
            )
        ]
        verbose_name = _("convenantafspraak")
        verbose_name_plural = _("convenantafspraken")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_data_category_display()} · {self.purpose}"
