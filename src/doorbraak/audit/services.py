"""Writing and verifying the audit log. The only code that creates AuditEntry rows.

Writing never waits for the chain: `record` inserts the entry unchained (its id, from the
database's sequence, is the order of writing) and, once the surrounding transaction has
committed, asks the sequencer to chain what is pending. The sequencer is a single holder at a
time (a PostgreSQL advisory lock taken with try-lock, so a request never waits for it; on SQLite
the database's single write lock, plus a per-process try-lock) that gives pending entries their
place in the chain in id order, fills in their hashes and moves the chain head. In a request
this happens after the response has been sent, so the user does not wait for it either. Entries are
never lost when chaining is late or fails: they are in the table, and the next request, the
periodic job or `verify_audit` chains them."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .context import chain_after_response, current
from .models import GENESIS_HASH, AuditEntry, ChainHead

logger = logging.getLogger(__name__)

# PostgreSQL advisory-lock key of the sequencer (a fixed 64-bit number derived from a name).
SEQUENCER_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"doorbraak.audit.sequencer").digest()[:8], "big", signed=True
)
# How much one pass chains, and how many passes a request's after-commit hook may do before it
# leaves the rest to the next one (bounds the extra time one response can take).
BATCH_SIZE = 1000
INLINE_MAX_BATCHES = 8

_process_lock = threading.Lock()


def _actor_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {
            "username": getattr(user, "username", "") or "anoniem",
            "organisation": "",
            "role": "",
        }
    org = getattr(user, "organisation", None)
    return {
        "username": user.get_username(),
        "organisation": org.code if org else "",
        "role": user.role,
    }


def record(
    action: str,
    *,
    user=None,
    username: str | None = None,
    purpose: str = "",
    object_type: str = "",
    object_id: object = "",
    categories: Iterable[str] = (),
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry: a plain insert, no lock. It joins the chain right after the
    surrounding transaction commits (or, if that rolls back, it was never written)."""
    ctx = current.get()
    actor = _actor_fields(user)
    if username:
        actor["username"] = username
    entry = AuditEntry(
        occurred_at=timezone.now(),
        purpose=purpose,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        data_categories=",".join(sorted(set(categories))),
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        method=ctx.method,
        path=ctx.path,
        detail=detail or {},
        **actor,
    )
    entry.save()
    _chain_after_this_transaction()
    return entry


def _chain_after_this_transaction() -> None:
    """One sequencer call per transaction, however many entries it writes."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        func is _chain_after_commit for _sids, func, _robust in conn.run_on_commit
    ):
        return
    transaction.on_commit(_chain_after_commit)


def _chain_after_commit() -> None:
    """After-commit hook of every write. In a request: chain once the response has been sent
    (see middleware). Elsewhere (commands, jobs): chain now."""
    deferred = chain_after_response.get()
    if deferred is not None:
        deferred.needed = True
        return
    chain_now()


def chain_now() -> None:
    """Chain what is pending, unless another sequencer is at it (then it, or the next writer,
    chains these entries too). Never fails the caller: the entries are already stored."""
    try:
        chain_pending(max_batches=INLINE_MAX_BATCHES)
    except DatabaseError:
        logger.warning(
            "audit chaining deferred (entries are stored and chained later)", exc_info=True
        )


@contextmanager
def _sequencer(wait: bool):
    """Be the one sequencer in the database, inside the caller's transaction; yields False if
    another process holds it. PostgreSQL: an advisory lock held until the transaction ends.
    SQLite: the write lock that BEGIN IMMEDIATE took (writers are serialised anyway)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCER_LOCK_KEY])
            mine = True
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEQUENCER_LOCK_KEY])
            mine = bool(cursor.fetchone()[0])
    yield mine


def _has_pending(up_to_id: int | None) -> bool:
    qs = AuditEntry.objects.filter(entry_hash__isnull=True)
    if up_to_id is not None:
        qs = qs.filter(id__lte=up_to_id)
    return qs.exists()


