"""Each laundering typology is found in a small hand-made graph and not in its near-miss."""

from __future__ import annotations

import pyarrow as pa
import pytest

from doorbraak_analysis.moneyflows.config import FlowConfig
from doorbraak_analysis.moneyflows.engine import DuckDBEngine
from doorbraak_analysis.moneyflows.io import CANONICAL_SCHEMA
from doorbraak_analysis.moneyflows.typologies import run_detection

T0 = 1_672_531_200  # 2023-01-01


def tx_table(edges) -> pa.Table:
    """edges: (src, dst, hour, amount) in euro; row = position in the list."""
    n = len(edges)
    return pa.table(
        {
            "rid": list(range(n)),
            "t": [T0 + int(h * 3600) for _, _, h, _ in edges],
            "src": [e[0] for e in edges],
            "dst": [e[1] for e in edges],
            "src_bank": ["1"] * n,
            "dst_bank": ["1"] * n,
            "amount_paid": [float(e[3]) for e in edges],
            "pay_cur": ["Euro"] * n,
            "amount_received": [float(e[3]) for e in edges],
            "recv_cur": ["Euro"] * n,
            "fmt": ["ACH"] * n,
            "amount": [float(e[3]) for e in edges],
            "label": pa.nulls(n, pa.int32()),
        },
        schema=CANONICAL_SCHEMA,
    )


def _run(edges, settings) -> dict[str, list[tuple[frozenset, dict]]]:
    engine = DuckDBEngine(threads=1)
    engine.register("tx", tx_table(edges))
    run_detection(engine, FlowConfig(**dict(settings)))
    found: dict = {}
    rows = engine.con.sql(
        "SELECT typology, pid, list(rid ORDER BY rid) FROM pattern_tx GROUP BY 1, 2"
    ).fetchall()
    roles = engine.con.sql(
        "SELECT pid, account, min(role) FROM pattern_acc GROUP BY 1, 2"
    ).fetchall()
    by_pid: dict = {}
    for pid, acc, role in roles:
        by_pid.setdefault(pid, {})[acc] = role
    for typ, pid, rids in rows:
        found.setdefault(typ, []).append((frozenset(rids), by_pid.get(pid, {})))
    return found


# Every scenario registered with `detect` in this module is run in ONE detection over the
# union of all graphs (accounts prefixed per scenario, so graphs cannot touch): the rules
# are evaluated once instead of once per test, and each test sees only its own graph.
_REGISTERED: dict[tuple, list] = {}
_CACHE: dict[tuple, dict] = {}


def detect(edges, **settings) -> dict[str, list[tuple[frozenset, dict]]]:
    key = tuple(sorted(settings.items()))
    batch = _REGISTERED.setdefault(key, [])
    scenario = tuple(edges)
    if scenario not in batch:
        batch.append(scenario)
        _CACHE.pop(key, None)
    if key not in _CACHE:
        union, offsets = [], []
        for i, sc in enumerate(batch):
            offsets.append(len(union))
            union += [(f"g{i}|{a}", f"g{i}|{b}", h + i * 24 * 90, x) for a, b, h, x in sc]
        _CACHE[key] = (_run(union, key), offsets)
    found_all, offsets = _CACHE[key]
    i = batch.index(scenario)
    prefix, lo, hi = f"g{i}|", offsets[i], offsets[i] + len(scenario)
    found: dict = {}
    for typ, patterns in found_all.items():
        for rows, roles in patterns:
            if min(rows) >= lo and max(rows) < hi:
                found.setdefault(typ, []).append(
                    (
                        frozenset(r - lo for r in rows),
                        {a[len(prefix) :]: r for a, r in roles.items()},
                    )
                )
    return found


def fan_out(n, spacing_h=1.0, amount=900):
    return [("A", f"B{i}", 1 + i * spacing_h, amount) for i in range(n)]


def test_fan_out_found_with_roles():
    found = detect(fan_out(5))
    [(rows, roles)] = found["fan-out"]
    assert rows == frozenset(range(5))
    assert roles["A"] == "source" and roles["B3"] == "recipient"


@pytest.mark.parametrize(
    "edges",
    [fan_out(4), fan_out(5, spacing_h=120)],
    ids=["four-recipients", "spread-over-three-weeks"],
)
def test_fan_out_near_miss(edges):
    assert "fan-out" not in detect(edges)


def test_fan_in_found_and_near_miss():
    edges = [(f"S{i}", "H", 1 + i, 700) for i in range(6)]
    [(rows, roles)] = detect(edges)["fan-in"]
    assert rows == frozenset(range(6)) and roles["H"] == "collector"
    assert "fan-in" not in detect(edges[:4])


