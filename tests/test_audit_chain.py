"""The audit chain under load: entries are written at once (no chain lock) and chained in order
by a single sequencer after commit; the database lets the sequencer fill in exactly the chain
fields of unchained rows and nothing else; many threads doing audited reads at once leave every
read in the log, chained, and tampering is still detected."""

from __future__ import annotations

import threading
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditEntry, ChainHead
from tests.conftest import login

migration = import_module("doorbraak.audit.migrations.0003_chain_sequencer")


def _fresh(entry) -> AuditEntry:
    return AuditEntry.objects.get(pk=entry.pk)


@pytest.mark.django_db(transaction=True)
def test_entry_is_written_unchained_and_chained_once_its_transaction_commits(world):
    user = world.users["analyst"]
    with transaction.atomic():
        entry = audit.record("read", user=user, object_type="person", object_id=1)
        inside = _fresh(entry)
        assert inside.entry_hash is None and inside.prev_hash is None and inside.chain_seq is None
        second = audit.record("read", user=user, object_type="person", object_id=11)
        hooks = [f for _s, f, _r in connection.run_on_commit if f is audit._chain_after_commit]
        assert len(hooks) == 1  # one sequencer run per transaction, however many entries
    after, second = _fresh(entry), _fresh(second)
    assert after.chain_seq is not None and after.entry_hash == after.compute_hash()
    assert second.chain_seq == after.chain_seq + 1 and second.prev_hash == after.entry_hash

    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = audit.record("read", user=user, object_type="person", object_id=2)
        raise RuntimeError("the read failed")
    assert not AuditEntry.objects.filter(pk=rolled_back.pk).exists()

    plain = _fresh(audit.record("read", user=user, object_type="person", object_id=3))  # autocommit
    assert plain.chain_seq == second.chain_seq + 1 and plain.prev_hash == second.entry_hash
    report = audit.verify_chain(chain_first=False)
    assert report.ok and report.unchained == 0 and report.checked == AuditEntry.objects.count()


def test_verify_audit_reports_unchained_entries_and_chains_them_first(world, capsys):
    entries = [
        audit.record("read", user=world.users["analyst"], object_type="person", object_id=i)
        for i in range(3)
    ]
    call_command("verify_audit", "--no-chain")
    out = capsys.readouterr().out
    assert "3 entries are stored but not yet chained" in out
    assert _fresh(entries[0]).entry_hash is None  # --no-chain really does not chain
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert (
        "Chained 3 entries" in out
        and "intact: 3 entries verified" in out
        and "not yet chained" not in out
    )
    assert [_fresh(e).chain_seq for e in entries] == [1, 2, 3]
    head = ChainHead.objects.get(pk=1)
    assert head.last_seq == 3 and head.last_hash == _fresh(entries[-1]).entry_hash


# --- the append-only triggers allow the sequencer's update and nothing else ------------------


def test_trigger_column_list_covers_every_column_of_the_table():
    columns = {f.column for f in AuditEntry._meta.concrete_fields}
    assert set(migration.PROTECTED_COLUMNS) | set(migration.CHAIN_COLUMNS) == columns
    assert not set(migration.PROTECTED_COLUMNS) & set(migration.CHAIN_COLUMNS)


CHAIN_SQL = "UPDATE audit_auditentry SET chain_seq = %s, prev_hash = %s, entry_hash = %s"
OTHER_VALUES = {
    "id": 10_000_000,
    "occurred_at": timezone.now() - timedelta(days=3),
    "username": "iemand-anders",
    "organisation": "elders",
    "role": "analyst2",
    "purpose": "nieuwsgierig",
    "action": "update",
    "object_type": "case",
    "object_id": "999",
    "data_categories": "care",
    "request_id": "vervalst",
    "ip_address": "10.0.0.66",
    "method": "POST",
    "path": "/elders/",
    "detail": '{"vervalst": true}',
}


def _refused(cursor, sql, params):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            cursor.execute(sql, params)


def test_database_allows_filling_in_the_chain_fields_of_an_unchained_entry_and_nothing_else(world):
    assert set(OTHER_VALUES) == set(migration.PROTECTED_COLUMNS)
    user = world.users["analyst"]
    unchained = audit.record("read", user=user, object_type="person", object_id=1)
    other = audit.record("read", user=user, object_type="person", object_id=2)
    h1, h2 = "a" * 64, "b" * 64
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance_window")  # the triggers as in production
            # Any other column changed along with the chain fields: refused, column by column.
            for column, value in OTHER_VALUES.items():
                _refused(
                    cursor,
                    CHAIN_SQL + f", {column} = %s WHERE id = %s",
                    [10**9, "0" * 64, h1, value, unchained.pk],
                )
            # Only some of the chain fields, or emptying them: refused.
            _refused(
                cursor,
                "UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s",
                [h1, unchained.pk],
            )
            _refused(cursor, CHAIN_SQL + " WHERE id = %s", [10**9, None, h1, unchained.pk])
            # Deleting an unchained entry: refused.
            _refused(cursor, "DELETE FROM audit_auditentry WHERE id = %s", [unchained.pk])
            # The sequencer's update: allowed.
            with transaction.atomic():
                cursor.execute(CHAIN_SQL + " WHERE id = %s", [10**9, "0" * 64, h1, unchained.pk])
            assert _fresh(unchained).entry_hash == h1
            # Chaining it again (re-writing the chain of a chained entry): refused.
            _refused(cursor, CHAIN_SQL + " WHERE id = %s", [7, "0" * 64, h2, unchained.pk])
            _refused(
                cursor,
                "UPDATE audit_auditentry SET chain_seq = NULL, prev_hash = NULL, entry_hash = NULL "
                "WHERE id = %s",
                [unchained.pk],
            )
            _refused(cursor, "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s", [other.pk])
            _refused(cursor, "DELETE FROM audit_auditentry WHERE id = %s", [unchained.pk])
            # The real sequencer works with the window closed.
            assert audit.chain_pending(wait=True) == 1
            assert _fresh(other).chain_seq is not None
        transaction.set_rollback(True)  # reopen the test database's window
    assert _fresh(unchained).entry_hash is None and _fresh(unchained).purpose != "x"


