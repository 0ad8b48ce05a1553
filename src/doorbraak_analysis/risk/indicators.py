"""The indicators as SQL over the prepared tables (see ``prepare.py``), written once in the
common subset of DuckDB and Spark SQL: dates are whole days since 1970-01-01, windows are
computed from the evaluation date beforehand, parameters go in as literals.

Each indicator returns ``object_id, value`` for the objects where it fires, and its evidence
query returns the source records behind that (``object_id, source_type, record, row``).
An indicator reads only the columns it declares in ``READS``; no table it can read holds a
name, a birth date or any other personal attribute (officers are a hashed key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Window:
    as_of: int  # evaluation date, days since epoch
    cutoffs: dict[tuple[str, int], int]  # (unit, n) -> day


def _lit(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _prefix_any(column: str, codes: Iterable[object]) -> str:
    texts = [str(c) for c in codes]
    if not texts:
        return "false"
    return "(" + " OR ".join(f"{column} LIKE {_lit(c + '%')}" for c in texts) + ")"


def _in(column: str, values: Iterable[object]) -> str:
    items = list(values)
    return f"{column} IN ({', '.join(_lit(v) for v in items)})" if items else "false"


def active(alias: str, a: int) -> str:
    return f"({alias}.reg_d <= {a} AND ({alias}.dereg_d IS NULL OR {alias}.dereg_d > {a}))"


# The prepared columns each indicator reads: the protected-attribute test walks these.
READS = {
    "vulnerable_sector": {"r_companies": ["kvk", "sbi", "reg_d", "dereg_d"]},
    "many_businesses_at_address": {"r_companies": ["bag_id", "kvk", "reg_d", "dereg_d"]},
    "officer_churn": {
        "r_officers": ["kvk", "since_d", "until_d"],
        "r_companies": ["kvk", "reg_d", "dereg_d"],
    },
    "short_lived_succession": {"r_companies": ["bag_id", "kvk", "reg_d", "dereg_d", "lifetime_m"]},
    "officer_many_companies": {
        "r_officers": ["kvk", "person", "since_d", "until_d"],
        "r_companies": ["kvk", "reg_d", "dereg_d"],
    },
    "earlier_closure": {"r_closures": ["bag_id", "occ_d", "key"]},
    "permit_missing_or_expired": {
        "r_companies": ["kvk", "sbi", "bag_id", "reg_d", "dereg_d"],
        "r_permits": ["kvk", "bag_id", "start_d", "end_d", "status"],
    },
    "occupancy_mismatch": {"r_premises": ["bag_id", "use"], "r_residents": ["bag_id", "n"]},
    "dor_irregularity": {
        "r_dor": ["kvk", "bag_id", "occ_d", "flag"],
        "r_companies": ["kvk", "bag_id", "reg_d", "dereg_d"],
    },
    "bank_sector_vulnerability": {
        "r_bank": ["sbi", "area", "period_d", "accounts", "flagged"],
        "r_companies": ["kvk", "sbi", "reg_d", "dereg_d"],
    },
    "vacancy_turnover": {"r_companies": ["bag_id", "kvk", "dereg_d"]},
}


def _company_filter(tables: set[str], a: int, alias: str = "c") -> tuple[str, str]:
    """Join to the active companies when the trade register is there (else every company)."""
    if "r_companies" not in tables:
        return "", "true"
    return f"JOIN r_companies {alias} ON {alias}.kvk = x.kvk", active(alias, a)


def sql(indicator: str, p: dict[str, Any], w: Window, tables: set[str]) -> str:
    a = w.as_of
    if indicator == "vulnerable_sector":
        return (
            f"SELECT c.kvk AS object_id, 1.0 AS value FROM r_companies c "
            f"WHERE {active('c', a)} AND {_prefix_any('c.sbi', p['sbi_codes'])}"
        )
    if indicator == "many_businesses_at_address":
        return (
            f"SELECT c.bag_id AS object_id, CAST(count(*) AS DOUBLE) AS value FROM r_companies c "
            f"WHERE c.bag_id IS NOT NULL AND {active('c', a)} GROUP BY c.bag_id "
            f"HAVING count(*) >= {int(p['min_companies'])}"
        )
    if indicator == "officer_churn":
        since = w.cutoffs[("months", int(p["months"]))]
        join, cond = _company_filter(tables, a)
        return (
            f"SELECT x.kvk AS object_id, CAST(sum(x.events) AS DOUBLE) AS value FROM ("
            f"SELECT kvk, (CASE WHEN since_d >= {since} AND since_d <= {a} THEN 1 ELSE 0 END) + "
            f"(CASE WHEN until_d IS NOT NULL AND until_d >= {since} AND until_d <= {a} THEN 1 ELSE 0 END) "
            f"AS events FROM r_officers) x {join} WHERE {cond} GROUP BY x.kvk "
            f"HAVING sum(x.events) >= {int(p['min_changes'])}"
        )
    if indicator == "short_lived_succession":
        since = w.cutoffs[("months", int(p["months"]))]
        return (
            f"SELECT c.bag_id AS object_id, CAST(count(*) AS DOUBLE) AS value FROM r_companies c "
            f"WHERE c.bag_id IS NOT NULL AND c.reg_d >= {since} AND c.reg_d <= {a} "
            f"AND c.dereg_d IS NOT NULL AND c.dereg_d <= {a} AND c.lifetime_m < {int(p['max_lifetime_months'])} "
            f"GROUP BY c.bag_id HAVING count(*) >= {int(p['min_companies'])}"
        )
    if indicator == "officer_many_companies":
        join, cond = _company_filter(tables, a)
        active_functions = (
            f"SELECT DISTINCT x.person, x.kvk FROM r_officers x {join} WHERE {cond} "
            f"AND x.since_d <= {a} AND (x.until_d IS NULL OR x.until_d > {a})"
        )
        return (
            f"SELECT f.kvk AS object_id, CAST(max(n.companies) AS DOUBLE) AS value FROM ({active_functions}) f "
            f"JOIN (SELECT person, count(*) AS companies FROM ({active_functions}) g GROUP BY person "
            f"HAVING count(*) >= {int(p['min_companies'])}) n ON n.person = f.person GROUP BY f.kvk"
        )
    if indicator == "earlier_closure":
        since = w.cutoffs[("years", int(p["years"]))]
        return (
            f"SELECT x.bag_id AS object_id, CAST(count(*) AS DOUBLE) AS value FROM r_closures x "
            f"WHERE x.bag_id IS NOT NULL AND x.occ_d >= {since} AND x.occ_d <= {a} GROUP BY x.bag_id"
        )
    if indicator == "permit_missing_or_expired":
        valid = (
            f"SELECT kvk, bag_id FROM r_permits WHERE start_d <= {a} AND (end_d IS NULL OR end_d >= {a}) "
            f"AND NOT ({_in('status', [s.lower() for s in p['refused_statuses']])})"
        )
        return (
            f"SELECT c.kvk AS object_id, 1.0 AS value FROM r_companies c "
            f"WHERE {active('c', a)} AND {_prefix_any('c.sbi', p['sbi_codes'])} "
            f"AND NOT EXISTS (SELECT 1 FROM ({valid}) v WHERE v.kvk = c.kvk) "
            f"AND NOT EXISTS (SELECT 1 FROM ({valid}) v WHERE v.kvk IS NULL AND v.bag_id = c.bag_id)"
        )
    if indicator == "occupancy_mismatch":
        residential = " OR ".join(
            f"lower(b.use) LIKE {_lit('%' + u.lower() + '%')}" for u in p["residential_uses"]
        )
        return (
            f"SELECT b.bag_id AS object_id, CAST(r.n AS DOUBLE) AS value FROM r_premises b "
            f"JOIN r_residents r ON r.bag_id = b.bag_id WHERE r.n >= {int(p['min_residents'])} "
            f"AND NOT ({residential or 'false'})"
        )
    if indicator == "dor_irregularity":
        since = w.cutoffs[("months", int(p["months"]))]
        flagged = (
            f"SELECT kvk, bag_id FROM r_dor WHERE occ_d >= {since} AND occ_d <= {a} AND "
            f"{_in('flag', [s.lower() for s in p['flag_values']])}"
        )
        if "r_companies" in tables:
            # a registration without KvK-nummer counts for the companies active at its address
            attributed = (
                f"SELECT d.kvk AS kvk FROM ({flagged}) d WHERE d.kvk IS NOT NULL UNION ALL "
                f"SELECT c.kvk AS kvk FROM ({flagged}) d JOIN r_companies c ON c.bag_id = d.bag_id "
                f"WHERE d.kvk IS NULL AND {active('c', a)}"
            )
            return (
                f"SELECT x.kvk AS object_id, CAST(count(*) AS DOUBLE) AS value FROM ({attributed}) x "
                f"JOIN r_companies c ON c.kvk = x.kvk WHERE {active('c', a)} GROUP BY x.kvk "
                f"HAVING count(*) >= {int(p['min_flagged'])}"
            )
        return (
            f"SELECT d.kvk AS object_id, CAST(count(*) AS DOUBLE) AS value FROM ({flagged}) d "
            f"WHERE d.kvk IS NOT NULL GROUP BY d.kvk HAVING count(*) >= {int(p['min_flagged'])}"
        )
    if indicator == "bank_sector_vulnerability":
        areas = _in("area", [s.lower() for s in p["city_areas"]])
        latest = f"SELECT max(period_d) AS d FROM r_bank WHERE period_d <= {a} AND {areas}"
        ranked = (
            f"SELECT sbi, share, row_number() OVER (ORDER BY share DESC, sbi) AS rank FROM ("
            f"SELECT b.sbi, CAST(sum(b.flagged) AS DOUBLE) / sum(b.accounts) AS share FROM r_bank b "
            f"JOIN ({latest}) l ON b.period_d = l.d WHERE {areas.replace('area', 'b.area')} "
            f"GROUP BY b.sbi HAVING sum(b.accounts) >= {int(p['min_accounts'])}) s"
        )
        return (
            f"SELECT c.kvk AS object_id, max(t.share) AS value FROM r_companies c JOIN ({ranked}) t "
            f"ON c.sbi LIKE concat(t.sbi, '%') WHERE t.rank <= {int(p['top_n'])} AND {active('c', a)} "
            f"GROUP BY c.kvk"
        )
    if indicator == "vacancy_turnover":
        since = w.cutoffs[("months", int(p["months"]))]
        return (
            f"SELECT c.bag_id AS object_id, CAST(count(*) AS DOUBLE) AS value FROM r_companies c "
            f"WHERE c.bag_id IS NOT NULL AND c.dereg_d IS NOT NULL AND c.dereg_d >= {since} "
            f"AND c.dereg_d <= {a} GROUP BY c.bag_id HAVING count(*) >= {int(p['min_changes'])}"
        )
    raise KeyError(indicator)


def evidence(indicator: str, p: dict[str, Any], w: Window, tables: set[str], object_id: str) -> str:
    """The source records behind one fired indicator at one object (DuckDB, for explain)."""
    a, oid = w.as_of, _lit(object_id)
    co = "'kvk_companies' AS source_type, c.kvk AS record, c.row AS row FROM r_companies c"
    if indicator in ("vulnerable_sector", "permit_missing_or_expired", "bank_sector_vulnerability"):
        return f"SELECT {co} WHERE c.kvk = {oid}"
    if indicator == "many_businesses_at_address":
        return f"SELECT {co} WHERE c.bag_id = {oid} AND {active('c', a)}"
    if indicator == "short_lived_succession":
        since = w.cutoffs[("months", int(p["months"]))]
        return (
            f"SELECT {co} WHERE c.bag_id = {oid} AND c.reg_d >= {since} AND c.dereg_d IS NOT NULL "
            f"AND c.dereg_d <= {a} AND c.lifetime_m < {int(p['max_lifetime_months'])}"
        )
    if indicator == "vacancy_turnover":
        since = w.cutoffs[("months", int(p["months"]))]
        return f"SELECT {co} WHERE c.bag_id = {oid} AND c.dereg_d >= {since} AND c.dereg_d <= {a}"
    if indicator == "officer_churn":
        since = w.cutoffs[("months", int(p["months"]))]
        return (
            f"SELECT 'kvk_officers' AS source_type, o.kvk AS record, o.row AS row FROM r_officers o "
            f"WHERE o.kvk = {oid} AND ((o.since_d >= {since} AND o.since_d <= {a}) OR "
            f"(o.until_d >= {since} AND o.until_d <= {a}))"
        )
    if indicator == "officer_many_companies":
        return (
            f"SELECT 'kvk_officers' AS source_type, o2.kvk AS record, o2.row AS row FROM r_officers o "
            f"JOIN r_officers o2 ON o2.person = o.person WHERE o.kvk = {oid} AND o2.since_d <= {a} "
            f"AND (o2.until_d IS NULL OR o2.until_d > {a})"
        )
    if indicator == "earlier_closure":
        since = w.cutoffs[("years", int(p["years"]))]
        return (
            f"SELECT 'closures' AS source_type, x.key AS record, x.row AS row FROM r_closures x "
            f"WHERE x.bag_id = {oid} AND x.occ_d >= {since} AND x.occ_d <= {a}"
        )
    if indicator == "occupancy_mismatch":
        return (
            f"SELECT 'bag_premises' AS source_type, b.bag_id AS record, b.row AS row FROM r_premises b "
            f"WHERE b.bag_id = {oid} UNION ALL SELECT 'brp_occupancy' AS source_type, "
            f"'inschrijving' AS record, r.row AS row FROM r_resident_rows r WHERE r.bag_id = {oid}"
        )
    if indicator == "dor_irregularity":
        since = w.cutoffs[("months", int(p["months"]))]
        bag = (
            f" OR (d.kvk IS NULL AND d.bag_id IN (SELECT bag_id FROM r_companies WHERE kvk = {oid}))"
            if "r_companies" in tables
            else ""
        )
        return (
            f"SELECT 'dor' AS source_type, d.key AS record, d.row AS row FROM r_dor d "
            f"WHERE (d.kvk = {oid}{bag}) AND d.occ_d >= {since} AND d.occ_d <= {a} "
            f"AND {_in('d.flag', [s.lower() for s in p['flag_values']])}"
        )
    raise KeyError(indicator)
