"""The only door to resolved entities and the review queue's pairs.

An entity groups register records (persons or companies) that linkage found to be the same. A
person entity is a person as such: only roles with `registers.persons` open it (not enforcement
officers, issue 10). The rules are `policy.py`'s; this module fetches, checks, audits and denies.
"""

from __future__ import annotations

from django.http import Http404

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C
from doorbraak.registers.models import Person

from . import services
from .models import EntityType, ReviewPair


def sees_persons(user) -> bool:
    """Persons as such (pairs, person entities, search results): analysts, not enforcement."""
    return policy.has(user, C.REGISTER_PERSONS)


def _deny_persons(user, object_type: str, object_id) -> None:
    policy.deny(
        user,
        "role may not view persons in the registers",
        object_type=object_type,
        object_id=object_id,
        purpose=policy.purpose_for(user, "entity"),
    )


def get_entity_for_user(user, entity_id: str) -> tuple[list, str]:
    """The records of an entity in the latest run and the entity's type; audited as a read of
    the entity naming its records (the persons shown on its page are audited by the page)."""
    if not policy.has(user, C.REGISTERS_VIEW):
        _deny_persons(user, "entity", entity_id)
    records = services.entity_records(entity_id)
    if not records:
        raise Http404
    kind = services.entity_type_of(entity_id)
    if kind == EntityType.PERSON and not sees_persons(user):
        _deny_persons(user, "entity", entity_id)
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=policy.purpose_for(user, "entity"),
        object_type="entity",
        object_id=entity_id,
        detail={"records": [f"{kind}-{r.pk}" for r in records]},
    )
    return records, kind


def get_review_pair_for_user(user, pk) -> ReviewPair:
    """A pair of the review queue, to judge; a pair of persons only for who sees persons."""
    if not policy.has(user, C.REGISTERS_VIEW):
        _deny_persons(user, "review_pair", pk)
    try:
        pair = ReviewPair.objects.select_related("run").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        pair = None
    if pair is None:
        raise Http404
    if pair.run.entity_type == EntityType.PERSON and not sees_persons(user):
        _deny_persons(user, "review_pair", pk)
    return pair


def audit_persons_shown(user, persons, *, session, named: bool = False) -> None:
    """One read entry for the persons a page shows; identity data if any is shown by name
    (revealed, or ``named``: an officer named under the officer rule)."""
    persons = [p for p in persons if isinstance(p, Person)]
    if not persons:
        return
    revealed = named or any(policy.shows_identity(user, p, session) for p in persons)
    policy.audit_list_read(
        user,
        "person",
        [p.pk for p in persons],
        policy.purpose_for(user, "entity"),
        [DataCategory.IDENTITY] if revealed else [],
    )


def audit_search(user, *, results: int, revealed: bool, detail: dict) -> None:
    """An entity search is a read of what it found: the query, the page, the keys shown."""
    audit.record(
        AuditAction.READ,
        user=user,
        purpose=policy.purpose_for(user, "entity_search"),
        object_type="entity_search",
        object_id=f"{results} resultaten",
        categories=[DataCategory.IDENTITY] if revealed else [],
        detail={**detail, "results": results},
    )
