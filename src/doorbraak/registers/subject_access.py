"""The registers' part of a subject-access export (AVG art. 15): where data subjects are found
(register persons), who they are and the functions they hold. Registered with the privacy app in
RegistersConfig.ready()."""

from __future__ import annotations

from django.db.models import Q

from doorbraak.privacy import subject_access
from doorbraak.privacy.subject_access import Section, SubjectSource, activity_summary

from .models import Person


def find(query: str) -> list[Person]:
    qs = Person.objects.filter(anonymised=False)
    if query.isdigit():
        qs = qs.filter(bsn=query)
    else:
        for part in query.split():
            qs = qs.filter(
                Q(surname__icontains=part)
                | Q(given_names__icontains=part)
                | Q(pseudonym__iexact=part)
            )
    return list(qs.select_related("residence")[:50])


def get(pk) -> Person | None:
    return Person.objects.filter(pk=pk).select_related("residence", "source").first()


def subject(person: Person) -> dict:
    return {
        "pseudoniem": person.pseudonym,
        "bsn": person.bsn,
        "voornamen": person.given_names,
        "voorvoegsel": person.surname_prefix,
        "achternaam": person.surname,
        "geboortedatum": person.birth_date.isoformat() if person.birth_date else None,
        "woonadres": person.residence.address if person.residence else None,
        "telefoon": person.phone,
        "bron": activity_summary(person.source),
        "bestand": person.source_file,
        "regel": person.source_row,
        "ontvangen_op": person.received_on.isoformat(),
    }


def functions(person: Person) -> list[dict]:
    return [
        {
            "bedrijf": f.company.name,
            "kvk_nummer": f.company.kvk_number,
            "functie": f.role,
            "sinds": f.since.isoformat(),
            "bron": activity_summary(f.source),
        }
        for f in person.functions.select_related("company", "source__controller", "source__purpose")
    ]


def register_providers() -> None:
    subject_access.register_subject_source(SubjectSource(find=find, get=get))
    subject_access.register_section(
        Section("betrokkene", subject, accessed=lambda p: [("person", p.pk)], order=10)
    )
    subject_access.register_section(Section("functies", functions, order=20))
