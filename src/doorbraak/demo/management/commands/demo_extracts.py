"""`doorbraak demo_extracts --out DIR`: write the demo city's noisy register extracts, their
ground truth and a mapping for `doorbraak link` (see doorbraak.demo.registers)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doorbraak.demo import registers
from doorbraak.demo.generator import DEMO_SEED, has_demo_data


class Command(BaseCommand):
    help = (
        "Schrijft nieuwere registerleveringen met ruis (BRP, KvK-functionarissen, huurders woningcorporaties) "
        "uit de demostad, met de grondwaarheid en een mapping voor `doorbraak link`. Leest niets in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, help="Map voor de bestanden (wordt aangemaakt)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help=f"Startwaarde (standaard {DEMO_SEED})."
        )
        parser.add_argument(
            "--import",
            dest="do_import",
            action="store_true",
            help="Lees de leveringen ook in via de importers en koppel personen en bedrijven.",
        )

    def handle(self, *args, **options):
        if not has_demo_data():
            raise CommandError(
                "Er is geen demostad in de database; draai eerst `doorbraak demo_city`."
            )
        if options["do_import"]:
            summary = registers.build_demo_registers(options["out"], seed=options["seed"])
            extracts = summary.extracts
        else:
            extracts = registers.write_extracts(options["out"], seed=options["seed"])
        for name, rows in extracts.files.items():
            self.stdout.write(f"{extracts.out_dir / name}: {rows} rijen")
        self.stdout.write(
            f"{extracts.out_dir / registers.TRUTH_FILE}: grondwaarheid ({len(extracts.truth)} rijen)"
        )
        self.stdout.write(
            f"{extracts.out_dir / registers.REGISTER_FILE}, {extracts.out_dir / registers.COMBINED_FILE}, "
            f"{extracts.out_dir / registers.MAPPING_FILE}: voor `doorbraak link`"
        )
        self.stdout.write(
            "ruis: " + ", ".join(f"{k} {extracts.noise[k]}" for k in registers.NOISE_KINDS)
        )
        self.stdout.write(
            f"{extracts.out_dir / registers.SPARSE_FILE}: politie-achtige signalen "
            f"({extracts.sparse_rows} rijen, met grondwaarheid), "
            f"{extracts.out_dir / registers.SPARSE_MAPPING_FILE}: voor `doorbraak link`"
        )
        self.stdout.write(
            "ruis signalen: "
            + ", ".join(f"{k} {extracts.sparse_noise[k]}" for k in registers.SPARSE_NOISE_KINDS)
        )
        self.stdout.write(
            f"{extracts.out_dir / registers.COMPANY_FILE}: bedrijven met een tweede vermelding "
            f"({extracts.company_rows} rijen, met grondwaarheid), "
            f"{extracts.out_dir / registers.COMPANY_MAPPING_FILE}: voor `doorbraak link`"
        )
        if options["do_import"]:
            s = summary.scores
            self.stdout.write(
                f"koppeling: F1 {s['f1']:.4f} (precisie {s['precision']:.4f}, recall {s['recall']:.4f})"
            )
