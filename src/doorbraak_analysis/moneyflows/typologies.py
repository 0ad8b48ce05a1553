"""Laundering typologies as SQL over the transaction table `tx`, portable DuckDB/Spark.

Input: `tx(rid, t, src, dst, amount, ...)` (t = epoch seconds, amount in euro).
Output tables, long format so both engines can build them without list types:
  pattern_tx(typology, pid, rid)              the transactions that make up each pattern
  pattern_acc(typology, pid, account, role)   the accounts in it and their part

Windows are evaluated on two grids offset by half a window, so any pattern that fits in half
a window is always found and one that fits in a whole window usually is; qualifying windows
of the same hub are merged, and patterns found twice (same rows) are kept once.
"""

from __future__ import annotations

from typing import Any

from doorbraak_analysis.engine import Engine

from .config import FlowConfig

TYPOLOGIES = [
    "fan-in",
    "fan-out",
    "gather-scatter",
    "scatter-gather",
    "cycle",
    "bipartite",
    "stacked-bipartite",
    "structuring",
    "pass-through",
]

GRIDS = "(SELECT 0 AS g UNION ALL SELECT 1 AS g)"


def _bucket(tcol: str, width: int) -> str:
    return f"CAST(floor(({tcol} + g * {width // 2}) / {width}) AS BIGINT)"


def _windowed_hub(
    p: str,
    typ: str,
    hub: str,
    distinct: str,
    other: str,
    width: int,
    k: int,
    where: str,
    hub_role: str,
    other_role: str,
) -> list[tuple[str, str]]:
    """Hub with >= k distinct `distinct` within `width` seconds; merged into islands."""
    half = width // 2
    return [
        (
            f"{p}_w",
            f"""
            SELECT hub, g, b, b * {width} - g * {half} AS ws FROM (
              SELECT {hub} AS hub, {distinct} AS d, g, {_bucket("t", width)} AS b
              FROM tx CROSS JOIN {GRIDS} gr WHERE {where}) c
            GROUP BY hub, g, b HAVING count(DISTINCT d) >= {k}""",
        ),
        (
            f"{p}_isl",
            f"""
            SELECT hub, min(ws) AS ws, max(ws) + {width} AS we FROM (
              SELECT hub, ws, sum(CASE WHEN prev_we IS NOT NULL AND ws < prev_we THEN 0 ELSE 1 END)
                OVER (PARTITION BY hub ORDER BY ws ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS isl
              FROM (SELECT hub, ws, max(ws + {width}) OVER (PARTITION BY hub ORDER BY ws
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_we FROM {p}_w) a) b
            GROUP BY hub, isl""",
        ),
        (
            f"{p}_tx",
            f"""
            SELECT '{typ}' AS typology, concat_ws(':', '{typ}', i.hub, CAST(i.ws AS STRING)) AS pid,
                   x.rid, x.t, x.amount, i.hub, x.{other} AS other
            FROM {p}_isl i JOIN tx x ON x.{hub} = i.hub AND x.t >= i.ws AND x.t < i.we
            WHERE {where.replace("amount", "x.amount")}""",
        ),
        (
            f"{p}_acc",
            f"""
            SELECT DISTINCT typology, pid, hub AS account, '{hub_role}' AS role FROM {p}_tx
            UNION ALL
            SELECT DISTINCT typology, pid, other AS account, '{other_role}' AS role FROM {p}_tx
            WHERE other <> hub""",
        ),
    ]


