"""Risk benchmark: the full rule set over a national-scale trade register, through the command.

    python benchmarks/risk.py                       # 2,000,000 establishments, DuckDB
    python benchmarks/risk.py --establishments 200000 --spark   # also Spark on the same SQL

Writes synthetic Parquet extracts (deterministic; every name and number made up) to a
temporary directory — premises, establishments, officers, BRP occupancy, permits, closures,
DOR registrations and the bank's sector figures, in the proportions of a Dutch register —
then runs ``doorbraak risk evaluate`` on them in a subprocess and measures wall time and peak
memory (max RSS of the child). With ``--spark`` the same evaluation runs on Spark (local
mode, same SQL) on the same files, and the ratio is printed. The last line:

    RESULT establishments=2000000 seconds=… peak_gb=…
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTERS = "ABCDEFGHJKLMNPRTVWXZ"  # postcode letters (no S: SA, SD, SS do not exist)


def make_extracts(directory: Path, n: int, seed: int = 20261201) -> dict[str, int]:
    """Parquet extracts for ``n`` establishments, generated in DuckDB (hash-based, deterministic)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})").fetchall()
    premises = int(n * 0.6)
    h = (
        "CAST(hash(i * 7919 + {k}) % 1000000007 AS BIGINT)".format
    )  # deterministic pseudo-random per row

    def out(name: str, sql: str) -> int:
        path = directory / f"{name}.parquet"
        con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)").fetchall()
        return con.execute(f"SELECT count(*) FROM '{path}'").fetchall()[0][0]

    bag = "'0344' || '01' || lpad(CAST({} AS VARCHAR), 10, '0')".format
    postcode = (
        "CAST(1000 + {0} % 9000 AS VARCHAR) || substr('"
        + LETTERS
        + "', 1 + ({0} // 9000) % 20, 1) || "
        "substr('" + LETTERS + "', 1 + ({0} // 180000) % 20, 1)"
    ).format
    counts = {}
    counts["bag_premises"] = out(
        "bag_premises",
        f"""
        SELECT {bag("i")} AS verblijfsobject_id, 'Straat ' || CAST(i % 5000 AS VARCHAR) AS openbare_ruimte,
               CAST(1 + i % 300 AS VARCHAR) AS huisnummer, {postcode("i")} AS postcode,
               CASE WHEN {h(k=1)} % 100 < 55 THEN 'woonfunctie' WHEN {h(k=1)} % 100 < 75 THEN 'winkelfunctie'
                    WHEN {h(k=1)} % 100 < 90 THEN 'kantoorfunctie' ELSE 'industriefunctie' END AS gebruiksdoel,
               CAST(20 + {h(k=2)} % 400 AS VARCHAR) AS oppervlakte,
               CAST(52.0 + ({h(k=3)} % 10000) / 20000.0 AS VARCHAR) AS lat,
               CAST(5.0 + ({h(k=4)} % 10000) / 20000.0 AS VARCHAR) AS lon
        FROM range({premises}) t(i)""",
    )
    sbi = (
        "['45111','56101','96021','47110','62010','68201','41200','49410','64200','86211','85310','70221',"
        "'47421','56302','77111','43221']"
    )
    # a few premises hold many establishments (business centres, shells): skewed like a register
    counts["kvk_companies"] = out(
        "kvk_companies",
        f"""
        SELECT CAST(10000000 + i AS VARCHAR) AS kvk_nummer, 'Onderneming ' || CAST(i AS VARCHAR) AS statutaire_naam,
               CASE WHEN {h(k=5)} % 3 = 0 THEN 'Eenmanszaak' ELSE 'Besloten Vennootschap' END AS rechtsvorm,
               {sbi}[1 + {h(k=6)} % 16] AS sbi_code,
               strftime(DATE '1990-01-01' + CAST({h(k=7)} % 13000 AS INTEGER), '%Y-%m-%d') AS datum_inschrijving,
               CASE WHEN {h(k=8)} % 100 < 12
                    THEN strftime(DATE '1990-01-01' + CAST({h(k=7)} % 13000 AS INTEGER) + CAST(30 + {h(k=9)} % 900
                                  AS INTEGER), '%Y-%m-%d') END AS datum_uitschrijving,
               {bag(f"CASE WHEN {h(k=10)} % 50 = 0 THEN {h(k=11)} % 2000 ELSE {h(k=11)} % {premises} END")}
                   AS vestiging_bag_id
        FROM range({n}) t(i)""",
    )
    officers = int(n * 1.5)
    counts["kvk_officers"] = out(
        "kvk_officers",
        f"""
        SELECT CAST(10000000 + {h(k=12)} % {n} AS VARCHAR) AS kvk_nummer, '' AS bsn,
               'Voornaam' || CAST(p % 5000 AS VARCHAR) AS voornamen, 'Achternaam' || CAST(p // 5000 AS VARCHAR)
               AS geslachtsnaam, strftime(DATE '1950-01-01' + CAST(p % 18000 AS INTEGER), '%Y-%m-%d') AS geboortedatum,
               'bestuurder ' || CAST(i AS VARCHAR) AS functie,
               strftime(DATE '2000-01-01' + CAST({h(k=13)} % 9800 AS INTEGER), '%Y-%m-%d') AS datum_aanvang,
               CASE WHEN {h(k=14)} % 10 < 2 THEN strftime(DATE '2024-01-01' + CAST({h(k=15)} % 1000 AS INTEGER),
                    '%Y-%m-%d') END AS datum_einde
        FROM (SELECT i, CASE WHEN {h(k=16)} % 100 < 3 THEN {h(k=17)} % 5000 ELSE i END AS p FROM range({officers}) t(i))""",
    )
    counts["brp_occupancy"] = out(
        "brp_occupancy",
        f"""
        SELECT lpad(CAST(i * 11 + 100000001 AS VARCHAR), 9, '0') AS bsn_raw, 'Voornaam' AS voornamen,
               'Achternaam' AS geslachtsnaam, {bag(f"{h(k=18)} % {premises}")} AS bag_id
        FROM range({n // 2}) t(i)""",
    )
    # BSN must pass the 11-test: make one per row from eight digits and a fitting check digit
    con.execute(f"""COPY (SELECT d || CAST((9*d1+8*d2+7*d3+6*d4+5*d5+4*d6+3*d7+2*d8) % 11 AS VARCHAR) AS bsn,
                                 voornamen, geslachtsnaam, bag_id FROM (
        SELECT *, substr(bsn_raw, 1, 8) AS d, {
        ", ".join(f"CAST(substr(bsn_raw, {k}, 1) AS INTEGER) AS d{k}" for k in range(1, 9))
    }
        FROM '{
        directory / "brp_occupancy.parquet"
    }') WHERE (9*d1+8*d2+7*d3+6*d4+5*d5+4*d6+3*d7+2*d8) % 11 < 10
        ) TO '{directory / "brp.tmp.parquet"}' (FORMAT parquet)""").fetchall()
    os.replace(directory / "brp.tmp.parquet", directory / "brp_occupancy.parquet")
    counts["brp_occupancy"] = con.execute(
        f"SELECT count(*) FROM '{directory / 'brp_occupancy.parquet'}'"
    ).fetchall()[0][0]
    counts["permits"] = out(
        "permits",
        f"""
        SELECT 'V-' || CAST(i AS VARCHAR) AS zaaknummer,
               strftime(DATE '2015-01-01' + CAST({h(k=19)} % 4000 AS INTEGER), '%Y-%m-%d') AS datum_besluit,
               CASE WHEN {h(k=20)} % 4 = 0 THEN strftime(DATE '2020-01-01' + CAST({h(k=21)} % 3000 AS INTEGER),
                    '%Y-%m-%d') END AS einddatum, 'exploitatievergunning' AS soort_vergunning,
               CAST(10000000 + {h(k=22)} % {n} AS VARCHAR) AS kvk_nummer, 'verleend' AS status
        FROM range({n // 16}) t(i)""",
    )
    counts["closures"] = out(
        "closures",
        f"""
        SELECT 'Z-' || CAST(i AS VARCHAR) AS zaaknummer,
               strftime(DATE '2018-01-01' + CAST({h(k=23)} % 3200 AS INTEGER), '%Y-%m-%d') AS ingangsdatum,
               'Opiumwet art. 13b' AS grondslag, {bag(f"{h(k=24)} % {premises}")} AS verblijfsobject_id
        FROM range({max(n // 400, 1)}) t(i)""",
    )
    counts["dor"] = out(
        "dor",
        f"""
        SELECT 'D-' || CAST(i AS VARCHAR) AS registratienummer,
               strftime(DATE '2024-01-01' + CAST({h(k=25)} % 1050 AS INTEGER), '%Y-%m-%d') AS datum_inkoop,
               'telefoon' AS omschrijving, CAST(10000000 + {h(k=26)} % {n} AS VARCHAR) AS kvk_nummer,
               CASE WHEN {h(k=27)} % 100 < 2 THEN 'ja' ELSE 'nee' END AS signalering
        FROM range({n // 20}) t(i)""",
    )
    counts["bank_sectors"] = out(
        "bank_sectors",
        f"""
        SELECT 'B-' || CAST(i AS VARCHAR) AS kenmerk, '2026-09-30' AS periode_einde, 'sector' AS sector,
               substr({sbi}[1 + i], 1, 4) AS sbi_code, '' AS gebied, CAST(1000 + i * 37 AS VARCHAR) AS aantal_rekeningen,
               CAST(5 + (i * 13) % 40 AS VARCHAR) AS aantal_gesignaleerd
        FROM range(16) t(i)""",
    )
    return counts


