"""Pages of the registers: premises, companies and persons (their officers), the source registry
and import runs.

Thin: access through the policy layer, the work in ``importers.import_file`` (the same
all-or-nothing service as ``doorbraak import``)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak import policy
from doorbraak.areas import selectors as area_selectors
from doorbraak.jobs.actions import start_job
from doorbraak.policy import Capability as C
from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.web.decorators import page
from doorbraak.web.display import officer_label, person_label

from . import access, importers, selectors
from .models import BatchStatus, ImportBatch, SourceType

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def source_overview(today: date | None = None) -> list[dict]:
    """Every source with its importer, last imports and what is missing."""
    today = today or timezone.localdate()
    rows = []
    sources = ProcessingActivity.objects.filter(kind=ActivityKind.SOURCE).select_related(
        "controller", "purpose", "feed"
    )
    for source in sources:
        try:
            source_type = importers.source_type_for(source)
        except importers.ImportError_:
            source_type = ""
        batches = list(
            source.import_batches.annotate(n_rejections=Count("rejections")).order_by(
                "-started_at", "-id"
            )[:3]
        )
        last_ok = (
            source.import_batches.filter(status=BatchStatus.ACCEPTED)
            .order_by("-received_on")
            .first()
        )
        feed = getattr(source, "feed", None)
        missing = []
        if not source_type:
            missing.append(_("geen brontype (importeur) vastgelegd"))
        if last_ok is None:
            missing.append(_("nog nooit ingelezen"))
        if (
            feed
            and feed.refresh_days
            and source.refreshed_on
            and (today - source.refreshed_on).days > feed.refresh_days
        ):
            missing.append(
                _("verversing te laat (verwacht elke %(n)s dagen)") % {"n": feed.refresh_days}
            )
        if source.refreshed_on is None:
            missing.append(_("geen verversingsdatum"))
        rows.append(
            {
                "source": source,
                "source_type": SourceType(source_type).label if source_type else "",
                "batches": batches,
                "last_ok": last_ok,
                "feed": feed,
                "missing": missing,
            }
        )
    return rows


@page(C.REGISTERS_IMPORT)
def source_list(request):
    return render(request, "registers/source_list.html", {"rows": source_overview()})


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Bron"),
        queryset=ProcessingActivity.objects.filter(kind=ActivityKind.SOURCE),
        to_field_name="code",
    )
    source_type = forms.ChoiceField(
        label=gettext_lazy("Brontype (leeg: volgens de bron)"),
        required=False,
        choices=[("", "—"), *SourceType.choices],
    )
    received_on = forms.DateField(
        label=gettext_lazy("Ontvangen op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(label=gettext_lazy("Bestand (CSV of Parquet)"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Alleen controleren, niets inlezen"), required=False
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Bestand is groter dan 200 MB; gebruik doorbraak import.")
            )
        return f


@require_http_methods(["GET", "POST"])
@page(C.REGISTERS_IMPORT)
def import_list(request):
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        job = _import_upload(request, form.cleaned_data)
        return redirect("job_detail", pk=job.pk)
    batches = (
        ImportBatch.objects.select_related("source")
        .annotate(n_rejections=Count("rejections"))
        .order_by("-started_at", "-id")
    )
    page_obj = Paginator(batches, 25).get_page(request.GET.get("page"))
    return render(request, "registers/import_list.html", {"form": form, "page_obj": page_obj})


def _import_upload(request, data):
    """Store the upload where the worker reads it and queue the import; the page then shows
    the job's status (the import of a large file takes longer than a request should)."""
    upload = data["file"]
    suffix = Path(upload.name).suffix.lower()
    folder = Path(settings.JOBS_FILES_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    source = data["source"]
    try:
        return start_job(
            "register_import",
            user=request.user,
            purpose=source.purpose.code,
            categories=source.data_categories,
            params={
                "source": source.code,
                "path": str(path),
                "source_type": data["source_type"] or None,
                "fmt": "parquet" if suffix == ".parquet" else None,
                "received_on": data["received_on"].isoformat(),
                "file_name": Path(upload.name).name,
                "dry_run": bool(data["dry_run"]),
            },
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@page(C.REGISTERS_IMPORT)
def import_detail(request, pk: int):
    batch = access.get_import_batch_for_user(request.user, pk)
    rejections = list(batch.rejections.all()[: importers.MAX_PROBLEMS])
    access.audit_rejections_read(request.user, batch, len(rejections))
    counts = [(model, sorted(c.items())) for model, c in sorted(batch.counts.items())]
    return render(
        request,
        "registers/import_detail.html",
        {"batch": batch, "rejections": rejections, "counts": counts},
    )


# --- premises, companies and persons ----------------------------------------------------


@page(C.REGISTERS_VIEW)
def premises_list(request):
    filters = {k: request.GET.get(k, "") for k in ("wijk", "area", "use", "q")}
    qs = selectors.premises_search(**filters)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registers/premises_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "wijken": area_selectors.wijk_choices(),
            "areas": area_selectors.focus_area_choices(),
            "uses": selectors.uses(),
        },
    )


@page(C.REGISTERS_VIEW)
def premises_detail(request, pk: int):
    premises = access.get_premises_for_user(request.user, pk)
    companies = premises.companies.all()
    residents = premises.residents.count()
    return render(
        request,
        "registers/premises_detail.html",
        {"premises": premises, "companies": companies, "residents": residents},
    )


@page(C.REGISTERS_VIEW)
def company_list(request):
    filters = {k: request.GET.get(k, "") for k in ("wijk", "area", "sbi", "q")}
    qs = selectors.company_search(**filters)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registers/company_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "wijken": area_selectors.wijk_choices(),
            "areas": area_selectors.focus_area_choices(),
            "sectors": selectors.sectors(),
        },
    )


@page(C.REGISTERS_VIEW)
def company_detail(request, pk: int):
    company = access.get_company_for_user(request.user, pk)
    may_open = policy.has(request.user, C.REGISTER_PERSONS)
    rows = [
        {
            "officer": o,
            "label": officer_label(request.user, o, request.session),
            "url": reverse("person_detail", kwargs={"pk": o.person_id}) if may_open else "",
        }
        for o, _named in access.company_officers(request.user, company, session=request.session)
    ]
    return render(request, "registers/company_detail.html", {"company": company, "officers": rows})


@page(C.REGISTER_PERSONS)
def person_detail(request, pk: int):
    person, revealed = access.get_person_for_user(request.user, pk, session=request.session)
    label = person_label(request.user, person, request.session)
    functions = person.functions.select_related("company")
    return render(
        request,
        "registers/person_detail.html",
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
    try:
        access.reveal_person_by_id(
            request.user, pk, request.POST.get("reason", ""), request.session
        )
    except ValueError as exc:  # bad input: say why, on the page, with a 400
        messages.error(request, str(exc))
        response = person_detail(request, pk)
        response.status_code = 400
        return response
    return redirect("person_detail", pk=pk)