def _chain_batch(batch_size: int, wait: bool, up_to_id: int | None) -> int | None:
    """One pass of the sequencer: None if another sequencer holds the lock, else how many it chained."""
    with transaction.atomic():
        with _sequencer(wait) as mine:
            if not mine:
                return None
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
            pending = AuditEntry.objects.filter(entry_hash__isnull=True).order_by("id")
            if up_to_id is not None:
                pending = pending.filter(id__lte=up_to_id)
            pending = list(pending[:batch_size])
            if not pending:
                return 0
            prev, seq, rows = head.last_hash, head.last_seq, []
            for entry in pending:
                seq += 1
                entry.chain_seq, entry.prev_hash = seq, prev
                entry.entry_hash = entry.compute_hash()
                rows.append((seq, prev, entry.entry_hash, entry.pk))
                prev = entry.entry_hash
            with connection.cursor() as cursor:
                # The one update the append-only triggers allow: chain fields of unchained rows.
                cursor.executemany(
                    "UPDATE audit_auditentry SET chain_seq = %s, prev_hash = %s, entry_hash = %s "
                    "WHERE id = %s AND entry_hash IS NULL",
                    rows,
                )
                # Move the head only from where this pass found it: two sequencers can never fork it.
                cursor.execute(
                    "UPDATE audit_chainhead SET last_hash = %s, last_seq = %s, last_entry_id = %s "
                    "WHERE id = %s AND last_seq = %s AND last_hash = %s",
                    [prev, seq, pending[-1].pk, head.pk, head.last_seq, head.last_hash],
                )
                if cursor.rowcount != 1:
                    raise DatabaseError("audit chain head moved during chaining")
            return len(pending)


def chain_pending(
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    wait: bool = False,
    up_to_id: int | None = None,
) -> int:
    """Chain every committed, not yet chained entry (up to `up_to_id`), in id order.

    With wait=False (after a write) it gives way at once, without a query, to a sequencer that is
    already running, in this process (a thread lock) or another (the database lock); that one
    looks again for pending entries after it lets go, so an entry committed while it ran is not
    left behind. Returns the number of entries chained here."""
    total = batches = 0
    while True:
        if not _process_lock.acquire(blocking=wait):
            return total  # another thread of this process is at it
        try:
            while max_batches is None or batches < max_batches:
                if not _has_pending(up_to_id):
                    break
                chained = _chain_batch(batch_size, wait, up_to_id)
                if chained is None:
                    return total  # another process is at it
                total += chained
                batches += 1
            else:
                return total  # enough for one caller; the next write or the periodic run goes on
        finally:
            _process_lock.release()
        # Let go, then look once more: a thread that found the lock held has left its entry to us.
        if not _has_pending(up_to_id):
            return total


def pending_count() -> int:
    return AuditEntry.objects.filter(entry_hash__isnull=True).count()


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    unchained: int = 0  # entries written but not (yet) in the chain when the check ended
    chained_now: int = 0  # entries the check chained first


def verify_chain(batch_size: int = 5000, *, chain_first: bool = True) -> ChainReport:
    """Chain what is pending (unless chain_first=False), then recompute every hash and link in
    chain order; report the first entry that does not fit, and how many are not yet chained."""
    chained_now = 0
    if chain_first:
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        if last is not None:
            chained_now = chain_pending(wait=True, up_to_id=last)
    report = _verify(batch_size)
    report.chained_now = chained_now
    report.unchained = pending_count()
    return report


def _verify(batch_size: int) -> ChainReport:
    prev = GENESIS_HASH
    checked = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(chain_seq__gt=checked).order_by("chain_seq")[:batch_size]
        )
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != prev:
                return ChainReport(
                    False,
                    checked,
                    entry.id,
                    "link to previous entry broken (entry removed or inserted)",
                )
            if entry.chain_seq != checked + 1:
                return ChainReport(
                    False,
                    checked,
                    entry.id,
                    "place in the chain out of order (entry removed or inserted)",
                )
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(
                    False, checked, entry.id, "content does not match its hash (entry altered)"
                )
            prev = entry.entry_hash
            checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head and (head.last_hash != prev or head.last_seq != checked):
        return ChainReport(
            False, checked, head.last_entry_id, "latest entries missing (log truncated)"
        )
    return ChainReport(True, checked)
