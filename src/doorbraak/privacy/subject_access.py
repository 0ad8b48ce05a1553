"""Subject-access export (AVG art. 15): everything held on one person, with the source and
legal basis of each item and who has accessed it, as a ZIP with a PDF and a JSON file."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction, AuditEntry
from doorbraak.partners.models import DataCategory, Organisation


def find_subjects(query: str):
    from doorbraak.registers.models import Person

    query = query.strip()
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


def _activity(a) -> dict:
    return {
        "verwerking": a.name,
        "verantwoordelijke": a.controller.name,
        "doel": a.purpose.name,
        "grondslag": a.legal_basis,
        "bewaartermijn_dagen": a.retention_days,
        "bewaartermijn_vanaf": a.retention_trigger,
    }


def collect(person) -> dict:
    """The content of the export, as plain data."""
    data: dict = {
        "opgesteld_op": timezone.now().isoformat(timespec="seconds"),
        "betrokkene": {
            "pseudoniem": person.pseudonym,
            "bsn": person.bsn,
            "voornamen": person.given_names,
            "voorvoegsel": person.surname_prefix,
            "achternaam": person.surname,
            "geboortedatum": person.birth_date.isoformat() if person.birth_date else None,
            "woonadres": person.residence.address if person.residence else None,
            "telefoon": person.phone,
            "bron": _activity(person.source),
            "bestand": person.source_file,
            "regel": person.source_row,
            "ontvangen_op": person.received_on.isoformat(),
        },
        "functies": [
            {
                "bedrijf": f.company.name,
                "kvk_nummer": f.company.kvk_number,
                "functie": f.role,
                "sinds": f.since.isoformat(),
                "bron": _activity(f.source),
            }
            for f in person.functions.select_related(
                "company", "source__controller", "source__purpose"
            )
        ],
        "casussen": [],
    }
    for case in person.cases.select_related("case_type__controller", "case_type__purpose"):
        data["casussen"].append(
            {
                "zaaknummer": case.reference,
                "soort": case.get_kind_display(),
                "status": case.get_status_display(),
                "gestart_op": case.opened_on.isoformat(),
                "afgesloten_op": case.closed_on.isoformat() if case.closed_on else None,
                "verwerking": _activity(case.case_type),
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
    # Art. 15(1)(c): the recipients — which organisations have seen the data.
    case_ids = [str(c.pk) for c in person.cases.all()]
    accesses = AuditEntry.objects.filter(
        Q(object_type="person", object_id=str(person.pk))
        | Q(object_type="case", object_id__in=case_ids)
    ).exclude(action=AuditAction.DENY)
    names = dict(Organisation.objects.values_list("code", "name"))
    data["inzage_door"] = [
        {
            "datum": e.occurred_at.date().isoformat(),
            "organisatie": names.get(e.organisation, e.organisation),
            "handeling": e.get_action_display(),
            "doel": e.purpose,
        }
        for e in accesses.order_by("id")
    ]
    return data


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("privacy/subject_access_pdf.html", {"data": data})
    return HTML(string=html).write_pdf()


def export_zip(person, requested_by) -> tuple[bytes, str]:
    data = collect(person)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inzage.json", json.dumps(data, ensure_ascii=False, indent=2))
        zf.writestr("inzage.pdf", render_pdf(data))
    audit.record(
        AuditAction.EXPORT,
        user=requested_by,
        purpose="inzageverzoek",
        object_type="person",
        object_id=person.pk,
        categories=DataCategory.values,
        detail={"kind": "AVG art. 15"},
    )
    return buf.getvalue(), f"inzage-{person.pseudonym}-{date.today():%Y%m%d}.zip"
