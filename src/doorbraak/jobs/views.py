"""Pages: my jobs, one job's status (with progress while it runs) and its result file."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render

from doorbraak.web.decorators import page

from . import access, progress
from .models import JobStatus


@page()
def job_list(request):
    everyone = request.GET.get("alle") == "1" and access.supervises(request.user)
    jobs = access.visible_jobs(request.user, everyone=everyone)
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    page_obj = Paginator(jobs, 25).get_page(request.GET.get("page"))
    for job in page_obj.object_list:  # a running job's figure, also while its transaction is open
        progress.overlay(job)
    extra = "&".join(
        p for p in (f"status={status}" if status else "", "alle=1" if everyone else "") if p
    )
    return render(
        request,
        "jobs/job_list.html",
        {
            "page_obj": page_obj,
            "everyone": everyone,
            "supervises": access.supervises(request.user),
            "status": status,
            "statuses": JobStatus.choices,
            "extra": extra,
        },
    )


@page()
def job_detail(request, pk: int):
    job = progress.overlay(access.get_job_for_user(request.user, pk))
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "owner": access.is_owner(request.user, job),
            "data": access.result_data(request.user, job) if job.finished else {},
        },
    )


@page()
def job_result(request, pk: int):
    job = access.get_job_for_user(request.user, pk)
    path = access.open_result_file(request.user, job)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)  # noqa: SIM115
