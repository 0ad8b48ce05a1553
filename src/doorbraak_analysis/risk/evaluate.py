"""Evaluating the rule set over a set of register extracts.

1. read the extracts (``doorbraak_analysis.registers.extracts``: the importer's mappings and
   validation, all or nothing);
2. prepare narrow tables for the indicators (DuckDB): dates as days, officers as a hashed key,
   residents as a count per premises — no names, birth dates or other personal attributes;
3. run each indicator's SQL on the engine (DuckDB by default, Spark unchanged);
4. combine: a company-level indicator also counts at the premises where that company is
   established; the score of an object is the sum of the weights of the indicators that fired.

The result carries what is needed to reproduce it: the rule-set version and hash, every
parameter and weight, the evaluation date, and the SHA-256 of each extract.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from doorbraak_analysis.registers.extracts import Extract, _exec, read_extracts

from . import indicators as ind
from .rules import RuleSet, load_rules

EPOCH = date(1970, 1, 1)
MEMORY_LIMIT = os.environ.get("DOORBRAAK_RISK_MEMORY", "1500MB")
PREPARED = (
    "r_companies",
    "r_officers",
    "r_premises",
    "r_residents",
    "r_permits",
    "r_closures",
    "r_dor",
    "r_bank",
)


def days(d: date) -> int:
    return (d - EPOCH).days


def months_back(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


@dataclass
class Result:
    rules: RuleSet
    as_of: date
    rows: list[tuple[str, str, float, list[str]]]  # object_type, object_id, score, indicator ids
    fired: dict[str, list[tuple[str, float]]]  # indicator -> (object_id, value)
    not_evaluated: dict[str, list[str]]  # indicator -> missing source types
    extracts: dict[str, Extract] = field(default_factory=dict)
    con: Any = None  # the DuckDB connection with the prepared tables (for explain)
    window: ind.Window | None = None
    tables: set[str] = field(default_factory=set)

    def manifest(self) -> dict[str, Any]:
        from doorbraak_analysis import __version__

        return {
            "rules_version": self.rules.version,
            "rules_sha256": self.rules.sha256,
            "as_of": self.as_of.isoformat(),
            "indicators": {
                i.id: {
                    "level": i.level,
                    "weight": i.weight,
                    "parameters": i.parameters,
                    "fired": len(self.fired.get(i.id, [])),
                }
                for i in self.rules.indicators
            },
            "not_evaluated": self.not_evaluated,
            "extracts": {
                t: {"file": e.path.name, "sha256": e.sha256, "rows": e.rows}
                for t, e in self.extracts.items()
            },
            "objects": len(self.rows),
            "code_version": __version__,
        }


def _prepare(con: Any, extracts: dict[str, Extract]) -> dict[str, str]:
    """SQL (DuckDB) of each prepared table that the extracts allow."""
    d = "CAST(date_diff('day', DATE '1970-01-01', {}) AS INTEGER)".format
    out = {}
    if "kvk_companies" in extracts:
        out["r_companies"] = (
            f"SELECT kvk_number AS kvk, sbi_code AS sbi, premises_bag_id AS bag_id, {d('registered_on')} AS reg_d, "
            f"{d('deregistered_on')} AS dereg_d, CASE WHEN deregistered_on IS NULL THEN NULL ELSE "
            f"(year(deregistered_on) - year(registered_on)) * 12 + month(deregistered_on) - month(registered_on) - "
            f"CASE WHEN day(deregistered_on) < day(registered_on) THEN 1 ELSE 0 END END AS lifetime_m, _row AS row "
            f"FROM x_kvk_companies"
        )
    if "kvk_officers" in extracts:
        # the same person: on BSN, else on name and birth date — only as a hash, never as a name
        person = (
            "md5(CASE WHEN bsn <> '' THEN 'bsn:' || bsn ELSE 'naam:' || lower(given_names) || '|' || "
            "lower(surname_prefix) || '|' || lower(surname) || '|' || coalesce(CAST(birth_date AS VARCHAR), '') "
            "END)"
        )
        out["r_officers"] = (
            f"SELECT kvk_number AS kvk, {person} AS person, {d('since')} AS since_d, "
            f"{d('until')} AS until_d, _row AS row FROM x_kvk_officers"
        )
    if "bag_premises" in extracts:
        out["r_premises"] = "SELECT bag_id, use, _row AS row FROM x_bag_premises"
    if "brp_occupancy" in extracts:
        out["r_residents"] = (
            "SELECT premises_bag_id AS bag_id, count(*) AS n FROM x_brp_occupancy "
            "WHERE premises_bag_id IS NOT NULL GROUP BY premises_bag_id"
        )
        out["r_resident_rows"] = (
            "SELECT premises_bag_id AS bag_id, _row AS row FROM x_brp_occupancy "
            "WHERE premises_bag_id IS NOT NULL"
        )
    company_bag = (
        "(SELECT c.premises_bag_id FROM x_kvk_companies c WHERE c.kvk_number = x.kvk_number)"
        if "kvk_companies" in extracts
        else "NULL"
    )
    entry = (
        f"SELECT key, NULLIF(kvk_number, '') AS kvk, coalesce(premises_bag_id, {company_bag}) AS bag_id, "
        "{cols}, _row AS row FROM x_{src} x"
    )
    if "permits" in extracts:
        out["r_permits"] = entry.format(
            src="permits",
            cols=f"{d('occurred_on')} AS start_d, {d('ends_on')} AS end_d, "
            "lower(trim(status)) AS status",
        )
    if "closures" in extracts:
        out["r_closures"] = entry.format(src="closures", cols=f"{d('occurred_on')} AS occ_d")
    if "dor" in extracts:
        out["r_dor"] = entry.format(
            src="dor", cols=f"{d('occurred_on')} AS occ_d, lower(trim(flag)) AS flag"
        )
    if "bank_sectors" in extracts:
        out["r_bank"] = (
            f"SELECT sbi_code AS sbi, lower(trim(area)) AS area, {d('occurred_on')} AS period_d, "
            f"accounts, flagged, _row AS row FROM x_bank_sectors"
        )
    return out


def _window(as_of: date, rules: RuleSet) -> ind.Window:
    cutoffs: dict[tuple[str, int], int] = {}
    for i in rules.indicators:
        for unit in ("months", "years"):
            if unit in i.parameters:
                n = int(i.parameters[unit])
                cutoffs[(unit, n)] = days(months_back(as_of, n * (12 if unit == "years" else 1)))
    return ind.Window(days(as_of), cutoffs)


def evaluate(
    extract_dir: Path,
    rules: RuleSet | Path | None = None,
    as_of: date | None = None,
    engine: Any = None,
) -> Result:
    """Evaluate ``rules`` (default: the shipped rule set) over the extracts in ``extract_dir``."""
    import duckdb

    from doorbraak_analysis.engine import DuckDBEngine

    rules = rules if isinstance(rules, RuleSet) else load_rules(rules)
    as_of = as_of or datetime.now().astimezone().date()  # the local date
    con = duckdb.connect()
    _exec(con, "SET TimeZone = 'UTC'")
    # bounded memory whatever the register's size: beyond the limit DuckDB spills to disk
    _exec(con, f"SET memory_limit = '{MEMORY_LIMIT}'")
    _exec(con, "SET preserve_insertion_order = false")
    _exec(con, "SET enable_progress_bar = false")
    extracts = read_extracts(con, Path(extract_dir))
    prepared = _prepare(con, extracts)
    engine = engine or DuckDBEngine(con)
    same_connection = getattr(engine, "con", None) is con
    for name, query in prepared.items():
        _exec(
            con, f"CREATE OR REPLACE TEMP TABLE {name} AS {query}"
        )  # combine and explain use them here
        if not same_connection:
            engine.register(name, con.sql(f"SELECT * FROM {name}").to_arrow_table())
    tables = set(prepared)
    window = _window(as_of, rules)
    fired, not_evaluated, parts = {}, {}, []
    for i in rules.indicators:
        missing = [s for s in i.sources if s not in extracts]
        if missing:
            not_evaluated[i.id] = missing
            continue
        table = engine.to_arrow(ind.sql(i.id, i.parameters, window, tables))
        ids = table.column("object_id").to_pylist()
        values = table.column("value").to_pylist()
        fired[i.id] = sorted(zip(ids, values, strict=True))
        parts.append(
            pa.table(
                {
                    "level": pa.array([i.level] * len(ids), pa.string()),
                    "indicator": pa.array([i.id] * len(ids), pa.string()),
                    "object_id": pa.array(ids, pa.string()),
                }
            )
        )
    rows = _combine(con, rules, parts, as_of, "r_companies" in tables)
    return Result(rules, as_of, rows, fired, not_evaluated, extracts, con, window, tables)


def _combine(
    con: Any, rules: RuleSet, parts: list[pa.Table], as_of: date, companies: bool
) -> list[tuple[str, str, float, list[str]]]:
    """Objects with the indicators that fired there; company indicators also at their premises."""
    weights = {i.id: i.weight for i in rules.indicators}
    fired = (
        pa.concat_tables(parts)
        if parts
        else pa.table(
            {
                "level": pa.array([], pa.string()),
                "indicator": pa.array([], pa.string()),
                "object_id": pa.array([], pa.string()),
            }
        )
    )
    con.register("fired__arrow", fired)
    at_premises = (
        (
            f"UNION SELECT 'premises', f.indicator, c.bag_id FROM fired__arrow f JOIN r_companies c "
            f"ON c.kvk = f.object_id WHERE f.level = 'company' AND c.bag_id IS NOT NULL AND "
            f"{ind.active('c', days(as_of))}"
        )
        if companies
        else ""
    )
    objects = con.execute(
        f"SELECT object_type, object_id, list_sort(list(DISTINCT indicator)) FROM ("
        f"SELECT level AS object_type, indicator, object_id FROM fired__arrow {at_premises}) "
        f"GROUP BY object_type, object_id"
    ).fetchall()
    con.unregister("fired__arrow")
    rows = [(t, oid, round(sum(weights[i] for i in ids), 6), ids) for t, oid, ids in objects]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return rows


def write_csv(result: Result, out: Path) -> Path:
    """OUT.csv (object_type,object_id,score,indicators) and OUT.csv.run.json beside it."""
    import csv

    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["object_type", "object_id", "score", "indicators"])
        for object_type, object_id, score, ids in result.rows:
            writer.writerow([object_type, object_id, f"{score:g}", ";".join(ids)])
    tmp.replace(out)  # never a half-written OUT
    manifest = out.with_name(out.name + ".run.json")
    manifest.write_text(
        json.dumps(result.manifest(), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return manifest


def digest(rows: object) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
