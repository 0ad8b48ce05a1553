"""What the privacy app adds to the site: menu items, the lawyer's home panel (the processing
register) and the privacy officer's expired retention periods (registered in ``ready()``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from doorbraak.audit import display as audit_display
from doorbraak.partners.models import Purpose, Role
from doorbraak.policy import Capability as C
from doorbraak.web.navigation import register_nav
from doorbraak.web.panels import register_panel

from . import retention
from .models import ProcessingActivity


def lawyer(request) -> dict:
    return {
        "activities": ProcessingActivity.objects.select_related("purpose")[:20],
        "purposes": Purpose.objects.all(),
    }


def retention_due(request) -> dict:
    return {
        "retention_preview": [
            {**p, "object_label": audit_display.object_type_label(p["object_type"])}
            for p in retention.preview(timezone.localdate())
        ],
    }


def register() -> None:
    register_nav(
        "processing_register", gettext_noop("Verwerkingsregister"), C.LEGAL_VIEW, order=150
    )
    register_nav("retention", gettext_noop("Bewaartermijnen"), C.PRIVACY_MANAGE, order=180)
    register_nav("subject_access", gettext_noop("Inzageverzoeken"), C.PRIVACY_MANAGE, order=190)
    register_panel(Role.LAWYER, "privacy/panels/lawyer.html", lawyer)
    register_panel(Role.PRIVACY_OFFICER, "privacy/panels/retention.html", retention_due, order=20)
