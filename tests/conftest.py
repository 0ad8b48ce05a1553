"""Shared test set-up: a real database (PostgreSQL when DATABASE_URL is set, else SQLite),
and a small world of partners, users per role, cases and register data."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

os.environ.setdefault("DOORBRAAK_DEBUG", "1")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is flushed between transactional tests; the audit table's
    append-only triggers allow that only inside an open maintenance window."""
    from django.db import connection

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_maintenance_window (reason, opened_at) VALUES (%s, CURRENT_TIMESTAMP)",
                ["disposable test database, flushed between tests"],
            )


@pytest.fixture
def demo_mode(settings):
    """Demo mode, as `make demo` and `doorbraak demo` set it (DOORBRAAK_DEMO_MODE=1): needed to
    build the demo city and its accounts (doorbraak.demo.guards)."""
    settings.DEMO_MODE = True
    return settings


@pytest.fixture(autouse=True)
def _dutch_to_begin_with():
    """Every test starts in the default language: a request in English (Accept-Language) leaves
    its language active in the thread, and the next test on the worker would inherit it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def areas(db):
    """Utrecht's areas (the city, ten wijken, two focus areas), as `loaddata utrecht` loads them."""
    from django.core.management import call_command

    from doorbraak.areas import selectors

    call_command("loaddata", "utrecht", verbosity=0)
    return selectors


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    persons: dict = field(default_factory=dict)
    companies: dict = field(default_factory=dict)


@pytest.fixture
def world(db, areas):
    """Gemeente (OOV, VTH, FG, ICT), politie and a school; the covenant lets the police see
    justice data and the school only education; case A has police and school, case B only
    the gemeente. One user per role."""
    from doorbraak.partners.models import OrganisationKind, Role
    from doorbraak.privacy.models import ActivityKind
    from tests import factories as f

    w = World()
    o = w.orgs
    o["oov"] = f.OrganisationFactory(code="gemeente-oov", name="Gemeente Utrecht OOV")
    o["vth"] = f.OrganisationFactory(code="gemeente-vth", name="Gemeente Utrecht VTH")
    o["jz"] = f.OrganisationFactory(code="gemeente-jz", name="Gemeente Utrecht Juridische Zaken")
    o["fg"] = f.OrganisationFactory(code="gemeente-fg", name="Gemeente Utrecht FG")
    o["ict"] = f.OrganisationFactory(code="gemeente-ict", name="Gemeente Utrecht ICT")
    o["riec"] = f.OrganisationFactory(
        code="riec", name="RIEC Midden-Nederland", kind=OrganisationKind.RIEC
    )
    o["politie"] = f.OrganisationFactory(
        code="politie", name="Politie Midden-Nederland", kind=OrganisationKind.POLICE
    )
    o["school"] = f.OrganisationFactory(
        code="school", name="ROC (test)", kind=OrganisationKind.EDUCATION
    )

    covenant = f.CovenantFactory()
    grants = {
        ("oov", "casusaanpak"): ["identity", "contact", "justice", "education", "care", "finance"],
        ("politie", "casusaanpak"): ["identity", "contact", "justice"],
        ("school", "casusaanpak"): ["identity", "education"],
        ("riec", "risicoanalyse"): ["identity", "premises", "finance"],
        ("vth", "handhaving"): ["identity", "premises"],
    }
    for (org, purpose), categories in grants.items():
        p = f.PurposeFactory(code=purpose)
        for c in categories:
            f.GrantFactory(covenant=covenant, organisation=o[org], purpose=p, data_category=c)

    u = w.users
    u["case_director"] = f.UserFactory(
        username="regisseur", organisation=o["oov"], role=Role.CASE_DIRECTOR
    )
    u["partner_professional"] = f.UserFactory(
        username="agent", organisation=o["politie"], role=Role.PARTNER_PROFESSIONAL
    )
    u["school"] = f.UserFactory(
        username="mentor", organisation=o["school"], role=Role.PARTNER_PROFESSIONAL
    )
    u["analyst"] = f.UserFactory(username="analist", organisation=o["riec"], role=Role.ANALYST)
    u["enforcement_officer"] = f.UserFactory(
        username="handhaver", organisation=o["vth"], role=Role.ENFORCEMENT_OFFICER
    )
    u["lawyer"] = f.UserFactory(username="jurist", organisation=o["jz"], role=Role.LAWYER)
    u["policy_staff"] = f.UserFactory(
        username="beleid", organisation=o["oov"], role=Role.POLICY_STAFF
    )
    u["privacy_officer"] = f.UserFactory(
        username="privacy", organisation=o["fg"], role=Role.PRIVACY_OFFICER
    )
    u["administrator"] = f.UserFactory(
        username="beheer", organisation=o["ict"], role=Role.ADMINISTRATOR, is_staff=True
    )
    u["programme_owner"] = f.UserFactory(
        username="programma", organisation=o["oov"], role=Role.PROGRAMME_OWNER
    )
    u["area_manager"] = f.UserFactory(
        username="gebied", organisation=o["oov"], role=Role.AREA_MANAGER
    )

    case_type = f.ActivityFactory(
        code="casus-doorgroeier",
        name="Casus doorgroeier",
        kind=ActivityKind.CASE_TYPE,
        controller=o["oov"],
        retention_days=5 * 365,
        retention_action="anonymise",
        retention_trigger="sluiting van de casus",
        data_categories=["identity", "contact", "justice", "education", "care", "finance"],
    )
    w.persons["subject_a"] = f.PersonFactory(
        given_names="Mo", surname_prefix="", surname="Testpersoon"
    )
    w.persons["subject_b"] = f.PersonFactory(
        given_names="Sam", surname_prefix="de", surname="Voorbeeld"
    )
    a = w.cases["a"] = f.CaseFactory(
        reference="DB-A",
        case_type=case_type,
        subject=w.persons["subject_a"],
        director=u["case_director"],
    )
    b = w.cases["b"] = f.CaseFactory(
        reference="DB-B",
        case_type=case_type,
        subject=w.persons["subject_b"],
        director=u["case_director"],
    )
    for org in ("oov", "politie", "school"):
        f.CaseParticipantFactory(case=a, organisation=o[org])
    f.CaseParticipantFactory(case=b, organisation=o["oov"])
    f.CaseRecordFactory(
        case=a, category="justice", organisation=o["politie"], title="Aanhouding winkeldiefstal"
    )
    f.CaseRecordFactory(
        case=a,
        category="education",
        organisation=o["school"],
        title="Verzuim gemeld bij leerplicht",
    )
    f.CaseRecordFactory(
        case=b, category="care", organisation=o["oov"], title="Aanmelding buurtteam"
    )

    officer = f.OfficerFactory()
    w.companies["garage"] = officer.company
    w.persons["officer"] = officer.person
    return w


def login(client, user):
    """Log a user in with a verified second factor, as the login page would."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
