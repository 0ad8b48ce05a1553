"""The demo city's bank-partner data: about a million synthetic transactions over the year up to
the demo's build day, shaped after the demo city, with planted, labelled laundering patterns of
every typology (AMLworld format), analysed as the bank would (compute-to-data), and only the
sector aggregates loaded into Doorbraak. What is planted: doorbraak.demo.bank.

The work is the background job ``demo_bank`` (demo/tasks.py): `doorbraak demo` queues it
for the worker; this command runs it here and now (or queues it with --enqueue)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doorbraak.demo.tasks import DEMO_BANK_SEED, DEMO_SOURCE, DEMO_TRANSACTIONS
from doorbraak.jobs.actions import start_job

SOURCE = DEMO_SOURCE


class Command(BaseCommand):
    help = "Genereert de synthetische bankgegevens van de demostad, analyseert ze en laadt de sectorcijfers."

    def add_arguments(self, parser):
        parser.add_argument("--transactions", type=int, default=DEMO_TRANSACTIONS)
        parser.add_argument("--seed", type=int, default=DEMO_BANK_SEED)
        parser.add_argument(
            "--enqueue", action="store_true", help="in de wachtrij zetten voor doorbraak worker"
        )

    def handle(self, *args, **options):
        from doorbraak.demo.guards import NotADemo, require_demo_database

        try:  # synthetic sector figures never go into a real installation
            require_demo_database("Demo-bankgegevens laden")
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc
        params = {"transactions": options["transactions"], "seed": options["seed"]}
        job = start_job("demo_bank", requested_by="demo", params=params, now=not options["enqueue"])
        if options["enqueue"]:
            self.stdout.write(
                f"Taak {job.pk} (bankgegevens) staat in de wachtrij voor doorbraak worker."
            )
            return
        if job.status != "done":
            raise CommandError(job.error or f"taak {job.pk}: {job.status}")
        self.stdout.write(self.style.SUCCESS(job.summary))
