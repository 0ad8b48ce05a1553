"""Writes of the privacy office: atomic, audited in the same transaction."""

from __future__ import annotations

from django.db import transaction

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.policy import Capability as C

from .models import ProcessingActivity


def do_create_processing_activity(user, **values) -> ProcessingActivity:
    """A new line in the processing register (verwerkingsregister)."""
    policy.require(user, C.PRIVACY_MANAGE, object_type="processing_activity")
    with transaction.atomic():
        activity = ProcessingActivity.objects.create(**values)
        audit.record(
            AuditAction.CREATE,
            user=user,
            purpose=policy.purpose_for(user, "privacy"),
            object_type="processing_activity",
            object_id=activity.pk,
        )
    return activity
