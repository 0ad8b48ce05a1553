from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doorbraak.careers.jobs import run_daily


class Command(BaseCommand):
    help = "Dagelijkse taak casusregie: herinneringen voor toetsen, contactfrequentie en baangaranties."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Simuleer een datum (JJJJ-MM-DD).")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today verwacht JJJJ-MM-DD") from exc
        result = run_daily(today)
        self.stdout.write(
            f"Casusregie {result['today']}: {result['total']} nieuwe meldingen {result['alerts']}"
        )
