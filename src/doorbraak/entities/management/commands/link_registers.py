from django.core.management.base import BaseCommand

from doorbraak.entities.services import run_register_linkage


class Command(BaseCommand):
    help = "Resolve the register's person or company records into entities (judgements apply, ids stay stable)."

    def add_arguments(self, parser):
        parser.add_argument("--entity", choices=["person", "company"], default="person")

    def handle(self, *args, entity, **options):
        run = run_register_linkage(entity)
        self.stdout.write(
            f"run {run.pk} ({entity}): {run.record_count} records -> {run.entity_count} entities, "
            f"{run.review_count} pairs to review, {run.judgement_count} judgements applied"
        )
