"""Reads of the jobs app: the queue's state and the workers' heartbeats (no personal data)."""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone

from .models import Job, JobStatus, WorkerHeartbeat


def workers(now=None) -> list[dict]:
    now = now or timezone.now()
    out = []
    for hb in WorkerHeartbeat.objects.filter(stopped_at__isnull=True):
        out.append(
            {
                "worker_id": hb.worker_id,
                "hostname": hb.hostname,
                "pid": hb.pid,
                "alive": hb.is_alive(now),
                "last_heartbeat": hb.last_seen.isoformat(),
                "age_seconds": round(hb.age(now), 1),
                "job": hb.job_id,
            }
        )
    return out


def queue_state(now=None) -> dict:
    now = now or timezone.now()
    queued = Job.objects.filter(status=JobStatus.QUEUED)
    oldest = queued.aggregate(m=Min("created_at"))["m"]
    return {
        "queued": queued.count(),
        "running": Job.objects.filter(status=JobStatus.RUNNING).count(),
        "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
    }
