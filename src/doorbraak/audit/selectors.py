"""Searching the audit log (privacy officer)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEntry


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    organisation = forms.CharField(label=_("Organisatie (code)"), required=False, max_length=40)
    action = forms.ChoiceField(
        label=_("Handeling"), required=False, choices=[("", _("alle"))] + AuditAction.choices
    )
    purpose = forms.CharField(label=_("Doel"), required=False, max_length=40)
    object_type = forms.CharField(label=_("Objecttype"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object-id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("Vanaf (datum)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met (datum)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


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
    "id",
    "occurred_at",
    "username",
    "organisation",
    "role",
    "purpose",
    "action",
    "object_type",
    "object_id",
    "data_categories",
    "request_id",
    "ip_address",
    "method",
    "path",
    "detail",
    "prev_hash",
    "entry_hash",
]


def _export_value(entry, field: str):
    if field == "occurred_at":
        return entry.occurred_at.isoformat()
    if field == "detail":
        return json.dumps(entry.detail or {}, ensure_ascii=False, sort_keys=True)
    return getattr(entry, field)


def csv_rows(qs) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_FIELDS)
    yield buf.getvalue()
    for entry in qs.iterator(chunk_size=2000):
        buf.seek(0)
        buf.truncate()
        writer.writerow([_export_value(entry, f) for f in EXPORT_FIELDS])
        yield buf.getvalue()


# --- unusual denial patterns (privacy officer's home page) -----------------------------


@dataclass
class DenialPattern:
    """One user whose denials fit a rule, between first and last, with the objects refused."""

    rule: str  # "burst" or "probe"
    username: str
    organisation: str
    role: str
    first: datetime
    last: datetime
    count: int
    objects: int
    organisation_name: str = ""


@dataclass(frozen=True)
class DenialRules:
    burst_count: int  # a burst: at least this many denials of one user ...
    burst_minutes: int  # ... within this many minutes
    probe_objects: int  # a probe: at least this many different objects refused to one user ...
    probe_hours: int  # ... within this many hours
    lookback_days: int  # how far back the home page looks

    @classmethod
    def from_settings(cls) -> DenialRules:
        return cls(
            settings.AUDIT_DENIAL_BURST_COUNT,
            settings.AUDIT_DENIAL_BURST_MINUTES,
            settings.AUDIT_DENIAL_PROBE_OBJECTS,
            settings.AUDIT_DENIAL_PROBE_HOURS,
            settings.AUDIT_DENIAL_LOOKBACK_DAYS,
        )


def _windows(rows, span: timedelta, key, threshold: int):
    """Maximal runs of ``rows`` (time-ordered) in which some window of length ``span`` holds at
    least ``threshold`` different ``key(row)`` values; overlapping windows merge. One pass."""
    runs = []
    left = 0
    held: Counter = Counter()
    current = None  # [start index, end index]
    for right, row in enumerate(rows):
        held[key(row)] += 1
        while row["occurred_at"] - rows[left]["occurred_at"] > span:
            k = key(rows[left])
            held[k] -= 1
            if not held[k]:
                del held[k]
            left += 1
        if len(held) >= threshold:
            if current is not None and left <= current[1]:
                current[1] = right
            else:
                if current is not None:
                    runs.append(current)
                current = [left, right]
    if current is not None:
        runs.append(current)
    return [rows[a : b + 1] for a, b in runs]


def denial_patterns(
    now: datetime | None = None, rules: DenialRules | None = None
) -> list[DenialPattern]:
    """Users refused unusually often: a burst (``burst_count`` denials within ``burst_minutes``)
    or a probe (``probe_objects`` different objects refused within ``probe_hours``), in the
    last ``lookback_days``. Most recent first."""
    rules = rules or DenialRules.from_settings()
    now = now or timezone.now()
    denials = AuditEntry.objects.filter(
        action=AuditAction.DENY,
        occurred_at__gte=now - timedelta(days=rules.lookback_days),
        occurred_at__lte=now,
    )
    # Only users with enough denials in the whole period can fit a rule: the database counts first.
    enough = (
        denials.values("username")
        .annotate(n=Count("id"))
        .filter(n__gte=min(rules.burst_count, rules.probe_objects))
        .values("username")
    )
    qs = (
        denials.filter(username__in=enough)
        .order_by("username", "occurred_at", "id")
        .values("username", "organisation", "role", "occurred_at", "object_type", "object_id")
    )
    by_user: dict[str, list[dict]] = {}
    for row in qs.iterator(chunk_size=5000):
        by_user.setdefault(row["username"], []).append(row)

    def each(row):  # every denial counts
        return id(row)

    def target(row):  # different objects count
        return (row["object_type"], row["object_id"])

    def objects(rows):
        return len({target(r) for r in rows})

    found = []
    for username, rows in by_user.items():
        checks = [
            ("burst", timedelta(minutes=rules.burst_minutes), each, rules.burst_count),
            ("probe", timedelta(hours=rules.probe_hours), target, rules.probe_objects),
        ]
        for rule, span, key, threshold in checks:
            for run in _windows(rows, span, key, threshold):
                found.append(
                    DenialPattern(
                        rule,
                        username,
                        run[-1]["organisation"],
                        run[-1]["role"],
                        run[0]["occurred_at"],
                        run[-1]["occurred_at"],
                        len(run),
                        objects(run),
                    )
                )
    from doorbraak.partners.models import Organisation

    names = dict(
        Organisation.objects.filter(code__in={p.organisation for p in found}).values_list(
            "code", "name"
        )
    )
    for p in found:
        p.organisation_name = names.get(p.organisation, p.organisation)
    return sorted(found, key=lambda p: p.last, reverse=True)
