"""Disclosure control: counts 1..4 hidden, secondary suppression so that no hidden count can be
recovered from the published totals, from areas that contain each other, or from two periods.
The recovery attempts are an attacker's linear programs over everything that is published."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from doorbraak.monitoring import disclosure as dc

UNITS = [
    ("west", ""),
    ("oost", ""),
    ("overvecht", ""),
    ("overvecht", "nieuw_overvecht"),
    ("zuid", ""),
]
AREAS = {
    "": set(UNITS),
    "west": {("west", "")},
    "oost": {("oost", "")},
    "overvecht": {("overvecht", ""), ("overvecht", "nieuw_overvecht")},
    "nieuw_overvecht": {("overvecht", "nieuw_overvecht")},
    "zuid": {("zuid", "")},
}
CATS = ["a", "b", "c"]


def _protect(cells):
    grid = dc.grid_for(cells, UNITS, CATS, AREAS)
    return grid, dc.protect_grid(grid, rows=["west", "oost", "overvecht", "zuid"], cols=CATS)


def _attack(published: list[tuple[dict, str]], target: dict) -> tuple[float, float]:
    """Independent of the module: variables are the finest cells; every published number is a
    constraint (exact value; `<5` → 1..4; `x` → ≥5, or ≥1 on a total). Returns min and max of
    the target sum."""
    keys = sorted({k for coeffs, *_rest in published for k in coeffs} | set(target), key=repr)
    idx = {k: i for i, k in enumerate(keys)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for coeffs, shown, *margin in published:
        r = np.zeros(len(keys))
        for k in coeffs:
            r[idx[k]] = 1
        if shown == dc.SMALL:
            a_ub += [r, -r]
            b_ub += [4, -1]
        elif shown == dc.HIDDEN:
            # an inner `x` is at least 5; a hidden total may be small (it hides to keep its
            # small categories from being pinned): at least 1
            a_ub.append(-r)
            b_ub.append(-1 if margin and margin[0] else -5)
        else:
            a_eq.append(r)
            b_eq.append(int(shown))
    c = np.zeros(len(keys))
    for k in target:
        c[idx[k]] = 1
    kw = dict(
        A_eq=np.array(a_eq) if a_eq else None,
        b_eq=b_eq or None,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=b_ub or None,
        bounds=[(0, None)] * len(keys),
        method="highs",
    )
    lo, hi = linprog(c, **kw), linprog(-c, **kw)
    assert lo.status == 0
    return lo.fun, (-hi.fun if hi.status == 0 else float("inf"))


def _published(grid, prot, tag=""):
    out = []
    for agg in grid.aggregates:
        out.append(({(tag, *k) for k in agg.cells}, prot.shown(agg.key), agg.is_margin))
    return out


def _required(published, target) -> float:
    """The width asked: PROTECTION, or what the `<5` markers and zeros alone leave if less."""
    markers = [(cells, shown) for cells, shown, *_m in published if shown in (dc.SMALL, "0")]
    lo, hi = _attack(markers, target)
    return min(dc.PROTECTION, max(hi - lo, 1))  # never exact, not even by the markers


def _sensitive(grid, tag=""):
    return [{(tag, *k)} for k, v in grid.cells.items() if 0 < v < dc.THRESHOLD]


def test_small_counts_show_as_less_than_five_and_zero_as_zero():
    cells = {(("west", ""), "a"): 3, (("oost", ""), "a"): 0, (("zuid", ""), "b"): 12}
    grid, prot = _protect(cells)
    assert prot.shown(("west", "a")) == "<5"
    assert prot.shown(("oost", "a")) == "0"
    assert prot.shown(("zuid", "b")) in ("12", "x")


def test_a_single_small_cell_gets_a_partner_in_its_row_and_column():
    cells = {(u, c): 20 + i for i, (u, c) in enumerate((u, c) for u in UNITS for c in CATS)}
    cells[(("west", ""), "b")] = 2
    grid, prot = _protect(cells)
    hidden = [k for k, s in prot.status.items() if s == "hidden"]
    assert prot.status[("west", "b")] == "small"
    assert any(k[0] == "west" for k in hidden), "another cell of west is hidden"
    assert any(k[1] == "b" and k[0] != "" for k in hidden), "another wijk in column b is hidden"
    lo, hi = _attack(_published(grid, prot), {("", ("west", ""), "b")})
    assert hi - lo >= dc.PROTECTION


@pytest.mark.parametrize("seed", range(12))
def test_no_small_count_can_be_recovered_from_the_published_totals(seed):
    rnd = random.Random(seed)
    cells = {(u, c): rnd.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 25, 40]) for u in UNITS for c in CATS}
    grid, prot = _protect(cells)
    published = _published(grid, prot)
    # what is shown is the truth where it is shown
    for agg in grid.aggregates:
        if prot.status[agg.key] == "ok":
            assert prot.shown(agg.key) == str(grid.value(agg))
        else:
            assert prot.shown(agg.key) in ("<5", "x")
    for target in _sensitive(grid):
        lo, hi = _attack(published, target)
        assert hi - lo >= _required(published, target) - 1e-6, (target, lo, hi)
        assert hi - lo >= 1 - 1e-6, "never determined exactly"
    for agg in grid.aggregates:
        if 0 < grid.value(agg) < dc.THRESHOLD:  # shown `<5`, or a small total hidden as `x`
            target = {("", *k) for k in agg.cells}
            lo, hi = _attack(published, target)
            assert hi - lo >= _required(published, target) - 1e-6, (agg.key, lo, hi)


CATS4 = ["a", "b", "c", "d"]


def _protect4(cells):
    grid = dc.grid_for(cells, UNITS, CATS4, AREAS)
    return grid, dc.protect_grid(grid, rows=["west", "oost", "overvecht", "zuid"], cols=CATS4)


def _assert_nothing_exact(grid, prot):
    published = _published(grid, prot)
    for target in _sensitive(grid):
        lo, hi = _attack(published, target)
        assert hi - lo >= 1 - 1e-6, ("determined exactly", target, lo, hi)
        assert hi - lo >= _required(published, target) - 1e-6, (target, lo, hi)
    for agg in grid.aggregates:
        if 0 < grid.value(agg) < dc.THRESHOLD:
            lo, hi = _attack(published, {("", *k) for k in agg.cells})
            assert hi - lo >= 1 - 1e-6, ("determined exactly", agg.key, lo, hi)


def test_a_row_of_small_categories_under_a_small_total_pins_no_cell():
    """West: four categories of 1 and a total of 4. Shown as `<5` four times under a `<5`
    total, each would be exactly 1 (four counts of at least 1 that add up to at most 4)."""
    cells = {(u, c): 20 + i for i, (u, c) in enumerate((u, c) for u in UNITS for c in CATS4)}
    for c in CATS4:
        cells[(("west", ""), c)] = 1
    grid, prot = _protect4(cells)
    # the markers alone would pin each: prove the attack works on the old publication
    old = [
        (cells_, "<5" if 0 < grid.value(agg) < 5 else str(grid.value(agg)))
        for agg, cells_ in ((a, {("", *k) for k in a.cells}) for a in grid.aggregates)
        if agg.key[0] == "west"
    ]
    lo, hi = _attack(old, {("", ("west", ""), "a")})
    assert hi - lo < 1e-6, "the old publication pinned the cell at 1"
    assert all(prot.status[("west", c)] == "small" for c in CATS4)
    assert prot.status[("west", dc.TOTAL)] == "hidden", "the small total is hidden"
    assert prot.shown(("west", dc.TOTAL)) == dc.HIDDEN
    _assert_nothing_exact(grid, prot)


def test_a_column_of_small_areas_under_a_small_city_total_pins_no_cell():
    """Category a: 1 in each of four wijken, 4 in the city: each wijk's `<5` would be 1."""
    cells = {(u, c): 20 + i for i, (u, c) in enumerate((u, c) for u in UNITS for c in CATS4)}
    for u in UNITS:
        cells[(u, "a")] = 0 if u[1] else 1
    grid, prot = _protect4(cells)
    assert prot.status[("", "a")] == "hidden"
    _assert_nothing_exact(grid, prot)


