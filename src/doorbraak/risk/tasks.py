"""Background jobs of the risk app: a run of the live rule set over a snapshot of the registers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import JobFailed, job_kind


# Not repeated after a worker died halfway: the run row would be left 'running'; start a new run.
@job_kind("risk_run", label=gettext_lazy("Risicorun (gebiedsbeeld)"))
def risk_run(job, *, run: int) -> dict:
    from doorbraak_analysis.registers.extracts import ExtractError
    from doorbraak_analysis.risk.rules import RulesError

    from . import actions
    from .models import RiskRun, RunStatus

    obj = RiskRun.objects.filter(pk=run).select_related("rule_set").first()
    if obj is None:
        raise JobFailed(_("Run %(run)s bestaat niet.") % {"run": run})
    if obj.status == RunStatus.DONE:
        return {"summary": _("Run %(run)s was al klaar.") % {"run": run}}
    url = reverse("risk_run", kwargs={"pk": obj.pk})
    try:
        obj = actions.execute_run(obj)
    except ExtractError as exc:
        raise JobFailed(
            _("De momentopname van de registers is afgewezen: %(e)s") % {"e": exc}, url=url
        ) from exc
    except RulesError as exc:
        raise JobFailed(_("De regelset is niet bruikbaar: %(e)s") % {"e": exc}, url=url) from exc
    c = obj.counts
    return {
        "summary": _(
            "Regelset %(v)s, peildatum %(d)s: %(p)s panden en %(c)s bedrijven met een signaal "
            "(van %(pt)s panden en %(ct)s bedrijven)."
        )
        % {
            "v": obj.rules_version,
            "d": f"{obj.as_of:%d-%m-%Y}",
            "p": c["premises"],
            "c": c["company"],
            "pt": c["premises_total"],
            "ct": c["company_total"],
        },
        "url": url,
        "data": {"run": obj.pk, "results_sha256": obj.results_sha256},
    }
