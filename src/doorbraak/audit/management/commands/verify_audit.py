from django.core.management.base import BaseCommand, CommandError

from doorbraak.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Chain the audit entries not yet chained, then verify the audit log's hash chain; exits non-zero "
        "at the first altered, removed or inserted entry. Reports entries still waiting for the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-chain",
            action="store_true",
            help="Only verify: do not chain pending entries first (they are counted and reported).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the check for `doorbraak worker`"
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a checkpoint file (`doorbraak audit_checkpoint`): the entry it recorded must "
            "still be in the chain with the same hash (catches a chain rewritten with its head). "
            "May be given more than once.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from doorbraak.jobs.actions import start_job

            job = start_job("verify_audit", requested_by="cli")
            self.stdout.write(f"job {job.pk} queued (verify_audit)")
            return
        from doorbraak.audit.checkpoint import (
            CheckpointError,
            check_against_chain,
            read_checkpoint,
        )

        checkpoints = []
        for name in options["checkpoint"]:
            try:
                checkpoints.append((name, read_checkpoint(name)))
            except CheckpointError as exc:
                raise CommandError(str(exc)) from exc
        report = verify_chain(chain_first=not options["no_chain"])
        if report.chained_now:
            self.stdout.write(
                f"Chained {report.chained_now} entries that were not yet in the chain."
            )
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at entry {report.first_bad_id}: {report.reason} "
                f"({report.checked} entries fine before it)"
            )
        for name, checkpoint in checkpoints:
            result = check_against_chain(checkpoint)
            if not result.ok:
                raise CommandError(f"Audit chain does NOT match checkpoint {name}: {result.reason}")
            self.stdout.write(
                f"Checkpoint {name} ({checkpoint['written_at']}, entry {result.chain_seq}) matches."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified.")
        )
        if report.unchained:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.unchained} entries are stored but not yet chained (not verified yet; "
                    "run without --no-chain to chain them first)."
                    if options["no_chain"]
                    else f"{report.unchained} entries were written during the check and are not yet chained."
                )
            )
