"""Retention of the risk app: a run's snapshot (the register rows it was computed from, with
pseudonyms and BSNs of residents) is removed RISK_SNAPSHOT_RETENTION_DAYS after the run
(default 400 days: a year of reproducible pictures plus the objection period of a decision
taken on one). The run, its parameters, the hashes of the snapshot files and its results
(scores and indicator ids per premises and company, never per person) stay; such a run can no
longer be reproduced, and says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from doorbraak.privacy.retention import RetentionHandler, register

DEFAULT_DAYS = 400


def retention_days() -> int:
    return int(getattr(settings, "RISK_SNAPSHOT_RETENTION_DAYS", DEFAULT_DAYS))


@dataclass(frozen=True)
class SnapshotPolicy:
    """What privacy.retention needs of a processing activity, for the snapshots."""

    code: str = "risico-momentopnamen"
    retention_action: str = "delete"
    retention_days: int = DEFAULT_DAYS
    data_categories: list = field(default_factory=lambda: ["identity", "premises"])


def _expired_snapshots(today: date):
    from .models import RiskRun

    days = retention_days()
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    rule = SnapshotPolicy(retention_days=days)
    for run in RiskRun.objects.filter(
        snapshot_removed_at__isnull=True, created_at__lt=cutoff
    ).exclude(snapshot_path=""):
        yield run, rule


def _remove(run) -> None:
    from .actions import remove_expired_snapshot

    remove_expired_snapshot(run)


_REGISTERED = False


def register_handlers() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    register(RetentionHandler("risk_snapshot", _expired_snapshots, _remove, _remove))
