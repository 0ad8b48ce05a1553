from django.core.management.base import BaseCommand, CommandError

from doorbraak.moneyflows.services import RejectedFile, load_sector_figures


class Command(BaseCommand):
    help = (
        "Store the sector figures made by `doorbraak flows sectors` (aggregates only) for the analysts' "
        "sector view: the same import as `doorbraak import --source CODE --file SECTORS.csv`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", required=True, help="SECTORS.csv written by `doorbraak flows sectors`"
        )
        parser.add_argument(
            "--source",
            default="bron-bank-sectorinzichten",
            help="code of the source in the verwerkingsregister",
        )

    def handle(self, *args, **options):
        try:
            figure_set, created = load_sector_figures(
                options["file"], source_code=options["source"], loaded_by="commandline"
            )
        except (RejectedFile, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{figure_set.figures.count()} regels opgeslagen (peildatum {figure_set.data_date}, regels {figure_set.ruleset_version})."
                )
            )
        else:
            self.stdout.write("Dit bestand is al ingelezen; niets veranderd.")
