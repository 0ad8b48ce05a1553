"""Retention for the registers, registered with the privacy app's registry in ready().

Register persons and company officers: the clock starts at the delivery the record came from
(``received_on``); a person who is the subject of a case is kept under the case type's retention
(careers' handlers). Record history (``RecordVersion``), generic register entries
(``RegisterEntry``) and the rejection reports of imports can hold personal data too; none of them
cascades from the records deleted here, so each gets its own handler.
"""

from __future__ import annotations

from datetime import date

from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.privacy.retention import ORDER_REGISTER_PERSONS, RetentionHandler, register


def _sources():
    return ProcessingActivity.objects.filter(kind=ActivityKind.SOURCE)


# --- register persons and officers -------------------------------------------------------


def _expired_persons(today: date):
    from .models import Person

    for activity in _sources():
        qs = (
            Person.objects.filter(
                source=activity, anonymised=False, received_on__lt=activity.expires_before(today)
            )
            # A person who is subject of a case is kept under the case type's retention.
            .exclude(cases__isnull=False)
            .distinct()
        )
        for person in qs:
            yield person, activity


def anonymise_person(person) -> None:
    """Keep the record (and its pseudonym) for counts; remove everything that identifies."""
    person.bsn = ""
    person.given_names = ""
    person.surname_prefix = ""
    person.surname = "geanonimiseerd"
    person.birth_date = None
    person.phone = ""
    person.residence = None
    person.anonymised = True
    person.save()
    person.functions.all().delete()


def _expired_officers(today: date):
    from .models import Officer

    for activity in _sources():
        for officer in Officer.objects.filter(
            source=activity, received_on__lt=activity.expires_before(today)
        ):
            yield officer, activity


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


def register_handlers() -> None:
    """Called from RegistersConfig.ready(); registering again replaces (privacy.retention)."""
    register(
        RetentionHandler(
            "officer", _expired_officers, _delete, _delete, order=ORDER_REGISTER_PERSONS
        )
    )
    register(
        RetentionHandler(
            "person", _expired_persons, _delete, anonymise_person, order=ORDER_REGISTER_PERSONS
        )
    )
    register(RetentionHandler("record_version", _expired_versions, _delete, _delete))
    register(RetentionHandler("register_entry", _expired_entries, _delete, _anonymise_entry))
    register(
        RetentionHandler(
            "import_rejections", _expired_rejection_reports, _drop_rejections, _drop_rejections
        )
    )
