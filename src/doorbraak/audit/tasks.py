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


@job_kind(
    "audit_checkpoint",
    label=gettext_lazy("Controlepunt auditketen"),
    max_attempts=2,
    daily=True,
)
def audit_checkpoint(job, **params) -> dict:
    """Once a day: the chain's head in a signed file outside the database (see checkpoint.py)."""
    from .checkpoint import write_checkpoint

    path, checkpoint = write_checkpoint()
    return {
        "summary": _("Controlepunt geschreven: regel %(n)s, bestand %(file)s.")
        % {"n": checkpoint["chain_seq"], "file": path.name},
        "data": {"file": str(path), "chain_seq": checkpoint["chain_seq"]},
    }