def detection_steps(cfg: FlowConfig, *, annualise_degree: bool = False) -> list[tuple[str, str]]:
    """(table name, SELECT) steps; run in order, each materialised for the next.

    The degree caps (`max_intermediary_degree`, `max_cycle_degree`) count an account's
    transactions in the whole data (`detect`); with `annualise_degree` the count is scaled to a
    year of data (count x 365 days / span of the data), so whether an account is followed does
    not depend on how long the extract is (the model's features)."""
    fan_w = cfg.seconds("fan_window_hours")
    sg_w = cfg.seconds("sg_window_hours")
    cyc_w = cfg.seconds("cycle_window_hours")
    lay_w = cfg.seconds("layer_window_hours")
    st_w = cfg.seconds("structuring_window_hours")
    pt_h = cfg.seconds("passthrough_hours")
    rmin, rmax = cfg.hop_min_amount_ratio, cfg.hop_max_amount_ratio
    cap = cfg.max_intermediary_degree
    lo = cfg.reporting_threshold * (1 - cfg.structuring_margin)
    per_year = (
        f" * {365 * 86400} / greatest((SELECT max(t) - min(t) FROM tx), 86400)"
        if annualise_degree
        else ""
    )
    steps: list[tuple[str, str]] = [
        (
            "deg",
            f"""
            SELECT account, sum(n){per_year} AS deg FROM (
              SELECT src AS account, count(*) AS n FROM tx GROUP BY src
              UNION ALL SELECT dst AS account, count(*) AS n FROM tx GROUP BY dst) d
            GROUP BY account""",
        ),
    ]
    steps += _windowed_hub(
        "fo",
        "fan-out",
        "src",
        "dst",
        "dst",
        fan_w,
        cfg.fan_min_counterparties,
        "1 = 1",
        "source",
        "recipient",
    )
    steps += _windowed_hub(
        "fi",
        "fan-in",
        "dst",
        "src",
        "src",
        fan_w,
        cfg.fan_min_counterparties,
        "1 = 1",
        "collector",
        "sender",
    )
    steps += _windowed_hub(
        "st",
        "structuring",
        "src",
        "rid",
        "dst",
        st_w,
        cfg.structuring_min_count,
        f"amount >= {lo} AND amount < {cfg.reporting_threshold}",
        "structurer",
        "recipient",
    )
    # gather-scatter: a fan-in of a hub followed, within the window, by a fan-out of it
    steps += [
        (
            "gs_pair",
            f"""
            SELECT concat_ws('|', 'gather-scatter', i.pid, o.pid) AS pid, i.pid AS ipid, o.pid AS opid
            FROM (SELECT pid, hub, min(t) AS t1, max(t) AS t2 FROM fi_tx GROUP BY pid, hub) i
            JOIN (SELECT pid, hub, min(t) AS t1, max(t) AS t2 FROM fo_tx GROUP BY pid, hub) o
              ON i.hub = o.hub AND o.t1 >= i.t1 AND o.t2 > i.t2 AND o.t1 <= i.t2 + {sg_w}""",
        ),
        (
            "gs_tx",
            """
            SELECT 'gather-scatter' AS typology, p.pid, x.rid FROM gs_pair p JOIN fi_tx x ON x.pid = p.ipid
            UNION ALL
            SELECT 'gather-scatter' AS typology, p.pid, x.rid FROM gs_pair p JOIN fo_tx x ON x.pid = p.opid""",
        ),
        (
            "gs_acc",
            """
            SELECT 'gather-scatter' AS typology, p.pid, a.account,
                   CASE a.role WHEN 'collector' THEN 'hub' WHEN 'source' THEN 'hub' ELSE a.role END AS role
            FROM gs_pair p JOIN fi_acc a ON a.pid = p.ipid
            UNION ALL
            SELECT 'gather-scatter' AS typology, p.pid, a.account,
                   CASE a.role WHEN 'collector' THEN 'hub' WHEN 'source' THEN 'hub' ELSE a.role END AS role
            FROM gs_pair p JOIN fo_acc a ON a.pid = p.opid""",
        ),
    ]
    # scatter-gather: origin -> several low-degree intermediaries -> one destination
    steps += [
        (
            "sg_hop",
            f"""
            SELECT a.src AS origin, a.dst AS mid, b.dst AS dest, a.rid AS r1, b.rid AS r2, a.t AS t1
            FROM tx a JOIN deg d ON d.account = a.dst AND d.deg <= {cap}
            JOIN tx b ON b.src = a.dst AND b.t >= a.t AND b.t <= a.t + {sg_w}
            WHERE a.src <> b.dst AND a.src <> a.dst
              AND b.amount >= a.amount * {rmin} AND b.amount <= a.amount * {rmax}""",
        ),
        (
            "sg_grp",
            f"""
            SELECT h.*, concat_ws(':', 'scatter-gather', h.origin, h.dest, CAST(h.g AS STRING), CAST(h.b AS STRING)) AS pid
            FROM (SELECT s.*, g, {_bucket("t1", sg_w)} AS b FROM sg_hop s CROSS JOIN {GRIDS} gr) h
            JOIN (SELECT origin, dest, g, b FROM (
                    SELECT origin, dest, mid, g, {_bucket("t1", sg_w)} AS b FROM sg_hop CROSS JOIN {GRIDS} gr) c
                  GROUP BY origin, dest, g, b HAVING count(DISTINCT mid) >= {cfg.sg_min_intermediaries}) q
              ON q.origin = h.origin AND q.dest = h.dest AND q.g = h.g AND q.b = h.b""",
        ),
        (
            "sg_tx",
            """
            SELECT DISTINCT 'scatter-gather' AS typology, pid, r1 AS rid FROM sg_grp
            UNION SELECT DISTINCT 'scatter-gather' AS typology, pid, r2 AS rid FROM sg_grp""",
        ),
        (
            "sg_acc",
            """
            SELECT DISTINCT 'scatter-gather' AS typology, pid, origin AS account, 'origin' AS role FROM sg_grp
            UNION SELECT DISTINCT 'scatter-gather' AS typology, pid, mid AS account, 'intermediary' AS role FROM sg_grp
            UNION SELECT DISTINCT 'scatter-gather' AS typology, pid, dest AS account, 'destination' AS role FROM sg_grp""",
        ),
    ]
    steps += _cycle_steps(cfg, cyc_w, rmin, rmax)
    steps += _layer_steps(cfg, lay_w, cap)
    # rapid pass-through: per account event stream, out-flow in the hours after each in-flow
    steps += [
        (
            "ev",
            """
            SELECT dst AS account, t, rid, amount AS in_amt, CAST(0 AS DOUBLE) AS out_amt, 0 AS is_out FROM tx
            UNION ALL
            SELECT src AS account, t, rid, CAST(0 AS DOUBLE) AS in_amt, amount AS out_amt, 1 AS is_out FROM tx""",
        ),
        (
            "pt_q",
            f"""
            SELECT * FROM (
              SELECT account, t, rid, in_amt, sum(out_amt) OVER (PARTITION BY account ORDER BY t
                RANGE BETWEEN CURRENT ROW AND {pt_h} FOLLOWING) AS out_after FROM ev) e
            WHERE in_amt >= {cfg.passthrough_min_amount}
              AND out_after >= in_amt * {cfg.passthrough_min_ratio}
              AND out_after <= in_amt * {cfg.passthrough_max_ratio}""",
        ),
        (
            "pt_tx",
            f"""
            SELECT 'pass-through' AS typology, concat_ws(':', 'pass-through', CAST(rid AS STRING)) AS pid, rid
            FROM pt_q
            UNION ALL
            SELECT 'pass-through' AS typology, concat_ws(':', 'pass-through', CAST(q.rid AS STRING)) AS pid, x.rid
            FROM pt_q q JOIN tx x ON x.src = q.account AND x.t >= q.t AND x.t <= q.t + {pt_h}""",
        ),
        (
            "pt_acc",
            """
            SELECT DISTINCT 'pass-through' AS typology, p.pid, x.src AS account,
                   CASE WHEN x.rid = q.rid THEN 'sender' ELSE 'pass-through' END AS role
            FROM pt_tx p JOIN pt_q q ON p.pid = concat_ws(':', 'pass-through', CAST(q.rid AS STRING))
            JOIN tx x ON x.rid = p.rid
            UNION
            SELECT DISTINCT 'pass-through' AS typology, p.pid, x.dst AS account,
                   CASE WHEN x.rid = q.rid THEN 'pass-through' ELSE 'recipient' END AS role
            FROM pt_tx p JOIN pt_q q ON p.pid = concat_ws(':', 'pass-through', CAST(q.rid AS STRING))
            JOIN tx x ON x.rid = p.rid""",
        ),
    ]
    parts_tx = ["fo_tx", "fi_tx", "st_tx", "gs_tx", "sg_tx", "cy_tx", "bp_tx", "sb_tx", "pt_tx"]
    parts_acc = [
        "fo_acc",
        "fi_acc",
        "st_acc",
        "gs_acc",
        "sg_acc",
        "cy_acc",
        "bp_acc",
        "sb_acc",
        "pt_acc",
    ]
    steps += [
        ("ptx_all", " UNION ALL ".join(f"SELECT typology, pid, rid FROM {p}" for p in parts_tx)),
        # the same rows found twice (two grids, two anchors) count once
        (
            "p_keep",
            """
            SELECT min(pid) AS pid FROM (
              SELECT typology, pid, count(*) AS n, min(rid) AS r0, max(rid) AS r1, sum(rid) AS rs
              FROM (SELECT DISTINCT typology, pid, rid FROM ptx_all) d GROUP BY typology, pid) s
            GROUP BY typology, n, r0, r1, rs""",
        ),
        (
            "pattern_tx",
            """
            SELECT DISTINCT a.typology, a.pid, a.rid FROM ptx_all a JOIN p_keep k ON k.pid = a.pid""",
        ),
        (
            "pattern_acc",
            " UNION ".join(
                f"SELECT a.typology, a.pid, a.account, a.role FROM {p} a JOIN p_keep k ON k.pid = a.pid"
                for p in parts_acc
            ),
        ),
    ]
    return steps


