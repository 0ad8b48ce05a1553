"""Print the current TOTP codes of the demo accounts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doorbraak.demo.accounts import demo_accounts_with_codes, print_demo_accounts
from doorbraak.demo.guards import NotADemo, require_demo_database


class Command(BaseCommand):
    help = "Toont de demo-accounts met hun huidige verificatiecode (TOTP)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--secrets",
            action="store_true",
            help="Toon ook het base32-geheim om in een authenticator-app toe te voegen.",
        )

    def handle(self, *args, **options):
        try:
            require_demo_database("Demo-codes tonen")
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc
        print_demo_accounts(self.stdout)
        if options["secrets"]:
            self.stdout.write("")
            self.stdout.write("Base32-geheimen (alleen demo):")
            for row in demo_accounts_with_codes():
                if row["secret"]:
                    self.stdout.write(f"  {row['username']:<14} {row['secret']}")
