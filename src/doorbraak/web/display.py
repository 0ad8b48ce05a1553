"""How a person is shown to a user: by name only where need-to-know allows, else by pseudonym.
Formatting only: the rules (who sees whom by name) are policy.shows_identity,
policy.shows_officer_identity and policy.shows_officer."""

from __future__ import annotations

from doorbraak import policy


def shows_identity(user, person, session) -> bool:
    return policy.shows_identity(user, person, session)


def person_label(user, person, session) -> str:
    if person is None:
        return "—"
    if person.anonymised:
        return "geanonimiseerd"
    return person.full_name if shows_identity(user, person, session) else person.pseudonym


def officer_label(user, officer, session) -> str:
    """A company's officer: by name where the person's identity is shown, or where the policy lets
    an enforcement officer see who runs this company; else by pseudonym."""
    if officer.person.anonymised:
        return "geanonimiseerd"
    if policy.shows_officer_identity(user, officer):
        return officer.person.full_name
    return person_label(user, officer.person, session)


def shows_officer(user, officer, session) -> bool:
    return policy.shows_officer(user, officer, session)