@pytest.mark.parametrize("seed", range(8))
def test_random_sparse_grids_with_many_categories_pin_nothing(seed):
    rnd = random.Random(100 + seed)
    cells = {(u, c): rnd.choice([0, 0, 0, 1, 1, 2, 3, 7, 12]) for u in UNITS for c in CATS4}
    grid, prot = _protect4(cells)
    for agg in grid.aggregates:
        if prot.status[agg.key] == "ok":
            assert prot.shown(agg.key) == str(grid.value(agg))
    _assert_nothing_exact(grid, prot)


def test_intervals_use_the_public_linprog_interface():
    """No private scipy module: the audit runs on scipy.optimize.linprog(method="highs")."""
    import inspect

    source = inspect.getsource(dc)
    assert "_highspy" not in source and "_core" not in source
    cells = {(("west", ""), "a"): 2, (("oost", ""), "a"): 7}
    grid = dc.grid_for(cells, UNITS, ["a"], AREAS)
    status = {agg.key: "ok" for agg in grid.aggregates}
    status[("west", "a")] = "small"
    status[("oost", "a")] = "hidden"
    status[("", "a")] = "hidden"
    (lo, hi), (lo2, hi2) = dc.intervals(
        grid, status, [frozenset({(("west", ""), "a")}), frozenset({(("oost", ""), "a")})]
    )
    assert (round(lo), round(hi)) == (1, 4)
    assert round(lo2) == 5 and hi2 == float("inf")