def test_fan_window_is_configurable():
    edges = fan_out(5, spacing_h=120)
    assert "fan-out" in detect(edges, fan_window_hours=24 * 60)
    assert "fan-out" not in detect(fan_out(5), fan_min_counterparties=6)


def gather_then_scatter(first_in=True):
    ins = [(f"S{i}", "H", 1 + i, 1000) for i in range(5)]
    outs = [("H", f"R{i}", 30 + i, 950) for i in range(5)]
    if not first_in:
        ins = [(a, b, h + 40, x) for a, b, h, x in ins]
    return ins + outs


def test_gather_scatter_found():
    found = detect(gather_then_scatter())
    [(rows, roles)] = found["gather-scatter"]
    assert rows == frozenset(range(10))
    assert roles["H"] == "hub" and roles["S0"] == "sender" and roles["R4"] == "recipient"


def test_gather_scatter_near_miss_scatter_before_gather():
    found = detect(gather_then_scatter(first_in=False))
    assert "fan-in" in found and "fan-out" in found
    assert "gather-scatter" not in found


def scatter_gather(n_mid=3, second_leg_h=10):
    first = [("A", f"M{i}", 1 + i, 1000) for i in range(n_mid)]
    second = [(f"M{i}", "B", second_leg_h + i, 950) for i in range(n_mid)]
    return first + second


def test_scatter_gather_found():
    [(rows, roles)] = detect(scatter_gather())["scatter-gather"]
    assert rows == frozenset(range(6))
    assert roles == {
        "A": "origin",
        "M0": "intermediary",
        "M1": "intermediary",
        "M2": "intermediary",
        "B": "destination",
    }


@pytest.mark.parametrize(
    "edges",
    [scatter_gather(n_mid=2), scatter_gather(second_leg_h=-20)],
    ids=["two-intermediaries", "gather-before-scatter"],
)
def test_scatter_gather_near_miss(edges):
    assert "scatter-gather" not in detect(edges)


def cycle(n, spacing_h=5.0, decay=0.95):
    nodes = [f"C{i}" for i in range(n)]
    return [(nodes[i], nodes[(i + 1) % n], 1 + i * spacing_h, 1000 * decay**i) for i in range(n)]


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_cycle_found(n):
    [(rows, roles)] = detect(cycle(n))["cycle"]
    assert rows == frozenset(range(n)) and set(roles.values()) == {"member"} and len(roles) == n


def _shuffled_times(edges):
    # the closing hop happens first: money cannot have gone round
    (a, b, h, x), *rest = edges
    return rest + [(a, b, h + 100, x)]


@pytest.mark.parametrize(
    "edges",
    [
        cycle(7),
        cycle(4, spacing_h=100),
        cycle(3, decay=3.0),
        _shuffled_times(cycle(3)),
        [("C0", "C1", 1, 1000), ("C1", "C2", 2, 990), ("C2", "C3", 3, 980)],
    ],
    ids=["length-7", "beyond-window", "amount-grows", "out-of-time-order", "open-chain"],
)
def test_cycle_near_miss(edges):
    assert "cycle" not in detect(edges)


def test_cycle_length_configurable():
    assert "cycle" in detect(cycle(4), cycle_max_length=4)
    assert "cycle" not in detect(cycle(4), cycle_max_length=3)
    assert "cycle" not in detect(cycle(2), cycle_min_length=3)


def bipartite(drop_one=False):
    edges = [
        (s, d, 1 + i, 2000)
        for i, (s, d) in enumerate(
            [("S1", "D1"), ("S1", "D2"), ("S2", "D1"), ("S2", "D2"), ("S3", "D1"), ("S3", "D2")]
        )
    ]
    return edges[:3] + edges[5:] if drop_one else edges


def test_bipartite_found():
    [(rows, roles)] = detect(bipartite())["bipartite"]
    assert rows == frozenset(range(6))
    assert roles == {
        "S1": "sender",
        "S2": "sender",
        "S3": "sender",
        "D1": "receiver",
        "D2": "receiver",
    }


def test_bipartite_near_miss_missing_links():
    # S1->D1, S1->D2, S2->D1, S3->D2: no two receivers share two senders
    assert "bipartite" not in detect(bipartite(drop_one=True)[:3] + [("S3", "D2", 9, 2000)])


