"""Changes made through the Django admin (the administrators' fallback screens, and the only
place SSO group mappings are kept) go into the audit chain, not only into Django's own admin
log, which an administrator could edit or empty. The admin writes its LogEntry inside the same
transaction as the change, so the audit entry commits or rolls back with it."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

_ACTIONS = {
    ADDITION: AuditAction.CREATE,
    CHANGE: AuditAction.UPDATE,
    DELETION: AuditAction.DELETE,
}


def _record_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    ct = instance.content_type
    audit.record(
        _ACTIONS.get(instance.action_flag, AuditAction.UPDATE),
        user=instance.user,
        object_type=f"{ct.app_label}.{ct.model}" if ct else "",
        object_id=instance.object_id or "",
        detail={
            "via": "django-admin",
            "object": instance.object_repr[:200],
            "change": instance.get_change_message()[:1000],
        },
    )


def connect() -> None:
    post_save.connect(
        _record_admin_change, sender=LogEntry, dispatch_uid="doorbraak.partners.admin_audit"
    )