def test_a_focus_area_and_its_wijk_do_not_give_away_the_rest_of_the_wijk():
    """Overvecht 30 and Nieuw Overvecht 28 would say that 2 live in the rest of Overvecht."""
    cells = {(u, c): 30 for u in UNITS for c in CATS}
    cells[(("overvecht", ""), "a")] = 2
    cells[(("overvecht", "nieuw_overvecht"), "a")] = 28
    grid, prot = _protect(cells)
    lo, hi = _attack(_published(grid, prot), {("", ("overvecht", ""), "a")})
    assert hi - lo >= dc.PROTECTION


def test_two_periods_together_reveal_no_hidden_quarter():
    """A period is the sum of its quarters and is published only where every quarter is: the
    reports for Q1-Q2, Q2 and Q1 together with every quarter's own table recover nothing."""
    rnd = random.Random(7)
    grids = []
    for _q in range(3):
        cells = {(u, c): rnd.choice([0, 2, 3, 6, 11, 17, 30]) for u in UNITS for c in CATS}
        grid, prot = _protect(cells)
        grids.append((grid, prot))
    published = []
    for q, (grid, prot) in enumerate(grids):
        published += _published(grid, prot, tag=q)
    # periods: every range of quarters, for every aggregate
    for start in range(3):
        for end in range(start + 1, 3):
            for agg in grids[0][0].aggregates:
                statuses = [grids[q][1].status[agg.key] for q in range(start, end + 1)]
                total = sum(grids[q][0].value(agg) for q in range(start, end + 1))
                shown = str(total) if all(s == "ok" for s in statuses) else "x"
                if shown == "x" and 0 < total < 5:
                    shown = "<5"
                published.append(
                    ({(q, *k) for q in range(start, end + 1) for k in agg.cells}, shown)
                )
    for q, (grid, _prot) in enumerate(grids):
        for target in _sensitive(grid, tag=q):
            lo, hi = _attack(published, target)
            assert hi - lo >= _required(published, target) - 1e-6, (q, target, lo, hi)


def test_tau_argus_chooses_the_secondary_pattern():
    table = {("r1", "c1"): 12, ("r1", "c2"): 3, ("r1", "c3"): 20, ("r2", "c1"): 15}
    table |= {("r2", "c2"): 9, ("r2", "c3"): 11, ("r3", "c1"): 7, ("r3", "c2"): 30}
    table |= {("r3", "c3"): 8}
    pattern = dc.tau_argus_pattern(table, ["r1", "r2", "r3"], ["c1", "c2", "c3"])
    assert pattern is not None, "pytauargus runs"
    assert ("r1", "c2") in pattern and len(pattern) >= 4


def test_rates_need_a_base_of_ten_and_no_small_part():
    assert dc.rate(6, 9) == "—"
    assert dc.rate(6, 12) == "50%"
    assert dc.rate(3, 20) == "—"
    assert dc.rate(17, 20) == "—"  # the rest (3) would be given away
    assert dc.rate(10, 20, published=False) == "—"


