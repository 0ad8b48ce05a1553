"""Writes on cases. Each action checks access through the policy layer, runs atomically and
is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory

from .models import CaseRecord, CaseStatus


def do_add_case_record(user, case_id: int, *, category: str, occurred_on, title: str, text: str = "") -> CaseRecord:
    case, categories = policy.get_case_for_user(user, case_id)
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Onbekende gegevenscategorie.")})
    if category not in categories:
        policy.deny(user, f"covenant does not allow category {category}", object_type="case", object_id=case.pk,
                    purpose=policy.PURPOSE_CASE_WORK)
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"case": _("Aan een afgesloten casus kan niets worden toegevoegd.")})
    if not title.strip():
        raise ValidationError({"title": _("Onderwerp is verplicht.")})
    with transaction.atomic():
        record = CaseRecord.objects.create(
            case=case, category=category, organisation=user.organisation, occurred_on=occurred_on, title=title.strip(), text=text
        )
        audit.record(
            AuditAction.CREATE, user=user, purpose=policy.PURPOSE_CASE_WORK, object_type="case_record",
            object_id=record.pk, categories=[category], detail={"case": case.pk},
        )
    return record