def _cycle_steps(cfg: FlowConfig, width: int, rmin: float, rmax: float) -> list[tuple[str, str]]:
    lmin, lmax = max(2, cfg.cycle_min_length), min(6, cfg.cycle_max_length)
    steps = [
        # edges that can lie on a cycle: both ends moderate degree, src receives, dst sends
        # (joins with the distinct receivers and senders, not IN (SELECT ...): DuckDB built
        # those semi joins on the big side, beyond its memory limit)
        (
            "ce",
            f"""
            SELECT x.rid, x.src, x.dst, x.t, x.amount FROM tx x
            JOIN deg ds ON ds.account = x.src AND ds.deg <= {cfg.max_cycle_degree}
            JOIN deg dd ON dd.account = x.dst AND dd.deg <= {cfg.max_cycle_degree}
            JOIN (SELECT DISTINCT dst AS account FROM tx) rs ON rs.account = x.src
            JOIN (SELECT DISTINCT src AS account FROM tx) sd ON sd.account = x.dst
            WHERE x.src <> x.dst""",
        ),
        ("cp1", "SELECT src AS a0, dst AS a1, t AS t0, t AS tl, amount AS xl, rid AS r1 FROM ce"),
    ]
    cycles = []
    for k in range(1, lmax):
        prev = (
            ", ".join(f"p.a{i}" for i in range(k + 1))
            + ", "
            + ", ".join(f"p.r{i}" for i in range(1, k + 1))
        )
        cond = (
            f"e.src = p.a{k} AND e.t >= p.tl AND e.t <= p.t0 + {width} "
            f"AND e.amount >= p.xl * {rmin} AND e.amount <= p.xl * {rmax}"
        )
        # closing edge back to the start: a cycle of length k+1
        if k + 1 >= lmin:
            steps.append(
                (
                    f"cc{k + 1}",
                    f"SELECT {prev}, e.rid AS r{k + 1} FROM cp{k} p JOIN ce e ON {cond} AND e.dst = p.a0",
                )
            )
            cycles.append(k + 1)
        if k + 1 < lmax:
            seen = ", ".join(f"p.a{i}" for i in range(k + 1))
            steps.append(
                (
                    f"cp{k + 1}",
                    f"""
                SELECT {prev}, e.dst AS a{k + 1}, p.t0, e.t AS tl, e.amount AS xl, e.rid AS r{k + 1}
                FROM cp{k} p JOIN ce e ON {cond} AND e.dst NOT IN ({seen})""",
                )
            )
    # all lengths in one table padded with NULLs, then unpivoted by position: one plan
    # instead of one UNION branch per position (Spark plans many branches slowly)
    if cycles:
        branches = []
        for n in cycles:
            accs = ", ".join(
                f"a{i}" if i < n else f"CAST(NULL AS STRING) AS a{i}" for i in range(lmax)
            )
            rids = ", ".join(
                f"r{i}" if i <= n else f"CAST(NULL AS BIGINT) AS r{i}" for i in range(1, lmax + 1)
            )
            pid = (
                "concat_ws(':', 'cycle', "
                + ", ".join(f"CAST(r{i} AS STRING)" for i in range(1, n + 1))
                + ")"
            )
            branches.append(f"SELECT {pid} AS pid, {accs}, {rids} FROM cc{n}")
        steps.append(("cyc", " UNION ALL ".join(branches)))
    else:
        accs = ", ".join(f"CAST(NULL AS STRING) AS a{i}" for i in range(lmax))
        rids = ", ".join(f"CAST(NULL AS BIGINT) AS r{i}" for i in range(1, lmax + 1))
        steps.append(("cyc", f"SELECT 'none' AS pid, {accs}, {rids} FROM tx WHERE 1 = 0"))
    positions = " UNION ALL ".join(f"SELECT {i} AS pos" for i in range(1, lmax + 1))
    pick_r = "CASE pos " + " ".join(f"WHEN {i} THEN r{i}" for i in range(1, lmax + 1)) + " END"
    pick_a = "CASE pos " + " ".join(f"WHEN {i} THEN a{i - 1}" for i in range(1, lmax + 1)) + " END"
    steps += [
        (
            "cy_tx",
            f"""
            SELECT 'cycle' AS typology, pid, rid FROM (
              SELECT pid, {pick_r} AS rid FROM cyc CROSS JOIN ({positions}) ps) u WHERE rid IS NOT NULL""",
        ),
        (
            "cy_acc",
            f"""
            SELECT DISTINCT 'cycle' AS typology, pid, account, 'member' AS role FROM (
              SELECT pid, {pick_a} AS account FROM cyc CROSS JOIN ({positions}) ps) u WHERE account IS NOT NULL""",
        ),
    ]
    return steps


