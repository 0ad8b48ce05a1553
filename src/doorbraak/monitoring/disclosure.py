"""Disclosure control for every figure that monitoring shows or exports (ADR 0006).

The unit of protection is one *grid*: the counts of one figure in one quarter, per finest area
unit (a wijk, or the part of a wijk inside a focus area) and per breakdown category. From a grid
the application publishes *aggregates*: an area (the city, a wijk, a focus area) times a category
or the category total. Each aggregate gets one status for every screen, report and export:

* ``<5``  a count of 1 to 4 (primary suppression);
* ``x``   hidden to protect another cell (secondary suppression);
* the value otherwise (0 included: an empty cell reveals no person).

Secondary suppression: τ-ARGUS (``pytauargus``, optimal method with HiGHS) chooses the pattern for
the wijk × category table with its margins; then an audit solves, for every sensitive quantity
(each ``<5`` aggregate and each finest unit holding 1 to 4, which differencing a wijk and its
focus area could expose), the linear programs that an attacker would solve from everything that
is published, knowing that ``<5`` means 1..4 and ``x`` means at least 5. Where the interval is
narrower than the protection level, more aggregates are hidden (smallest first) until none is.

Figures over a period are sums of quarters and are published only where every quarter in it is
published, so two periods (or a period and its quarters) together reveal nothing the quarters
do not. Rates are shown only on a published base of at least ``RATE_MIN_BASE``.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

log = logging.getLogger(__name__)

THRESHOLD = 5  # counts 1..THRESHOLD-1 are not shown
SMALL = f"<{THRESHOLD}"
HIDDEN = "x"
PROTECTION = 3  # an attacker's interval for a sensitive count must be at least this wide
RATE_MIN_BASE = 10
MAX_ROUNDS = 40  # rounds of the greedy extension before the safe fallback
LOOKAHEAD = 16  # moves tried per failing quantity and round, cheapest first
PER_ROUND = 4  # failing quantities (of different categories) given a move per round
TOTAL = "__total__"


@dataclass(frozen=True)
class Aggregate:
    """A published number: the sum of some finest cells."""

    key: tuple
    cells: frozenset
    is_margin: bool = False  # a total (over categories or over areas): hidden last


@dataclass
class Protected:
    values: dict  # aggregate key -> true value
    status: dict  # aggregate key -> "ok" | "small" | "hidden"

    def shown(self, key) -> str:
        st = self.status[key]
        if st == "small":
            return SMALL
        if st == "hidden":
            return HIDDEN
        return str(self.values[key])

    def published(self, key) -> bool:
        return self.status[key] == "ok"


@dataclass
class Grid:
    """Counts per finest cell (unit, category); the aggregates that may be published."""

    cells: dict  # (unit, category) -> int
    aggregates: list[Aggregate] = field(default_factory=list)
    # areas whose figures matter most (the focus areas): hidden after the other inner cells
    priority: frozenset = frozenset()

    def value(self, agg: Aggregate) -> int:
        return sum(self.cells.get(c, 0) for c in agg.cells)


def grid_for(
    cells: dict,
    units: Sequence,
    categories: Sequence,
    areas: dict,
    with_category_total: bool = True,
    priority: Iterable = (),
) -> Grid:
    """Build a grid. ``areas`` maps an area code to the set of units it consists of (the city
    to all units); every area × category, and area × total, is an aggregate."""
    g = Grid(
        cells={(u, c): int(cells.get((u, c), 0)) for u in units for c in categories},
        priority=frozenset(priority),
    )
    all_units = frozenset(units)
    for code, unit_set in areas.items():
        unit_set = frozenset(unit_set)
        for c in categories:
            g.aggregates.append(
                Aggregate(
                    (code, c),
                    frozenset((u, c) for u in unit_set),
                    is_margin=unit_set == all_units and len(areas) > 1,
                )
            )
        if with_category_total and len(categories) > 1:
            g.aggregates.append(
                Aggregate(
                    (code, TOTAL),
                    frozenset((u, c) for u in unit_set for c in categories),
                    is_margin=True,
                )
            )
    return g


# --- τ-ARGUS -----------------------------------------------------------------------------------


def _tau_argus_one(table: dict, rows: Sequence, cols: Sequence, total_row, total_col) -> set:
    """One τ-ARGUS run (in the worker process, whose working directory is a temporary one: the
    native solvers write their log files into the working directory)."""
    from pytauargus import protect

    cells = {(r, c): int(table.get((r, c), 0)) for r in rows for c in cols}
    if not any(0 < v < THRESHOLD for v in cells.values()):
        return set()
    names = {r: f"r{i}" for i, r in enumerate(rows)}
    col_names = {c: f"c{i}" for i, c in enumerate(cols)}
    micro = []
    for (r, c), v in cells.items():
        micro += [{"R": names[r], "C": col_names[c], "n": 1}] * v
    # τ-ARGUS's own margins are the city (row total) and the category total (column total)
    back_r = {v: k for k, v in names.items()} | {"Total": total_row}
    back_c = {v: k for k, v in col_names.items()} | {"Total": total_col}
    with tempfile.TemporaryDirectory(prefix="doorbraak-tau-") as wd:
        tables = [["R", "C"]] if len(cols) > 1 else [["R"]]
        res = protect(
            micro,
            tables=tables,
            response="n",
            safety_rules=f"FREQ({THRESHOLD},30)",
            suppress="OPT(1)",
            workdir=wd,
        )
        out = set()
        for row in res.tables[0].rows:
            if row["status"] not in ("U", "M"):
                continue
            r = back_r.get(row["R"])
            c = back_c.get(row["C"]) if len(cols) > 1 else cols[0]
            if r is not None and c is not None:
                out.add((r, c))
        return out


def tau_argus_patterns(jobs: list[tuple[dict, Sequence, Sequence]]) -> list[set | None]:
    """Secondary suppression by τ-ARGUS (optimal, HiGHS) of two-way frequency tables with both
    margins; per table the cells (row, col) to hide, primary ones included, with the city as row
    total "" and the category total as TOTAL. Runs in one worker process in a temporary
    directory. None per table when τ-ARGUS is not available or fails (the audit then does all
    of the work, and the failure is logged)."""
    todo = [
        i
        for i, (table, rows, cols) in enumerate(jobs)
        if any(0 < int(table.get((r, c), 0)) < THRESHOLD for r in rows for c in cols)
    ]
    out: list[set | None] = [set() for _j in jobs]
    if not todo:
        return out
    payload = json.dumps(
        [
            {
                "rows": list(jobs[i][1]),
                "cols": list(jobs[i][2]),
                "cells": [
                    [r, c, int(jobs[i][0].get((r, c), 0))] for r in jobs[i][1] for c in jobs[i][2]
                ],
            }
            for i in todo
        ]
    )
    try:
        with tempfile.TemporaryDirectory(prefix="doorbraak-tau-") as cwd:
            done = subprocess.run(  # noqa: S603 - our own module, no shell, no user input
                [sys.executable, "-m", "doorbraak.monitoring.tau_worker"],
                input=payload,
                capture_output=True,
                text=True,
                cwd=cwd,
                timeout=300,
                check=True,
            )
        results = json.loads(done.stdout)
    except Exception:  # noqa: BLE001 - the audit protects on its own; say why τ-ARGUS did not
        log.warning(
            "τ-ARGUS could not protect the tables; the audit suppresses alone", exc_info=True
        )
        for i in todo:
            out[i] = None
        return out
    for i, result in zip(todo, results, strict=True):
        out[i] = None if result is None else {(r, c) for r, c in result}
    return out


def tau_argus_pattern(table: dict, rows: Sequence, cols: Sequence) -> set | None:
    return tau_argus_patterns([(table, rows, cols)])[0]


# --- the attacker's linear programs -------------------------------------------------------------


def _hidden_floor(agg: Aggregate) -> int:
    """What an ``x`` tells a reader who knows the rules: an inner cell is hidden only when it
    holds at least THRESHOLD (else it would read ``<5``); a total (over categories or over
    areas) may also be hidden when it is itself small, to keep its small categories from being
    pinned (four categories of ``<5`` under a total of ``<5`` are each exactly 1): at least 1."""
    return 1 if agg.is_margin else THRESHOLD


def intervals(
    grid: Grid, status: dict, targets: Iterable[frozenset], extra: Iterable[tuple] = ()
) -> list[tuple[float, float]]:
    """For each target (a set of finest cells), the smallest and largest sum an attacker can
    derive from what is published: exact values, ``<5`` → 1..4, ``x`` → at least 5 (a total:
    at least 1, see _hidden_floor), every cell ≥ 0. ``extra`` adds published facts from
    elsewhere: (set of cells, lo, hi)."""
    keys = sorted(grid.cells, key=repr)
    index = {k: i for i, k in enumerate(keys)}
    facts = []
    for agg in grid.aggregates:
        v = grid.value(agg)
        st = status.get(agg.key, "ok")
        if st == "free":  # not published at all (the baseline below)
            continue
        if st == "ok":
            facts.append((agg.cells, v, v))
        elif st == "small":
            facts.append((agg.cells, 1, THRESHOLD - 1))
        else:
            facts.append((agg.cells, _hidden_floor(agg), None))
    facts += list(extra)
    return _bounds(
        len(keys),
        [({index[c] for c in cells}, lo, hi) for cells, lo, hi in facts],
        [{index[c] for c in t} for t in targets],
    )


_CAP = 1e6  # no count comes near it: a bound at the cap is no bound at all
_UNBOUNDED = _CAP / 10


def _bounds(n: int, facts: list, targets: list) -> list[tuple[float, float]]:
    """The minimum and maximum of each target sum subject to the facts, with scipy's public
    HiGHS interface (``linprog(method="highs")``). All targets in one block-diagonal program per
    direction: the blocks (one copy of the cells per target) are independent, so the optimum of
    their sum is each block at its own optimum, read back per block. Every cell is capped at
    _CAP so that the maximisation stays bounded; a maximum near the cap is reported as
    infinite."""
    from scipy.sparse import coo_matrix

    k = len(targets)
    if not k:
        return []
    rows_eq, rows_ub, b_eq, b_ub = [], [], [], []
    for cells, lo, hi in facts:
        idx = sorted(cells)
        if lo is not None and hi is not None and lo == hi:
            rows_eq.append((idx, 1.0))
            b_eq.append(float(lo))
            continue
        if hi is not None:
            rows_ub.append((idx, 1.0))
            b_ub.append(float(hi))
        if lo is not None:
            rows_ub.append((idx, -1.0))
            b_ub.append(-float(lo))

    def block_matrix(rows):
        r, c, v = [], [], []
        for t in range(k):
            for i, (idx, sign) in enumerate(rows):
                r += [t * len(rows) + i] * len(idx)
                c += [t * n + j for j in idx]
                v += [sign] * len(idx)
        return coo_matrix((v, (r, c)), shape=(k * len(rows), k * n)).tocsr()

    a_eq = block_matrix(rows_eq) if rows_eq else None
    a_ub = block_matrix(rows_ub) if rows_ub else None
    beq = np.tile(b_eq, k) if rows_eq else None
    bub = np.tile(b_ub, k) if rows_ub else None
    c = np.zeros(k * n)
    for t, idx in enumerate(targets):
        for j in idx:
            c[t * n + j] = 1.0
    out_lo, out_hi = [0.0] * k, [float("inf")] * k
    for sense in (1.0, -1.0):
        res = linprog(
            sense * c,
            A_eq=a_eq,
            b_eq=beq,
            A_ub=a_ub,
            b_ub=bub,
            bounds=(0, _CAP),
            method="highs",
        )
        if res.status != 0:  # the facts contradict each other: say so, assume nothing
            log.warning("disclosure audit: linear program status %s (%s)", res.status, res.message)
            continue
        x = res.x
        for t, idx in enumerate(targets):
            value = float(sum(x[t * n + j] for j in idx))
            if sense > 0:
                out_lo[t] = value
            else:
                out_hi[t] = float("inf") if value >= _UNBOUNDED else value
    return list(zip(out_lo, out_hi, strict=True))


def sensitive_targets(grid: Grid, status: dict) -> list[frozenset]:
    """What must stay uncertain: every aggregate holding 1..4 (shown ``<5``, or a small total
    hidden as ``x``), and every finest cell holding 1..4 (it is never published, but
    differencing two published areas could expose it)."""
    targets = [agg.cells for agg in grid.aggregates if 0 < grid.value(agg) < THRESHOLD]
    targets += [frozenset([c]) for c, v in grid.cells.items() if 0 < v < THRESHOLD]
    seen, out = set(), []
    for t in targets:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def baseline_status(grid: Grid, status: dict) -> dict:
    """What the small-count markers alone say: only the `<5` aggregates and the zeros published.
    (Three categories of 1 in an area of `<5` are each 1..2 whatever else is published: the
    protection asked of the rest of the publication cannot be more than this.)"""
    out = {}
    for agg in grid.aggregates:
        st = status.get(agg.key, "ok")
        out[agg.key] = st if st == "small" or grid.value(agg) == 0 else "free"
    return out


@dataclass(frozen=True)
class Failing:
    """A sensitive quantity left too narrow: its attacker interval, and whether the small-count
    markers alone already pin it (then only hiding a small total can help)."""

    target: frozenset
    lo: float
    hi: float
    pinned: bool = False
    asked: float = PROTECTION  # the width its interval must reach


def audit(grid: Grid, status: dict) -> list[Failing]:
    """The sensitive quantities whose attacker interval is narrower than PROTECTION, or than
    the small-count markers alone leave it where that is narrower — but never narrower than 1:
    no small count may be determined exactly, not even by the markers themselves (four
    categories of `<5` under an area total of `<5` are each exactly 1: that total is hidden)."""
    targets = sensitive_targets(grid, status)
    if not targets:
        return []
    bounds = intervals(grid, status, targets)
    narrow = [
        (t, lo, hi)
        for t, (lo, hi) in zip(targets, bounds, strict=True)
        if hi - lo < PROTECTION - 1e-6
    ]
    if not narrow:
        return []
    base = intervals(grid, baseline_status(grid, status), [t for t, _lo, _hi in narrow])
    out = []
    for (t, lo, hi), (blo, bhi) in zip(narrow, base, strict=True):
        asked = min(PROTECTION, max(bhi - blo, 1))
        if hi - lo < asked - 1e-6:
            out.append(Failing(t, lo, hi, pinned=bhi - blo < 1 - 1e-6, asked=asked))
    return out


def tau_table(grid: Grid, rows: Sequence, cols: Sequence) -> dict:
    values = {agg.key: grid.value(agg) for agg in grid.aggregates}
    return {(r, c): values.get((r, c), 0) for r in rows for c in cols}


def _candidates(grid: Grid, status: dict, values: dict, by_key: dict, fail: Failing, chosen):
    """What to hide for one failing quantity. Pinned by the markers: a small total that holds
    it (the category total of its area before the area total of its category). Otherwise the
    smallest published non-zero aggregate that shares a published sum with it (a cell in its
    row or column), inner cells before margins."""
    target = fail.target
    if fail.pinned:
        small_margins = [
            k
            for k, st in status.items()
            if st == "small"
            and by_key[k].is_margin
            and k not in chosen
            and by_key[k].cells & target
        ]
        small_margins.sort(key=lambda k: (k[1] != TOTAL, -len(by_key[k].cells), repr(k)))
        return small_margins
    related = set(target)
    for agg in grid.aggregates:
        if agg.cells & target:
            related |= agg.cells
    candidates = [
        k
        for k, st in status.items()
        if st == "ok" and values[k] > 0 and k not in chosen and by_key[k].cells & related
    ]
    # inner cells before totals, other areas before the priority ones, then the smallest
    last = grid.priority
    candidates.sort(key=lambda k: (by_key[k].is_margin, k[0] in last, values[k], repr(k)))
    return candidates


def _moves(key, status: dict, values: dict, by_key: dict) -> list[frozenset]:
    """What hiding one aggregate may take: the cell alone, or an inner cell together with its
    area's category total where that is published (else the total may give the cell back)."""
    area, category = key
    out = [frozenset([key])]
    if category != TOTAL and not by_key[key].is_margin:
        total = (area, TOTAL)
        if status.get(total) == "ok" and values.get(total, 0) > 0:
            out.append(frozenset([key, total]))
    return out


