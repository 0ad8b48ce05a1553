"""Retention for what ingestion stores besides the register models themselves.

Record history (``RecordVersion``), generic register entries (``RegisterEntry``) and the rejection
reports of imports can hold personal data; none of them cascades from the records the privacy
app's handlers delete, so each gets its own handler. The clock starts at the delivery
(``received_on``), as for the register records.
"""

from __future__ import annotations

from datetime import date

from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.privacy.retention import RetentionHandler, register


def _sources():
    return ProcessingActivity.objects.filter(kind=ActivityKind.SOURCE)


def _expired_versions(today: date):
    from .models import RecordVersion

    for activity in _sources():
        for version in RecordVersion.objects.filter(
            source=activity, received_on__lt=activity.expires_before(today)
        ):
            yield version, activity


def _expired_entries(today: date):
    from .models import RegisterEntry

    for activity in _sources():
        for entry in RegisterEntry.objects.filter(
            source=activity, received_on__lt=activity.expires_before(today)
        ):
            yield entry, activity


def _expired_rejection_reports(today: date):
    """Rejected imports keep their batch (counts only) but lose the rows' values."""
    from .models import ImportBatch

    for activity in _sources():
        batches = ImportBatch.objects.filter(
            source=activity,
            received_on__lt=activity.expires_before(today),
            rejections__isnull=False,
        ).distinct()
        for batch in batches:
            yield batch, activity


def _delete(obj) -> None:
    obj.delete()


def _drop_rejections(batch) -> None:
    batch.rejections.all().delete()


def _anonymise_entry(entry) -> None:
    # Entries are about premises and companies; what may be personal sits in ``data``.
    entry.data = {}
    entry.description = ""
    entry.save(update_fields=["data", "description"])


_REGISTERED = False


def register_handlers() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    register(RetentionHandler("record_version", _expired_versions, _delete, _delete))
    register(RetentionHandler("register_entry", _expired_entries, _delete, _anonymise_entry))
    register(
        RetentionHandler(
            "import_rejections", _expired_rejection_reports, _drop_rejections, _drop_rejections
        )
    )
