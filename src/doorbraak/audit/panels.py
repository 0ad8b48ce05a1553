"""What the audit app adds to the site: the audit log in the menu, and on the privacy officer's
home page the denials of the last week and the latest entries (registered in ``ready()``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from doorbraak.partners.models import Role
from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from . import display, selectors
from .models import AuditAction, AuditEntry


def denials(request) -> dict:
    since = timezone.now() - timedelta(days=7)
    return {
        "denials": AuditEntry.objects.filter(
            action=AuditAction.DENY, occurred_at__gte=since
        ).count(),
        "reveals": AuditEntry.objects.filter(
            action=AuditAction.REVEAL, occurred_at__gte=since
        ).count(),
        "denial_patterns": selectors.denial_patterns()[:50],
        "denial_rules": selectors.DenialRules.from_settings(),
    }


def recent(request) -> dict:
    return {"recent": display.labelled(AuditEntry.objects.order_by("-id")[:10])}


def register() -> None:
    register_nav("audit_log", gettext_noop("Auditlog"), C.AUDIT_VIEW, order=170)
    register_panel(Role.PRIVACY_OFFICER, "audit/panels/denials.html", denials, order=10)
    register_panel(Role.PRIVACY_OFFICER, "audit/panels/recent.html", recent, order=30)
