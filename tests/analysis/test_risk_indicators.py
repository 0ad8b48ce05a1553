"""`doorbraak risk evaluate` on hand-made extracts: every indicator at, just below and just past
its threshold; premises collecting their companies' indicators; missing extracts; bad input."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from doorbraak_analysis.risk.cli import main
from doorbraak_analysis.risk.evaluate import evaluate, months_back

AS_OF = date(2026, 12, 1)
P1, P2, P3 = "0344010000000001", "0344010000000002", "0344010000000003"
HEADERS = {
    "bag_premises": [
        "verblijfsobject_id",
        "openbare_ruimte",
        "huisnummer",
        "postcode",
        "gebruiksdoel",
        "oppervlakte",
        "lat",
        "lon",
    ],
    "kvk_companies": [
        "kvk_nummer",
        "statutaire_naam",
        "rechtsvorm",
        "sbi_code",
        "datum_inschrijving",
        "datum_uitschrijving",
        "vestiging_bag_id",
    ],
    "kvk_officers": [
        "kvk_nummer",
        "bsn",
        "voornamen",
        "geslachtsnaam",
        "geboortedatum",
        "functie",
        "datum_aanvang",
        "datum_einde",
    ],
    "brp_occupancy": ["bsn", "voornamen", "geslachtsnaam", "bag_id"],
    "permits": [
        "zaaknummer",
        "datum_besluit",
        "einddatum",
        "soort_vergunning",
        "kvk_nummer",
        "bag_id",
        "status",
    ],
    "closures": ["zaaknummer", "ingangsdatum", "grondslag", "bag_id", "kvk_nummer"],
    "dor": ["registratienummer", "datum_inkoop", "omschrijving", "kvk_nummer", "signalering"],
    "bank_sectors": [
        "kenmerk",
        "periode_einde",
        "sector",
        "sbi_code",
        "gebied",
        "aantal_rekeningen",
        "aantal_gesignaleerd",
    ],
}
BSNS = ["111222333", "123456782", "100000009", "100000010", "100000022", "100000034", "100000046"]


def write(directory: Path, source_type: str, rows: list[list]) -> None:
    with open(directory / f"{source_type}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADERS[source_type])
        w.writerows(rows)


def premises(*ids, use="winkelfunctie"):
    return [
        [bag, "Amsterdamsestraatweg", n + 1, "3513AB", use, 100, 52.1, 5.1]
        for n, bag in enumerate(ids)
    ]


def company(kvk, bag=P1, sbi="62010", start="2015-01-01", end=""):
    return [kvk, f"Bedrijf {kvk}", "BV", sbi, start, end, bag]


def run(tmp_path, **extracts) -> dict:
    d = tmp_path / "x"
    d.mkdir(exist_ok=True)
    for source_type, rows in extracts.items():
        write(d, source_type, rows)
    result = evaluate(d, as_of=AS_OF)
    return {(t, oid): ids for t, oid, _s, ids in result.rows}


def fired(objects, object_type, object_id):
    return objects.get((object_type, object_id), [])


def kvks(n, start=10000001):
    return [str(start + i) for i in range(n)]


@pytest.mark.parametrize("n,fires", [(4, False), (5, True), (6, True)])
def test_many_businesses_at_address(tmp_path, n, fires):
    rows = [company(k) for k in kvks(n)] + [
        company("20000001", end="2025-01-01")
    ]  # ended: not counted
    objects = run(tmp_path, bag_premises=premises(P1), kvk_companies=rows)
    assert ("many_businesses_at_address" in fired(objects, "premises", P1)) is fires


@pytest.mark.parametrize(
    "sbi,fires",
    [
        ("45111", True),
        ("4519", True),
        ("45190", True),
        ("62010", False),
        ("3811", True),
        ("4511", False),
    ],
)
def test_vulnerable_sector_prefix_match(tmp_path, sbi, fires):
    objects = run(tmp_path, kvk_companies=[company("10000001", sbi=sbi)])
    assert ("vulnerable_sector" in fired(objects, "company", "10000001")) is fires
    # a company indicator also counts at the premises where the company is established
    assert ("vulnerable_sector" in fired(objects, "premises", P1)) is fires


def test_vulnerable_sector_only_for_active_companies(tmp_path):
    objects = run(
        tmp_path,
        kvk_companies=[
            company("10000001", sbi="45111", end="2026-11-30"),
            company("10000002", sbi="45111", start="2026-12-02"),
        ],
    )
    assert objects == {}


def officers(kvk, changes: list[tuple[str, str]], bsn=None):
    """One function per change, each held by another person unless ``bsn`` is given."""
    return [
        [kvk, bsn or BSNS[n], "Jan", "Jansen", "1980-01-01", "bestuurder", since, until]
        for n, (since, until) in enumerate(changes)
    ]


@pytest.mark.parametrize(
    "dates,fires",
    [
        ([("2025-01-01", ""), ("2025-06-01", "")], False),  # two changes
        ([("2025-01-01", ""), ("2025-06-01", "2026-01-01")], True),  # start, start, end = 3
        (
            [("2024-12-01", ""), ("2025-06-01", "2026-01-01")],
            True,
        ),  # 2024-12-01 is exactly 24 months back
        (
            [("2024-11-30", ""), ("2025-06-01", "2026-01-01")],
            False,
        ),  # one day earlier: outside the window
    ],
)
def test_officer_churn_in_24_months(tmp_path, dates, fires):
    objects = run(
        tmp_path, kvk_companies=[company("10000001")], kvk_officers=officers("10000001", dates)
    )
    assert ("officer_churn" in fired(objects, "company", "10000001")) is fires


@pytest.mark.parametrize("n,fires", [(4, False), (5, True)])
def test_officer_many_companies_same_person(tmp_path, n, fires):
    companies = [company(k) for k in kvks(n)]
    rows = []
    for k in kvks(n):
        rows += officers(k, [("2020-01-01", "")], bsn="111222333")
    objects = run(tmp_path, kvk_companies=companies, kvk_officers=rows)
    assert ("officer_many_companies" in fired(objects, "company", "10000001")) is fires


def test_officer_many_companies_counts_one_person_not_many(tmp_path):
    companies = [company(k) for k in kvks(5)]
    rows = []
    for k, bsn in zip(kvks(5), BSNS, strict=False):
        rows += officers(k, [("2020-01-01", "")], bsn=bsn)  # five different people
    objects = run(tmp_path, kvk_companies=companies, kvk_officers=rows)
    assert "officer_many_companies" not in fired(objects, "company", "10000001")


def test_officer_many_companies_ignores_ended_functions_and_companies(tmp_path):
    companies = [company(k) for k in kvks(4)] + [company("10000005", end="2026-01-01")]
    rows = []
    for k in kvks(5):
        rows += officers(k, [("2020-01-01", "")], bsn="111222333")
    rows += officers("10000006", [("2020-01-01", "2026-06-01")], bsn="111222333")
    companies.append(company("10000006"))
    objects = run(tmp_path, kvk_companies=companies, kvk_officers=rows)
    assert "officer_many_companies" not in fired(objects, "company", "10000001")


@pytest.mark.parametrize(
    "lifetimes,fires",
    [
        (
            [
                ("2024-01-01", "2024-12-31"),
                ("2025-01-15", "2025-12-14"),
                ("2026-01-01", "2026-11-30"),
            ],
            True,
        ),
        (
            [
                ("2024-01-01", "2025-01-01"),
                ("2025-01-15", "2025-12-14"),
                ("2026-01-01", "2026-11-30"),
            ],
            False,
        ),  # 12 months
        ([("2025-01-15", "2025-12-14"), ("2026-01-01", "2026-11-30")], False),  # only two
        (
            [
                ("2023-11-30", "2024-06-01"),
                ("2025-01-15", "2025-12-14"),
                ("2026-01-01", "2026-11-30"),
            ],
            False,
        ),  # >36 m ago
    ],
)
def test_short_lived_succession(tmp_path, lifetimes, fires):
    rows = [company(k, start=s, end=e) for k, (s, e) in zip(kvks(3), lifetimes, strict=False)]
    objects = run(tmp_path, kvk_companies=rows)
    assert ("short_lived_succession" in fired(objects, "premises", P1)) is fires


@pytest.mark.parametrize(
    "when,fires",
    [("2021-12-01", True), ("2021-11-30", False), ("2026-12-01", True), ("2026-12-02", False)],
)
def test_earlier_closure_in_five_years(tmp_path, when, fires):
    objects = run(tmp_path, closures=[["Z-1", when, "Opiumwet art. 13b", P2, ""]])
    assert ("earlier_closure" in fired(objects, "premises", P2)) is fires


def test_earlier_closure_found_through_the_company_when_only_kvk_is_given(tmp_path):
    objects = run(
        tmp_path,
        kvk_companies=[company("10000001", bag=P3)],
        closures=[["Z-1", "2025-03-01", "APV art. 2:30", "", "10000001"]],
    )
    assert "earlier_closure" in fired(objects, "premises", P3)


@pytest.mark.parametrize(
    "permit,fires",
    [
        (None, True),
        (["V-1", "2025-01-01", "", "exploitatievergunning", "10000001", "", "verleend"], False),
        (
            [
                "V-1",
                "2020-01-01",
                "2026-11-30",
                "exploitatievergunning",
                "10000001",
                "",
                "verleend",
            ],
            True,
        ),  # expired
        (
            [
                "V-1",
                "2025-01-01",
                "2026-12-01",
                "exploitatievergunning",
                "10000001",
                "",
                "verleend",
            ],
            False,
        ),  # last day
        (["V-1", "2025-01-01", "", "exploitatievergunning", "10000001", "", "Ingetrokken"], True),
        (
            ["V-1", "2025-01-01", "", "exploitatievergunning", "", P1, "verleend"],
            False,
        ),  # on the address
        (
            ["V-1", "2026-12-02", "", "exploitatievergunning", "10000001", "", "verleend"],
            True,
        ),  # not yet valid
    ],
)
def test_permit_missing_or_expired(tmp_path, permit, fires):
    extracts = {
        "kvk_companies": [
            company("10000001", sbi="56101"),
            company("10000002", sbi="47110", bag=P2),
        ],
        "permits": [permit] if permit else [],
    }
    objects = run(tmp_path, **extracts)
    assert ("permit_missing_or_expired" in fired(objects, "company", "10000001")) is fires
    assert "permit_missing_or_expired" not in fired(objects, "company", "10000002")  # not horeca


@pytest.mark.parametrize(
    "use,residents,fires",
    [
        ("winkelfunctie", 1, True),
        ("winkelfunctie", 0, False),
        ("woonfunctie", 2, False),
        ("woonfunctie, winkelfunctie", 1, False),
        ("industriefunctie", 3, True),
    ],
)
def test_occupancy_mismatch(tmp_path, use, residents, fires):
    rows = [[bsn, "Jan", "Jansen", P1] for bsn in BSNS[:residents]]
    objects = run(tmp_path, bag_premises=premises(P1, use=use), brp_occupancy=rows)
    assert ("occupancy_mismatch" in fired(objects, "premises", P1)) is fires


@pytest.mark.parametrize(
    "flag,when,fires",
    [
        ("ja", "2026-01-01", True),
        ("nee", "2026-01-01", False),
        ("", "2026-01-01", False),
        ("JA", "2024-11-30", False),
        ("gesignaleerd", "2024-12-01", True),
    ],
)
def test_dor_irregularity(tmp_path, flag, when, fires):
    objects = run(
        tmp_path,
        kvk_companies=[company("10000001", sbi="4779")],
        dor=[["D-1", when, "telefoon", "10000001", flag]],
    )
    assert ("dor_irregularity" in fired(objects, "company", "10000001")) is fires


def test_bank_sector_vulnerability_takes_the_top_of_the_latest_city_period(tmp_path):
    bank = []
    shares = {"4511": 40, "5610": 30, "9602": 25, "4711": 20, "6810": 15, "6201": 5}
    for n, (sbi, flagged) in enumerate(shares.items()):
        bank.append([f"B{n}", "2026-09-30", "sector", sbi, "", 1000, flagged])
        # an older period with the order reversed must not count
        bank.append([f"O{n}", "2026-06-30", "sector", sbi, "", 1000, 100 - flagged])
    bank.append(["S1", "2026-09-30", "sector", "4941", "", 20, 10])  # too few accounts to rank
    companies = [
        company("10000001", sbi="45111"),
        company("10000002", sbi="62010"),
        company("10000003", sbi="49410"),
    ]
    objects = run(tmp_path, kvk_companies=companies, bank_sectors=bank)
    assert "bank_sector_vulnerability" in fired(objects, "company", "10000001")
    assert "bank_sector_vulnerability" not in fired(objects, "company", "10000002")  # 6th of 6
    assert "bank_sector_vulnerability" not in fired(objects, "company", "10000003")


@pytest.mark.parametrize(
    "ends,fires",
    [
        (["2024-01-01", "2025-01-01", "2026-01-01"], True),
        (["2023-11-30", "2025-01-01", "2026-01-01"], False),
        (["2025-01-01", "2026-01-01"], False),
    ],
)
def test_vacancy_turnover(tmp_path, ends, fires):
    rows = [
        company(k, start="2010-01-01", end=e) for k, e in zip(kvks(len(ends)), ends, strict=True)
    ]
    objects = run(tmp_path, kvk_companies=rows)
    assert ("vacancy_turnover" in fired(objects, "premises", P1)) is fires


def test_score_is_the_sum_of_weights_and_output_is_the_contract(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "kvk_companies", [company(k, sbi="45111") for k in kvks(5)])
    write(d, "closures", [["Z-1", "2025-01-01", "Opiumwet art. 13b", P1, ""]])
    out = tmp_path / "out.csv"
    assert main(["evaluate", "--extracts", str(d), "--out", str(out), "--as-of", "2026-12-01"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["object_type", "object_id", "score", "indicators"]
    top = rows[0]
    assert (top["object_type"], top["object_id"]) == ("premises", P1)
    assert top["indicators"].split(";") == [
        "earlier_closure",
        "many_businesses_at_address",
        "vulnerable_sector",
    ]
    assert float(top["score"]) == 2.0 + 1.5 + 1.0
    assert {r["object_id"] for r in rows if r["object_type"] == "company"} == set(kvks(5))
    manifest = json.loads((tmp_path / "out.csv.run.json").read_text())
    assert manifest["as_of"] == "2026-12-01" and manifest["extracts"]["kvk_companies"]["rows"] == 5
    assert manifest["not_evaluated"]["permit_missing_or_expired"] == ["permits"]


def test_missing_extracts_are_reported_as_not_evaluated(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "closures", [["Z-1", "2025-01-01", "Opiumwet art. 13b", P1, ""]])
    assert (
        main(
            [
                "evaluate",
                "--extracts",
                str(d),
                "--out",
                str(tmp_path / "o.csv"),
                "--as-of",
                "2026-12-01",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "niet geëvalueerd: vulnerable_sector (ontbreekt: kvk_companies)" in err
    assert "niet geëvalueerd: earlier_closure" not in err


def test_same_input_same_output_and_parameters_change_it(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "kvk_companies", [company(k) for k in kvks(5)])
    first = evaluate(d, as_of=AS_OF).rows
    assert evaluate(d, as_of=AS_OF).rows == first
    rules = (Path(__file__).parents[2] / "src/doorbraak_analysis/risk/rules.yaml").read_text()
    changed = tmp_path / "rules.yaml"
    changed.write_text(
        rules.replace(
            "parameters: {min_companies: 5}\n    weight: 1.5",
            "parameters: {min_companies: 6}\n    weight: 1.5",
        )
    )
    assert evaluate(d, changed, as_of=AS_OF).rows == []


def test_explain_names_indicator_value_weight_and_source_rows(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "kvk_companies", [company(k, sbi="45111") for k in kvks(5)])
    assert main(["explain", P1, "--extracts", str(d), "--as-of", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "many_businesses_at_address (gewicht 1.5)" in out and "waarde: 5" in out
    assert "bron: kvk_companies 10000003 (rij 3)" in out
    assert "via bedrijf 10000001" in out


def test_a_bad_extract_is_refused_whole_with_the_row_and_reason(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    write(
        d,
        "kvk_companies",
        [company("10000001"), ["1234", "X", "BV", "45111", "2020-02-30", "", P1]],
    )
    out = tmp_path / "o.csv"
    assert main(["evaluate", "--extracts", str(d), "--out", str(out), "--as-of", "2026-12-01"]) == 2
    err = capsys.readouterr().err
    assert (
        "kvk_companies.csv: rij 2: kvk_number = '1234': KvK-nummer moet uit 8 cijfers bestaan"
        in err
    )
    assert "registered_on = '2020-02-30': bestaat niet als datum" in err
    assert not out.exists()


def test_references_are_checked_within_the_extract_set(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "bag_premises", premises(P1))
    write(d, "kvk_companies", [company("10000001", bag=P2)])
    write(d, "kvk_officers", officers("10000009", [("2020-01-01", "")]))
    assert main(["evaluate", "--extracts", str(d), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "verblijfsobject niet gevonden in de BAG" in err
    assert "bedrijf niet gevonden" in err


def test_missing_required_column_and_duplicate_keys(tmp_path, capsys):
    d = tmp_path / "x"
    d.mkdir()
    (d / "kvk_companies.csv").write_text(
        "kvk_nummer;statutaire_naam\n10000001;A\n", encoding="utf-8"
    )
    assert main(["evaluate", "--extracts", str(d), "--out", str(tmp_path / "o.csv")]) == 2
    assert "kolom ontbreekt" in capsys.readouterr().err
    write(d, "kvk_companies", [company("10000001"), company("10000001")])
    assert main(["evaluate", "--extracts", str(d), "--out", str(tmp_path / "o.csv")]) == 2
    assert "dubbel in dit bestand (ook rij 1)" in capsys.readouterr().err


def test_parquet_and_windows_1252_extracts_read_alike(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path / "x"
    d.mkdir()
    rows = [company(k, sbi="45111") for k in kvks(5)]
    table = pa.table({h: [r[i] for r in rows] for i, h in enumerate(HEADERS["kvk_companies"])})
    pq.write_table(table, d / "kvk_companies.parquet")
    from_parquet = evaluate(d, as_of=AS_OF).rows
    (d / "kvk_companies.parquet").unlink()
    text = (
        "\n".join(
            [";".join(HEADERS["kvk_companies"])]
            + [";".join(map(str, r)).replace("Bedrijf", "Café") for r in rows]
        )
        + "\n"
    )
    (d / "kvk_companies.csv").write_bytes(text.encode("cp1252"))
    assert evaluate(d, as_of=AS_OF).rows == from_parquet


def test_months_back_keeps_the_calendar():
    assert months_back(date(2026, 12, 1), 24) == date(2024, 12, 1)
    assert months_back(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_back(date(2026, 12, 1), 60) == date(2021, 12, 1)
