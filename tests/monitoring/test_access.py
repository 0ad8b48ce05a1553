"""Policy staff, programme owners and area managers see aggregates only: every page and API
endpoint with a case, person or record is refused for them, and each refusal is audited. The
report export is audited; the texts per pillar are written by policy staff only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from tests.conftest import login

AGGREGATE_ROLES = ["policy_staff", "programme_owner", "area_manager"]


@pytest.fixture
def users(world):
    return world.users


def _personal_urls(world):
    a = world.cases["a"]
    person = world.persons["subject_a"]
    company = world.companies["garage"]
    premises = company.establishment
    return [
        reverse("case_list"),
        reverse("case_detail", args=[a.pk]),
        reverse("concern_list"),
        reverse("premises_list"),
        reverse("premises_detail", args=[premises.pk]),
        reverse("company_list"),
        reverse("company_detail", args=[company.pk]),
        reverse("person_detail", args=[person.pk]),
        reverse("entity_review"),
        reverse("entity_search"),
        reverse("audit_log"),
        reverse("subject_access"),
        reverse("api_cases"),
        reverse("api_case", args=[a.pk]),
        reverse("api_person", args=[person.pk]),
        reverse("api_premises"),
        reverse("api_companies"),
        reverse("api_audit_entries"),
    ]


@pytest.mark.parametrize("role", AGGREGATE_ROLES)
def test_aggregate_roles_reach_no_case_person_or_record(client, world, users, role):
    user = users[role]
    login(client, user)
    for url in _personal_urls(world):
        before = AuditEntry.objects.filter(action="deny", username=user.username).count()
        response = client.get(url)
        assert response.status_code == 403, (role, url, response.status_code)
        after = AuditEntry.objects.filter(action="deny", username=user.username).count()
        assert after == before + 1, f"denial of {url} for {role} is audited"


@pytest.mark.parametrize("role", AGGREGATE_ROLES)
def test_aggregate_roles_see_the_dashboard_without_a_second_factor(client, users, role):
    from doorbraak import policy

    user = users[role]
    assert not policy.requires_second_factor(user)
    client.force_login(user)
    page = client.get(reverse("monitoring"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mensen in de aanpak" in html and "<svg" in html
    assert client.get(reverse("api_monitoring")).status_code == 200


def test_only_policy_staff_export_the_report_and_write_texts(client, users):
    for role in ("programme_owner", "area_manager"):
        client.force_login(users[role])
        assert client.get(reverse("monitoring_report_pdf")).status_code == 403
        assert client.get(reverse("monitoring_texts")).status_code == 403
    client.force_login(users["programme_owner"])
    assert client.get(reverse("prevention")).status_code == 200
    client.force_login(users["area_manager"])
    assert client.get(reverse("prevention")).status_code == 403


def test_texts_are_stored_per_period_audited_and_in_the_report(client, users):
    staff = users["policy_staff"]
    client.force_login(staff)
    q = "?area=&from=2026-01-01&to=2026-09-30"
    response = client.post(
        reverse("monitoring_texts") + q,
        {
            "text_careers": "Meer jongeren bereikt dan vorig jaar.",
            "text_money": "",
            "text_prevention": "",
        },
    )
    assert response.status_code == 302
    from doorbraak.monitoring.models import PillarText

    t = PillarText.objects.get(pillar="careers")
    assert (str(t.period_start), str(t.period_end)) == ("2026-01-01", "2026-09-30")
    assert AuditEntry.objects.filter(
        object_type="monitoring_text", username=staff.username
    ).exists()
    page = client.get(reverse("monitoring") + q).content.decode()
    assert "Meer jongeren bereikt dan vorig jaar." in page


def test_exports_are_audited(client, users):
    staff = users["policy_staff"]
    client.force_login(staff)
    response = client.get(reverse("monitoring_report_csv", args=["inclusions"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Kwartaal" and rows[0][-1] == "Totaal" and rows[-1][0] == "Totaal"
    pdf = client.get(reverse("monitoring_report_pdf"))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert client.get(reverse("monitoring_export")).status_code == 200
    exports = AuditEntry.objects.filter(
        action="export", object_type="monitoring", username=staff.username
    )
    assert set(exports.values_list("object_id", flat=True)) >= {
        "inclusions.csv",
        "report.pdf",
        "dashboard.csv",
    }


def test_prevention_registration_is_validated_and_audited(client, users):
    owner = users["programme_owner"]
    client.force_login(owner)
    bad = client.post(reverse("prevention"), {"kind": "kapot_sterk", "wijk": "overvecht"})
    assert bad.status_code == 400
    from doorbraak.monitoring.models import PreventionActivity

    assert not PreventionActivity.objects.exists()
    ok = client.post(
        reverse("prevention"),
        {
            "kind": "kapot_sterk",
            "location": "OBS De Tuinen",
            "wijk": "overvecht",
            "area": "",
            "period_start": "2026-09-01",
            "period_end": "2026-10-15",
            "sessions": "5",
            "participants": "48",
        },
    )
    assert ok.status_code == 302
    row = PreventionActivity.objects.get()
    assert (row.participants, row.registered_by_id) == (48, owner.pk)
    assert AuditEntry.objects.filter(object_type="prevention", action="create").exists()
