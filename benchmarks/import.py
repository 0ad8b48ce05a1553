"""Import benchmark: a synthetic trade-register (KvK) extract through ``doorbraak import``'s
service, with time and peak memory.

    python benchmarks/import.py                    # 5,000,000 companies, about 1 GB of CSV
    python benchmarks/import.py --rows 500000      # a smaller extract
    python benchmarks/import.py --format parquet   # the same rows as Parquet
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb python benchmarks/import.py --reset

The extract is generated deterministically (``--seed``) into a temporary directory (removed
afterwards unless ``--keep``): first a BAG extract of ``--premises`` verblijfsobjecten, then
the KvK extract, whose companies have their establishment at one of those premises, 85% by
BAG-id and 15% by postcode + house number (the address path). The database is
``DATABASE_URL`` (migrated first; with ``--reset`` its register data are deleted, otherwise
it must have no companies yet), else a fresh SQLite file in the temporary directory.

What is measured: ``import_file`` for the KvK extract — reading, validating every row,
resolving every establishment, writing the companies and their record versions in one
transaction, the batch and its audit entry — in a process of its own, so that its wall time
and peak memory (max RSS, including Django itself) are the import's alone. The BAG import
before it is timed as well and printed, but is not the RESULT. Incremental entity linking
after the import is a separate job and is not measured (there is no linkage run in the
benchmark database; the import is run with ``link_entities=False``).

The last line is machine-readable:

    RESULT rows=… seconds=… peak_gb=…
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SOURCE_BAG, SOURCE_KVK = "bron-bench-bag", "bron-bench-kvk"

# ------------------------------------------------------------------ the synthetic extract

STREETS = [
    "Amsterdamsestraatweg",
    "Nijverheidsweg",
    "Kanaalweg",
    "Vleutenseweg",
    "Biltstraat",
    "Oudegracht",
    "Kardinaal de Jongweg",
    "Franciscusdreef",
    "Zuilenstraat",
    "Marnixlaan",
    "Europalaan",
    "Einsteindreef",
    "Kanaalstraat",
    "Twijnstraat",
    "Waterlinieweg",
    "Ravenswade",
    "Proostwetering",
    "Atoomweg",
]
WIJKEN = [
    "Overvecht",
    "Noordwest",
    "West",
    "Zuidwest",
    "Oost",
    "Binnenstad",
    "Zuid",
    "Noordoost",
    "Leidsche Rijn",
    "Vleuten-De Meern",
]
USES = [
    "bedrijfsfunctie",
    "winkelfunctie",
    "kantoorfunctie",
    "industriefunctie",
    "woonfunctie",
    "bijeenkomstfunctie",
]
LEGAL_FORMS = [
    "Besloten Vennootschap",
    "Eenmanszaak",
    "Vennootschap onder firma",
    "Stichting",
    "Naamloze Vennootschap",
    "Coöperatie",
    "Commanditaire vennootschap",
    "Vereniging",
]
SBI = [
    ("4520", "Onderhoud en reparatie van auto's"),
    ("45204", "Autowasserijen"),
    ("4742", "Winkels in telecommunicatieapparatuur"),
    ("5630", "Cafés"),
    ("5610", "Restaurants"),
    ("9602", "Kappers en schoonheidsverzorging"),
    ("4711", "Supermarkten en warenhuizen"),
    ("6820", "Verhuur van onroerend goed"),
    ("4941", "Goederenvervoer over de weg"),
    ("6419", "Overige geldscheppende financiële instellingen"),
    ("4321", "Elektrotechnische bouwinstallatie"),
    ("9313", "Fitnesscentra"),
    ("4619", "Groothandel in een algemeen assortiment"),
    ("7022", "Organisatieadvies"),
    ("5510", "Hotels"),
    ("4399", "Gespecialiseerde bouw"),
    ("8121", "Reiniging van gebouwen"),
    ("4778", "Winkels in overige nieuwe artikelen"),
]
WORDS = [
    "Noord",
    "Domstad",
    "Utrechtse",
    "Overvecht",
    "Kanaal",
    "Euro",
    "Holland",
    "Stad",
    "Centraal",
    "Vecht",
    "Rijn",
    "Lombok",
    "Zuilen",
    "Oost",
    "Maliebaan",
    "Polder",
    "Delta",
    "Atlas",
    "Orion",
    "Pionier",
    "Eiland",
]
TRADES = [
    "Autoservice",
    "Belwinkel",
    "Shisha Lounge",
    "Kapsalon",
    "Nagelstudio",
    "Snackbar",
    "Bouwbedrijf",
    "Transport",
    "Schoonmaak",
    "Vastgoed",
    "Trading",
    "Import Export",
    "Horeca",
    "Koeriers",
    "Fitness",
    "Administratiekantoor",
    "Installatietechniek",
    "Supermarkt",
    "Autohandel",
    "Beveiliging",
]
SUFFIXES = ["B.V.", "V.O.F.", "", "Holding B.V.", "& Zonen", "Groep B.V.", "Utrecht B.V.", "C.V."]
CHUNK = 200_000


def _premises(n: int):
    """Premises 0…n-1: a BAG-id, and a unique address (postcode digits, letters, house number)."""
    import numpy as np

    i = np.arange(n, dtype=np.int64)
    bag = np.char.add("03440100", np.char.zfill((i + 1).astype(str), 8))
    block = i // 400  # 400 house numbers per postcode
    letters = np.array([f"{a}{b}" for a in "ABCDEFGHJKLMNPRTVWXZ" for b in "ABCDEFGHJKLMNPRTVWXZ"])
    digits = (1000 + block % 9000).astype(str)  # never a leading 0
    return bag, digits, letters[(block // 9000) % len(letters)], i % 400 + 1


def generate(out: Path, rows: int, premises: int, seed: int, fmt: str) -> dict:
    """Write bag.csv and kvk.<fmt>; deterministic for a seed."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    # the BAG extract
    bag, pc_digits, pc_letters, number = _premises(premises)
    street = np.array(STREETS)[rng.integers(0, len(STREETS), premises)]
    table = pa.table(
        {
            "verblijfsobject_id": bag,
            "openbare_ruimte": street,
            "huisnummer": number.astype(str),
            "postcode": np.char.add(pc_digits, pc_letters),
            "woonplaats": np.full(premises, "Utrecht"),
            "wijk": np.array(WIJKEN)[rng.integers(0, len(WIJKEN), premises)],
            "gebruiksdoel": np.array(USES)[rng.integers(0, len(USES), premises)],
            "oppervlakte": rng.integers(20, 2000, premises).astype(str),
            "lat": np.round(52.05 + rng.random(premises) * 0.1, 5).astype(str),
            "lon": np.round(5.05 + rng.random(premises) * 0.1, 5).astype(str),
        }
    )
    pacsv.write_csv(table, out / "bag.csv", pacsv.WriteOptions(delimiter=";"))
    # the KvK extract, in chunks
    modulus, step = 89_999_999, 7_919_993  # step is coprime with the modulus: unique KvK numbers
    assert math.gcd(modulus, step) == 1
    path = out / f"kvk.{fmt}"
    writer = None
    legal, sbi_codes = np.array(LEGAL_FORMS), np.array([c for c, _ in SBI])
    sbi_desc, words, trades, suffixes = (
        np.array([d for _, d in SBI]),
        np.array(WORDS),
        np.array(TRADES),
        np.array(SUFFIXES),
    )
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        i = np.arange(start, start + n, dtype=np.int64)
        kvk = (10_000_000 + (i * step) % modulus).astype(str)
        trade = trades[rng.integers(0, len(trades), n)]
        word = words[rng.integers(0, len(words), n)]
        name = np.char.add(
            np.char.add(np.char.add(np.char.add(trade, " "), word), " "),
            suffixes[rng.integers(0, len(suffixes), n)],
        )
        name = np.char.strip(
            np.char.add(
                name, np.where(rng.random(n) < 0.3, np.char.add(" ", (i % 997).astype(str)), "")
            )
        )
        trade_name = np.where(rng.random(n) < 0.6, np.char.add(np.char.add(word, " "), trade), "")
        s = rng.integers(0, len(SBI), n)
        y, m, d = rng.integers(1950, 2026, n), rng.integers(1, 13, n), rng.integers(1, 29, n)
        iso = np.char.add(
            np.char.add(
                np.char.add(np.char.add(y.astype(str), "-"), np.char.zfill(m.astype(str), 2)), "-"
            ),
            np.char.zfill(d.astype(str), 2),
        )
        dutch = np.char.add(
            np.char.add(np.char.add(np.char.add(d.astype(str), "-"), m.astype(str)), "-"),
            y.astype(str),
        )
        registered = np.where(rng.random(n) < 0.8, iso, dutch)
        at = rng.integers(0, premises, n)
        by_address = rng.random(n) < 0.15
        spaced = np.char.add(
            np.char.add(pc_digits[at], " "), np.char.lower(pc_letters[at])
        )  # '3534 am'
        chunk = pa.table(
            {
                "kvk_nummer": kvk,
                "statutaire_naam": name,
                "handelsnaam": trade_name,
                "rechtsvorm": legal[rng.integers(0, len(legal), n)],
                "sbi_code": sbi_codes[s],
                "sbi_omschrijving": sbi_desc[s],
                "datum_inschrijving": registered,
                "vestiging_bag_id": np.where(by_address, "", bag[at]),
                "postcode": np.where(by_address, spaced, ""),
                "huisnummer": np.where(by_address, number[at].astype(str), ""),
                # columns a real extract has and the mapping ignores
                "vestigingsnummer": np.char.zfill((100_000_000_000 + i * 7).astype(str), 12),
                "straatnaam": street[at],
                "plaats": np.full(n, "Utrecht"),
                "indicatie_hoofdvestiging": np.full(n, "Ja"),
            }
        )
        if fmt == "parquet":
            if writer is None:
                writer = pq.ParquetWriter(path, chunk.schema)
            writer.write_table(chunk)
        else:
            if writer is None:
                writer = pacsv.CSVWriter(
                    path, chunk.schema, write_options=pacsv.WriteOptions(delimiter=";")
                )
            writer.write_table(chunk)
    writer.close()
    return {"kvk": str(path), "bag": str(out / "bag.csv"), "kvk_bytes": path.stat().st_size}


