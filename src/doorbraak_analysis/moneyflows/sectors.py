"""Sector vulnerability: per SBI sector and area, how much of it takes part in laundering
patterns, with confidence intervals, a ranking and the change per period.

Only aggregates leave this function (compute-to-data): counts under 5 are shown as "<5" and
every figure that would let a small count be worked back is left empty ("suppressed" = 1).
Accounts without an SBI code (private persons) are not part of the sector view.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from .config import RULESET_VERSION

SMALL = 5
Z95 = 1.959963984540054
# the plain fan-in/fan-out of shops and payrolls is everyday business: by default the sector
# view counts only the layering typologies (configurable)
DEFAULT_TYPOLOGIES = (
    "gather-scatter",
    "scatter-gather",
    "cycle",
    "bipartite",
    "stacked-bipartite",
    "structuring",
    "pass-through",
)
SBI_NAMES = {
    "4711": "Supermarkten",
    "4719": "Warenhuizen en overige winkels",
    "5610": "Restaurants",
    "5630": "Cafés",
    "9602": "Haarverzorging",
    "9604": "Sauna's en wellness",
    "4511": "Autohandel",
    "4777": "Juweliers",
    "4730": "Tankstations",
    "6820": "Verhuur van onroerend goed",
    "4120": "Algemene burgerlijke en utiliteitsbouw",
    "4941": "Goederenvervoer over de weg",
    "4639": "Groothandel voedingsmiddelen",
    "7022": "Organisatie-adviesbureaus",
    "6201": "Ontwikkelen van software",
    "8621": "Huisartsenpraktijken",
    "8510": "Onderwijs",
    "6419": "Bankwezen",
    # the demo city's sectors (SBI 2008, 4 or 5 digits)
    "4520": "Onderhoud en reparatie van auto's (autowasserij)",
    "45201": "Reparatie en onderhoud van personenauto's",
    "4532": "Winkels in auto-onderdelen en -accessoires",
    "7711": "Verhuur van auto's en lichte bedrijfsauto's",
    "96021": "Kappers en barbershops",
    "96022": "Nagel- en schoonheidssalons",
    "4742": "Telefoonwinkels",
    "4779": "Tweedehandswinkels en inkoop van goud",
    "4726": "Tabakswinkels",
    "4771": "Kledingwinkels",
    "56101": "Restaurants",
    "56102": "Afhaal, snackbars en fastfood",
    "5320": "Koeriers",
    "5210": "Opslag",
    "6619": "Geldtransfer",
    "6420": "Financiële holdings",
    "6810": "Handel in eigen onroerend goed",
    "6920": "Administratiekantoren en belastingadviseurs",
    "8121": "Schoonmaakbedrijven",
    "4399": "Klus- en afbouwbedrijven",
    "4334": "Schilders",
    "9313": "Fitnesscentra en sportscholen",
    "9609": "Tattoo- en piercingshops",
    "7911": "Reisbureaus",
    "1071": "Bakkerijen",
    "7820": "Uitzendbureaus",
}
PERIODS = {"month": "%Y-%m", "quarter": None, "year": "%Y"}


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (n may be an effective sample size)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def suppress(count: int) -> str:
    return "<5" if count < SMALL else str(int(count))


def _period_sql(period: str) -> str:
    if period == "quarter":
        return (
            "strftime(to_timestamp(t), '%Y') || '-Q' || CAST(quarter(to_timestamp(t)) AS VARCHAR)"
        )
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    return f"strftime(to_timestamp(t), '{PERIODS[period]}')"


def sector_vulnerability(
    tx: pa.Table, accounts: pa.Table, pattern_rows: pa.Table, *, period: str = "quarter"
) -> pa.Table:
    """`pattern_rows(rid)`: transactions in flagged patterns. Returns the publishable table."""
    con = duckdb.connect()
    con.register("tx", tx)
    con.register("accounts", accounts)
    con.register("prow", pattern_rows)
    latest = pa.compute.max(tx["t"]).as_py()  # None for a file with a header and no rows
    data_date = (
        None
        if latest is None
        else datetime.fromtimestamp(int(latest), timezone.utc).date().isoformat()
    )
    grouped = con.sql(f"""
        WITH flagged AS (SELECT DISTINCT rid FROM prow),
        ends AS (
          SELECT x.rid, {_period_sql(period)} AS period, x.amount, x.src AS account,
                 f.rid IS NOT NULL AS in_pat FROM tx x LEFT JOIN flagged f ON f.rid = x.rid
          UNION ALL
          SELECT x.rid, {_period_sql(period)} AS period, x.amount, x.dst AS account,
                 f.rid IS NOT NULL AS in_pat FROM tx x LEFT JOIN flagged f ON f.rid = x.rid),
        labelled AS (
          SELECT e.*, a.sbi, a.area FROM ends e JOIN accounts a ON a.account = e.account
          WHERE a.sbi IS NOT NULL AND a.sbi <> ''),
        groups AS (
          SELECT period, sbi, area, rid, account, amount, in_pat FROM labelled
          UNION ALL
          SELECT period, sbi, '(alle wijken)' AS area, rid, account, amount, in_pat FROM labelled),
        per_tx AS (  -- a payment between two accounts of one group counts once for it
          SELECT period, sbi, area, rid, max(amount) AS amount, bool_or(in_pat) AS in_pat
          FROM groups GROUP BY period, sbi, area, rid)
        SELECT g.period, g.sbi, g.area, g.accounts, g.accounts_in, m.amount, m.amount_in, m.n_eff
        FROM (SELECT period, sbi, area, count(DISTINCT account) AS accounts,
                     count(DISTINCT CASE WHEN in_pat THEN account END) AS accounts_in
              FROM groups GROUP BY period, sbi, area) g
        JOIN (SELECT period, sbi, area, sum(amount) AS amount,
                     sum(CASE WHEN in_pat THEN amount ELSE 0 END) AS amount_in,
                     -- Kish effective sample size of the amount-weighted share
                     sum(amount) * sum(amount) / nullif(sum(amount * amount), 0) AS n_eff
              FROM per_tx GROUP BY period, sbi, area) m USING (period, sbi, area)
        ORDER BY period, sbi, area
    """).fetchall()

    rows = []
    for period_, sbi, area, n, k, amount, amount_in, n_eff in grouped:
        share = k / n if n else math.nan
        lo, hi = wilson(k, n)
        a_share = amount_in / amount if amount else math.nan
        a_lo, a_hi = wilson(a_share * (n_eff or 0), n_eff or 0)
        rows.append(
            dict(
                period=period_,
                sbi=sbi,
                area=area,
                n=n,
                k=k,
                share=share,
                lo=lo,
                hi=hi,
                amount=amount,
                amount_in=amount_in,
                a_share=a_share,
                a_lo=a_lo,
                a_hi=a_hi,
            )
        )
    # change against the previous period of the same sector and area, in percentage points
    prev: dict[tuple[str, str], float] = {}
    for r in sorted(rows, key=lambda r: r["period"]):
        key = (r["sbi"], r["area"])
        r["change"] = (
            (r["share"] - prev[key]) * 100 if key in prev and r["n"] >= SMALL else math.nan
        )
        prev[key] = r["share"]
    # rank within each period and area level by the lower bound: small groups do not top it by luck
    for level in ("single", "all"):
        by_period: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            if (
                (r["area"] == "(alle wijken)") == (level == "all")
                and r["k"] >= SMALL
                and r["n"] >= SMALL
            ):
                by_period.setdefault(r["period"], []).append(r)
        for group in by_period.values():
            for i, r in enumerate(
                sorted(group, key=lambda r: (-r["lo"], -r["share"], r["sbi"], r["area"])), 1
            ):
                r["rank"] = i

    def num(x: float | None, digits: int = 4) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"

    out = []
    for r in rows:
        hidden = r["k"] < SMALL or r["n"] < SMALL
        out.append(
            {
                "data_date": data_date,
                "period": r["period"],
                "sbi": r["sbi"],
                "sector_name": SBI_NAMES.get(r["sbi"], ""),
                "area": r["area"],
                "accounts": suppress(r["n"]),
                "accounts_in_patterns": suppress(r["k"]),
                "account_share": "" if hidden else num(r["share"]),
                "account_share_low": "" if hidden else num(r["lo"]),
                "account_share_high": "" if hidden else num(r["hi"]),
                "amount_eur": "" if r["n"] < SMALL else num(r["amount"], 2),
                "amount_in_patterns_eur": "" if hidden else num(r["amount_in"], 2),
                "amount_share": "" if hidden else num(r["a_share"]),
                "amount_share_low": "" if hidden else num(r["a_lo"]),
                "amount_share_high": "" if hidden else num(r["a_hi"]),
                "rank": "" if hidden else str(r.get("rank", "")),
                "change_pp": "" if hidden else num(r["change"], 2),
                "suppressed": "1" if hidden else "0",
                "ruleset_version": RULESET_VERSION,
            }
        )
    out.sort(
        key=lambda r: (
            r["period"],
            r["area"] != "(alle wijken)",
            r["area"],
            int(r["rank"]) if r["rank"] else 10**9,
            r["sbi"],
        )
    )
    names = (
        list(out[0])
        if out
        else [
            "data_date",
            "period",
            "sbi",
            "sector_name",
            "area",
            "accounts",
            "accounts_in_patterns",
            "account_share",
            "account_share_low",
            "account_share_high",
            "amount_eur",
            "amount_in_patterns_eur",
            "amount_share",
            "amount_share_low",
            "amount_share_high",
            "rank",
            "change_pp",
            "suppressed",
            "ruleset_version",
        ]
    )
    return pa.table({n: pa.array([r[n] for r in out], pa.string()) for n in names})
