"""Web pages. Thin: each view asks the policy layer for access, a selector or service for
data, and renders a template."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak import policy
from doorbraak.audit import display as audit_display
from doorbraak.audit import services as audit
from doorbraak.audit import selectors as audit_selectors
from doorbraak.audit.models import AuditAction
from doorbraak.jobs.actions import start_job
from doorbraak.jobs.models import Job
from doorbraak.partners.models import Covenant, DataCategory
from doorbraak.policy import Capability as C
from doorbraak.privacy import retention, subject_access
from doorbraak.privacy.models import ProcessingActivity, RetentionRun
from doorbraak.registers import selectors as registers
from doorbraak.registers.models import Company, Person, Premises, Wijk
from doorbraak.web import home as home_pages
from doorbraak.web.decorators import page
from doorbraak.web.display import officer_label, person_label, shows_officer


@page()
def home(request):
    context = home_pages.context_for(request)
    return render(request, f"web/home/{request.user.role}.html", context)


# Case list and detail live in doorbraak.careers.views (URL names case_list, case_detail).


# --- registers -----------------------------------------------------------------------


@page(C.REGISTERS_VIEW)
def premises_list(request):
    filters = {k: request.GET.get(k, "") for k in ("wijk", "area", "use", "q")}
    qs = registers.premises_search(**filters)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/premises_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "wijken": Wijk.choices,
            "areas": registers.AREAS,
            "uses": registers.uses(),
        },
    )


@page(C.REGISTERS_VIEW)
def premises_detail(request, pk: int):
    premises = get_object_or_404(Premises, pk=pk)
    companies = premises.companies.all()
    residents = premises.residents.count()
    return render(
        request,
        "web/premises_detail.html",
        {"premises": premises, "companies": companies, "residents": residents},
    )


@page(C.REGISTERS_VIEW)
def company_list(request):
    filters = {k: request.GET.get(k, "") for k in ("wijk", "area", "sbi", "q")}
    qs = registers.company_search(**filters)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/company_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "wijken": Wijk.choices,
            "areas": registers.AREAS,
            "sectors": registers.sectors(),
        },
    )


@page(C.REGISTERS_VIEW)
def company_detail(request, pk: int):
    company = get_object_or_404(Company.objects.select_related("establishment", "source"), pk=pk)
    officers = list(company.officers.select_related("person", "company__establishment"))
    may_open = policy.has(request.user, C.REGISTER_PERSONS)
    rows = [
        {
            "officer": o,
            "label": officer_label(request.user, o, request.session),
            "url": reverse("person_detail", kwargs={"pk": o.person_id}) if may_open else "",
        }
        for o in officers
    ]
    named = any(shows_officer(request.user, o, request.session) for o in officers)
    policy.audit_list_read(
        request.user,
        "person",
        [o.person_id for o in officers],
        policy.register_purpose(request.user),
        [DataCategory.IDENTITY] if named else [],
    )
    return render(request, "web/company_detail.html", {"company": company, "officers": rows})


@page(C.REGISTER_PERSONS)
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("residence", "source"), pk=pk)
    purpose = policy.register_purpose(request.user)
    label = person_label(request.user, person, request.session)
    revealed = policy.shows_identity(request.user, person, request.session)
    audit.record(
        AuditAction.READ,
        user=request.user,
        purpose=purpose,
        object_type="person",
        object_id=person.pk,
        categories=[DataCategory.IDENTITY] if revealed else [],
        detail={"pseudonymised": not revealed},
    )
    functions = person.functions.select_related("company")
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "label": label,
            "revealed": revealed,
            "functions": functions,
            "can_reveal": policy.can_reveal(request.user) and not revealed,
        },
    )


@require_POST
@page(C.PERSONS_REVEAL)
def person_reveal(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    try:
        policy.reveal_person(request.user, person, request.POST.get("reason", ""), request.session)
    except ValueError as exc:  # bad input: say why, on the page, with a 400
        messages.error(request, str(exc))
        response = person_detail(request, pk)
        response.status_code = 400
        return response
    return redirect("person_detail", pk=pk)


# --- legal and monitoring ------------------------------------------------------------


@page(C.LEGAL_VIEW)
def processing_register(request):
    activities = ProcessingActivity.objects.select_related("controller", "purpose")
    return render(request, "web/processing_register.html", {"activities": activities})


@page(C.LEGAL_VIEW)
def covenant_view(request):
    covenants = Covenant.objects.prefetch_related("grants__organisation", "grants__purpose")
    matrix = home_pages.covenant_matrix()
    return render(
        request,
        "web/covenant.html",
        {
            "covenants": covenants,
            "matrix": matrix,
            "can_manage": policy.has(request.user, C.PARTNERS_MANAGE),
        },
    )


@page(C.MONITORING_VIEW)
def monitoring(request):
    return render(request, "web/monitoring.html", home_pages.monitoring_figures())


@page(C.MONITORING_VIEW)
def monitoring_export(request):
    figures = home_pages.monitoring_figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="doorbraak-monitoring.csv"'
    writer = csv.writer(response)
    writer.writerow(["tabel", "groep", "aantal"])
    for table, rows in figures["tables"].items():
        for row in rows:
            writer.writerow([table, row["label"], row["count"]])
    audit.record(
        AuditAction.EXPORT,
        user=request.user,
        purpose=policy.PURPOSE_MONITORING,
        object_type="monitoring",
    )
    return response


# --- audit and privacy ---------------------------------------------------------------


@page(C.AUDIT_VIEW)
def audit_log(request):
    form, qs = audit_selectors.search(request.GET)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit_log.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": audit_display.labelled(page_obj),
            "query": request.GET.urlencode(),
        },
    )


@page(C.AUDIT_VIEW)
def audit_export(request):
    form, qs = audit_selectors.search(request.GET)
    audit.record(
        AuditAction.EXPORT,
        user=request.user,
        purpose=policy.PURPOSE_PRIVACY,
        object_type="audit_log",
        detail={"filter": {k: v for k, v in request.GET.items()}},
    )
    response = StreamingHttpResponse(
        audit_selectors.csv_rows(qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="auditlog-{date.today():%Y%m%d}.csv"'
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
        "web/audit_verify.html",
        {
            "last": last,
            "report": report,
            "active": active,
            "reason": audit_display.chain_reason(report.get("reason", "")) if report else "",
        },
    )


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
    return render(request, "web/retention.html", {"preview": preview, "runs": runs})


@page(C.PRIVACY_MANAGE)
def subject_access_search(request):
    query = request.GET.get("q", "").strip()
    results = subject_access.find_subjects(query) if len(query) >= 2 else []
    if results:
        policy.audit_list_read(
            request.user,
            "person",
            [p.pk for p in results],
            policy.PURPOSE_PRIVACY,
            [DataCategory.IDENTITY],
        )
    return render(request, "web/subject_access.html", {"query": query, "results": results})


@require_http_methods(["GET", "POST"])
@page(C.PRIVACY_MANAGE)
def subject_access_export(request, pk: int):
    """GET asks to confirm; POST queues the export (collecting and rendering the PDF takes a
    while) and shows the job, whose page offers the archive to the privacy officer who asked."""
    person = get_object_or_404(Person, pk=pk)
    if request.method == "POST":
        job = start_job(
            "subject_access_export",
            user=request.user,
            purpose="inzageverzoek",
            categories=DataCategory.values,
            params={"person": person.pk},
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "web/subject_access_export.html", {"person": person})


# Users, organisations and the covenant lines are managed in doorbraak.partners.views.


def error_403(request, exception=None):
    if request.path.startswith("/api/"):
        from doorbraak.api.problems import problem_response

        return problem_response(
            403,
            _("Geen toegang"),
            str(getattr(exception, "message", "") or _("U heeft geen toegang.")),
            request,
        )
    return render(request, "403.html", {"message": getattr(exception, "message", "")}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        from doorbraak.api.problems import problem_response

        return problem_response(404, _("Niet gevonden"), _("Dit object bestaat niet."), request)
    return render(request, "404.html", status=404)


def error_500(request):
    if request.path.startswith("/api/"):
        from doorbraak.api.problems import problem_response

        return problem_response(
            500, _("Interne fout"), _("Er ging iets mis; de fout is gelogd."), request
        )
    return render(request, "500.html", status=500)
