"""The only door to the registers' objects: persons, companies (with their officers), premises
and the rejection reports of imports.

`policy.py` decides who sees a person's identity (`shows_identity`, the enforcement officer's
`shows_officer_identity`) and under which purpose (`purpose_for`); this module fetches the
object, applies those rules, audits the read, and raises the audited denial. The rules of
issue 10 hold here for web and API alike: enforcement officers never open a person as such (no
`registers.persons` capability); they see who runs a company in the focus areas, by name and
function, as a fact about that company.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import REASON_MAX
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C

from .models import Company, ImportBatch, Officer, Person, Premises


def _require(user, capability: str, object_type: str, pk) -> None:
    if not policy.has(user, capability):
        policy.deny(
            user,
            f"missing capability {capability}",
            object_type=object_type,
            object_id=pk,
            purpose=policy.purpose_for(user, object_type),
        )


def _identity(shown: bool) -> list[str]:
    return [DataCategory.IDENTITY] if shown else []


def get_person_for_user(
    user, pk, *, session, purpose: str | None = None, via: str = "web"
) -> tuple[Person, bool]:
    """A register person and whether their identity is shown to this user (else the pseudonym);
    audited as a read under the user's register purpose, the same on the web and in the API."""
    purpose = purpose or policy.purpose_for(user, "person")
    if not policy.has(user, C.REGISTER_PERSONS):
        policy.deny(
            user,
            "role may not view persons in the registers",
            object_type="person",
            object_id=pk,
            purpose=purpose,
        )
    person = Person.objects.filter(pk=pk).select_related("residence", "source").first()
    if person is None:
        raise Http404
    revealed = policy.shows_identity(user, person, session)
    detail: dict = {"pseudonymised": not revealed}
    if via != "web":
        detail["via"] = via
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=purpose,
        object_type="person",
        object_id=person.pk,
        categories=_identity(revealed),
        detail=detail,
    )
    return person, revealed


def reveal_person(user, person: Person, reason: str, session) -> None:
    """Show a person's identity to an analyst for the rest of the session, with a recorded
    purpose (the reason), audited as a reveal."""
    purpose = policy.purpose_for(user, "reveal")
    if not policy.can_reveal(user):
        policy.deny(
            user,
            "may not reveal identities",
            object_type="person",
            object_id=person.pk,
            purpose=purpose,
        )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValueError(_("Geef een doel van ten minste 10 tekens op."))
    if len(reason) > REASON_MAX:
        raise ValueError(_("Geef een doel van ten hoogste %(n)s tekens op.") % {"n": REASON_MAX})
    audit.record(
        AuditAction.REVEAL,
        user=user,
        purpose=purpose,
        object_type="person",
        object_id=person.pk,
        categories=[DataCategory.IDENTITY],
        detail={"reason": reason},
    )
    revealed = set(session.get(policy.REVEAL_SESSION_KEY, []))
    revealed.add(person.pk)
    session[policy.REVEAL_SESSION_KEY] = sorted(revealed)


def reveal_person_by_id(user, pk, reason: str, session) -> Person:
    """`reveal_person` for the person with this id (404 if there is none)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    reveal_person(user, person, reason, session)
    return person


def get_company_for_user(user, pk) -> Company:
    """A company (not personal data as such; its officers are, see `company_officers`)."""
    _require(user, C.REGISTERS_VIEW, "company", pk)
    company = Company.objects.filter(pk=pk).select_related("establishment", "source").first()
    if company is None:
        raise Http404
    return company


def company_officers(user, company: Company, *, session) -> list[tuple[Officer, bool]]:
    """Who runs the company, each with whether they are shown by name to this user (the officer
    rule, or a revealed identity); one audited read naming every officer shown."""
    officers = list(company.officers.select_related("person", "company__establishment"))
    rows = [(o, policy.shows_officer(user, o, session)) for o in officers]
    policy.audit_list_read(
        user,
        "person",
        [o.person_id for o in officers],
        policy.purpose_for(user, "company"),
        _identity(any(named for _o, named in rows)),
    )
    return rows


def get_premises_for_user(user, pk) -> Premises:
    """A premises (an address, its use and floor area; residents only as a count)."""
    _require(user, C.REGISTERS_VIEW, "premises", pk)
    premises = Premises.objects.filter(pk=pk).first()
    if premises is None:
        raise Http404
    return premises


def get_import_batch_for_user(user, pk) -> ImportBatch:
    """An import run and its report. The report quotes rejected values, which can be personal
    data (a BSN, a name): reading a report with rejections is audited under the source's purpose."""
    _require(user, C.REGISTERS_IMPORT, "import_batch", pk)
    batch = ImportBatch.objects.filter(pk=pk).select_related("source", "source__purpose").first()
    if batch is None:
        raise Http404
    return batch


def audit_rejections_read(user, batch: ImportBatch, shown: int) -> None:
    if shown:
        audit.record(
            AuditAction.READ,
            user=user,
            purpose=batch.source.purpose.code,
            object_type="import_batch",
            object_id=batch.pk,
            categories=batch.source.data_categories,
            detail={"rejections": shown},
        )