def _best_move(grid: Grid, status: dict, values: dict, by_key: dict, fail: Failing, chosen):
    """The cheapest move (in _candidates' order: inner cells before margins, small before
    large) that widens the failing quantity's interval to what is asked, tried on the attacker's
    linear program; else the one that widens it most; else the first (the old greedy step).
    Looking ahead stops the cascade in which cells are hidden that the published totals give
    straight back, until the fallback hides the whole grid."""
    candidates = _candidates(grid, status, values, by_key, fail, chosen)
    if not candidates:
        return None
    if fail.pinned:
        return frozenset([candidates[0]])
    moves: list[frozenset] = []
    for k in candidates:
        for move in _moves(k, status, values, by_key):
            if move not in moves:
                moves.append(move)
        if len(moves) >= LOOKAHEAD:
            break
    best, best_width = None, fail.hi - fail.lo
    for move in moves:
        trial = dict(status)
        for k in move:
            trial[k] = "hidden"
        (lo, hi) = intervals(grid, trial, [fail.target])[0]
        if hi - lo >= fail.asked - 1e-6:
            return move
        if hi - lo > best_width + 1e-6:
            best, best_width = move, hi - lo
    return best or moves[0]


def protect_grid(  # noqa: C901 - primary, τ-ARGUS pattern, greedy audit rounds, safe fallback
    grid: Grid, rows: Sequence = (), cols: Sequence = (), pattern: set | None = None
) -> Protected:
    """Primary suppression, τ-ARGUS's pattern on the (area rows × category) table given by
    ``rows``/``cols`` (aggregate keys (row, col)) unless ``pattern`` is given already (batched),
    then the audit with greedy extension."""
    values = {agg.key: grid.value(agg) for agg in grid.aggregates}
    status = {k: ("small" if 0 < v < THRESHOLD else "ok") for k, v in values.items()}
    if pattern is None and rows and cols:
        pattern = tau_argus_pattern(tau_table(grid, rows, cols), list(rows), list(cols))
    if pattern:
        for key in pattern:
            if status.get(key) == "ok" and values.get(key, 0) > 0:
                status[key] = "hidden"
    by_key = {agg.key: agg for agg in grid.aggregates}
    for _round in range(MAX_ROUNDS):
        failing = audit(grid, status)
        if not failing:
            return Protected(values=values, status=status)
        chosen: set = set()
        done_categories: set = set()
        for fail in failing:
            categories = {c for _u, c in fail.target}
            if categories & done_categories:
                continue  # a move for its column was just made: audit again first
            move = _best_move(grid, status, values, by_key, fail, chosen)
            if move:
                chosen |= move
                done_categories |= categories
                for k in move:
                    status[k] = "hidden"
            if len(done_categories) >= PER_ROUND:
                break
        if not chosen:
            break
    # Not settled in MAX_ROUNDS (or nothing left to choose): publish only what cannot give a
    # small count away — every aggregate that shares a cell with a small count is hidden, and
    # every small total.
    small_cells = set().union(*(t for t in sensitive_targets(grid, status)), set())
    for k, st in status.items():
        if st == "ok" and values[k] > 0 and by_key[k].cells & small_cells:
            status[k] = "hidden"
        elif st == "small" and by_key[k].is_margin:
            status[k] = "hidden"
    if audit(grid, status):
        for k, st in status.items():
            if st == "ok" and values[k] > 0:
                status[k] = "hidden"
    return Protected(values=values, status=status)


# --- rates and plain counts -------------------------------------------------------------------


def rate(part: int | None, whole: int | None, *, published: bool = True) -> str:
    """A percentage, only on a published base of at least RATE_MIN_BASE, and never where the
    part or the rest is a small count (the rate would give it away)."""
    if not published or part is None or whole is None or whole < RATE_MIN_BASE:
        return "—"
    if 0 < part < THRESHOLD or 0 < whole - part < THRESHOLD:
        return "—"
    return f"{round(100 * part / whole)}%"


def small(count: int | None) -> str:
    """Primary suppression alone, for a count published without margins."""
    if count is None:
        return ""
    if 0 < count < THRESHOLD:
        return SMALL
    return str(count)