def run(extracts: Path, out: Path, engine: str) -> tuple[float, float, str]:
    """Wall seconds, peak GB (max RSS of the child) and its stderr."""
    if engine == "duckdb":
        cmd = [
            sys.executable,
            "-m",
            "doorbraak.cli",
            "risk",
            "evaluate",
            "--extracts",
            str(extracts),
            "--out",
            str(out),
            "--as-of",
            "2026-12-01",
        ]
    else:
        cmd = [
            sys.executable,
            "-c",
            (
                "import sys; from datetime import date; from doorbraak_analysis.engine import SparkEngine, local_spark; "
                "from doorbraak_analysis.risk.evaluate import evaluate, write_csv; "
                f"r = evaluate({str(extracts)!r}, as_of=date(2026, 12, 1), engine=SparkEngine(local_spark(cores=2))); "
                f"write_csv(r, {str(out)!r})"
            ),
        ]
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}
    )
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024 / 1024
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{proc.stderr[-3000:]}")
    return seconds, peak, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--establishments", type=int, default=2_000_000)
    parser.add_argument(
        "--spark", action="store_true", help="also run the same SQL on Spark (local mode)"
    )
    parser.add_argument("--keep", type=Path, help="write the extracts here and keep them")
    a = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="doorbraak-risk-"))
    extracts = a.keep or tmp / "extracts"
    extracts.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        counts = make_extracts(extracts, a.establishments)
        size = sum(p.stat().st_size for p in extracts.glob("*.parquet")) / 1e6
        print(
            f"extracts in {time.perf_counter() - t:.0f} s ({size:.0f} MB Parquet): "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
            flush=True,
        )
        seconds, peak, log = run(extracts, tmp / "out.csv", "duckdb")
        rows = sum(1 for _ in open(tmp / "out.csv")) - 1
        print(
            f"doorbraak risk evaluate (DuckDB): {seconds:.1f} s, peak {peak:.2f} GB, {rows:,} objects with a signal"
        )
        print("  " + log.strip().splitlines()[-1])
        if a.spark:
            s_seconds, s_peak, _ = run(extracts, tmp / "out-spark.csv", "spark")
            same = (tmp / "out.csv").read_bytes() == (tmp / "out-spark.csv").read_bytes()
            print(
                f"same SQL on Spark (local[2]): {s_seconds:.1f} s (x{s_seconds / seconds:.1f} DuckDB's time), "
                f"driver peak {s_peak:.2f} GB (JVM not counted), identical output: {same}"
            )
        print(f"RESULT establishments={a.establishments} seconds={seconds:.1f} peak_gb={peak:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