# --- many threads at once ---------------------------------------------------------------------


def _run_threads(n: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def _assert_complete_and_tamper_evident(expected_total: int) -> None:
    # The after-commit sequencer of the requests themselves chained everything: no help from
    # verify_audit (which would chain what is left first).
    report = audit.verify_chain(chain_first=False)
    assert report.unchained == 0, f"{report.unchained} entries left unchained"
    assert report.ok, report
    assert report.checked == AuditEntry.objects.count() == expected_total
    seqs = list(AuditEntry.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, expected_total + 1))  # one linear chain: no fork, no gap
    victim = AuditEntry.objects.order_by("chain_seq")[expected_total // 2]
    with connection.cursor() as cursor:  # the test database's maintenance window is open
        cursor.execute(
            "UPDATE audit_auditentry SET username = %s WHERE id = %s", ["iemand-anders", victim.pk]
        )
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id == victim.pk and "altered" in report.reason


@pytest.mark.django_db(transaction=True)
def test_many_threads_doing_audited_reads_leave_every_read_in_the_chain(world):
    user = world.users["partner_professional"]
    url = reverse("case_detail", kwargs={"pk": world.cases["a"].pk})
    session_client = login(Client(), user)
    cookies = session_client.cookies
    before = AuditEntry.objects.count()
    threads, per_thread = 12, 15

    def work(i):
        client = Client()
        client.cookies = cookies
        for j in range(per_thread):
            response = client.get(url, HTTP_X_REQUEST_ID=f"load-{i}-{j}")
            assert response.status_code == 200, response.status_code

    errors = _run_threads(threads, work)
    assert not errors, errors[:3]
    reads = set(
        AuditEntry.objects.filter(action="read", object_type="case").values_list(
            "request_id", flat=True
        )
    )
    assert reads >= {
        f"load-{i}-{j}" for i in range(threads) for j in range(per_thread)
    }  # every read is there
    _assert_complete_and_tamper_evident(AuditEntry.objects.count())
    assert AuditEntry.objects.count() >= before + threads * per_thread


@pytest.mark.django_db(transaction=True)
def test_many_threads_writing_entries_directly_form_one_linear_chain(world):
    user = world.users["analyst"]
    before = AuditEntry.objects.count()
    threads, per_thread = 16, 60

    def work(i):
        for j in range(per_thread):
            audit.record("read", user=user, object_type="person", object_id=f"{i}-{j}")

    errors = _run_threads(threads, work)
    assert not errors, errors[:3]
    ids = set(AuditEntry.objects.filter(object_type="person").values_list("object_id", flat=True))
    assert ids == {f"{i}-{j}" for i in range(threads) for j in range(per_thread)}
    _assert_complete_and_tamper_evident(before + threads * per_thread)


@pytest.mark.django_db(transaction=True)
def test_in_a_request_entries_are_chained_after_the_response_has_gone_out(world, rf):
    from django.http import HttpResponse

    from doorbraak.audit.middleware import RequestContextMiddleware

    written = []

    def view(request):
        written.append(
            audit.record("read", user=world.users["analyst"], object_type="person", object_id=1)
        )
        return HttpResponse("ok")

    response = RequestContextMiddleware(view)(
        rf.get("/personen/1/", HTTP_X_REQUEST_ID="na-antwoord")
    )
    entry = _fresh(written[0])
    assert (
        entry.request_id == "na-antwoord" and entry.entry_hash is None
    )  # the response did not wait
    response.close()  # what the application server does once the body is sent
    assert _fresh(written[0]).entry_hash == _fresh(written[0]).compute_hash()
    assert audit.verify_chain(chain_first=False).unchained == 0


@pytest.mark.django_db(transaction=True)
def test_an_entry_written_while_the_sequencer_finishes_is_chained_by_it(world, monkeypatch):
    """The hand-off: a writer that finds the sequencer busy leaves its entry to it; the sequencer
    looks again after letting go. Here the writer commits exactly between the sequencer's last
    look and its letting go, the narrowest case."""
    user = world.users["analyst"]
    real_has_pending = audit._has_pending
    late = []

    def write_in_another_thread():
        try:
            late.append(audit.record("read", user=user, object_type="person", object_id="laat"))
        finally:
            connection.close()

    def has_pending(up_to_id):
        found = real_has_pending(up_to_id)
        if not found and not late and audit._process_lock.locked():
            writer = threading.Thread(target=write_in_another_thread)
            writer.start()
            writer.join(30)
            assert _fresh(late[0]).entry_hash is None  # its own sequencer call gave way
        return found

    monkeypatch.setattr(audit, "_has_pending", has_pending)
    first = audit.record(
        "read", user=user, object_type="person", object_id="eerst"
    )  # autocommit: chains now
    assert late, "the writer did not run while the sequencer held its lock"
    assert _fresh(first).chain_seq is not None
    assert _fresh(late[0]).chain_seq == _fresh(first).chain_seq + 1
