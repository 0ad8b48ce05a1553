"""The door to the audit log itself: who did what with whose data is personal data too. The
privacy officer (`audit.view`) reads and exports it; an export is audited with its filter."""

from __future__ import annotations

from doorbraak import policy
from doorbraak.policy import Capability as C

from . import selectors, services
from .models import AuditAction


def export_for_user(user, params):
    """The entries matching the filter, for a CSV export; the export itself is audited."""
    policy.require(user, C.AUDIT_VIEW, object_type="audit_log")
    form, qs = selectors.search(params)
    services.record(
        AuditAction.EXPORT,
        user=user,
        purpose=policy.purpose_for(user, "audit"),
        object_type="audit_log",
        detail={"filter": {k: v for k, v in params.items()}},
    )
    return form, qs
