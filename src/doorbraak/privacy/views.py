"""Pages of the privacy office: the processing register (verwerkingsregister), retention and
subject access requests."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from doorbraak import policy
from doorbraak.audit import display as audit_display
from doorbraak.jobs.actions import start_job
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import access, retention
from .models import ProcessingActivity, RetentionRun


@page(C.LEGAL_VIEW)
def processing_register(request):
    activities = ProcessingActivity.objects.select_related("controller", "purpose")
    return render(request, "privacy/processing_register.html", {"activities": activities})


@require_http_methods(["GET", "POST"])
@page(C.PRIVACY_MANAGE)
def retention_view(request):
    if request.method == "POST":
        job = start_job(
            "retention", user=request.user, params={"as_of": timezone.localdate().isoformat()}
        )
        return redirect("job_detail", pk=job.pk)
    preview = [
        {**p, "object_label": audit_display.object_type_label(p["object_type"])}
        for p in retention.preview(timezone.localdate())
    ]
    runs = list(RetentionRun.objects.all()[:20])
    for run in runs:
        run.count_labels = [
            (audit_display.object_type_label(k), n)
            for k, n in (run.summary or {}).get("counts", {}).items()
        ]
    return render(request, "privacy/retention.html", {"preview": preview, "runs": runs})


@page(C.PRIVACY_MANAGE)
def subject_access_search(request):
    query = request.GET.get("q", "").strip()
    results = access.find_subjects_for_user(request.user, query)
    return render(request, "privacy/subject_access.html", {"query": query, "results": results})


@require_http_methods(["GET", "POST"])
@page(C.PRIVACY_MANAGE)
def subject_access_export(request, pk: int):
    """GET asks to confirm; POST queues the export (collecting and rendering the PDF takes a
    while) and shows the job, whose page offers the archive to the privacy officer who asked."""
    person = access.get_subject_for_user(request.user, pk)
    if request.method == "POST":
        job = start_job(
            "subject_access_export",
            user=request.user,
            purpose=policy.purpose_for(request.user, "subject_access"),
            categories=DataCategory.values,
            params={"person": person.pk},
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "privacy/subject_access_export.html", {"person": person})
