"""`doorbraak risk_run`: one run of the live rule set over a snapshot of the registers, in this
process (recorded as a background job like any other), printing what it found."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Draait de vastgestelde regelset over een momentopname van de registers (panden en "
        "bedrijven, nooit personen) en slaat de uitkomst op. --reproduce RUN: evalueer de "
        "momentopname van een eerdere run opnieuw en vergelijk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="peildatum JJJJ-MM-DD (standaard vandaag)")
        parser.add_argument(
            "--queue", action="store_true", help="in de wachtrij voor de worker in plaats van nu"
        )
        parser.add_argument("--reproduce", type=int, metavar="RUN", help="een eerdere run herhalen")

    def handle(self, *args, **options):
        from doorbraak.risk import actions
        from doorbraak.risk.models import RiskRun, RunStatus
        from doorbraak.risk.services import SnapshotError

        if options["reproduce"]:
            run = RiskRun.objects.filter(pk=options["reproduce"]).first()
            if run is None or run.status != RunStatus.DONE:
                raise CommandError(f"run {options['reproduce']} bestaat niet of is niet klaar")
            try:
                same, digest = actions.reproduce(run)
            except SnapshotError as exc:
                raise CommandError(str(exc)) from exc
            if not same:
                raise CommandError(
                    f"run {run.pk}: uitkomst wijkt af ({digest[:12]} tegen {run.results_sha256[:12]})"
                )
            self.stdout.write(f"run {run.pk}: opnieuw geëvalueerd, identiek ({digest[:12]})")
            return
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except ValueError as exc:
            raise CommandError(f"geen datum (JJJJ-MM-DD): {options['as_of']!r}") from exc
        run = actions.start_run(
            requested_by="beheer:risk_run", as_of=as_of, now=not options["queue"]
        )
        run.refresh_from_db()
        if options["queue"]:
            self.stdout.write(f"run {run.pk} staat in de wachtrij (taak {run.job_id})")
            return
        if run.status != RunStatus.DONE:
            raise CommandError(f"run {run.pk} mislukt: {run.error or (run.job and run.job.error)}")
        c = run.counts
        self.stdout.write(
            f"run {run.pk}: regelset {run.rules_version}, peildatum {run.as_of}: "
            f"{c['premises']} van {c['premises_total']} panden en {c['company']} van "
            f"{c['company_total']} bedrijven met een signaal"
        )
        for iid, missing in run.not_evaluated.items():
            self.stdout.write(f"  niet geëvalueerd: {iid} (ontbreekt: {', '.join(missing)})")
