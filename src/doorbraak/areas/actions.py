"""Writes on areas: an administrator adds or edits a focus area (capability areas.manage).
Atomic and audited under the purpose "beheer". Wijken and the city come with the installation
(a fixture such as `loaddata utrecht`) and are not edited here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.policy import Capability as C

from . import selectors
from .models import Area, AreaKind

FOCUS_AREA_FIELDS = ["code", "name", "geometry", "active"]


def do_save_focus_area(
    actor, pk: int | None, *, code: str, name: str, geometry: str, active: bool
) -> Area:
    """Create (pk None) or update a focus area. Its code is fixed once made: registers store it
    on premises (Premises.area), so a new code is a new area."""
    policy.require(actor, C.AREAS_MANAGE, object_type="area", object_id=pk or "")
    with transaction.atomic():
        if pk is None:
            town = selectors.city()
            if town is None:
                raise ValidationError(
                    _("Er is nog geen gemeente: laad eerst de gebieden (loaddata).")
                )
            area = Area(kind=AreaKind.FOCUS_AREA, parent=town, code=code)
            if Area.objects.filter(code=code).exists():
                raise ValidationError({"code": _("Deze code is al in gebruik.")})
        else:
            area = Area.objects.select_for_update().get(pk=pk)
            if area.kind != AreaKind.FOCUS_AREA:
                raise ValidationError(_("Alleen focusgebieden worden hier gewijzigd."))
            if code and code != area.code:
                raise ValidationError({"code": _("De code van een gebied verandert niet.")})
        before = {f: getattr(area, f) for f in FOCUS_AREA_FIELDS}
        area.name, area.geometry, area.active = name.strip(), geometry, active
        area.full_clean()
        area.save()
        changed = sorted(f for f in FOCUS_AREA_FIELDS if before[f] != getattr(area, f))
        audit.record(
            AuditAction.CREATE if pk is None else AuditAction.UPDATE,
            user=actor,
            purpose=policy.PURPOSE_MANAGEMENT,
            object_type="area",
            object_id=area.pk,
            detail={"code": area.code, "kind": area.kind, "changed": changed if pk else []},
        )
    return area
