"""Writes on the intervention catalogue: interventions, programmes (places, owner, job guarantee)
and the pool of credible messengers and job coaches. Catalogue data is data, kept by the people who
run the programmes (capability ``programmes.manage``), not code or the Django admin.

Like ``actions``: access through the policy layer, complete validation before any write, atomic,
audited under the purpose *beheer*."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import Organisation
from doorbraak.policy import Capability as C

from .models import (
    Coach,
    CoachMatch,
    EnrolmentStatus,
    Intervention,
    InterventionType,
    Programme,
    Recognition,
)

INTERVENTION_FIELDS = ("name", "provider", "recognition", "type", "description", "in_detention")
PROGRAMME_FIELDS = (
    "intervention",
    "name",
    "capacity",
    "has_job_guarantee",
    "no_reoffending_months",
)
COACH_FIELDS = (
    "name",
    "kind",
    "organisation",
    "expertise",
    "max_cases",
    "available",
    "works_in_detention",
)


def _check(errors: dict) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _text(fields: dict, name: str) -> str:
    return (fields.get(name) or "").strip()


def _load(model, pk, object_type: str, user):
    if not policy.has(user, C.PROGRAMMES_MANAGE):
        policy.deny(
            user,
            f"missing capability {C.PROGRAMMES_MANAGE}",
            object_type=object_type,
            object_id=pk or "",
            purpose=policy.PURPOSE_MANAGEMENT,
        )
    if not pk:
        return model()
    obj = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise ValidationError({"name": _("Deze regel bestaat niet.")})
    return obj


def _save(user, obj, fields: dict, names, object_type: str, created: bool) -> None:
    changed = sorted(n for n in names if n in fields and (created or getattr(obj, n) != fields[n]))
    with transaction.atomic():
        for name in names:
            if name in fields:
                setattr(obj, name, fields[name])
        obj.save()
        audit.record(
            AuditAction.CREATE if created else AuditAction.UPDATE,
            user=user,
            purpose=policy.PURPOSE_MANAGEMENT,
            object_type=object_type,
            object_id=obj.pk,
            detail={"fields": changed},
        )


def do_save_intervention(user, pk=None, **fields) -> Intervention:
    item = _load(Intervention, pk, "intervention", user)
    name = _text(fields, "name")
    _check(
        {
            "name": (not name and _("Naam is verplicht."))
            or (
                Intervention.objects.filter(name__iexact=name).exclude(pk=item.pk).exists()
                and _("Deze interventie staat er al.")
            ),
            "provider": not _text(fields, "provider") and _("Aanbieder is verplicht."),
            "recognition": fields.get("recognition") not in Recognition.values
            and _("Kies een erkenningsniveau."),
            "type": fields.get("type") not in InterventionType.values
            and _("Kies een soort interventie."),
        }
    )
    clean = {
        **fields,
        "name": name,
        "provider": _text(fields, "provider"),
        "description": _text(fields, "description"),
        "in_detention": bool(fields.get("in_detention")),
    }
    _save(user, item, clean, INTERVENTION_FIELDS, "intervention", created=not pk)
    return item


def do_save_programme(user, pk=None, **fields) -> Programme:
    """A new programme is owned by whoever creates it; an existing one is changed only by its owner
    (or by any programme manager while it has no owner). Places never drop below the participants."""
    programme = _load(Programme, pk, "programme", user)
    if pk and programme.owner_id not in (None, user.pk):
        policy.deny(
            user,
            "only the programme owner",
            object_type="programme",
            object_id=programme.pk,
            purpose=policy.PURPOSE_MANAGEMENT,
        )
    name = _text(fields, "name")
    capacity = fields.get("capacity")
    months = fields.get("no_reoffending_months")
    active = programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).count() if pk else 0
    _check(
        {
            "intervention": not isinstance(fields.get("intervention"), Intervention)
            and _("Kies een interventie."),
            "name": (not name and _("Naam is verplicht."))
            or (
                Programme.objects.filter(name__iexact=name).exclude(pk=programme.pk).exists()
                and _("Dit programma staat er al.")
            ),
            "capacity": (not isinstance(capacity, int) or capacity < 1)
            and _("Vul een aantal plaatsen van ten minste 1 in.")
            or (
                capacity < active
                and _("Er zijn al %(n)s deelnemers; minder plaatsen kan niet.") % {"n": active}
            ),
            "no_reoffending_months": fields.get("has_job_guarantee")
            and (not isinstance(months, int) or not 1 <= months <= 36)
            and _("Een baangarantie vraagt een periode zonder recidive van 1 tot 36 maanden."),
        }
    )
    clean = {**fields, "name": name, "has_job_guarantee": bool(fields.get("has_job_guarantee"))}
    if not isinstance(months, int):
        clean.pop("no_reoffending_months", None)
    if not pk:
        programme.owner = user
    _save(user, programme, clean, PROGRAMME_FIELDS, "programme", created=not pk)
    return programme


def do_save_coach(user, pk=None, **fields) -> Coach:
    coach = _load(Coach, pk, "coach", user)
    max_cases = fields.get("max_cases")
    busy = CoachMatch.objects.filter(coach=coach, until__isnull=True).count() if pk else 0
    _check(
        {
            "name": not _text(fields, "name") and _("Naam is verplicht."),
            "kind": fields.get("kind") not in Coach.Kind.values
            and _("Kies credible messenger of jobcoach."),
            "organisation": not isinstance(fields.get("organisation"), Organisation)
            and _("Kies een organisatie."),
            "expertise": not _text(fields, "expertise") and _("Beschrijf de expertise."),
            "max_cases": (not isinstance(max_cases, int) or max_cases < 1)
            and _("Ten minste 1 casus.")
            or (
                max_cases < busy
                and _("Deze coach heeft nu %(n)s casussen; minder kan niet.") % {"n": busy}
            ),
        }
    )
    clean = {
        **fields,
        "name": _text(fields, "name"),
        "expertise": _text(fields, "expertise"),
        "available": bool(fields.get("available")),
        "works_in_detention": bool(fields.get("works_in_detention")),
    }
    _save(user, coach, clean, COACH_FIELDS, "coach", created=not pk)
    return coach
