"""Build the synthetic demo city: reference data, demo accounts, and the city itself."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doorbraak.demo.accounts import print_demo_accounts
from doorbraak.demo.generator import (
    DEMO_BUSINESSES,
    DEMO_CASES,
    DEMO_SEED,
    DemoCityExists,
    build_demo_city,
    reset_demo_data,
)
from doorbraak.demo.guards import NotADemo
from doorbraak.registers.models import Company


class Command(BaseCommand):
    help = (
        "Bouwt de demostad (synthetische gegevens): organisaties, convenant, verwerkingsregister, "
        "demo-accounts, panden, bedrijven, personen en casussen. Draai eerst `migrate`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Maak eerst alle tabellen leeg (behalve het auditlog, dat append-only is).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"Startwaarde (standaard {DEMO_SEED})."
        )
        parser.add_argument(
            "--businesses",
            type=int,
            default=DEMO_BUSINESSES,
            help=f"Aantal bedrijven (standaard {DEMO_BUSINESSES}).",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=DEMO_CASES,
            help=f"Aantal casussen (standaard {DEMO_CASES}).",
        )
        parser.add_argument(
            "--no-registers",
            action="store_true",
            help="Geen nieuwere registerleveringen met ruis inlezen en niet koppelen "
            "(zie doorbraak demo_extracts).",
        )

    def handle(self, *args, **options):
        try:
            if options["reset"]:
                reset_demo_data()
                self.stdout.write("Database leeggemaakt (auditlog behouden).")
            summary = build_demo_city(
                seed=options["seed"], businesses=options["businesses"], cases=options["cases"]
            )
        except (DemoCityExists, NotADemo) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demostad gebouwd in {summary.seconds:.1f} s (seed {summary.seed}) — alle gegevens zijn synthetisch."
            )
        )
        self.stdout.write(
            f"  panden {summary.premises}, bedrijven {summary.companies}, personen {summary.persons}, "
            f"functionarissen {summary.officers}, casussen {summary.cases} ({summary.case_records} casusgegevens)"
        )
        self.stdout.write(
            f"  gedateerd op {summary.today:%d-%m-%Y} (de bouwdatum); bewaartermijnen toegepast: "
            + (
                ", ".join(f"{k} {v}" for k, v in sorted(summary.retention.items()))
                or "niets verlopen"
            )
        )
        areas = {
            "nieuw_overvecht": "Nieuw Overvecht",
            "amsterdamsestraatweg": "Amsterdamsestraatweg",
        }
        for area, label in areas.items():
            self.stdout.write(
                f"  {label}: {Company.objects.filter(establishment__area=area).count()} bedrijven"
            )
        if not options["no_registers"]:
            self._registers(options["seed"])
        self.stdout.write("")
        print_demo_accounts(self.stdout)

    def _registers(self, seed: int) -> None:
        """Newer, noisy register deliveries (BRP, KvK officers, housing corporations) imported
        through the importers, then persons and companies resolved into entities."""
        from django.conf import settings

        from doorbraak.demo.registers import build_demo_registers

        out = settings.VAR_DIR / "demo-extracts"
        summary = build_demo_registers(out, seed=seed)
        scores = summary.scores
        self.stdout.write(
            f"  registerleveringen met ruis ingelezen ({out}): "
            + ", ".join(f"{name} {rows} rijen" for name, rows in summary.extracts.files.items())
        )
        person, company = summary.runs["person"], summary.runs["company"]
        self.stdout.write(
            f"  gekoppeld in {summary.seconds:.1f} s: {person.record_count} persoonsrecords -> {person.entity_count} "
            f"personen ({person.review_count} paren ter beoordeling), {company.record_count} bedrijfsrecords -> "
            f"{company.entity_count} bedrijven; F1 tegen de grondwaarheid {scores['f1']:.3f} "
            f"(precisie {scores['precision']:.3f}, recall {scores['recall']:.3f})"
        )
