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
    help = (
        "Migreert, bouwt de demostad (als die er nog niet is) en start de server op 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="Adres en poort (standaard 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Alleen migreren en bouwen, niet serveren."
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if has_demo_data():
            self.stdout.write(
                "De demostad staat al in de database (opnieuw bouwen: doorbraak demo_city --reset)."
            )
            self.stdout.write("")
            print_demo_accounts(self.stdout)
        else:
            call_command("demo_city", stdout=self.stdout)
        self._queue_bank_data()
        self._queue_monitoring()
        if options["no_serve"]:
            # No server: run what is queued (the bank data) here and now, then stop.
            if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
                call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
            return
        if not settings.DEMO_MODE:
            self.stdout.write(
                self.style.WARNING(
                    "Let op: DOORBRAAK_DEMO_MODE staat niet aan; de inlogpagina toont de demo-accounts dan niet."
                )
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Doorbraak demo: http://{options['addrport']}/"))
        worker = self._start_worker()
        try:
            call_command("serve", options["addrport"])
        finally:
            self._stop_worker(worker)

    def _queue_bank_data(self) -> None:
        """The bank data (a million transactions) take about a minute: a background job for the
        worker, so the login page is up at once; the sector view fills when the job is done."""
        from doorbraak.jobs.actions import start_job
        from doorbraak.jobs.models import ACTIVE, Job

        if _bank_data_loaded() or Job.objects.filter(kind="demo_bank", status__in=ACTIVE).exists():
            return
        job = start_job("demo_bank", requested_by="demo")
        self.stdout.write(f"Bankgegevens worden op de achtergrond gemaakt (taak {job.pk}).")

    def _queue_monitoring(self) -> None:
        """The monitoring figures (the protected cube) are computed in advance by a job; the
        bank job queues it once more when the sector figures are in."""
        from doorbraak.jobs.actions import start_job
        from doorbraak.jobs.models import ACTIVE, Job

        if Job.objects.filter(kind="monitoring_cube", status__in=ACTIVE).exists():
            return
        job = start_job("monitoring_cube", requested_by="demo")
        self.stdout.write(f"Monitoringcijfers worden op de achtergrond berekend (taak {job.pk}).")

    def _start_worker(self):
        """`doorbraak worker` beside the server, so the demo still runs from one command."""
        import subprocess
        import sys

        log = open(settings.VAR_DIR / "worker.log", "a")  # noqa: SIM115 (kept open for the child)
        self.stdout.write(f"Achtergrondtaken: doorbraak worker draait mee (log: {log.name}).")
        return subprocess.Popen(
            [sys.executable, "-m", "doorbraak.cli", "worker", "--no-startup-delay"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    @staticmethod
    def _stop_worker(proc) -> None:
        import subprocess

        if proc.poll() is None:
            proc.terminate()  # SIGTERM: the worker finishes its current job's step and stops
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
