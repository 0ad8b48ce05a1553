"""The first administrator of a new installation: `doorbraak create_admin`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from doorbraak.audit.models import AuditEntry
from doorbraak.partners.models import Organisation, Role, User
from doorbraak.policy import requires_second_factor

pytestmark = pytest.mark.django_db

ARGS = [
    "--username",
    "i.beheer",
    "--organisation-code",
    "gemeente-ict",
    "--organisation-name",
    "Gemeente Utrecht — ICT",
    "--password-from-env",
    "FIRST_ADMIN_PASSWORD",
]


def test_create_admin_makes_the_first_administrator(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "een-lang-beheerwachtwoord-2026")
    call_command("create_admin", *ARGS)
    user = User.objects.get(username="i.beheer")
    assert user.role == Role.ADMINISTRATOR and user.is_staff and not user.is_superuser
    assert user.organisation == Organisation.objects.get(code="gemeente-ict")
    assert user.check_password("een-lang-beheerwachtwoord-2026")
    assert (
        requires_second_factor(user) and not user.totpdevice_set.exists()
    )  # set up at first login
    assert AuditEntry.objects.filter(
        object_type="user", object_id=str(user.pk), action="create"
    ).exists()
    # Only the first: after that, administrators make accounts on the user pages.
    with pytest.raises(CommandError, match="al een beheerder"):
        call_command(
            "create_admin",
            *ARGS[:2],
            "--organisation-code",
            "gemeente-ict",
            "--password-from-env",
            "FIRST_ADMIN_PASSWORD",
        )
    assert User.objects.count() == 1


def test_create_admin_refuses_a_weak_password_and_saves_nothing(monkeypatch):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "kort")
    with pytest.raises(CommandError):
        call_command("create_admin", *ARGS)
    assert not User.objects.exists() and not Organisation.objects.exists()
