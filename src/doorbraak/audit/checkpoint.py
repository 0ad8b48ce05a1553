"""Checkpoints of the audit chain's head, kept outside the database.

The hash chain shows an entry altered, removed or inserted, and the chain head shows a truncated
log, but a database administrator who rewrites every entry from some point on *and* the head
leaves a chain that verifies. A checkpoint written earlier, outside the database, catches that: it
holds the place and hash of the chain's last entry at the time, signed with HMAC-SHA256 under a key
the database does not hold (DOORBRAAK_AUDIT_CHECKPOINT_KEY; without it a key derived from the
secret key). `verify_audit --checkpoint FILE` then requires that entry, with that hash, to be in
the chain, and the chain to verify.

The worker writes one a day (job `audit_checkpoint`), `doorbraak audit_checkpoint` one at any
time; the privacy officer keeps copies where the database administrator cannot change them."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from .models import AuditEntry, ChainHead

FORMAT = "doorbraak-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "written_at", "chain_seq", "entry_id", "entry_hash", "key_id")


class CheckpointError(ValueError):
    """The checkpoint file is unreadable, not a checkpoint, or its signature does not match."""


def _key() -> bytes:
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"doorbraak.audit.checkpoint", "sha256").digest()


def key_id() -> str:
    """Which key signed a checkpoint (a hash of the key, never the key)."""
    return hashlib.sha256(b"key-id:" + _key()).hexdigest()[:16]


def _signature(payload: dict) -> str:
    message = json.dumps(
        {k: payload[k] for k in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")
    ).encode()
    return hmac.new(_key(), message, "sha256").hexdigest()


def make_checkpoint() -> dict:
    """The current head, after chaining what is pending, as a signed checkpoint."""
    from .services import chain_pending

    chain_pending(wait=True)
    head = ChainHead.objects.filter(pk=1).first()
    seq = head.last_seq if head else 0
    entry = AuditEntry.objects.filter(chain_seq=seq).first() if seq else None
    payload = {
        "format": FORMAT,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chain_seq": seq,
        "entry_id": entry.pk if entry else None,
        "entry_hash": entry.entry_hash if entry else None,
        "key_id": key_id(),
    }
    payload["signature"] = _signature(payload)
    return payload


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def write_checkpoint(path: Path | None = None) -> tuple[Path, dict]:
    """Write a checkpoint file (into AUDIT_CHECKPOINT_DIR unless a path is given); written aside
    and renamed, so a reader never sees half a file. Returns the path and the checkpoint."""
    checkpoint = make_checkpoint()
    if path is None:
        stamp = checkpoint["written_at"].replace(":", "").replace("+0000", "Z")
        path = checkpoint_dir() / f"audit-checkpoint-{stamp}-{checkpoint['chain_seq']}.json"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_text(json.dumps(checkpoint, indent=2, sort_keys=True) + "\n")
    os.replace(aside, path)
    return path, checkpoint


def read_checkpoint(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError as exc:
        raise CheckpointError(f"checkpoint {path} does not exist") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path} is not a Doorbraak audit checkpoint ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a Doorbraak audit checkpoint")
    if any(k not in data for k in (*SIGNED_FIELDS, "signature")):
        raise CheckpointError(f"{path} is not a complete audit checkpoint")
    if data["key_id"] != key_id():
        raise CheckpointError(
            f"{path} was signed with another key ({data['key_id']}; this installation: {key_id()})"
        )
    if not hmac.compare_digest(str(data["signature"]), _signature(data)):
        raise CheckpointError(f"{path}: signature does not match (the file was altered)")
    return data


@dataclass
class CheckpointReport:
    ok: bool
    reason: str = ""
    chain_seq: int = 0


def check_against_chain(checkpoint: dict) -> CheckpointReport:
    """Is the entry the checkpoint recorded still in the chain, at its place, with its hash?
    (The chain itself is verified separately: with both, everything up to the checkpoint is as
    it was when the checkpoint was written.)"""
    seq = int(checkpoint["chain_seq"])
    if seq == 0:
        return CheckpointReport(True, "", 0)
    entry = AuditEntry.objects.filter(chain_seq=seq).first()
    if entry is None:
        return CheckpointReport(
            False, f"entry {seq} of the checkpoint is no longer in the chain (log truncated)", seq
        )
    if entry.entry_hash != checkpoint["entry_hash"] or entry.pk != checkpoint["entry_id"]:
        return CheckpointReport(
            False,
            f"entry {seq} differs from the checkpoint of {checkpoint['written_at']} "
            "(the chain was rewritten)",
            seq,
        )
    return CheckpointReport(True, "", seq)
