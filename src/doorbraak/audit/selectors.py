"""Searching the audit log (privacy officer)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEntry


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    organisation = forms.CharField(label=_("Organisatie (code)"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Handeling"), required=False, choices=[("", _("alle"))] + AuditAction.choices)
    purpose = forms.CharField(label=_("Doel"), required=False, max_length=40)
    object_type = forms.CharField(label=_("Objecttype"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object-id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Vanaf (datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met (datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def search(params) -> tuple[AuditSearchForm, object]:
    form = AuditSearchForm(params or None)
    qs = AuditEntry.objects.all().order_by("-id")
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        for field in ("username", "organisation", "action", "purpose", "object_type", "object_id"):
            if d.get(field):
                qs = qs.filter(**{field: d[field]})
        if d.get("date_from"):
            qs = qs.filter(occurred_at__date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(occurred_at__date__lte=d["date_to"])
    elif form.is_bound:
        qs = qs.none()
    return form, qs


EXPORT_FIELDS = [
    "id", "occurred_at", "username", "organisation", "role", "purpose", "action", "object_type",
    "object_id", "data_categories", "request_id", "ip_address", "method", "path", "prev_hash", "entry_hash",
]


def csv_rows(qs) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_FIELDS)
    yield buf.getvalue()
    for entry in qs.iterator(chunk_size=2000):
        buf.seek(0)
        buf.truncate()
        writer.writerow([getattr(entry, f) if f != "occurred_at" else entry.occurred_at.isoformat() for f in EXPORT_FIELDS])
        yield buf.getvalue()