# ------------------------------------------------------------------ the import, in a process of its own


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    os.environ.setdefault("DOORBRAAK_SECRET_KEY", "benchmark-only-" + "x" * 40)
    import django

    django.setup()


def _sources():
    from doorbraak.partners.models import Organisation, OrganisationKind, Purpose
    from doorbraak.privacy.models import ActivityKind, ProcessingActivity

    owner, _ = Organisation.objects.get_or_create(
        code="bench-gemeente",
        defaults={"name": "Gemeente (benchmark)", "kind": OrganisationKind.MUNICIPALITY},
    )
    purpose, _ = Purpose.objects.get_or_create(
        code="bench-risicoanalyse", defaults={"name": "Risicoanalyse (benchmark)"}
    )
    out = {}
    for code, name, categories in (
        (SOURCE_BAG, "BAG (benchmark)", ["premises"]),
        (SOURCE_KVK, "Handelsregister (benchmark)", ["identity", "premises"]),
    ):
        out[code], _ = ProcessingActivity.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": ActivityKind.SOURCE,
                "controller": owner,
                "purpose": purpose,
                "legal_basis": "AVG art. 6 lid 1 sub e (benchmark)",
                "data_categories": categories,
                "retention_days": 730,
                "retention_trigger": "levering",
            },
        )
    return out


