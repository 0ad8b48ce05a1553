"""Background job of the audit app: verifying the whole hash chain (long on a big log)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import JobFailed, job_kind


@job_kind("verify_audit", label=gettext_lazy("Controle auditketen"), max_attempts=2)
def verify_audit(job) -> dict:
    from .services import verify_chain

    report = verify_chain()
    data = {
        "ok": report.ok,
        "checked": report.checked,
        "first_bad_id": report.first_bad_id,
        "reason": report.reason,
        "chained_now": report.chained_now,
        "unchained": report.unchained,
    }
    if not report.ok:
        raise JobFailed(
            _("Auditketen GEBROKEN bij regel %(id)s: %(reason)s (%(n)s regels daarvoor in orde).")
            % {"id": report.first_bad_id, "reason": report.reason, "n": report.checked},
            data=data,
        )
    return {
        "summary": _("Auditketen intact: %(n)s regels gecontroleerd.") % {"n": report.checked},
        "url": reverse("audit_log"),
        "data": data,
    }
