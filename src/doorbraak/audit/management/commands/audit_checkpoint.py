import json
import sys

from django.core.management.base import BaseCommand

from doorbraak.audit.checkpoint import make_checkpoint, write_checkpoint


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit chain's head outside the database (default: a new "
        "file in DOORBRAAK_AUDIT_CHECKPOINT_DIR). Keep copies where the database administrator "
        "cannot change them; `verify_audit --checkpoint FILE` checks the chain against one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help='file to write ("-": standard output) instead of the directory'
        )

    def handle(self, *args, **options):
        output = options.get("output")
        if output == "-":
            sys.stdout.write(json.dumps(make_checkpoint(), indent=2, sort_keys=True) + "\n")
            return
        path, checkpoint = write_checkpoint(output)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit checkpoint written: {path} (entry {checkpoint['chain_seq']}, "
                f"hash {str(checkpoint['entry_hash'])[:16]}…)"
            )
        )
