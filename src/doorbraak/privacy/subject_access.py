"""Subject-access export (AVG art. 15): everything held on one person, with the source and
legal basis of each item and who has accessed it, as a ZIP with a PDF and a JSON file."""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction, AuditEntry
from doorbraak.partners.models import DataCategory, Organisation

# --- the registry: the privacy app knows no other app ----------------------------------------
# The app that holds data subjects (the registers' persons) registers where they are found; each
# app holding data about them registers a section of the export, from its AppConfig.ready().


@dataclass(frozen=True)
class SubjectSource:
    find: Callable[[str], list]  # a search by name, BSN or pseudonym (at most 50)
    get: Callable[[object], object | None]  # one subject by primary key, or None


@dataclass(frozen=True)
class Section:
    key: str  # the key of this part in the export ("betrokkene", "functies", "casussen")
    collect: Callable[[object], object]  # the subject -> plain data
    # (object_type, object_id) pairs whose audited reads count as access to the subject's data
    accessed: Callable[[object], Iterable[tuple[str, str]]] = lambda _subject: ()
    order: int = 50


SUBJECT_SOURCES: list[SubjectSource] = []
SECTIONS: list[Section] = []


def register_subject_source(source: SubjectSource) -> None:
    SUBJECT_SOURCES[:] = [source]  # one place where data subjects live


def register_section(section: Section) -> None:
    SECTIONS[:] = [s for s in SECTIONS if s.key != section.key] + [section]
    SECTIONS.sort(key=lambda s: s.order)


def _source() -> SubjectSource:
    if not SUBJECT_SOURCES:
        raise RuntimeError("no subject source registered (is doorbraak.registers installed?)")
    return SUBJECT_SOURCES[0]


def find_subjects(query: str) -> list:
    return _source().find(query.strip())


def get_subject(pk):
    return _source().get(pk)


def activity_summary(a) -> dict:
    """A processing activity as the export states it: controller, purpose, basis, retention."""
    return {
        "verwerking": a.name,
        "verantwoordelijke": a.controller.name,
        "doel": a.purpose.name,
        "grondslag": a.legal_basis,
        "bewaartermijn_dagen": a.retention_days,
        "bewaartermijn_vanaf": a.retention_trigger,
    }


def collect(person) -> dict:
    """The content of the export, as plain data: each registered section, then who has accessed
    the data (art. 15(1)(c): the recipients)."""
    data: dict = {"opgesteld_op": timezone.now().isoformat(timespec="seconds")}
    accessed: dict[str, set[str]] = defaultdict(set)
    for section in SECTIONS:
        data[section.key] = section.collect(person)
        for object_type, object_id in section.accessed(person):
            accessed[object_type].add(str(object_id))
    which = Q(pk__in=[])
    for object_type, ids in sorted(accessed.items()):
        which |= Q(object_type=object_type, object_id__in=sorted(ids))
    accesses = AuditEntry.objects.filter(which).exclude(action=AuditAction.DENY)
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
    from weasyprint import CSS, HTML

    html = render_to_string("privacy/subject_access_pdf.html", {"data": data})
    # The stylesheet is a file of its own (no <style> block in a template: see the CSP test).
    stylesheet = CSS(
        filename=str(Path(__file__).parent / "templates" / "privacy" / "subject_access_pdf.css")
    )
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


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
    return buf.getvalue(), f"inzage-{person.pseudonym}-{timezone.localdate():%Y%m%d}.zip"