def child_import(source_code: str, path: str, source_type: str) -> dict:
    _django()
    from doorbraak.registers.importers import import_file

    source = _sources()[source_code]
    profile = os.environ.get("DOORBRAAK_BENCH_PROFILE")
    if profile:  # --profile: the importer's own CPU time, by function
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    batch_rows = int(os.environ.get("DOORBRAAK_BENCH_BATCH_ROWS") or 0) or None
    result = import_file(
        source,
        path,
        source_type=source_type,
        username="benchmark",
        link_entities=False,
        batch_size=batch_rows,
    )
    seconds = time.perf_counter() - started
    if profile and source_type == "kvk_companies":
        profiler.disable()
        profiler.dump_stats(profile)
    if not result.ok:
        raise SystemExit(result.report()[:4000])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "rows": result.batch.row_count,
        "seconds": seconds,
        "counts": result.batch.counts,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "db_cpu_seconds": _backend_cpu_seconds(),
        "peak_gb": _peak_rss_gb(),
    }


def _backend_cpu_seconds() -> float | None:
    """CPU time of this process's PostgreSQL backend, when the server runs on this machine
    (its /proc entry readable): the database server's share of the import."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_gb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux carries that over an
    exec from the parent that forked the process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def child_prepare(reset: bool) -> dict:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # the BAG extract names Utrecht's wijken: the importer checks them against the areas
    call_command("loaddata", "utrecht", verbosity=0)
    from django.db import connection

    from doorbraak.registers.models import Company, ImportBatch, Premises

    if Company.objects.exists() or Premises.objects.exists():
        if not reset:
            raise SystemExit(
                "the database already has register data; use --reset (deletes them) or another database"
            )
        with connection.cursor() as cursor:  # only the register tables the benchmark fills
            for model in (
                "registers_recordversion",
                "registers_importrejection",
                "registers_officer",
                "registers_registerentry",
                "registers_company",
            ):
                cursor.execute(f"DELETE FROM {model}")  # noqa: S608 - fixed table names
            cursor.execute("UPDATE registers_person SET residence_id = NULL")
            cursor.execute("DELETE FROM registers_premises")
        ImportBatch.objects.filter(source__code__in=[SOURCE_BAG, SOURCE_KVK]).delete()
    _sources()
    return {"vendor": connection.vendor}


def _child(args: list[str], env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"benchmark step {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        default=5_000_000,
        help="companies in the KvK extract (default 5,000,000)",
    )
    parser.add_argument(
        "--premises",
        type=int,
        default=250_000,
        help="premises in the BAG extract (default 250,000)",
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument(
        "--reset", action="store_true", help="delete the register data already in the database"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the KvK import to FILE (pstats)"
    )
    parser.add_argument(
        "--batch-rows", type=int, help="rows per batch (default: the importer's BATCH_ROWS)"
    )
    parser.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        kind, *rest = args._child
        if kind == "generate":
            out = generate(Path(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]), rest[4])
        else:
            out = child_prepare(rest == ["reset"]) if kind == "prepare" else child_import(*rest)
        print(json.dumps(out))
        return

    tmp = Path(tempfile.mkdtemp(prefix="doorbraak-import-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if args.profile:
        env["DOORBRAAK_BENCH_PROFILE"] = str(Path(args.profile).resolve())
    if args.batch_rows:
        env["DOORBRAAK_BENCH_BATCH_ROWS"] = str(args.batch_rows)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    env.setdefault("DOORBRAAK_VAR_DIR", str(tmp / "var"))
    try:
        started = time.perf_counter()
        files = _child(
            [
                "--_child",
                "generate",
                str(tmp),
                str(args.rows),
                str(args.premises),
                str(args.seed),
                args.format,
            ],
            env,
        )
        print(
            f"generated {args.rows:,} companies ({files['kvk_bytes'] / 1e9:.2f} GB {args.format}) at "
            f"{args.premises:,} premises in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        db = _child(["--_child", "prepare", *(["reset"] if args.reset else [])], env)
        print(
            f"database: {db['vendor']}; cores: {os.cpu_count()}; load average before: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}",
            flush=True,
        )
        bag = _child(["--_child", "import", SOURCE_BAG, files["bag"], "bag_premises"], env)
        print(
            f"BAG premises: {bag['rows']:,} rows in {bag['seconds']:.1f} s "
            f"({bag['rows'] / bag['seconds']:,.0f} rows/s), peak {bag['peak_gb']:.2f} GB",
            flush=True,
        )
        kvk = _child(["--_child", "import", SOURCE_KVK, files["kvk"], "kvk_companies"], env)
        print(
            f"KvK companies: {kvk['rows']:,} rows in {kvk['seconds']:.1f} s "
            f"({kvk['rows'] / kvk['seconds']:,.0f} rows/s), peak {kvk['peak_gb']:.2f} GB; {kvk['counts']}; "
            f"the importer's own CPU time {kvk['cpu_seconds']:.0f} s"
            + (
                f", the import connection's database backend's {kvk['db_cpu_seconds']:.0f} s"
                if kvk.get("db_cpu_seconds") is not None
                else " (the database server's comes on top)"
            )
        )
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            f"RESULT rows={kvk['rows']} seconds={kvk['seconds']:.1f} peak_gb={kvk['peak_gb']:.2f}"
        )
    finally:
        if args.keep:
            print(f"files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
