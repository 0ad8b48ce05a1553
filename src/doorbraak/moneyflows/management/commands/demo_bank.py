"""The demo city's bank-partner data: about a million synthetic transactions over the year up to
the demo's build day, shaped after the demo city, with planted, labelled laundering patterns of
every typology (AMLworld format), analysed as the bank would (compute-to-data), and only the
sector aggregates loaded into Doorbraak. What is planted: doorbraak.demo.bank."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from doorbraak.moneyflows.services import load_sector_figures

DEMO_TRANSACTIONS = 1_000_000
DEMO_BANK_SEED = 20261128
SOURCE = "bron-bank-sectorinzichten"


class Command(BaseCommand):
    help = "Genereert de synthetische bankgegevens van de demostad, analyseert ze en laadt de sectorcijfers."

    def add_arguments(self, parser):
        parser.add_argument("--transactions", type=int, default=DEMO_TRANSACTIONS)
        parser.add_argument("--seed", type=int, default=DEMO_BANK_SEED)

    def handle(self, *args, **options):
        from doorbraak.demo.guards import NotADemo, require_demo_database
        from doorbraak.demo.bank import build_demo_bank
        from doorbraak.demo.clock import built_on

        try:  # synthetic sector figures never go into a real installation
            require_demo_database("Demo-bankgegevens laden")
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc

        started = time.monotonic()
        out = Path(settings.VAR_DIR) / "demo-bank"
        bank = build_demo_bank(out, transactions=options["transactions"], seed=options["seed"], today=built_on())
        figure_set, created = load_sector_figures(bank.sectors, source_code=SOURCE, loaded_by="demo")
        self.stdout.write(self.style.SUCCESS(
            f"Bankgegevens (synthetisch): {options['transactions']} transacties "
            f"({bank.start:%d-%m-%Y} t/m {bank.end:%d-%m-%Y}) in {bank.transactions}; "
            f"{figure_set.figures.count()} sectorregels {'geladen' if created else 'waren al geladen'} "
            f"in {time.monotonic() - started:.0f} s."))
