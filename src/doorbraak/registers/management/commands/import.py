"""`doorbraak import --source CODE --file PATH`: read one register extract, all-or-nothing."""

from __future__ import annotations

import getpass
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers import importers
from doorbraak.registers.models import SourceType


class Command(BaseCommand):
    help = (
        "Import a CSV or Parquet extract of a source in the verwerkingsregister. A file with bad rows is "
        "rejected whole (exit code 2) with a report of each bad row; the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", required=True, help="code of the source (ProcessingActivity, kind=source)"
        )
        parser.add_argument("--file", required=True, help="path of the CSV or Parquet file")
        parser.add_argument(
            "--format",
            choices=importers.FORMATS,
            help="default: Parquet if the file says so, else CSV",
        )
        parser.add_argument(
            "--type",
            dest="source_type",
            choices=SourceType.values,
            help="importer/mapping; default: the source's feed or the mapping naming the source",
        )
        parser.add_argument(
            "--received-on", help="delivery date of the extract (YYYY-MM-DD); default today"
        )
        parser.add_argument("--dry-run", action="store_true", help="only validate; store nothing")
        parser.add_argument(
            "--progress", action="store_true", help="progress bars (default: only on a terminal)"
        )
        parser.add_argument("--no-progress", action="store_true", help="never show progress bars")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the import for `doorbraak worker` instead of importing now (prints the job)",
        )

    def handle(self, *args, **options):
        source = (
            ProcessingActivity.objects.filter(code=options["source"])
            .select_related("purpose")
            .first()
        )
        if source is None:
            raise CommandError(f"unknown source {options['source']!r}; see the verwerkingsregister")
        try:
            received_on = (
                date.fromisoformat(options["received_on"]) if options["received_on"] else None
            )
        except ValueError as exc:
            raise CommandError(f"--received-on must be YYYY-MM-DD: {exc}") from exc
        if options["enqueue"]:
            return self._enqueue(source, received_on, options)
        progress = not options["no_progress"] and (options["progress"] or sys.stderr.isatty())
        try:
            result = importers.import_file(
                source,
                options["file"],
                source_type=options["source_type"],
                fmt=options["format"],
                received_on=received_on,
                username=f"cli:{_os_user()}",
                progress=progress,
                dry_run=options["dry_run"],
            )
        except (importers.ImportError_, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            self.stderr.write(result.report())
            raise CommandError("import rejected: nothing was written", returncode=2)
        self.stdout.write(result.report())

    def _enqueue(self, source, received_on, options) -> None:
        from pathlib import Path

        from doorbraak.jobs.actions import start_job

        path = Path(options["file"]).resolve()
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        job = start_job(
            "register_import",
            requested_by=f"cli:{_os_user()}",
            purpose=source.purpose.code,
            categories=source.data_categories,
            params={
                "source": source.code,
                "path": str(path),
                "source_type": options["source_type"],
                "fmt": options["format"],
                "received_on": received_on.isoformat() if received_on else None,
                "file_name": path.name,
                "dry_run": options["dry_run"],
                "delete_file": False,
            },
        )
        self.stdout.write(
            f"job {job.pk} queued (register_import); status: doorbraak shell or /taken/{job.pk}/"
        )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "onbekend"
