"""Writing and verifying the audit log. The only code that creates AuditEntry rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .context import current
from .models import GENESIS_HASH, AuditEntry, ChainHead


def _actor_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"username": getattr(user, "username", "") or "anoniem", "organisation": "", "role": ""}
    org = getattr(user, "organisation", None)
    return {"username": user.get_username(), "organisation": org.code if org else "", "role": user.role}


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
    """Append one entry. Runs in its own atomic block with the chain head locked, so the
    chain stays linear under concurrent requests."""
    ctx = current.get()
    actor = _actor_fields(user)
    if username:
        actor["username"] = username
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
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
            prev_hash=head.last_hash,
            **actor,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_hash = entry.entry_hash
        head.last_entry_id = entry.pk
        head.save(update_fields=["last_hash", "last_entry_id"])
    return entry


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash and link; report the first entry that does not fit."""
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != prev:
                return ChainReport(False, checked, entry.id, "link to previous entry broken (entry removed or inserted)")
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(False, checked, entry.id, "content does not match its hash (entry altered)")
            prev = entry.entry_hash
            checked += 1
            last_id = entry.id
    head = ChainHead.objects.filter(pk=1).first()
    if head and head.last_hash != prev:
        return ChainReport(False, checked, head.last_entry_id, "latest entries missing (log truncated)")
    return ChainReport(True, checked)