def _layer_steps(cfg: FlowConfig, width: int, cap: int) -> list[tuple[str, str]]:
    m = cfg.layer_min_side
    return [
        (
            "le",
            f"""
            SELECT x.rid, x.src, x.dst, x.t, g, {_bucket("x.t", width)} AS b FROM tx x CROSS JOIN {GRIDS} gr
            JOIN deg ds ON ds.account = x.src AND ds.deg <= {cap}
            JOIN deg dd ON dd.account = x.dst AND dd.deg <= {cap}
            WHERE x.src <> x.dst""",
        ),
        # receiver pairs that share >= m senders in the same window
        (
            "lq",
            f"""
            SELECT g, b, d1, d2, s FROM (
              SELECT DISTINCT e1.g, e1.b, e1.dst AS d1, e2.dst AS d2, e1.src AS s
              FROM le e1 JOIN le e2 ON e1.src = e2.src AND e1.g = e2.g AND e1.b = e2.b AND e1.dst < e2.dst) p
            WHERE concat_ws('|', CAST(g AS STRING), CAST(b AS STRING), d1, d2) IN (
              SELECT concat_ws('|', CAST(g AS STRING), CAST(b AS STRING), d1, d2) FROM (
                SELECT DISTINCT e1.g, e1.b, e1.dst AS d1, e2.dst AS d2, e1.src AS s
                FROM le e1 JOIN le e2 ON e1.src = e2.src AND e1.g = e2.g AND e1.b = e2.b AND e1.dst < e2.dst) c
              GROUP BY g, b, d1, d2 HAVING count(*) >= {m})""",
        ),
        # a block is anchored at its smallest receiver (one that is nobody's d2)
        (
            "lb",
            """
            SELECT q.g, q.b, q.d1 AS anchor, q.d2, q.s FROM lq q
            LEFT JOIN (SELECT DISTINCT g, b, d2 FROM lq) n ON n.g = q.g AND n.b = q.b AND n.d2 = q.d1
            WHERE n.d2 IS NULL""",
        ),
        (
            "bp_accs",
            """
            SELECT DISTINCT concat_ws(':', 'bipartite', CAST(g AS STRING), CAST(b AS STRING), anchor) AS pid,
                   g, b, account, side FROM (
              SELECT g, b, anchor, anchor AS account, 'd' AS side FROM lb
              UNION ALL SELECT g, b, anchor, d2 AS account, 'd' AS side FROM lb
              UNION ALL SELECT g, b, anchor, s AS account, 's' AS side FROM lb) u""",
        ),
        (
            "bp_tx",
            """
            SELECT DISTINCT 'bipartite' AS typology, s.pid, e.rid, e.t FROM bp_accs s
            JOIN le e ON e.src = s.account AND e.g = s.g AND e.b = s.b AND s.side = 's'
            JOIN bp_accs d ON d.pid = s.pid AND d.account = e.dst AND d.side = 'd'""",
        ),
        (
            "bp_acc",
            """
            SELECT DISTINCT 'bipartite' AS typology, pid, account,
                   CASE side WHEN 's' THEN 'sender' ELSE 'receiver' END AS role FROM bp_accs""",
        ),
        # stacked: the receivers of one block are (>= m of) the senders of a later block
        (
            "sb_pair",
            f"""
            SELECT concat_ws('|', 'stacked-bipartite', x.pid, y.pid) AS pid, x.pid AS p1, y.pid AS p2
            FROM bp_accs x JOIN bp_accs y ON x.account = y.account AND x.side = 'd' AND y.side = 's' AND x.pid <> y.pid
            JOIN (SELECT pid, min(t) AS t1, max(t) AS t2 FROM bp_tx GROUP BY pid) s1 ON s1.pid = x.pid
            JOIN (SELECT pid, min(t) AS t1, max(t) AS t2 FROM bp_tx GROUP BY pid) s2 ON s2.pid = y.pid
            WHERE s2.t1 >= s1.t1 AND s2.t2 > s1.t2 AND s2.t1 <= s1.t2 + {width}
            GROUP BY x.pid, y.pid HAVING count(DISTINCT x.account) >= {m}""",
        ),
        (
            "sb_tx",
            """
            SELECT 'stacked-bipartite' AS typology, p.pid, t.rid FROM sb_pair p JOIN bp_tx t ON t.pid = p.p1
            UNION SELECT 'stacked-bipartite' AS typology, p.pid, t.rid FROM sb_pair p JOIN bp_tx t ON t.pid = p.p2""",
        ),
        (
            "sb_acc",
            """
            SELECT 'stacked-bipartite' AS typology, p.pid, a.account,
                   CASE WHEN a.side = 's' THEN 'layer-1' ELSE 'layer-2' END AS role
            FROM sb_pair p JOIN bp_accs a ON a.pid = p.p1
            UNION SELECT 'stacked-bipartite' AS typology, p.pid, a.account,
                   CASE WHEN a.side = 's' THEN 'layer-2' ELSE 'layer-3' END AS role
            FROM sb_pair p JOIN bp_accs a ON a.pid = p.p2""",
        ),
    ]


