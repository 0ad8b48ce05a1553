"""How a person is shown to a user: by name only where need-to-know allows, else by pseudonym."""

from __future__ import annotations

from doorbraak import policy
from doorbraak.partners.models import DataCategory, Role


def shows_identity(user, person, session) -> bool:
    if person is None or person.anonymised:
        return False
    if user.role == Role.ANALYST:
        return policy.is_revealed(session, person)
    if user.role == Role.ENFORCEMENT_OFFICER:
        return policy.may_see_category(user, DataCategory.IDENTITY, policy.PURPOSE_ENFORCEMENT)
    if user.role == Role.PRIVACY_OFFICER:
        return True
    return False


def person_label(user, person, session) -> str:
    if person is None:
        return "—"
    if person.anonymised:
        return "geanonimiseerd"
    return person.full_name if shows_identity(user, person, session) else person.pseudonym
