"""The audit log: reads, writes and denials are recorded; entries can't be changed; the hash
chain exposes tampering."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from doorbraak.audit import services as audit
from doorbraak.audit.models import AppendOnlyError, AuditEntry
from tests.conftest import login


def test_case_read_is_audited_with_who_what_purpose_and_request(client, world):
    user = world.users["partner_professional"]
    login(client, user)
    response = client.get(
        reverse("case_detail", kwargs={"pk": world.cases["a"].pk}), HTTP_X_REQUEST_ID="req-123"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="read", object_type="case").last()
    assert entry.username == "agent"
    assert entry.organisation == "politie"
    assert entry.role == "partner_professional"
    assert entry.purpose == "casusaanpak"
    assert entry.object_id == str(world.cases["a"].pk)
    assert set(entry.data_categories.split(",")) == {"identity", "contact", "justice"}
    assert entry.request_id == "req-123"
    assert entry.path == reverse("case_detail", kwargs={"pk": world.cases["a"].pk})
    assert response["X-Request-ID"] == "req-123"


def test_denial_is_audited(client, world):
    login(client, world.users["policy_staff"])
    client.get(reverse("audit_log"))
    entry = AuditEntry.objects.filter(action="deny").last()
    assert entry.username == "beleid"
    assert entry.detail["reason"].startswith("missing capability audit.view")


def test_analyst_reads_pseudonymised_and_reveal_needs_a_purpose(client, world):
    person = world.persons["officer"]
    login(client, world.users["analyst"])
    page = client.get(reverse("person_detail", kwargs={"pk": person.pk})).content.decode()
    assert person.pseudonym in page and person.surname not in page
    assert AuditEntry.objects.filter(
        action="read", object_type="person", object_id=str(person.pk)
    ).last().detail == {"pseudonymised": True}
    client.post(reverse("person_reveal", kwargs={"pk": person.pk}), {"reason": "kort"})
    assert not AuditEntry.objects.filter(action="reveal").exists()
    client.post(
        reverse("person_reveal", kwargs={"pk": person.pk}),
        {"reason": "Bibob-onderzoek vergunning 2026-17"},
    )
    reveal = AuditEntry.objects.get(action="reveal")
    assert reveal.detail["reason"] == "Bibob-onderzoek vergunning 2026-17"
    page = client.get(reverse("person_detail", kwargs={"pk": person.pk})).content.decode()
    assert person.surname in page


def test_enforcement_officer_cannot_reveal(client, world):
    login(client, world.users["enforcement_officer"])
    response = client.post(
        reverse("person_reveal", kwargs={"pk": world.persons["officer"].pk}), {"reason": "x" * 20}
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_entries_cannot_be_changed_or_deleted_by_the_application(world):
    entry = audit.record("read", user=world.users["analyst"], object_type="person", object_id=1)
    entry.purpose = "iets anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_database_refuses_update_and_delete_outside_a_maintenance_window(world):
    entry = audit.record("read", user=world.users["analyst"], object_type="person", object_id=1)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance_window")
            for sql in (
                "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s",
                "DELETE FROM audit_auditentry WHERE id = %s",
            ):
                with pytest.raises(DatabaseError, match="append-only"):
                    with transaction.atomic():
                        cursor.execute(sql, [entry.pk])
        transaction.set_rollback(True)  # reopen the test database's window
    assert AuditEntry.objects.filter(pk=entry.pk, purpose="").exists()


def _tamper(sql: str, params: list) -> None:
    """What an attacker with database access would do (the test database's maintenance
    window is open, so the triggers let it through)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _chained(entries):
    """The entries once the sequencer has chained them (inside a test transaction nothing
    commits, so the after-commit sequencer does not run: chain as verify_audit would)."""
    audit.chain_pending(wait=True)
    return [AuditEntry.objects.get(pk=e.pk) for e in entries]


def test_hash_chain_verifies_and_detects_an_altered_entry(world):
    entries = [
        audit.record("read", user=world.users["analyst"], object_type="person", object_id=i)
        for i in range(5)
    ]
    assert audit.verify_chain().ok
    call_command("verify_audit")
    _tamper(
        "UPDATE audit_auditentry SET username = %s WHERE id = %s", ["iemand-anders", entries[2].pk]
    )
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_bad_id == entries[2].pk
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"BROKEN at entry {entries[2].pk}"):
        call_command("verify_audit")


def test_hash_chain_detects_a_removed_entry(world):
    entries = _chained(
        [
            audit.record("read", user=world.users["analyst"], object_type="person", object_id=i)
            for i in range(4)
        ]
    )
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id == entries[2].pk and "link" in report.reason


def test_hash_chain_detects_truncation(world):
    entries = _chained(
        [
            audit.record("read", user=world.users["analyst"], object_type="person", object_id=i)
            for i in range(3)
        ]
    )
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    report = audit.verify_chain()
    assert not report.ok and "truncated" in report.reason


def test_privacy_officer_searches_and_exports(client, world):
    login(client, world.users["analyst"])
    client.get(reverse("person_detail", kwargs={"pk": world.persons["officer"].pk}))
    client.logout()
    login(client, world.users["privacy_officer"])
    page = client.get(
        reverse("audit_log"), {"username": "analist", "action": "read"}
    ).content.decode()
    assert "analist" in page
    export = client.get(reverse("audit_export"), {"username": "analist"})
    body = b"".join(export.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("id,occurred_at,username")
    assert all(",analist," in line for line in lines[1:]) and len(lines) >= 2
    assert AuditEntry.objects.filter(
        action="export", object_type="audit_log", username="privacy"
    ).exists()
    bad = client.get(reverse("api_audit_entries"), {"date_from": "gisteren"})
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "date_from"
