"""The rule set: no protected attribute or proxy is read by any indicator; each indicator reads
only the columns it declares; a bad rule set is refused with what is wrong; Spark agrees."""

from __future__ import annotations

import importlib.util
import re
import shutil

import duckdb
import pytest
from tests.analysis.test_risk_indicators import (
    AS_OF,
    P1,
    P2,
    company,
    kvks,
    officers,
    premises,
    write,
)
from tests.test_architecture import PROTECTED

from doorbraak_analysis.registers.extracts import read_extracts
from doorbraak_analysis.risk import indicators as ind
from doorbraak_analysis.risk.evaluate import _prepare, _window, evaluate
from doorbraak_analysis.risk.rules import RulesError, load_rules, parse_rules

# besides the protected attributes themselves, what stands in for them
PROXY = re.compile(
    r"naam|name|voornam|given|surname|prefix|voorvoegsel|geboorte|birth|taal|language|bsn|"
    r"gender|geslacht|leeftijd|age\b|afkomst|origin",
    re.IGNORECASE,
)


def full_set(d):
    d.mkdir(exist_ok=True)
    write(d, "bag_premises", premises(P1, P2))
    write(
        d,
        "kvk_companies",
        [company(k, sbi="56101") for k in kvks(5)]
        + [company("20000001", bag=P2, start="2025-01-01", end="2025-06-01")],
    )
    write(
        d, "kvk_officers", officers("10000001", [("2025-01-01", ""), ("2025-06-01", "2026-01-01")])
    )
    write(d, "brp_occupancy", [["111222333", "Jan", "Jansen", P1]])
    write(
        d,
        "permits",
        [["V-1", "2025-01-01", "", "exploitatievergunning", "10000002", "", "verleend"]],
    )
    write(d, "closures", [["Z-1", "2025-03-01", "Opiumwet art. 13b", P2, ""]])
    write(d, "dor", [["D-1", "2026-01-01", "telefoon", "10000003", "ja"]])
    write(d, "bank_sectors", [["B1", "2026-09-30", "Restaurants", "5610", "", 1000, 40]])
    return d


def test_no_indicator_reads_a_protected_attribute_or_a_proxy(tmp_path):
    rules = load_rules()
    con = duckdb.connect()
    prepared = _prepare(con, read_extracts(con, full_set(tmp_path / "x")))
    offenders = []
    for name, query in prepared.items():  # every column any indicator could read
        columns = [c for c, *_ in con.execute(f"DESCRIBE {query}").fetchall()]
        offenders += [f"{name}.{c}" for c in columns if PROTECTED.search(c) or PROXY.search(c)]
    for i in rules.indicators:
        for table, columns in ind.READS[i.id].items():
            offenders += [
                f"{i.id}: {table}.{c}" for c in columns if PROTECTED.search(c) or PROXY.search(c)
            ]
        for text in (i.id, " ".join(map(str, i.parameters)), " ".join(i.sources)):
            offenders += [f"{i.id}: {text}"] if PROTECTED.search(text) else []
    assert offenders == []


def test_the_guard_catches_a_proxy():
    assert (
        PROXY.search("birth_date")
        and PROXY.search("geslachtsnaam")
        and PROTECTED.search("nationality")
    )


def test_each_indicator_reads_only_the_columns_it_declares(tmp_path):
    """Run every indicator on tables cut down to its declared columns: reading anything else fails."""
    rules = load_rules()
    con = duckdb.connect()
    prepared = _prepare(con, read_extracts(con, full_set(tmp_path / "x")))
    window = _window(AS_OF, rules)
    for i in rules.indicators:
        for name, query in prepared.items():
            cols = ind.READS[i.id].get(name)
            select = ", ".join(cols) if cols else "NULL AS nothing"
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select} FROM ({query})"
            ).fetchall()
        con.execute(ind.sql(i.id, i.parameters, window, set(prepared))).fetchall()


@pytest.mark.parametrize(
    "change,message",
    [
        (
            lambda r: r["indicators"].append(dict(r["indicators"][0], id="share_by_origin")),
            "onbekende indicator",
        ),
        (lambda r: r["indicators"][0].update(weight=-1), "gewicht"),
        (lambda r: r["indicators"][1]["parameters"].update(extra=1), "parameters moeten"),
        (lambda r: r["indicators"][1].update(level="company"), "niveau"),
        (lambda r: r["indicators"][0].pop("legal_basis"), "ontbreekt legal_basis"),
        (lambda r: r["indicators"].append(r["indicators"][0]), "twee keer"),
    ],
)
def test_a_bad_rule_set_is_refused_with_what_is_wrong(change, message):
    import yaml

    raw = yaml.safe_load(load_rules().path and open(load_rules().path, encoding="utf-8").read())
    change(raw)
    with pytest.raises(RulesError, match=message):
        parse_rules(raw)


def test_the_shipped_rule_set_has_the_eleven_indicators_with_their_ids():
    ids = [i.id for i in load_rules().indicators]
    assert ids == [
        "vulnerable_sector",
        "many_businesses_at_address",
        "officer_churn",
        "short_lived_succession",
        "officer_many_companies",
        "earlier_closure",
        "permit_missing_or_expired",
        "occupancy_mismatch",
        "dor_irregularity",
        "bank_sector_vulnerability",
        "vacancy_turnover",
    ]
    assert all(i.description and i.legal_basis and i.rationale for i in load_rules().indicators)


@pytest.mark.spark
@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed")
@pytest.mark.skipif(
    shutil.which("java") is None, reason="Java is not installed (needed by PySpark)"
)
def test_the_same_sql_gives_the_same_picture_on_spark(tmp_path):
    from doorbraak_analysis.engine import SparkEngine, local_spark

    d = full_set(tmp_path / "x")
    on_duckdb = evaluate(d, as_of=AS_OF)
    on_spark = evaluate(d, as_of=AS_OF, engine=SparkEngine(local_spark(cores=2)))
    assert on_duckdb.rows and on_spark.rows == on_duckdb.rows
    assert {k: [(o, round(v, 9)) for o, v in x] for k, x in on_spark.fired.items()} == {
        k: [(o, round(v, 9)) for o, v in x] for k, x in on_duckdb.fired.items()
    }
