from django.core.management.base import BaseCommand

from doorbraak.entities.services import run_incremental_linkage, run_register_linkage


class Command(BaseCommand):
    help = "Resolve the register's person or company records into entities (judgements apply, ids stay stable)."

    def add_arguments(self, parser):
        parser.add_argument("--entity", choices=["person", "company"], default="person")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="link only records the latest run has not seen, with its model",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the run for `doorbraak worker`"
        )

    def handle(self, *args, entity, incremental=False, **options):
        if options.get("enqueue"):
            from doorbraak.jobs.actions import start_job

            job = start_job(
                "linkage_run",
                requested_by="cli",
                purpose="risicoanalyse",
                params={"entity": entity, "incremental": incremental},
            )
            self.stdout.write(f"job {job.pk} queued (linkage_run, {entity})")
            return
        if incremental:
            run = run_incremental_linkage(entity)
            if run is None:
                self.stdout.write(
                    f"nothing to link incrementally ({entity}): no run yet or no new records"
                )
                return
        else:
            run = run_register_linkage(entity)
        kind = "incremental run" if run.incremental else "run"
        self.stdout.write(
            f"{kind} {run.pk} ({entity}): {run.record_count} records -> {run.entity_count} entities, "
            f"{run.review_count} pairs to review, {run.judgement_count} judgements applied"
        )
