"""Monitoring pages: the dashboard per role, the council report (PDF, CSV), the texts per
pillar (policy staff) and prevention reach registration (programme owners). Thin: access via
access.py, numbers from report.build (protected), writes via actions."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doorbraak import policy
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import access, actions
from . import figures as F
from . import report as R
from .models import Pillar, PreventionKind
from .selectors import recent_prevention


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _choice(request):
    area = request.GET.get("area", "")
    if area not in dict(F.area_choices()):
        area = ""
    return area, _date(request.GET.get("from")), _date(request.GET.get("to"))


def _query(rep) -> str:
    from urllib.parse import urlencode

    return urlencode({"area": rep.area, "from": rep.start.isoformat(), "to": rep.end.isoformat()})


@page(C.MONITORING_VIEW)
def monitoring(request):
    area, start, end = _choice(request)
    rep = R.build(area, start, end, role=policy.role_of(request.user))
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "report": rep,
            "areas": F.area_choices(),
            "query": _query(rep),
            "may_write_texts": access.may_write_texts(request.user),
            "may_register_prevention": access.may_register_prevention(request.user),
        },
    )


@page(C.MONITORING_VIEW)
def monitoring_export(request):
    """All tables of the dashboard's choice in one CSV (table, group, count, column)."""
    area, start, end = _choice(request)
    rep = R.build(area, start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="doorbraak-monitoring.csv"'
    writer = csv.writer(response)
    writer.writerow(["tabel", "groep", "aantal", "kolom"])
    for table in rep.tables():
        for row in table.rows:
            for column, cell in zip(table.header[1:], row[1:], strict=True):
                writer.writerow([table.title, row[0], cell, column])
    actions.record_export(request.user, "dashboard.csv", start=rep.start, end=rep.end, area=area)
    return response


@page(C.MONITORING_REPORT)
def report_pdf(request):
    area, start, end = _choice(request)
    rep = R.build(area, start, end)
    pdf = R.render_pdf(rep)
    actions.record_export(request.user, "report.pdf", start=rep.start, end=rep.end, area=area)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-{rep.start}-{rep.end}{"-" + area if area else ""}.pdf"'
    )
    return response


@page(C.MONITORING_REPORT)
def report_csv(request, code: str):
    area, start, end = _choice(request)
    rep = R.build(area, start, end)
    table = next((t for t in rep.tables() if t.code == code), None)
    if table is None:
        raise Http404
    actions.record_export(request.user, f"{code}.csv", start=rep.start, end=rep.end, area=area)
    response = HttpResponse(R.table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}.csv"'
    return response


@page(C.MONITORING_REPORT)
@require_http_methods(["POST"])
def refresh(request):
    """Policy staff: compute and store the figures again now (a background job)."""
    area, start, end = _choice(request)
    job = actions.do_request_cube(request.user)
    messages.success(
        request,
        _("De cijfers worden opnieuw berekend (taak %(id)s); dit duurt ongeveer een minuut.")
        % {"id": job.pk},
    )
    query = {k: v for k, v in (("area", area), ("from", start), ("to", end)) if v}
    from urllib.parse import urlencode

    return redirect(reverse("monitoring") + ("?" + urlencode(query) if query else ""))


@page(C.MONITORING_REPORT)
@require_http_methods(["GET", "POST"])
def report_texts(request):
    area, start, end = _choice(request)
    rep = R.build(area, start, end)
    errors = {}
    if request.method == "POST":
        try:
            for code, _label in Pillar.choices:
                actions.do_save_pillar_text(
                    request.user,
                    pillar=code,
                    start=rep.start,
                    end=rep.end,
                    text=request.POST.get(f"text_{code}", ""),
                )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("De teksten zijn opgeslagen."))
            return redirect(reverse("monitoring") + "?" + _query(rep))
    return render(
        request,
        "monitoring/texts.html",
        {"report": rep, "query": _query(rep), "errors": errors, "pillars": Pillar.choices},
    )


@page(C.PREVENTION_REGISTER)
@require_http_methods(["GET", "POST"])
def prevention(request):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            actions.do_register_prevention(
                request.user,
                kind=request.POST.get("kind", ""),
                location=request.POST.get("location", ""),
                wijk=request.POST.get("wijk", ""),
                area=request.POST.get("area", ""),
                period_start=_date(request.POST.get("period_start")),
                period_end=_date(request.POST.get("period_end")),
                sessions=request.POST.get("sessions"),
                participants=request.POST.get("participants"),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Het bereik is geregistreerd."))
            return redirect("prevention")
    labels = dict(F.wijken())
    rows = list(recent_prevention())
    for r in rows:
        r.wijk_label = labels.get(r.wijk, r.wijk)
    return render(
        request,
        "monitoring/prevention.html",
        {
            "rows": rows,
            "kinds": PreventionKind.choices,
            "wijken": F.wijken(),
            "focus_areas": F.focus_areas(),
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )
