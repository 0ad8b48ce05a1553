"""The demo city: deterministic, realistic in shape, synthetic in every value, and wired to the
foundation (sources, covenant, one account per role with a second factor)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.nl import bsn as bsn_check

from doorbraak import policy
from doorbraak.areas import selectors as areas
from doorbraak.careers.models import Case, CaseRecord, CaseStatus
from doorbraak.demo import reference as ref
from doorbraak.demo.accounts import DEMO_PASSWORD, demo_accounts_with_codes
from doorbraak.demo.clock import built_on
from doorbraak.demo.generator import build_demo_city, has_demo_data, reset_demo_data
from doorbraak.partners.models import (
    CovenantGrant,
    DataCategory,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from doorbraak.privacy import retention
from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.registers.models import Company, Officer, Person, Premises

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_mode")]


def _snapshot() -> dict:
    return {
        "kvk": list(
            Company.objects.order_by("kvk_number").values_list(
                "kvk_number", "name", "sbi_code", "establishment__bag_id"
            )
        ),
        "persons": list(
            Person.objects.order_by("pseudonym").values_list(
                "pseudonym", "bsn", "given_names", "surname_prefix", "surname", "birth_date"
            )
        ),
        "premises": list(
            Premises.objects.order_by("bag_id").values_list(
                "bag_id", "street", "house_number", "postcode", "lat", "lon"
            )
        ),
        "officers": sorted(
            Officer.objects.values_list("company__kvk_number", "person__pseudonym", "role", "since")
        ),
        "cases": list(
            Case.objects.order_by("reference").values_list(
                "reference", "subject__pseudonym", "status", "opened_on", "closed_on", "summary"
            )
        ),
        "records": sorted(
            CaseRecord.objects.values_list(
                "case__reference", "organisation__code", "category", "occurred_on", "title"
            )
        ),
    }


def test_same_seed_same_city_and_different_seed_differs():
    build_demo_city(businesses=300, cases=10)
    first = _snapshot()
    assert len(first["kvk"]) == 300 and first["cases"]
    reset_demo_data()
    assert not has_demo_data() and not User.objects.exists()
    build_demo_city(businesses=300, cases=10)
    assert _snapshot() == first

    reset_demo_data()
    build_demo_city(seed=7, businesses=300, cases=10)
    other = _snapshot()
    assert {k[0] for k in other["kvk"]} != {k[0] for k in first["kvk"]}
    assert {p[0] for p in other["persons"]} != {p[0] for p in first["persons"]}


def test_demo_city():
    """One full-size build (about 4 s on SQLite), checked from every side."""
    summary = build_demo_city()
    assert summary.companies == 2000
    _check_city_shape()
    _check_persons()
    _check_sources()
    _check_cases()
    _check_accounts()


def _check_city_shape():
    assert 1800 <= Premises.objects.count() <= 2400
    assert Company.objects.count() == 2000
    # residents and officers, plus the young people in the person-centred approach (issue 13)
    assert 2200 <= Person.objects.count() <= 3900
    wijken = {code for code, _name in areas.wijk_choices()}
    assert len(wijken) == 10  # the demo loads Utrecht's areas
    assert set(Premises.objects.values_list("wijk", flat=True)) == wijken
    assert set(Company.objects.values_list("establishment__wijk", flat=True)) == wijken
    assert set(Premises.objects.exclude(area="").values_list("area", flat=True)) == {
        code for code, _name in areas.focus_area_choices()
    }

    # Clusters: each focus area holds far more companies than an average wijk, and more
    # companies per business premises than the rest of the city.
    average_wijk = Company.objects.count() / len(wijken)
    business = Premises.objects.exclude(use="woonfunctie")
    rest_ratio = (
        Company.objects.filter(establishment__area="").count() / business.filter(area="").count()
    )
    for area in ("nieuw_overvecht", "amsterdamsestraatweg"):
        n = Company.objects.filter(establishment__area=area).count()
        assert n > 1.5 * average_wijk, area
        assert n / business.filter(area=area).count() > 1.2 * rest_ratio, area
    # The car branch sits on Nieuw Overvecht.
    car = Company.objects.filter(sbi_code__in=["7711", "4511", "45201", "4520", "4532"])
    assert car.filter(establishment__area="nieuw_overvecht").count() > car.count() / 3

    # Addresses and postcodes look Dutch.
    for p in Premises.objects.all():
        assert len(p.bag_id) == 16 and p.bag_id.isdigit() and p.bag_id.startswith("0344")
        assert len(p.postcode) == 6 and p.postcode[:4].isdigit() and p.postcode[4:].isalpha()
        assert p.postcode[:2] in {"35", "34"}
        assert 52.0 < p.lat < 52.2 and 4.9 < p.lon < 5.2
    asw = Premises.objects.filter(area="amsterdamsestraatweg")
    assert set(asw.values_list("street", flat=True)) == {"Amsterdamsestraatweg"}
    assert asw.filter(use="woonfunctie").exists()  # flats above shops

    # KvK numbers: 8 digits, unique; several companies share an address; networks of officers.
    kvk = list(Company.objects.values_list("kvk_number", flat=True))
    assert all(len(k) == 8 and k.isdigit() for k in kvk) and len(set(kvk)) == len(kvk)
    assert Premises.objects.annotate(n=Count("companies")).filter(n__gte=5).count() >= 5
    assert Person.objects.annotate(n=Count("functions")).filter(n__gte=3).count() >= 20
    assert set(Officer.objects.values_list("role", flat=True)) == {
        "bestuurder",
        "eigenaar",
        "vennoot",
    }


def _check_persons():
    bsns = list(Person.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert len(bsns) > 2000 and len(set(bsns)) == len(bsns)
    assert all(b.startswith("9") and bsn_check.is_valid(b) for b in bsns)
    pseudonyms = list(Person.objects.values_list("pseudonym", flat=True))
    assert len(set(pseudonyms)) == len(pseudonyms) and all(p.startswith("P-") for p in pseudonyms)
    assert Person.objects.exclude(surname_prefix="").exists()  # van, de, van der ...
    assert Person.objects.filter(residence__isnull=False).count() > 1500


def _check_sources():
    sources = set(
        ProcessingActivity.objects.filter(kind=ActivityKind.SOURCE).values_list("pk", flat=True)
    )
    for model in (Premises, Company, Person, Officer):
        assert not model.objects.exclude(source_id__in=sources).exists(), model
        assert not model.objects.filter(source_file="").exists(), model
        assert not model.objects.filter(source_row__isnull=True).exists(), model
    assert set(Premises.objects.values_list("source__code", flat=True)) == {ref.SOURCE_BAG}
    assert set(Company.objects.values_list("source__code", flat=True)) == {ref.SOURCE_KVK}
    assert set(Person.objects.values_list("source__code", flat=True)) == {
        ref.SOURCE_KVK,
        ref.SOURCE_BRP,
    }
    for activity in ProcessingActivity.objects.all():
        activity.full_clean()
        assert activity.legal_basis and activity.retention_days > 0 and activity.data_categories


def _check_case_flow(cases):
    """Issue 13: two years of history for monitoring: a few hundred people in the approach at
    any time, tens of inclusions and exits per quarter, in the city and in each focus area; every
    closed case of the history has a reason of exit."""
    from datetime import timedelta

    today = built_on()
    for back in range(0, 8):
        end = today - timedelta(days=91 * back)
        start = end - timedelta(days=91)
        running = cases.filter(opened_on__lte=end).exclude(closed_on__lte=end)
        assert 200 <= running.count() <= 450
        for area in ("nieuw_overvecht", "amsterdamsestraatweg"):
            assert running.filter(subject__residence__area=area).count() >= 40
        assert cases.filter(opened_on__gt=start, opened_on__lte=end).count() >= 30
        assert cases.filter(closed_on__gt=start, closed_on__lte=end).count() >= 20
    recent = cases.filter(status=CaseStatus.CLOSED, closed_on__gte=today - timedelta(days=800))
    assert recent.count() > 100
    assert not recent.filter(exit_reason__in=["", "not_recorded"]).exists()
    assert recent.values("exit_reason").distinct().count() == 6
    assert not cases.filter(status=CaseStatus.OPEN).exclude(exit_reason="").exists()


def _check_cases():
    from doorbraak.demo.generator import DEMO_CASES

    cases = Case.objects.all()
    assert cases.count() == DEMO_CASES == 900
    _check_case_flow(cases)
    assert cases.filter(kind="family").exists() and cases.filter(status=CaseStatus.CLOSED).exists()
    director = User.objects.get(username="regisseur")
    assert set(cases.values_list("director", flat=True)) == {director.pk}
    today = built_on()
    for case in cases.prefetch_related("participants__organisation", "records"):
        partners = {p.organisation.code for p in case.participants.all()}
        assert len(partners) >= 3 and ref.ORG_OOV in partners
        # Records only come from partners taking part, in categories their covenant allows.
        for record in case.records.all():
            assert record.organisation.code in partners
            assert record.category in ref.GRANTS[(record.organisation.code, "casusaanpak")]
            assert case.opened_on <= record.occurred_on <= (case.closed_on or today)
    # The school takes part in some cases but not all: need-to-know has something to show.
    school_cases = cases.filter(participants__organisation__code=ref.ORG_ROC).count()
    assert 0 < school_cases < cases.count()
    # Some cases were closed long ago: the build ran the retention job, as production does daily,
    # so they are anonymised and nothing is left for it to do today.
    assert (
        cases.filter(status=CaseStatus.CLOSED, anonymised=True, subject=None, summary="").count()
        >= 2
    )
    assert not [row for row in retention.preview(today) if row["object_type"] == "case"]


def _check_accounts():
    users = User.objects.filter(username__in=[r["username"] for r in demo_accounts_with_codes()])
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    for role in Role.values:
        assert users.filter(role=role).exists()
    assert users.get(username="regisseur").check_password(DEMO_PASSWORD)
    assert users.values("password").distinct().count() == 1  # one shared demo password
    for user in users:
        assert not user.is_superuser
        assert user.is_staff == (user.role == Role.ADMINISTRATOR)
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        assert devices.exists() == policy.role_needs_second_factor(user.role), user.username
    assert (
        users.filter(role=Role.PARTNER_PROFESSIONAL).values("organisation").distinct().count() >= 4
    )

    with CaptureQueriesContext(connection) as queries:
        rows = demo_accounts_with_codes()
    assert len(queries) == 1  # cheap enough for the login page
    for row in rows:
        if row["needs_code"]:
            assert len(row["code"]) == 6 and row["code"].isdigit() and len(row["secret"]) == 32
            device = TOTPDevice.objects.get(user__username=row["username"])
            assert device.verify_token(row["code"])
        else:
            assert not policy.role_needs_second_factor(row["role"]) and not row["code"]


def test_covenant_need_to_know():
    ref.seed_reference_data()
    ref.seed_reference_data()  # idempotent
    assert Organisation.objects.filter(code=ref.ORG_ROC).count() == 1

    def grants(org, purpose="casusaanpak"):
        return set(
            CovenantGrant.objects.filter(organisation__code=org, purpose__code=purpose).values_list(
                "data_category", flat=True
            )
        )

    assert grants(ref.ORG_ROC) == {DataCategory.IDENTITY, DataCategory.EDUCATION}
    assert DataCategory.JUSTICE not in grants(ref.ORG_ROC)
    assert DataCategory.JUSTICE in grants(ref.ORG_POLITIE)
    assert grants(ref.ORG_BANK, "witwasanalyse") == {DataCategory.TRANSACTIONS}
    assert grants(ref.ORG_FG, "privacytoezicht") == set(DataCategory.values)
    health = CovenantGrant.objects.filter(data_category=DataCategory.HEALTH).exclude(
        organisation__code=ref.ORG_FG
    )
    assert set(health.values_list("organisation__kind", flat=True)) <= {
        OrganisationKind.CARE,
        OrganisationKind.PROBATION,
    }
    assert Counter(CovenantGrant.objects.values_list("covenant", flat=True)).most_common(1)[0][
        1
    ] == sum(len(v) for v in ref.GRANTS.values())


def test_commands(monkeypatch, capsys):
    from doorbraak.demo.management.commands import demo_city

    monkeypatch.setattr(demo_city, "DEMO_BUSINESSES", 200)
    monkeypatch.setattr(demo_city, "DEMO_CASES", 5)
    from doorbraak.demo import tasks as bank
    from doorbraak.jobs.models import Job

    monkeypatch.setattr(bank, "DEMO_TRANSACTIONS", 20_000)
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "Demostad gebouwd" in out and "regisseur" in out and DEMO_PASSWORD in out
    assert Company.objects.count() == 200
    # The bank data are a background job (run at once here: the tests' immediate task backend).
    bank_job = Job.objects.get(kind="demo_bank")
    assert bank_job.status == "done" and "20000 transacties" in bank_job.summary

    call_command("demo", "--no-serve")  # already there: only prints the accounts
    out = capsys.readouterr().out
    assert "staat al in de database" in out and "regisseur" in out
    assert Company.objects.count() == 200

    with pytest.raises(CommandError):
        call_command("demo_city")
    call_command("demo_city", "--reset", "--businesses", "150", "--cases", "3")
    assert Company.objects.count() == 150

    call_command("demo_codes", "--secrets")
    out = capsys.readouterr().out
    assert "Base32" in out and "beleid" in out