CITY_UNITS = [
    ("noordwest", ""),
    ("noordwest", "amsterdamsestraatweg"),
    ("overvecht", ""),
    ("overvecht", "nieuw_overvecht"),
    ("zuidwest", ""),
    ("leidsche_rijn", ""),
    ("oost", ""),
    ("west", ""),
    ("zuid", ""),
]
CITY_AREAS = {
    "": set(CITY_UNITS),
    "amsterdamsestraatweg": {("noordwest", "amsterdamsestraatweg")},
    "nieuw_overvecht": {("overvecht", "nieuw_overvecht")},
    **{w: {u for u in CITY_UNITS if u[0] == w} for w, _a in CITY_UNITS},
}


def test_a_few_people_scattered_over_other_wijken_hide_little_and_never_the_city():
    """The demo's people in the approach at a quarter's end: 315, of whom 1, 2, 2 and 1 live
    in four wijken far from the focus areas. Their sum follows from the city and the other
    wijken; hiding one large wijk cell with its total protects them. The greedy step without
    looking ahead hid cells that the totals gave straight back, until the whole grid was `x`."""
    values = {
        ("noordwest", ""): (40, 7),
        ("noordwest", "amsterdamsestraatweg"): (67, 7),
        ("overvecht", ""): (46, 10),
        ("overvecht", "nieuw_overvecht"): (63, 0),
        ("zuidwest", ""): (61, 8),
        ("leidsche_rijn", ""): (1, 0),
        ("oost", ""): (2, 0),
        ("west", ""): (1, 0),
        ("zuid", ""): (2, 0),
    }
    cats = ["individual", "family"]
    cells = {(u, c): v[i] for u, v in values.items() for i, c in enumerate(cats)}
    grid = dc.grid_for(cells, CITY_UNITS, cats, CITY_AREAS)
    wijken = ["noordwest", "overvecht", "zuidwest", "leidsche_rijn", "oost", "west", "zuid"]
    prot = dc.protect_grid(grid, rows=wijken, cols=cats)
    for key in [("", "individual"), ("", "family"), ("", dc.TOTAL)]:
        assert prot.status[key] == "ok", key  # the city's own figures stay published
    hidden = [k for k, s in prot.status.items() if s == "hidden"]
    assert len(hidden) <= 4, hidden
    _assert_nothing_exact(grid, prot)
    published = _published(grid, prot)
    for target in _sensitive(grid):
        lo, hi = _attack(published, target)
        assert hi - lo >= _required(published, target) - 1e-6, (target, lo, hi)


def test_a_focus_area_total_stays_published_when_a_cell_alone_protects():
    """The demo's new cases of one quarter: two families among twelve cases on the
    Amsterdamsestraatweg. Hiding the individual cases alone protects the families (`<5`); the
    focus area's total stays published, where hiding each cell together with its area's total
    lost the focus area's trend."""
    values = {
        ("noordwest", ""): (8, 2),
        ("noordwest", "amsterdamsestraatweg"): (10, 2),
        ("overvecht", ""): (13, 1),
        ("overvecht", "nieuw_overvecht"): (13, 0),
        ("zuidwest", ""): (9, 1),
        ("leidsche_rijn", ""): (0, 0),
        ("oost", ""): (1, 0),
        ("west", ""): (0, 0),
        ("zuid", ""): (0, 0),
    }
    cats = ["individual", "family"]
    cells = {(u, c): v[i] for u, v in values.items() for i, c in enumerate(cats)}
    grid = dc.grid_for(
        cells, CITY_UNITS, cats, CITY_AREAS, priority=("amsterdamsestraatweg", "nieuw_overvecht")
    )
    wijken = ["noordwest", "overvecht", "zuidwest", "leidsche_rijn", "oost", "west", "zuid"]
    prot = dc.protect_grid(grid, rows=wijken, cols=cats)
    for key in [("amsterdamsestraatweg", dc.TOTAL), ("nieuw_overvecht", dc.TOTAL)]:
        assert prot.status[key] == "ok", key
    for key in [("", "individual"), ("", "family"), ("", dc.TOTAL)]:
        assert prot.status[key] == "ok", key
    _assert_nothing_exact(grid, prot)
    published = _published(grid, prot)
    for target in _sensitive(grid):
        lo, hi = _attack(published, target)
        assert hi - lo >= _required(published, target) - 1e-6, (target, lo, hi)
