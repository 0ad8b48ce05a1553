"""Audit integrity beyond the database: a signed checkpoint of the chain's head, kept outside it,
catches a chain rewritten together with its head; the application's database user cannot open
the maintenance window (PostgreSQL)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditEntry, ChainHead

ROOT = Path(__file__).resolve().parent.parent


def _entries(world, n: int = 6) -> None:
    user = world.users["analyst"]
    for i in range(n):
        audit.record("read", user=user, object_type="person", object_id=i)
    audit.chain_pending(wait=True)


def _rewrite_from(seq: int) -> None:
    """What a database administrator with the maintenance window could do: change an entry and
    recompute every hash after it, and the head, so that the chain verifies again."""
    entries = list(AuditEntry.objects.filter(chain_seq__gte=seq).order_by("chain_seq"))
    prev = AuditEntry.objects.get(chain_seq=seq - 1).entry_hash if seq > 1 else "0" * 64
    with connection.cursor() as cursor:  # the test database's maintenance window is open
        for i, entry in enumerate(entries):
            if i == 0:
                entry.username = "iemand-anders"
            entry.prev_hash = prev
            entry.entry_hash = entry.compute_hash()
            cursor.execute(
                "UPDATE audit_auditentry SET username = %s, prev_hash = %s, entry_hash = %s "
                "WHERE id = %s",
                [entry.username, entry.prev_hash, entry.entry_hash, entry.pk],
            )
            prev = entry.entry_hash
        cursor.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev])


def _truncate_after(seq: int) -> None:
    keep = AuditEntry.objects.get(chain_seq=seq)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE chain_seq > %s", [seq])
        cursor.execute(
            "UPDATE audit_chainhead SET last_hash = %s, last_seq = %s, last_entry_id = %s "
            "WHERE id = 1",
            [keep.entry_hash, seq, keep.pk],
        )


def test_checkpoint_catches_a_chain_rewritten_with_its_head(world, tmp_path, capsys):
    _entries(world)
    checkpoint = tmp_path / "cp.json"
    call_command("audit_checkpoint", "--output", str(checkpoint))
    data = json.loads(checkpoint.read_text())
    head = ChainHead.objects.get(pk=1)
    assert data["chain_seq"] == head.last_seq >= 6 and data["entry_hash"] == head.last_hash
    call_command("verify_audit", "--checkpoint", str(checkpoint))
    assert "matches" in capsys.readouterr().out

    _rewrite_from(3)
    # The chain alone cannot tell: every hash and the head fit again ...
    call_command("verify_audit")
    assert audit.verify_chain().ok
    # ... the checkpoint written before can.
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit", "--checkpoint", str(checkpoint))


def test_checkpoint_catches_a_truncated_log_whose_head_was_moved_back(world, tmp_path):
    _entries(world)
    checkpoint = tmp_path / "cp.json"
    call_command("audit_checkpoint", "--output", str(checkpoint))
    _truncate_after(2)
    assert audit.verify_chain().ok
    with pytest.raises(CommandError, match="truncated"):
        call_command("verify_audit", "--checkpoint", str(checkpoint))


def test_a_forged_or_foreign_checkpoint_is_refused(world, tmp_path, settings):
    _entries(world)
    checkpoint = tmp_path / "cp.json"
    call_command("audit_checkpoint", "--output", str(checkpoint))
    _rewrite_from(2)
    # The administrator writes a checkpoint to match the rewritten chain: without the key, the
    # signature does not match.
    data = json.loads(checkpoint.read_text())
    data["entry_hash"] = ChainHead.objects.get(pk=1).last_hash
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("verify_audit", "--checkpoint", str(forged))
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(CommandError, match="not a Doorbraak audit checkpoint"):
        call_command("verify_audit", "--checkpoint", str(tmp_path / "junk.json"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("verify_audit", "--checkpoint", str(tmp_path / "missing.json"))
    settings.AUDIT_CHECKPOINT_KEY = "another-installation-" + "k" * 20
    with pytest.raises(CommandError, match="another key"):
        call_command("verify_audit", "--checkpoint", str(checkpoint))


def test_the_worker_writes_a_checkpoint_once_a_day(world, tmp_path, settings):
    from doorbraak.jobs import registry
    from doorbraak.jobs.actions import start_job
    from doorbraak.jobs.models import Job, JobStatus

    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    assert "audit_checkpoint" in {k.name for k in registry.daily_kinds()}
    _entries(world, 3)
    job = start_job("audit_checkpoint", requested_by="system")
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.error
    files = list((tmp_path / "checkpoints").glob("audit-checkpoint-*.json"))
    assert len(files) == 1
    call_command("verify_audit", "--checkpoint", str(files[0]))


# --- the application's database user (PostgreSQL) ------------------------------------------

GRANTS = (ROOT / "deploy" / "postgres-grants.sql").read_text()


def _denied(cursor, sql, params=()):
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        with transaction.atomic():
            cursor.execute(sql, params)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL grants"
)
def test_application_user_cannot_open_the_maintenance_window(world):
    """deploy/postgres-grants.sql applied to a role like the application's: it writes and chains
    audit entries, but cannot open the window, change or delete an entry, or touch a trigger.
    (Inside the test's transaction: the role and its grants are rolled back afterwards.)"""
    role = f"doorbraak_app_test_{os.getpid()}"
    user = world.users["analyst"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        sql = "\n".join(
            line for line in GRANTS.splitlines() if not line.strip().startswith("--")
        ).replace("doorbraak_app", role)
        for statement in sql.split(";"):
            if statement.strip():
                cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
        try:
            # The maintenance window: readable (the triggers read it), never writable.
            cursor.execute("SELECT count(*) FROM audit_maintenance_window")
            _denied(
                cursor,
                "INSERT INTO audit_maintenance_window (reason, opened_at) VALUES ('x', now())",
            )
            _denied(cursor, "DELETE FROM audit_maintenance_window")
            # The audit log: entries written and chained by the application as always ...
            entry = audit.record("read", user=user, object_type="person", object_id=99)
            assert audit.chain_pending(wait=True) >= 1
            assert AuditEntry.objects.get(pk=entry.pk).entry_hash
            # ... but never changed, deleted, emptied, or its triggers switched off.
            _denied(cursor, "UPDATE audit_auditentry SET username = 'x' WHERE id = %s", [entry.pk])
            _denied(cursor, "DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
            _denied(cursor, "TRUNCATE audit_auditentry")
            _denied(cursor, "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
            _denied(cursor, "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry")
            # Other tables as usual.
            cursor.execute("SELECT count(*) FROM partners_user")
        finally:
            cursor.execute("RESET ROLE")
