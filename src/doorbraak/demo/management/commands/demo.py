"""`doorbraak demo`: migrate, build the demo city if it is not there yet, and serve it with the
production application server (`doorbraak serve`: gunicorn, DEBUG off, collected static files).

Set DOORBRAAK_DEMO_MODE=1 (the Makefile does) so the login page shows the demo accounts and
every page says the data is synthetic."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from doorbraak.demo.accounts import print_demo_accounts
from doorbraak.demo.generator import has_demo_data


def _bank_data_loaded() -> bool:
    from doorbraak.moneyflows.models import SectorFigureSet

    return SectorFigureSet.objects.exists()


class Command(BaseCommand):
    help = "Migreert, bouwt de demostad (als die er nog niet is) en start de server op 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Adres en poort (standaard 127.0.0.1:8000).")
        parser.add_argument("--no-serve", action="store_true", help="Alleen migreren en bouwen, niet serveren.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if has_demo_data():
            self.stdout.write("De demostad staat al in de database (opnieuw bouwen: doorbraak demo_city --reset).")
            self.stdout.write("")
            print_demo_accounts(self.stdout)
        else:
            call_command("demo_city", stdout=self.stdout)
        self._start_bank_data(wait=options["no_serve"])
        if options["no_serve"]:
            return
        if not settings.DEMO_MODE:
            self.stdout.write(self.style.WARNING(
                "Let op: DOORBRAAK_DEMO_MODE staat niet aan; de inlogpagina toont de demo-accounts dan niet."
            ))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Doorbraak demo: http://{options['addrport']}/"))
        call_command("serve", options["addrport"])

    def _start_bank_data(self, wait: bool) -> None:
        """The bank data (a million transactions) take about a minute: build them beside the
        server so the login page is up at once; the sector view fills when they are done."""
        import subprocess
        import sys

        if _bank_data_loaded():
            return
        log = open(settings.VAR_DIR / "demo-bank.log", "w")  # noqa: SIM115 (kept open for the child)
        cmd = [sys.executable, "-m", "doorbraak.cli", "demo_bank"]
        self.stdout.write(f"Bankgegevens worden op de achtergrond gemaakt (log: {log.name}).")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            proc.wait()
