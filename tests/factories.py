"""factory_boy factories for the foundation models."""

from __future__ import annotations

from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.careers.models import Case, CaseParticipant, CaseRecord
from doorbraak.partners.models import (
    Covenant,
    CovenantGrant,
    Organisation,
    OrganisationKind,
    Purpose,
    Role,
    User,
)
from doorbraak.privacy.models import ActivityKind, ProcessingActivity, RetentionAction
from doorbraak.registers.models import Company, Officer, Person, Premises

PASSWORD = "test-wachtwoord-lang-genoeg"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER_PROFESSIONAL
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_totp(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False and self.role != Role.POLICY_STAFF:
            TOTPDevice.objects.get_or_create(user=self, name="test", defaults={"confirmed": True})


class PurposeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purpose
        django_get_or_create = ("code",)

    code = "casusaanpak"
    name = factory.LazyAttribute(lambda o: o.code.capitalize())


class CovenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Covenant

    title = "Testconvenant"
    legal_basis = "AVG art. 6 lid 1 sub e"
    valid_from = date(2020, 1, 1)


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CovenantGrant

    covenant = factory.SubFactory(CovenantFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    purpose = factory.SubFactory(PurposeFactory)
    data_category = "identity"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessingActivity
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"activity-{n}")
    name = factory.Sequence(lambda n: f"Verwerking {n}")
    kind = ActivityKind.SOURCE
    controller = factory.SubFactory(OrganisationFactory)
    purpose = factory.SubFactory(PurposeFactory)
    legal_basis = "AVG art. 6 lid 1 sub e; Gemeentewet art. 172"
    data_categories = ["identity"]
    retention_days = 365
    retention_action = RetentionAction.DELETE
    retention_trigger = "levering"


class PremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premises

    source = factory.SubFactory(ActivityFactory, code="bag", name="BAG")
    received_on = date(2026, 10, 1)
    bag_id = factory.Sequence(lambda n: f"0344010000{n:06d}")
    street = "Nijverheidsweg"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3534AM"
    wijk = "overvecht"  # an Area code (tests load the utrecht fixture)
    area = "nieuw_overvecht"
    use = "bedrijfsfunctie"
    floor_area = 250
    lat = 52.11
    lon = 5.11


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    source = factory.SubFactory(ActivityFactory, code="brp", name="BRP-bewoning")
    received_on = date(2026, 10, 1)
    pseudonym = factory.Sequence(lambda n: f"P-T{n:08d}")
    given_names = "Jan Pieter"
    surname_prefix = "van der"
    surname = factory.Sequence(lambda n: f"Berg{n}")
    birth_date = date(2001, 5, 17)
    bsn = "999990019"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    source = factory.SubFactory(ActivityFactory, code="kvk", name="KvK")
    received_on = date(2026, 10, 1)
    kvk_number = factory.Sequence(lambda n: f"{90000000 + n}")
    name = factory.Sequence(lambda n: f"Autoservice {n} B.V.")
    legal_form = "Besloten Vennootschap"
    sbi_code = "4520"
    sbi_description = "Onderhoud en reparatie van auto's"
    registered_on = date(2021, 3, 1)
    establishment = factory.SubFactory(PremisesFactory)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    source = factory.SubFactory(ActivityFactory, code="kvk", name="KvK")
    received_on = date(2026, 10, 1)
    company = factory.SubFactory(CompanyFactory)
    person = factory.SubFactory(PersonFactory)
    role = "bestuurder"
    since = date(2021, 3, 1)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"DB-2026-{n:04d}")
    case_type = factory.SubFactory(
        ActivityFactory,
        code="casus-doorgroeier",
        name="Casus doorgroeier",
        kind=ActivityKind.CASE_TYPE,
        retention_days=5 * 365,
        retention_action=RetentionAction.ANONYMISE,
        retention_trigger="sluiting van de casus",
    )
    subject = factory.SubFactory(PersonFactory)
    opened_on = date(2026, 1, 15)


class CaseParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseParticipant

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    since = date(2026, 1, 15)


class CaseRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseRecord

    case = factory.SubFactory(CaseFactory)
    category = "justice"
    organisation = factory.SubFactory(OrganisationFactory)
    occurred_on = date(2026, 2, 1)
    title = "Politiecontact"
    text = "Aangehouden na melding (synthetisch)."