def stacked(reverse=False):
    first = [
        (s, m, 1 + i, 3000)
        for i, (s, m) in enumerate([("S1", "M1"), ("S1", "M2"), ("S2", "M1"), ("S2", "M2")])
    ]
    second = [
        (m, d, 30 + i, 2800)
        for i, (m, d) in enumerate([("M1", "D1"), ("M1", "D2"), ("M2", "D1"), ("M2", "D2")])
    ]
    if reverse:
        first = [(a, b, h + 60, x) for a, b, h, x in first]
    return first + second


def test_stacked_bipartite_found():
    found = detect(stacked())
    [(rows, roles)] = found["stacked-bipartite"]
    assert rows == frozenset(range(8))
    assert roles["S1"] == "layer-1" and roles["M2"] == "layer-2" and roles["D1"] == "layer-3"
    assert len(found["bipartite"]) == 2


def test_stacked_bipartite_near_miss_wrong_order():
    found = detect(stacked(reverse=True))
    assert len(found["bipartite"]) == 2 and "stacked-bipartite" not in found


def test_structuring_found():
    edges = [("A", "B", 1, 9500), ("A", "C", 20, 9400), ("A", "B", 50, 9800)]
    [(rows, roles)] = detect(edges)["structuring"]
    assert rows == frozenset(range(3)) and roles["A"] == "structurer"


@pytest.mark.parametrize(
    "edges",
    [
        [("A", "B", 1, 9500), ("A", "C", 20, 9400)],
        [("A", "B", 1, 10500), ("A", "C", 20, 10400), ("A", "B", 50, 10800)],
        [("A", "B", 1, 5500), ("A", "C", 20, 5400), ("A", "B", 50, 5800)],
        [("A", "B", 1, 9500), ("A", "C", 300, 9400), ("A", "B", 600, 9800)],
    ],
    ids=["only-two", "above-threshold", "far-below", "spread-out"],
)
def test_structuring_near_miss(edges):
    assert "structuring" not in detect(edges)


def test_structuring_threshold_configurable():
    edges = [("A", "B", 1, 14500), ("A", "C", 20, 14400), ("A", "B", 50, 14800)]
    assert "structuring" in detect(edges, reporting_threshold=15000)


def test_pass_through_found():
    edges = [("A", "M", 1, 5000), ("M", "C", 5, 4800)]
    [(rows, roles)] = detect(edges)["pass-through"]
    assert rows == frozenset({0, 1})
    assert roles == {"A": "sender", "M": "pass-through", "C": "recipient"}


@pytest.mark.parametrize(
    "edges",
    [
        [("A", "M", 1, 5000), ("M", "C", 40, 4800)],
        [("A", "M", 1, 5000), ("M", "C", 5, 2000)],
        [("A", "M", 1, 500), ("M", "C", 5, 480)],
        [("M", "C", 1, 4800), ("A", "M", 5, 5000)],
    ],
    ids=["too-slow", "most-money-stays", "small-amount", "out-before-in"],
)
def test_pass_through_near_miss(edges):
    assert "pass-through" not in detect(edges)


def test_pass_through_hours_configurable():
    edges = [("A", "M", 1, 5000), ("M", "C", 40, 4800)]
    assert "pass-through" in detect(edges, passthrough_hours=48)


def test_everyday_payments_make_no_layering_patterns():
    # a shop with customers and a payroll: fan-in/fan-out, but no layering typology
    edges = [(f"P{i}", "SHOP", i * 3, 40) for i in range(30)]
    edges += [("EMPLOYER", f"P{i}", 200, 2500) for i in range(8)]
    found = detect(edges)
    assert "fan-in" in found and "fan-out" in found
    assert not set(found) & {
        "cycle",
        "scatter-gather",
        "bipartite",
        "stacked-bipartite",
        "structuring",
    }


ALL_SCENARIOS = [
    fan_out(5),
    fan_out(4),
    fan_out(5, spacing_h=120),
    gather_then_scatter(),
    gather_then_scatter(False),
    scatter_gather(),
    scatter_gather(2),
    scatter_gather(second_leg_h=-20),
    *[cycle(n) for n in range(2, 8)],
    cycle(4, spacing_h=100),
    cycle(3, decay=3.0),
    bipartite(),
    stacked(),
    stacked(reverse=True),
]


@pytest.fixture(autouse=True, scope="module")
def _register_all_scenarios():
    # register everything first, so the default-settings detection runs once for the module
    for sc in ALL_SCENARIOS:
        _REGISTERED.setdefault((), [])
        if tuple(sc) not in _REGISTERED[()]:
            _REGISTERED[()].append(tuple(sc))
    _CACHE.clear()
