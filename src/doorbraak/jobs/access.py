"""The only door to Job records. A person sees their own jobs; the privacy officer (audit) and the
administrator see every job's status for supervision, but only the owner sees a job's result
data and downloads its file. Showing a job's result data, or downloading its file, when the job
carries personal data is audited; its status (polled every few seconds by the status page) is not
personal data and is not."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.policy import Capability as C

from .models import Job


def supervises(user) -> bool:
    return policy.has(user, C.AUDIT_VIEW) or policy.has(user, C.PARTNERS_MANAGE)


def visible_jobs(user, *, everyone: bool = False) -> QuerySet:
    qs = Job.objects.select_related("user")
    if everyone and supervises(user):
        return qs
    return qs.filter(user=user)


def is_owner(user, job: Job) -> bool:
    return job.user_id is not None and job.user_id == user.pk


def get_job_for_user(user, pk) -> Job:
    job = get_object_or_404(Job.objects.select_related("user"), pk=pk)
    if not is_owner(user, job) and not supervises(user):
        policy.deny(user, "not the owner of this job", object_type="job", object_id=pk)
    return job


def result_data(user, job: Job) -> dict:
    """The result's details (e.g. the rejected rows of an import) are the owner's; reading them
    is audited when the job carries personal data."""
    if not is_owner(user, job) or not job.result:
        return {}
    if job.data_categories:
        audit.record(
            AuditAction.READ,
            user=user,
            purpose=job.purpose,
            object_type="job",
            object_id=job.pk,
            categories=job.data_categories,
            detail={"kind": job.kind, "result": sorted(job.result)},
        )
    return job.result


def open_result_file(user, job: Job):
    """The job's result file, for its owner only; the download is audited as an export."""
    from pathlib import Path

    from django.conf import settings
    from django.http import Http404

    if not is_owner(user, job):
        policy.deny(
            user, "only the owner downloads a job's result", object_type="job", object_id=job.pk
        )
    if not job.result_file:
        raise Http404
    path = Path(job.result_file)
    root = Path(settings.JOBS_FILES_DIR).resolve()
    if not path.is_absolute():
        path = root / path
    path = path.resolve()
    if root not in path.parents or not path.exists():
        raise Http404
    audit.record(
        AuditAction.EXPORT,
        user=user,
        purpose=job.purpose,
        object_type="job",
        object_id=job.pk,
        categories=job.data_categories,
        detail={"kind": job.kind, "file": path.name},
    )
    return path
