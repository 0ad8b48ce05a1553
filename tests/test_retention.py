"""The retention job at a simulated later date."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management import call_command

from doorbraak.audit.models import AuditEntry
from doorbraak.audit.services import verify_chain
from doorbraak.careers.models import Case, CaseRecord
from doorbraak.privacy.models import RetentionRun
from doorbraak.privacy.retention import run_retention
from doorbraak.registers.models import Person
from tests import factories as f


def test_closed_case_is_anonymised_after_its_retention_period_and_not_before(world):
    case = world.cases["b"]
    case.status, case.closed_on = "closed", date(2020, 6, 30)
    case.save()
    five_years = case.case_type.retention_days

    run_retention(date(2020, 6, 30) + timedelta(days=five_years))  # last day of retention
    case.refresh_from_db()
    assert not case.anonymised and case.records.exists()

    result = run_retention(date(2020, 6, 30) + timedelta(days=five_years + 1))
    case.refresh_from_db()
    assert case.anonymised and case.subject is None and case.summary == ""
    assert not CaseRecord.objects.filter(case=case).exists()
    subject = world.persons["subject_b"]
    subject.refresh_from_db()
    assert (
        subject.anonymised
        and subject.given_names == ""
        and subject.bsn == ""
        and subject.birth_date is None
    )
    assert result["counts"] == {"case:anonymise": 1}
    entry = AuditEntry.objects.get(action="anonymise", object_type="case")
    assert entry.object_id == str(case.pk) and entry.username == "systeem:bewaartermijn"
    assert entry.detail["as_of"] == (date(2020, 6, 30) + timedelta(days=five_years + 1)).isoformat()
    assert RetentionRun.objects.count() == 2
    assert verify_chain().ok


def test_open_cases_are_never_touched(world):
    run_retention(date(2099, 1, 1))
    for case in Case.objects.filter(status="open"):
        assert not case.anonymised


def test_register_persons_are_deleted_after_source_retention_unless_case_subject(world):
    source = world.persons["officer"].source
    source.retention_days = 365
    source.save()
    loose = f.PersonFactory(source=source, received_on=date(2025, 1, 1))
    recent = f.PersonFactory(source=source, received_on=date(2026, 10, 1))
    call_command("retention", "--as-of", "2026-11-28")
    assert not Person.objects.filter(pk=loose.pk).exists()
    assert Person.objects.filter(pk=recent.pk).exists()
    # Case subjects come from the same source but are kept under the case type's retention.
    assert Person.objects.filter(pk=world.persons["subject_a"].pk).exists()
    deleted = AuditEntry.objects.filter(action="delete", object_type="person").values_list(
        "object_id", flat=True
    )
    assert str(loose.pk) in deleted


def test_privacy_officer_runs_the_job_from_the_page(client, world):
    from tests.conftest import login

    case = world.cases["b"]
    case.status, case.closed_on = "closed", date(2010, 1, 1)
    case.save()
    login(client, world.users["privacy_officer"])
    page = client.get("/privacy/bewaartermijnen/").content.decode()
    assert "1 × casus" in page  # the object type in Dutch, not its internal id
    client.post("/privacy/bewaartermijnen/")
    case.refresh_from_db()
    assert case.anonymised
