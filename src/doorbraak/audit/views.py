"""Pages of the audit log: search, export and the chain check (capability audit.view)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from doorbraak.jobs.actions import start_job
from doorbraak.jobs.models import Job
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import access, display, selectors


@page(C.AUDIT_VIEW)
def audit_log(request):
    form, qs = selectors.search(request.GET)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_log.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": display.labelled(page_obj),
            "query": request.GET.urlencode(),
        },
    )


@page(C.AUDIT_VIEW)
def audit_export(request):
    _form, qs = access.export_for_user(request.user, request.GET)
    response = StreamingHttpResponse(selectors.csv_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="auditlog-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response


@require_http_methods(["GET", "POST"])
@page(C.AUDIT_VIEW)
def audit_verify(request):
    """Verifying the whole chain takes long on a big log: it runs as a background job."""
    if request.method == "POST":
        job = start_job("verify_audit", user=request.user)
        return redirect("job_detail", pk=job.pk)
    last = (
        Job.objects.filter(kind="verify_audit", status__in=["done", "failed"])
        .order_by("-finished_at")
        .first()
    )
    active = (
        Job.objects.filter(kind="verify_audit", status__in=["queued", "running"])
        .order_by("-created_at")
        .first()
    )
    report = last.result if last else None
    return render(
        request,
        "audit/audit_verify.html",
        {
            "last": last,
            "report": report,
            "active": active,
            "reason": display.chain_reason(report.get("reason", "")) if report else "",
        },
    )
