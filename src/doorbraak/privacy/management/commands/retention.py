import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doorbraak.privacy import retention


class Command(BaseCommand):
    help = "Apply retention periods from the verwerkingsregister: delete or anonymise what has expired (doorbraak worker runs this daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", help="date to apply retention as of (YYYY-MM-DD); default today"
        )
        parser.add_argument("--dry-run", action="store_true", help="only show what would be done")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run for `doorbraak worker` (which also schedules it daily by itself)",
        )

    def handle(self, *args, **options):
        try:
            as_of = (
                date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--as-of must be YYYY-MM-DD: {exc}") from exc
        if options["dry_run"]:
            self.stdout.write(json.dumps(retention.preview(as_of), ensure_ascii=False, indent=2))
            return
        if options["enqueue"]:
            from doorbraak.jobs.actions import start_job

            job = start_job("retention", requested_by="cli", params={"as_of": as_of.isoformat()})
            self.stdout.write(f"job {job.pk} queued (retention, as of {as_of})")
            return
        result = retention.run_retention(as_of)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
