"""Every role against every page and API endpoint: allowed and denied, as one table.

The expected table is written out by hand (not derived from the policy module), so a change
in the policy that opens or closes a page fails here until the table is changed on purpose.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from tests.conftest import login

ROLES = [
    "case_director",
    "partner_professional",
    "analyst",
    "enforcement_officer",
    "lawyer",
    "policy_staff",
    "privacy_officer",
    "administrator",
]
# column order:     cd  pp  an  en  la  po  pr  ad
PAGES = """
home                 Y   Y   Y   Y   Y   Y   Y   Y
case_list            Y   Y   .   .   .   .   .   .
case_detail:a        Y   Y   .   .   .   .   .   .
concern_list         Y   .   .   .   .   .   .   .
concern_create       Y   Y   .   .   .   .   .   .
my_concerns          Y   Y   .   .   .   .   .   .
catalogue            Y   Y   .   .   .   .   .   .
vog_list             Y   Y   .   .   .   .   .   .
intervention_create  Y   .   .   .   .   .   .   .
programme_create     Y   .   .   .   .   .   .   .
coach_create         Y   .   .   .   .   .   .   .
outcomes             Y   .   Y   .   .   Y   .   .
premises_list        .   .   Y   Y   .   .   .   .
premises_detail      .   .   Y   Y   .   .   .   .
company_list         .   .   Y   Y   .   .   .   .
company_detail       .   .   Y   Y   .   .   .   .
person_detail        .   .   Y   .   .   .   .   .
source_list          .   .   Y   .   .   .   .   Y
import_list          .   .   Y   .   .   .   .   Y
import_detail        .   .   Y   .   .   .   .   Y
sector_view          .   .   Y   .   .   .   .   .
entity_review        .   .   Y   Y   .   .   .   .
entity_detail        .   .   Y   .   .   .   .   .
entity_detail:c      .   .   Y   Y   .   .   .   .
entity_export        .   .   Y   .   .   .   .   .
entity_search        .   .   Y   Y   .   .   .   .
monitoring           Y   .   Y   .   .   Y   .   .
monitoring_export    Y   .   Y   .   .   Y   .   .
processing_register  .   .   .   .   Y   .   Y   Y
covenant             .   .   .   .   Y   .   Y   Y
audit_log            .   .   .   .   .   .   Y   .
audit_export         .   .   .   .   .   .   Y   .
audit_verify         .   .   .   .   .   .   Y   .
retention            .   .   .   .   .   .   Y   .
subject_access       .   .   .   .   .   .   Y   .
subject_access_export .  .   .   .   .   .   Y   .
organisation_list    .   .   .   .   .   .   .   Y
user_list            .   .   .   .   .   .   .   Y
user_create          .   .   .   .   .   .   .   Y
organisation_create  .   .   .   .   .   .   .   Y
area_list            .   .   .   .   .   .   .   Y
focus_area_create    .   .   .   .   .   .   .   Y
risk_picture         .   .   Y   Y   .   .   .   .
risk_fairness        .   .   Y   Y   .   .   .   .
risk_runs            .   .   Y   Y   .   .   .   .
risk_rule_sets       .   .   Y   Y   .   .   .   .
risk_rule_set_upload .   .   Y   .   .   .   .   .
risk_algorithm_register . .  Y   Y   .   .   .   .
risk_algorithm_register_json . . Y Y .   .   .   .
job_list             Y   Y   Y   Y   Y   Y   Y   Y
api_docs             Y   Y   Y   Y   Y   Y   Y   Y
schema               Y   Y   Y   Y   Y   Y   Y   Y
api_me               Y   Y   Y   Y   Y   Y   Y   Y
api_cases            Y   Y   .   .   .   .   .   .
api_case:a           Y   Y   .   .   .   .   .   .
api_premises         .   .   Y   Y   .   .   .   .
api_premises_detail  .   .   Y   Y   .   .   .   .
api_companies        .   .   Y   Y   .   .   .   .
api_company          .   .   Y   Y   .   .   .   .
api_person           .   .   Y   .   .   .   .   .
api_processing_activities . . .  .   Y   .   Y   Y
api_audit_entries    .   .   .   .   .   .   Y   .
api_audit_verify     .   .   .   .   .   .   Y   .
api_risk_runs        .   .   Y   Y   .   .   .   .
api_monitoring       Y   .   Y   .   .   Y   .   .
api_organisations    .   .   .   .   .   .   .   Y
api_dossier:a        Y   Y   .   .   .   .   .   .
api_alerts           Y   .   .   .   .   .   .   .
api_catalogue        Y   Y   .   .   .   .   .   .
api_outcomes         Y   .   Y   .   .   Y   .   .
"""


def _matrix():
    for line in PAGES.strip().splitlines():
        name, *cells = line.split()
        assert len(cells) == len(ROLES), line
        for role, cell in zip(ROLES, cells, strict=True):
            yield name, role, cell == "Y"


def _url(name: str, world) -> str:
    name, _, arg = name.partition(":")
    kwargs = {}
    if arg == "a" or name in {"case_detail", "api_case"}:
        kwargs = {"pk": world.cases["a"].pk}
    elif name in {"premises_detail", "api_premises_detail"}:
        kwargs = {"pk": world.companies["garage"].establishment_id}
    elif name in {"company_detail", "api_company"}:
        kwargs = {"pk": world.companies["garage"].pk}
    elif name in {"person_detail", "api_person", "subject_access_export"}:
        kwargs = {"pk": world.persons["officer"].pk}
    elif name == "entity_detail" and arg == "c":  # a company entity (enforcement may see it)
        kwargs = {"entity_id": _company_entity(world)}
    elif name == "entity_detail":  # a person entity
        kwargs = {"entity_id": _entity(world)}
    elif name == "import_detail":
        kwargs = {"pk": _import_batch(world).pk}
    return reverse(name, kwargs=kwargs)


def _entity(world):
    from django.utils import timezone

    from doorbraak.entities.models import EntityAssignment, LinkageRun

    run = LinkageRun.objects.create(
        entity_type="person",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        started_by="test",
    )
    EntityAssignment.objects.create(
        run=run, record_type="person", record_id=world.persons["officer"].pk, entity_id="per-test"
    )
    return "per-test"


def _company_entity(world):
    from django.utils import timezone

    from doorbraak.entities.models import EntityAssignment, LinkageRun

    run = LinkageRun.objects.create(
        entity_type="company",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        started_by="test",
    )
    EntityAssignment.objects.create(
        run=run, record_type="company", record_id=world.companies["garage"].pk, entity_id="org-test"
    )
    return "org-test"


def _import_batch(world):
    from doorbraak.registers.models import ImportBatch

    company = world.companies["garage"]
    return ImportBatch.objects.create(
        source=company.source,
        source_type="kvk_companies",
        file_name="kvk.csv",
        file_format="csv",
        file_hash="0" * 64,
        received_on=company.received_on,
        status="accepted",
        imported_by="test",
    )


@pytest.mark.parametrize(("page", "role", "allowed"), list(_matrix()))
def test_role_page_matrix(client, world, page, role, allowed):
    login(client, world.users[role])
    before = AuditEntry.objects.filter(action="deny").count()
    response = client.get(_url(page, world))
    if allowed:
        assert response.status_code == 200, (
            f"{role} should reach {page}, got {response.status_code}"
        )
    else:
        assert response.status_code == 403, (
            f"{role} must be denied {page}, got {response.status_code}"
        )
        assert AuditEntry.objects.filter(action="deny").count() == before + 1, "denial not audited"
        denial = AuditEntry.objects.filter(action="deny").last()
        assert denial.username == world.users[role].username
        if page.startswith("api_"):
            assert response["Content-Type"].startswith("application/problem+json")
            assert response.json()["status"] == 403


@pytest.mark.parametrize(
    "page", sorted({line.split()[0] for line in PAGES.strip().splitlines()} - {"schema"})
)
def test_anonymous_is_sent_to_login_or_refused(client, world, page):
    response = client.get(_url(page, world))
    if page.startswith("api_") or page == "api_docs":
        assert response.status_code == 401
        assert response["WWW-Authenticate"]
        assert response["Content-Type"].startswith("application/problem+json")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_admin_site_only_for_administrator(client, world):
    for role in ROLES:
        login(client, world.users[role])
        response = client.get(reverse("admin:index"))
        if role == "administrator":
            assert response.status_code == 200
        else:
            assert response.status_code == 302  # to the admin login, which it cannot pass
        client.logout()


def test_partner_sees_only_cases_its_organisation_takes_part_in(client, world):
    police = world.users["partner_professional"]
    login(client, police)
    listing = client.get(reverse("case_list")).content.decode()
    assert "DB-A" in listing and "DB-B" not in listing
    response = client.get(reverse("case_detail", kwargs={"pk": world.cases["b"].pk}))
    assert response.status_code == 403
    denial = AuditEntry.objects.filter(action="deny").last()
    assert (denial.object_type, denial.object_id) == ("case", str(world.cases["b"].pk))
    api = client.get(reverse("api_case", kwargs={"pk": world.cases["b"].pk}))
    assert api.status_code == 403


@pytest.mark.parametrize(
    ("user", "sees", "does_not_see"),
    [
        ("partner_professional", ["Aanhouding winkeldiefstal"], ["Verzuim gemeld bij leerplicht"]),
        ("school", ["Verzuim gemeld bij leerplicht"], ["Aanhouding winkeldiefstal"]),
        ("case_director", ["Aanhouding winkeldiefstal", "Verzuim gemeld bij leerplicht"], []),
    ],
)
def test_data_categories_follow_the_covenant(client, world, user, sees, does_not_see):
    login(client, world.users[user])
    page = client.get(reverse("case_detail", kwargs={"pk": world.cases["a"].pk})).content.decode()
    api = client.get(reverse("api_case", kwargs={"pk": world.cases["a"].pk})).json()
    api_titles = {r["title"] for r in api["records"]}
    for title in sees:
        assert title in page and title in api_titles
    for title in does_not_see:
        assert title not in page and title not in api_titles


def test_school_cannot_add_justice_data(client, world):
    login(client, world.users["school"])
    url = reverse("api_case_records", kwargs={"pk": world.cases["a"].pk})
    denied = client.post(
        url,
        {"category": "justice", "occurred_on": "2026-03-01", "title": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    allowed = client.post(
        url,
        {"category": "education", "occurred_on": "2026-03-01", "title": "Stage gestart"},
        content_type="application/json",
    )
    assert allowed.status_code == 201
    assert AuditEntry.objects.filter(action="create", object_type="case_record").count() == 1
