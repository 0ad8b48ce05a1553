"""`doorbraak create_admin`: the first administrator of a new installation (docs/deploy.md).

Makes the administrator's organisation if it is not there and the account in the role
Beheerder; the second factor is set up at the first login. Refuses once an administrator exists:
further accounts are made by an administrator on the user pages, audited."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.partners.models import Organisation, OrganisationKind, Role, User
from doorbraak.policy import PURPOSE_MANAGEMENT


class Command(BaseCommand):
    help = "Maakt de eerste beheerder van een nieuwe installatie (tweede factor bij de eerste keer inloggen)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--organisation-code", required=True, help="bijvoorbeeld gemeente-ict")
        parser.add_argument("--organisation-name", help="nodig als de organisatie nog niet bestaat")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="lees het wachtwoord uit deze omgevingsvariabele (anders wordt erom gevraagd)",
        )

    def handle(self, *args, **options):
        if User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exists():
            raise CommandError(
                "Er is al een beheerder; die maakt verdere accounts aan op de gebruikerspagina's."
            )
        password = self._password(options)
        user = User(
            username=options["username"],
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            organisation = Organisation.objects.filter(code=options["organisation_code"]).first()
            if organisation is None:
                if not options["organisation_name"]:
                    raise CommandError(
                        "De organisatie bestaat nog niet: geef ook --organisation-name."
                    )
                organisation = Organisation.objects.create(
                    code=options["organisation_code"],
                    name=options["organisation_name"],
                    kind=OrganisationKind.MUNICIPALITY,
                )
            user.organisation = organisation
            user.set_password(password)
            user.save()
            audit.record(
                AuditAction.CREATE,
                username="installatie",
                purpose=PURPOSE_MANAGEMENT,
                object_type="user",
                object_id=user.pk,
                detail={
                    "username": user.username,
                    "role": user.role,
                    "organisation": organisation.code,
                    "first_administrator": True,
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Beheerder {user.username} ({organisation.name}) aangemaakt. Log in; de tweede factor (TOTP) "
                "wordt bij de eerste keer ingesteld."
            )
        )

    def _password(self, options) -> str:
        if options["password_from_env"]:
            password = os.environ.get(options["password_from_env"], "")
            if not password:
                raise CommandError(f"{options['password_from_env']} is leeg of niet gezet.")
            return password
        first = getpass.getpass("Wachtwoord: ")
        if first != getpass.getpass("Nogmaals: "):
            raise CommandError("De wachtwoorden verschillen.")
        return first
