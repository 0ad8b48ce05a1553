"""Transaction and account features from the transaction graph, as portable SQL.

Input: `tx` (canonical columns, history included) plus the typology tables from
`typologies.detection_steps`. Output: `feat(rid, <FEATURES>)`, one line per transaction.

No feature grows with the length of the extract (issue 15, the train/score skew): counts per
account, pattern counts, pair counts and counterparty counts are rates per 30 days of the span
of the data, the other figures are ratios, means or bounded windows around the transaction; the
degree caps of the typologies are set per year and compared with the annualised degree. Sums are
of whole cents (and logs of millionths) in integers, so they do not depend on the order in which
an engine adds them: the same data gives bit-identical features, in training and through
`score --history`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Collection

from doorbraak_analysis.engine import Engine

from .config import FlowConfig
from .typologies import TYPOLOGIES, detection_steps

log = logging.getLogger(__name__)

DAY = 86400
GAP_CAP_HOURS = 168  # the gap to the previous event, at most a week
LOG_UNIT = 1_000_000

RAW_FEATURES = [
    "amount_log",
    "amount_paid_log",
    "fmt_code",
    "cur_code",
    "recv_cur_code",
    "cross_currency",
    "hour",
    "weekday",
    "same_bank",
    "round_100",
    "whole_units",
    "near_threshold",
]


def _col(typ: str) -> str:
    return "in_" + typ.replace("-", "_")


TYPOLOGY_FEATURES = [_col(t) for t in TYPOLOGIES]
ACC_FEATURES = [
    "out_rate",
    "in_rate",
    "out_cp_rate",
    "in_cp_rate",
    "out_mean_log",
    "in_mean_log",
    "in_out_balance",
    "active_share",
    "n_formats",
    "cash_share",
    "pat_any",
    "pat_core",
    "nb_out_in_cp",
    "nb_in_out_cp",
    "nb_pat_share",
]
EVENT_FEATURES = [
    "s_in_before_24h_ratio",
    "s_out_7d",
    "s_in_7d",
    "s_n_1d",
    "s_gap_prev_h",
    "d_out_after_24h_ratio",
    "d_out_7d",
    "d_in_7d",
    "d_n_1d",
    "d_gap_prev_h",
]
# the event-window figures of a transaction's source (its out-event) and destination (in-event)
EV_S = ["in_before_24h", "out_7d", "in_7d", "n_1d", "gap_prev_h"]
EV_D = ["out_after_24h", "out_7d", "in_7d", "n_1d", "gap_prev_h"]
PAIR_FEATURES = ["pair_n", "pair_rev_n", "pair_share_of_src_out"]
GRAPH_FEATURES = (
    TYPOLOGY_FEATURES
    + [f"s_{f}" for f in ACC_FEATURES]
    + [f"d_{f}" for f in ACC_FEATURES]
    + EVENT_FEATURES
    + PAIR_FEATURES
)
CORE = [
    "cycle",
    "scatter-gather",
    "gather-scatter",
    "bipartite",
    "stacked-bipartite",
    "structuring",
    "pass-through",
]


def _case(col: str, vocab: list[str]) -> str:
    if not vocab:
        return "-1"
    whens = " ".join(
        f"WHEN '{v.replace(chr(39), chr(39) * 2)}' THEN {i}" for i, v in enumerate(vocab)
    )
    return f"CASE {col} {whens} ELSE -1 END"


# The categorical values seen in training, per column group ("fmt", "cur"), in code order.
Vocabulary = dict[str, list[str]]


def raw_feature_sql(vocab: Vocabulary) -> str:
    """Features of the transaction alone (the baseline's whole input)."""
    thr = 10000.0
    return f"""
        SELECT rid,
          ln(1 + amount) AS amount_log, ln(1 + amount_paid) AS amount_paid_log,
          {_case("fmt", vocab.get("fmt", []))} AS fmt_code,
          {_case("pay_cur", vocab.get("cur", []))} AS cur_code,
          {_case("recv_cur", vocab.get("cur", []))} AS recv_cur_code,
          CASE WHEN pay_cur <> recv_cur THEN 1 ELSE 0 END AS cross_currency,
          CAST(floor((t - CAST(floor(t / {DAY}) AS BIGINT) * {DAY}) / 3600) AS BIGINT) AS hour,
          (CAST(floor(t / {DAY}) AS BIGINT) + 4) - CAST(floor((CAST(floor(t / {DAY}) AS BIGINT) + 4) / 7) AS BIGINT) * 7 AS weekday,
          CASE WHEN src_bank = dst_bank THEN 1 ELSE 0 END AS same_bank,
          CASE WHEN amount_paid = floor(amount_paid / 100) * 100 THEN 1 ELSE 0 END AS round_100,
          CASE WHEN amount_paid = floor(amount_paid) THEN 1 ELSE 0 END AS whole_units,
          CASE WHEN amount >= {thr * 0.9} AND amount < {thr} THEN 1 ELSE 0 END AS near_threshold
        FROM tx"""


def feature_steps(
    cfg: FlowConfig, vocab: Vocabulary, *, with_graph: bool = True
) -> list[tuple[str, str]]:
    steps = [("fraw", raw_feature_sql(vocab))]
    if not with_graph:
        steps.append(("feat", "SELECT * FROM fraw"))
        return steps
    steps += detection_steps(cfg, annualise_degree=True)
    cents = "CAST(round(amount * 100) AS BIGINT)"
    logs = f"CAST(round(ln(1 + amount) * {LOG_UNIT}) AS BIGINT)"
    per30 = f"(greatest((SELECT max(t) - min(t) FROM tx), {DAY}) / {30 * DAY})"
    typ_cols = ",\n".join(
        f"CAST(sum(CASE WHEN typology = '{t}' THEN 1 ELSE 0 END) AS BIGINT) AS {_col(t)}"
        for t in TYPOLOGIES
    )
    core = ", ".join(f"'{t}'" for t in CORE)
    steps += [
        ("ftyp", f"SELECT rid, {typ_cols} FROM pattern_tx GROUP BY rid"),
        (
            "apat",
            f"""
            SELECT account, count(DISTINCT pid) / {per30} AS pat_any,
                   count(DISTINCT CASE WHEN typology IN ({core}) THEN pid END) / {per30} AS pat_core
            FROM pattern_acc GROUP BY account""",
        ),
        (
            "acc0",
            f"""
            SELECT account,
              sum(n_out) / {per30} AS out_rate, sum(n_in) / {per30} AS in_rate,
              sum(n_out) AS out_n,
              sum(s_out_log) / {LOG_UNIT} / greatest(sum(n_out), 1) AS out_mean_log,
              sum(s_in_log) / {LOG_UNIT} / greatest(sum(n_in), 1) AS in_mean_log,
              CAST(sum(s_in) - sum(s_out) AS DOUBLE) / greatest(sum(s_in) + sum(s_out), 100) AS in_out_balance,
              (max(t) - min(t)) / (greatest((SELECT max(t) - min(t) FROM tx), {DAY})) AS active_share,
              count(DISTINCT fmt) AS n_formats,
              sum(is_cash) / count(*) AS cash_share
            FROM (
              SELECT src AS account, t, fmt, 1 AS n_out, 0 AS n_in, {cents} AS s_out, CAST(0 AS BIGINT) AS s_in,
                     {logs} AS s_out_log, CAST(0 AS BIGINT) AS s_in_log, CASE WHEN fmt = 'Cash' THEN 1 ELSE 0 END AS is_cash FROM tx
              UNION ALL
              SELECT dst AS account, t, fmt, 0 AS n_out, 1 AS n_in, CAST(0 AS BIGINT) AS s_out, {cents} AS s_in,
                     CAST(0 AS BIGINT) AS s_out_log, {logs} AS s_in_log, CASE WHEN fmt = 'Cash' THEN 1 ELSE 0 END AS is_cash FROM tx) u
            GROUP BY account""",
        ),
        ("pairs", "SELECT src, dst, count(*) AS n FROM tx GROUP BY src, dst"),
        (
            "acc1",
            f"""
            SELECT a.*, coalesce(o.out_cp, 0) / {per30} AS out_cp_rate, coalesce(i.in_cp, 0) / {per30} AS in_cp_rate,
                   coalesce(p.pat_any, 0) AS pat_any, coalesce(p.pat_core, 0) AS pat_core,
                   coalesce(o.out_cp, 0) AS out_cp, coalesce(i.in_cp, 0) AS in_cp
            FROM acc0 a
            LEFT JOIN (SELECT src, count(*) AS out_cp FROM pairs GROUP BY src) o ON o.src = a.account
            LEFT JOIN (SELECT dst, count(*) AS in_cp FROM pairs GROUP BY dst) i ON i.dst = a.account
            LEFT JOIN apat p ON p.account = a.account""",
        ),
        # counterparties' features: what kind of accounts does this account deal with
        (
            "acc",
            f"""
            SELECT a.*, coalesce(no.nb_out_in_cp, 0) AS nb_out_in_cp, coalesce(ni.nb_in_out_cp, 0) AS nb_in_out_cp,
                   coalesce(np.nb_pat_share, 0) AS nb_pat_share
            FROM acc1 a
            LEFT JOIN (SELECT p.src AS account, avg(c.in_cp) / {per30} AS nb_out_in_cp FROM pairs p
                       JOIN acc1 c ON c.account = p.dst GROUP BY p.src) no ON no.account = a.account
            LEFT JOIN (SELECT p.dst AS account, avg(c.out_cp) / {per30} AS nb_in_out_cp FROM pairs p
                       JOIN acc1 c ON c.account = p.src GROUP BY p.dst) ni ON ni.account = a.account
            LEFT JOIN (SELECT account, avg(CASE WHEN cp_core > 0 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) AS nb_pat_share FROM (
                         SELECT p.src AS account, c.pat_core AS cp_core FROM pairs p JOIN acc1 c ON c.account = p.dst
                         UNION ALL
                         SELECT p.dst AS account, c.pat_core AS cp_core FROM pairs p JOIN acc1 c ON c.account = p.src) u
                       GROUP BY account) np ON np.account = a.account""",
        ),
        # event windows per account (ev: one in-event and one out-event per transaction)
        (
            "evw",
            f"""
            SELECT account, rid, is_out,
              sum(CAST(round(in_amt * 100) AS BIGINT)) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN {DAY} PRECEDING AND CURRENT ROW) AS in_before_24h,
              sum(CAST(round(out_amt * 100) AS BIGINT)) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN CURRENT ROW AND {DAY} FOLLOWING) AS out_after_24h,
              CAST(sum(is_out) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN {7 * DAY} PRECEDING AND {7 * DAY} FOLLOWING) AS BIGINT) AS out_7d,
              CAST(sum(1 - is_out) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN {7 * DAY} PRECEDING AND {7 * DAY} FOLLOWING) AS BIGINT) AS in_7d,
              count(*) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN {DAY} PRECEDING AND {DAY} FOLLOWING) AS n_1d,
              coalesce((t - max(t) OVER (PARTITION BY account ORDER BY t RANGE BETWEEN {GAP_CAP_HOURS * 3600} PRECEDING AND 1 PRECEDING)) / 3600, {GAP_CAP_HOURS}) AS gap_prev_h
            FROM ev""",
        ),
        # the transaction's two events side by side, one line per rid (each transaction has
        # exactly one out-event, of its src, and one in-event, of its dst)
        (
            "fev",
            f"""
            SELECT rid,
              {", ".join(f"max(CASE WHEN is_out = 1 THEN {c} END) AS s_{c}" for c in EV_S)},
              {", ".join(f"max(CASE WHEN is_out = 0 THEN {c} END) AS d_{c}" for c in EV_D)}
            FROM evw GROUP BY rid""",
        ),
        # `feat` is joined in three steps of few joins each: one query joining all nine
        # tables made DuckDB hold several big hash tables at once, beyond its memory limit
        (
            "fx1",
            f"""
            SELECT x.rid, x.src, x.dst, x.amount, {", ".join("r." + f for f in RAW_FEATURES)},
              {", ".join(f"coalesce(ft.{c}, 0) AS {c}" for c in TYPOLOGY_FEATURES)}
            FROM tx x
            JOIN fraw r ON r.rid = x.rid
            LEFT JOIN ftyp ft ON ft.rid = x.rid""",
        ),
        (
            "fx2",
            f"""
            SELECT x.*, {", ".join(f"e.s_{c}" for c in EV_S)}, {", ".join(f"e.d_{c}" for c in EV_D)}
            FROM fx1 x JOIN fev e ON e.rid = x.rid""",
        ),
        (
            "feat",
            f"""
            SELECT x.rid, {", ".join("x." + f for f in RAW_FEATURES)},
              {", ".join(f"x.{c}" for c in TYPOLOGY_FEATURES)},
              {", ".join(f"s.{f} AS s_{f}" for f in ACC_FEATURES)},
              {", ".join(f"d.{f} AS d_{f}" for f in ACC_FEATURES)},
              x.s_in_before_24h / greatest(x.amount * 100, 1) AS s_in_before_24h_ratio,
              x.s_out_7d, x.s_in_7d, x.s_n_1d, x.s_gap_prev_h,
              x.d_out_after_24h / greatest(x.amount * 100, 1) AS d_out_after_24h_ratio,
              x.d_out_7d, x.d_in_7d, x.d_n_1d, x.d_gap_prev_h,
              pr.n / {per30} AS pair_n, coalesce(rv.n, 0) / {per30} AS pair_rev_n, pr.n / greatest(s.out_n, 1) AS pair_share_of_src_out
            FROM fx2 x
            JOIN acc s ON s.account = x.src
            JOIN acc d ON d.account = x.dst
            JOIN pairs pr ON pr.src = x.src AND pr.dst = x.dst
            LEFT JOIN pairs rv ON rv.src = x.dst AND rv.dst = x.src""",
        ),
    ]
    return steps


def feature_names(with_graph: bool = True) -> list[str]:
    return RAW_FEATURES + (GRAPH_FEATURES if with_graph else [])


def _peak_rss_gb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def last_uses(steps: list[tuple[str, str]], keep: Collection[str]) -> dict[int, list[str]]:
    """Per step index, the tables made by earlier steps (or this one) that no later step
    reads and that are not in `keep`: they can be dropped once that step is done. A name
    counts as read where it occurs as a word in a later step's SQL (a column of the same
    name keeps a table a little longer, never too short)."""
    last: dict[str, int] = {}
    for i, (name, _sql) in enumerate(steps):
        last[name] = i
    for name in last:
        word = re.compile(rf"\b{re.escape(name)}\b")
        for j, (_other, sql) in enumerate(steps):
            if word.search(sql):
                last[name] = max(last[name], j)
    drops: dict[int, list[str]] = {}
    for name, i in last.items():
        if name not in keep:
            drops.setdefault(i, []).append(name)
    return drops


def build_features(
    engine: Engine,
    cfg: FlowConfig,
    vocab: Vocabulary,
    *,
    with_graph: bool = True,
    drop_intermediate: bool = False,
) -> None:
    """Materialise `feat` in the engine (tx registered beforehand). `drop_intermediate`:
    drop each intermediate table as soon as the last step that reads it is done (only `tx`
    and `feat` remain), so they do not hold memory or disk while the rest is built."""
    steps = feature_steps(cfg, vocab, with_graph=with_graph)
    drops = last_uses(steps, keep={"tx", "feat"}) if drop_intermediate else {}
    for i, (name, sql) in enumerate(steps):
        started = time.perf_counter()
        engine.create(name, sql)
        for done in drops.get(i, []):
            engine.drop(done)
        log.debug(
            "feature step %s: %.1fs, peak RSS %.2f GB",
            name,
            time.perf_counter() - started,
            _peak_rss_gb(),
        )