def run_detection(engine: Engine, cfg: FlowConfig) -> None:
    """Materialise pattern_tx and pattern_acc in `engine` (tx must be registered)."""
    for name, sql in detection_steps(cfg):
        engine.create(name, sql)


PATTERNS_SQL = """
WITH accs AS (
  SELECT pid, account, min(role) AS role FROM pattern_acc GROUP BY pid, account),
rows_ AS (
  SELECT p.typology, p.pid, x.rid, x.t, x.amount FROM pattern_tx p JOIN tx x ON x.rid = p.rid)
SELECT r.typology, r.pid,
  string_agg(a.account, ';' ORDER BY a.role, a.account) AS accounts,
  string_agg(a.role, ';' ORDER BY a.role, a.account) AS roles,
  r.rows_, r.n_transactions, r.amount_eur, r.first_ts, r.last_ts
FROM (SELECT typology, pid, string_agg(CAST(rid AS VARCHAR), ';' ORDER BY rid) AS rows_,
        count(*) AS n_transactions, round(sum(amount), 2) AS amount_eur,
        strftime(to_timestamp(min(t)), '%Y-%m-%d %H:%M') AS first_ts,
        strftime(to_timestamp(max(t)), '%Y-%m-%d %H:%M') AS last_ts, min(rid) AS r0
      FROM rows_ GROUP BY typology, pid HAVING max(rid) >= 0) r
JOIN accs a ON a.pid = r.pid
GROUP BY r.typology, r.pid, r.rows_, r.n_transactions, r.amount_eur, r.first_ts, r.last_ts, r.r0
ORDER BY r.typology, r.r0, r.pid
"""


def patterns_table(con: Any) -> Any:
    """One line per pattern (DuckDB: the report is made where the data is)."""
    import pyarrow as pa

    t = con.sql(PATTERNS_SQL).to_arrow_table()
    n = t.num_rows
    return pa.table(
        {
            "pattern": pa.array(range(1, n + 1), pa.int64()),
            "typology": t["typology"],
            "accounts": t["accounts"],
            "roles": t["roles"],
            "rows": t["rows_"],
            "n_transactions": t["n_transactions"],
            "amount_eur": t["amount_eur"],
            "first": t["first_ts"],
            "last": t["last_ts"],
        }
    )
