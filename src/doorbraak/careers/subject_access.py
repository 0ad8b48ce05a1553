"""The careers part of a subject-access export (AVG art. 15): the person-centred cases of which
the person is the subject, with their records, partners and processing activity; reads of those
cases count as access to the person's data. Registered with the privacy app in ready()."""

from __future__ import annotations

from doorbraak.partners.models import DataCategory
from doorbraak.privacy import subject_access
from doorbraak.privacy.subject_access import Section, activity_summary


def cases(person) -> list[dict]:
    out = []
    for case in person.cases.select_related("case_type__controller", "case_type__purpose"):
        out.append(
            {
                "zaaknummer": case.reference,
                "soort": case.get_kind_display(),
                "status": case.get_status_display(),
                "gestart_op": case.opened_on.isoformat(),
                "afgesloten_op": case.closed_on.isoformat() if case.closed_on else None,
                "verwerking": activity_summary(case.case_type),
                "partners": [
                    p.organisation.name for p in case.participants.select_related("organisation")
                ],
                "gegevens": [
                    {
                        "datum": r.occurred_on.isoformat(),
                        "categorie": str(DataCategory(r.category).label),
                        "bron": r.organisation.name,
                        "onderwerp": r.title,
                        "toelichting": r.text,
                    }
                    for r in case.records.select_related("organisation")
                ],
            }
        )
    return out


def accessed(person):
    return [("case", pk) for pk in person.cases.values_list("pk", flat=True)]


def register_providers() -> None:
    subject_access.register_section(Section("casussen", cases, accessed=accessed, order=30))
