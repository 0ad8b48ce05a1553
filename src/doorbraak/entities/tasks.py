"""Background jobs of the entities app: a full linkage run, and the incremental linking that
follows an accepted register import."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorbraak.jobs.registry import JobFailed, job_kind

from .models import EntityType

PURPOSE = "risicoanalyse"
CATEGORIES = ("identity",)


def _describe(run) -> str:
    kind = _("incrementele run") if run.incremental else _("run")
    return _(
        "%(kind)s %(pk)s (%(entity)s): %(records)s records, %(entities)s entiteiten, %(pairs)s paren te beoordelen"
    ) % {
        "kind": kind,
        "pk": run.pk,
        "entity": run.entity_type,
        "records": run.record_count,
        "entities": run.entity_count,
        "pairs": run.review_count,
    }


@job_kind("linkage_run", label=gettext_lazy("Koppelrun (entiteiten)"))
def linkage_run(job, *, entity: str = "person", incremental: bool = False) -> dict:
    from . import services

    if entity not in EntityType.values:
        raise JobFailed(_("Onbekende soort %(entity)s.") % {"entity": entity})
    from doorbraak.jobs import progress

    progress.report(5, _("koppelen"))
    if incremental:
        run = services.run_incremental_linkage(entity, job.user)
        if run is None:
            return {
                "summary": _(
                    "Niets incrementeel te koppelen (%(entity)s): nog geen run of geen nieuwe records."
                )
                % {"entity": entity}
            }
    else:
        run = services.run_register_linkage(entity, job.user)
    return {
        "summary": _describe(run),
        "url": reverse("entity_review") + f"?soort={entity}",
        "data": {"run": run.pk},
    }


@job_kind("link_after_import", label=gettext_lazy("Incrementeel koppelen na import"))
def link_after_import(job, *, batch: int) -> dict:
    from . import services

    runs = services.link_after_import(batch, job.user)
    if not runs:
        return {"summary": _("Niets te koppelen na import #%(batch)s.") % {"batch": batch}}
    return {
        "summary": "; ".join(_describe(r) for r in runs),
        "url": reverse("entity_review"),
        "data": {"runs": [r.pk for r in runs]},
    }
