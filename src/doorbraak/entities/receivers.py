"""How the entities app follows up on the registers (connected in EntitiesConfig.ready())."""

from __future__ import annotations

import logging

from doorbraak import policy

logger = logging.getLogger(__name__)

LINKED_RECORDS = ("person", "company", "premises")  # premises: an address change moves people


def link_after_import(sender, *, batch_pk: int, counts: dict, user=None, **kwargs) -> None:
    """An accepted import that added or changed persons, companies or premises: queue the
    incremental linking of what it touched as a background job of its own (``entities.tasks``);
    a failure there is the linking job's and never touches the import."""
    if not any(
        (counts.get(label) or {}).get(what)
        for label in LINKED_RECORDS
        for what in ("created", "updated")
    ):
        return
    try:
        from doorbraak.jobs.actions import start_job

        start_job(
            "link_after_import",
            user=user,
            requested_by="" if user is not None else "systeem:import",
            purpose=policy.purpose_for(None, "linkage"),
            params={"batch": batch_pk},
        )
    except Exception:
        logger.exception(
            "entity linking after import %s could not be queued; the import stands", batch_pk
        )
