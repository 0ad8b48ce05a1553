"""The monitoring page and its export (they move to the monitoring app). Every other page lives
in its app's ``views.py``; home pages, navigation and error pages in ``doorbraak.site``."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.policy import Capability as C
from doorbraak.web import home as home_pages
from doorbraak.web.decorators import page


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
