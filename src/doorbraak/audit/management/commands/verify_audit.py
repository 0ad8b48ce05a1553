from django.core.management.base import BaseCommand, CommandError

from doorbraak.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero at the first altered, removed or inserted entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN at entry {report.first_bad_id}: {report.reason} "
                               f"({report.checked} entries fine before it)")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified."))
