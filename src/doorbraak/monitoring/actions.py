"""Writes of monitoring: prevention reach registrations and the texts per pillar; the council
report export. Each write is checked, validated completely, atomic and audited in the same
transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import TEXT_MAX

from . import access
from .models import Pillar, PillarText, PreventionActivity, PreventionKind

MAX_COUNT = 100_000


def _check(errors: dict) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _count(value):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 <= n <= MAX_COUNT else None


def do_register_prevention(
    user,
    *,
    kind: str,
    location: str,
    wijk: str,
    area: str = "",
    period_start: date | None,
    period_end: date | None,
    sessions,
    participants,
) -> PreventionActivity:
    access.require_prevention(user)
    from .figures import focus_areas, wijken

    location = (location or "").strip()
    n_sessions, n_participants = _count(sessions), _count(participants)
    errors = {
        "kind": kind not in PreventionKind.values and _("Kies een soort activiteit."),
        "location": (not location and _("Vermeld de school of locatie."))
        or (len(location) > 200 and _("Ten hoogste 200 tekens.")),
        "wijk": wijk not in dict(wijken()) and _("Kies een wijk."),
        "area": area not in ("", *[c for c, _l in focus_areas()]) and _("Onbekend focusgebied."),
        "period_start": not period_start and _("Datum is verplicht."),
        "period_end": (not period_end and _("Datum is verplicht."))
        or (
            period_start
            and period_end
            and period_end < period_start
            and _("Het einde ligt niet vóór het begin.")
        ),
        "sessions": n_sessions is None and _("Geef een aantal van 0 tot 100.000."),
        "participants": n_participants is None and _("Geef een aantal van 0 tot 100.000."),
    }
    _check(errors)
    with transaction.atomic():
        row = PreventionActivity.objects.create(
            kind=kind,
            location=location,
            wijk=wijk,
            area=area,
            period_start=period_start,
            period_end=period_end,
            sessions=n_sessions,
            participants=n_participants,
            registered_by=user,
        )
        audit.record(
            AuditAction.CREATE,
            user=user,
            purpose=policy.PURPOSE_MONITORING,
            object_type="prevention",
            object_id=row.pk,
            detail={"kind": kind, "wijk": wijk},
        )
        transaction.on_commit(lambda: queue_cube(requested_by="na registratie preventiebereik"))
    return row


def queue_cube(*, user=None, requested_by: str = "") -> object:
    """Queue the job that computes and stores the protected figures (tasks.monitoring_cube).
    The job holds no personal data; it is recorded in the jobs list like any other."""
    from doorbraak.jobs import actions as jobs

    from .tasks import KIND

    return jobs.start_job(KIND, user=user, requested_by=requested_by, params={})


def do_request_cube(user):
    """Policy staff ask for the figures to be computed again now (audited)."""
    access.require_report(user)
    with transaction.atomic():
        job = queue_cube(user=user)
        audit.record(
            AuditAction.CREATE,
            user=user,
            purpose=policy.PURPOSE_MONITORING,
            object_type="job",
            object_id=job.pk,
            detail={"kind": "monitoring_cube"},
        )
    return job


def do_save_pillar_text(user, *, pillar: str, start: date, end: date, text: str) -> PillarText:
    access.require_report(user)
    text = (text or "").strip()
    _check(
        {
            "pillar": pillar not in Pillar.values and _("Onbekende pijler."),
            "text": len(text) > TEXT_MAX and _("Ten hoogste %(n)s tekens.") % {"n": TEXT_MAX},
            "period": (not start or not end or end < start) and _("Kies een geldige periode."),
        }
    )
    with transaction.atomic():
        row, created = PillarText.objects.update_or_create(
            pillar=pillar,
            period_start=start,
            period_end=end,
            defaults={"text": text, "updated_by": user},
        )
        audit.record(
            AuditAction.CREATE if created else AuditAction.UPDATE,
            user=user,
            purpose=policy.PURPOSE_MONITORING,
            object_type="monitoring_text",
            object_id=row.pk,
            detail={"pillar": pillar, "from": str(start), "to": str(end)},
        )
    return row


def record_export(user, what: str, *, start=None, end=None, area: str = "", username=None) -> None:
    """Every export of monitoring figures is audited (web, API and the command line)."""
    audit.record(
        AuditAction.EXPORT,
        user=user,
        username=username,
        purpose=policy.PURPOSE_MONITORING,
        object_type="monitoring",
        object_id=what,
        detail={"from": str(start or ""), "to": str(end or ""), "area": area},
    )
