"""Deterministic synthetic AMLworld-like transactions for a slice of Utrecht, with planted,
labelled laundering of every typology.

Real AMLworld data (Altman et al. 2023) cannot be downloaded in this environment, so this
generator stands in for it. It is built to be *not* trivially separable: laundering amounts
and payment formats overlap with normal business payments, front businesses and money mules
also trade normally, normal life has its own fan-in (shops), fan-out (payroll), 2-cycles
(refunds), pass-through (savings sweeps) and amounts just under 10,000 (cars), and part of
the laundering is stretched beyond the detection windows or is a lone transfer.

Every name and number is synthetic; accounts are pseudonyms `bank:account`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .io import AMLWORLD_HEADER

WIJKEN = [
    "West",
    "Noordwest",
    "Overvecht",
    "Noordoost",
    "Oost",
    "Binnenstad",
    "Zuid",
    "Zuidwest",
    "Leidsche Rijn",
    "Vleuten-De Meern",
]
WIJK_WEIGHTS = np.array([0.09, 0.10, 0.10, 0.08, 0.08, 0.06, 0.08, 0.10, 0.22, 0.09])

# SBI code -> (share of businesses, is retail/consumer-facing, launderer's preference)
SECTORS = {
    "4711": (0.06, True, 0.3),  # supermarkets
    "4719": (0.05, True, 1.5),  # mini-markets / general stores
    "5610": (0.12, True, 2.0),  # restaurants, takeaways
    "5630": (0.06, True, 2.0),  # cafés, bars
    "9602": (0.06, True, 2.5),  # hairdressers, barbershops
    "9604": (0.03, True, 2.0),  # wellness, massage
    "4511": (0.03, True, 3.0),  # car dealers
    "4777": (0.02, True, 2.5),  # jewellers
    "4730": (0.02, True, 1.0),  # petrol stations
    "6820": (0.07, False, 2.0),  # letting of real estate
    "4120": (0.08, False, 1.5),  # construction
    "4941": (0.06, False, 1.5),  # road transport
    "4639": (0.05, False, 1.0),  # food wholesale
    "7022": (0.08, False, 1.0),  # business consultancy
    "6201": (0.08, False, 0.2),  # software
    "8621": (0.05, True, 0.2),  # general practitioners
    "8510": (0.03, False, 0.1),  # education
    "6419": (0.05, False, 0.5),  # banking / payment institutions
}
FORMATS = ["ACH", "Credit Card", "Cash", "Cheque", "Wire", "Bitcoin", "Reinvestment"]
CURRENCIES = ["Euro", "US Dollar", "UK Pound", "Swiss Franc", "Yuan", "Ruble", "Bitcoin"]
EUR_PER = np.array([1.0, 0.92, 1.15, 1.03, 0.13, 0.011, 27000.0])
TYPOLOGIES = [
    "fan-out",
    "fan-in",
    "gather-scatter",
    "scatter-gather",
    "cycle",
    "bipartite",
    "stacked-bipartite",
    "structuring",
    "pass-through",
    "lone",
]
HOUR, DAY = 3600, 86400


@dataclass
class _World:
    rng: np.random.Generator
    n_acc: int
    is_biz: np.ndarray
    persons: np.ndarray
    businesses: np.ndarray
    mules: np.ndarray
    fronts: np.ndarray
    t0: int
    span: int
    landlords: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass(frozen=True)
class BankWorld:
    """Who banks where, for a generator run shaped like a particular city (the demo's Utrecht):
    the areas accounts belong to, the sector mix of businesses per area, which sectors front
    businesses are drawn from (a launderer's preference per SBI code) and the share of fronts.
    Without one, `generate` uses the generic world above (ten wijken, SECTORS)."""

    areas: tuple[str, ...]
    person_weights: tuple[float, ...]
    business_weights: tuple[float, ...]
    sector_mix: dict[str, dict[str, float]]  # area -> {sbi: weight} of the businesses there
    retail: frozenset[str]  # consumer-facing SBI codes (shops, horeca, personal services)
    preference: dict[str, float]  # sbi -> launderer's preference for a front (1 = none)
    focus: frozenset[str] = frozenset()  # areas where fronts are more likely (focus_tilt x)
    focus_tilt: float = 1.6
    front_share: float = 0.06  # of business accounts
    mule_share: float = 0.015  # of private accounts
    landlord_sbi: tuple[str, ...] = ("6820",)


def _pick(
    rng: np.random.Generator, pool: np.ndarray, k: int, p: np.ndarray | None = None
) -> np.ndarray:
    return rng.choice(pool, size=k, replace=False, p=p)


def _times(rng: np.random.Generator, n: int, t0: int, span: int) -> np.ndarray:
    """Day uniform over the period, hour of day weighted to business hours."""
    day = rng.integers(0, span // DAY, n)
    hour_w = np.array(
        [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 14, 15, 14, 14, 13, 13, 12, 10, 8, 6, 4, 3, 2], float
    )
    hour = rng.choice(24, n, p=hour_w / hour_w.sum())
    return t0 + day * DAY + hour * HOUR + rng.integers(0, 60, n) * 60


# One block of transactions: source and target accounts, times, amounts, payment formats.
_Block = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _normal(
    w: _World,
    n: int,
    biz_pop: np.ndarray,
    person_act: np.ndarray,
    employer: np.ndarray,
    suppliers: np.ndarray,
    contacts: np.ndarray,
) -> list[_Block]:
    rng = w.rng
    parts: list[_Block] = []
    p_act = person_act / person_act.sum()
    b_pop = biz_pop / biz_pop.sum()
    shares = {
        "purchase": 0.44,
        "salary": 0.08,
        "b2b": 0.2,
        "p2p": 0.17,
        "rent": 0.05,
        "refund": 0.01,
        "sweep": 0.02,
        "bigbuy": 0.01,
        "cash": 0.02,
    }
    counts = {k: int(v * n) for k, v in shares.items()}
    counts["purchase"] += n - sum(counts.values())

    def add(
        src: np.ndarray, dst: np.ndarray, t: np.ndarray, amt: np.ndarray, fmt: np.ndarray
    ) -> None:
        parts.append((src, dst, t, amt, fmt))

    def fmts(k: int, probs: list[float]) -> np.ndarray:
        return rng.choice(len(FORMATS), k, p=np.array(probs) / sum(probs))

    k = counts["purchase"]  # consumers at shops: legit fan-in
    src = w.persons[rng.choice(len(w.persons), k, p=p_act)]
    dst = w.businesses[rng.choice(len(w.businesses), k, p=b_pop)]
    add(
        src,
        dst,
        _times(rng, k, w.t0, w.span),
        rng.lognormal(3.4, 1.1, k),
        fmts(k, [15, 50, 15, 3, 12, 1, 0]),
    )

    k = counts["salary"]  # payroll on the 25th: legit fan-out
    employed = w.persons[employer[w.persons] >= 0]
    pers = employed[rng.integers(0, len(employed), k)]
    month = rng.integers(0, 12, k)
    t = (
        w.t0
        + (month * 30 + 24) * DAY
        + 9 * HOUR
        + (employer[pers] % 50) * 60
        + rng.integers(0, 2, k) * DAY
    )
    base = 1500 + (pers * 7919 % 4000)
    add(employer[pers], pers, t, base * rng.normal(1, 0.02, k), fmts(k, [95, 0, 0, 2, 3, 0, 0]))

    k = counts["b2b"]  # businesses paying regular suppliers
    payer = w.businesses[rng.choice(len(w.businesses), k, p=b_pop)]
    payee = suppliers[payer, rng.integers(0, suppliers.shape[1], k)]
    add(
        payer,
        payee,
        _times(rng, k, w.t0, w.span),
        rng.lognormal(7.2, 1.3, k),
        fmts(k, [45, 3, 8, 14, 25, 1, 4]),
    )

    k = counts["p2p"]
    a = w.persons[rng.choice(len(w.persons), k, p=p_act)]
    b = contacts[a, rng.integers(0, contacts.shape[1], k)]
    add(
        a,
        b,
        _times(rng, k, w.t0, w.span),
        rng.lognormal(4.3, 1.2, k),
        fmts(k, [55, 15, 10, 2, 15, 3, 0]),
    )

    k = counts["rent"]  # rent to landlords (SBI 6820)
    landlords = w.businesses[np.isin(w.businesses, w.landlords)]
    a = w.persons[rng.integers(0, len(w.persons), k)]
    b = landlords[a % len(landlords)]
    month = rng.integers(0, 12, k)
    t = w.t0 + (month * 30 + 26 + rng.integers(0, 4, k)) * DAY + rng.integers(7, 22, k) * HOUR
    add(a, b, t, 600 + (a * 31 % 900) * rng.normal(1, 0.01, k), fmts(k, [90, 0, 2, 3, 5, 0, 0]))

    # refunds: shop pays a customer back within days -> legit 2-cycles
    k = counts["refund"]
    i = rng.integers(0, counts["purchase"], k)
    s0, d0, t0_, a0, _ = parts[0]
    add(
        d0[i],
        s0[i],
        t0_[i] + rng.integers(HOUR, 5 * DAY, k),
        a0[i],
        fmts(k, [40, 50, 5, 0, 5, 0, 0]),
    )

    # savings sweeps: most of the salary moved on within hours -> legit pass-through
    k = counts["sweep"]
    s1, d1, t1, a1, _ = parts[1]
    i = rng.integers(0, len(s1), k)
    add(
        d1[i],
        contacts[d1[i], 0],
        t1[i] + rng.integers(HOUR, 20 * HOUR, k),
        a1[i] * rng.uniform(0.8, 0.97, k),
        fmts(k, [90, 0, 0, 0, 10, 0, 0]),
    )

    # big purchases (cars, kitchens): some just under 10,000, paid by persons to businesses
    k = counts["bigbuy"]
    a = w.persons[rng.integers(0, len(w.persons), k)]
    b = w.businesses[rng.integers(0, len(w.businesses), k)]
    add(
        a,
        b,
        _times(rng, k, w.t0, w.span),
        rng.uniform(4000, 16000, k),
        fmts(k, [40, 5, 15, 10, 30, 0, 0]),
    )

    # cash-heavy businesses moving takings to their own other account / wholesaler
    k = counts["cash"]
    a = w.businesses[rng.choice(len(w.businesses), k, p=b_pop)]
    b = suppliers[a, 0]
    add(
        a,
        b,
        _times(rng, k, w.t0, w.span),
        rng.lognormal(8.0, 0.8, k),
        fmts(k, [40, 0, 45, 5, 10, 0, 0]),
    )
    return parts


def _laundering(  # noqa: C901 - one branch per planted typology
    w: _World, n_target: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Planted patterns; returns arrays and the typology name per transaction."""
    rng = w.rng
    src, dst, ts, amt, fmt, typ = [], [], [], [], [], []
    laund_fmt = np.array([38, 5, 20, 12, 20, 4, 1], float)
    laund_fmt /= laund_fmt.sum()
    pool = np.concatenate([w.mules, w.fronts])

    def tx(a: int, b: int, t: int, x: float, name: str) -> None:
        src.append(a)
        dst.append(b)
        ts.append(t)
        amt.append(x)
        fmt.append(rng.choice(len(FORMATS), p=laund_fmt))
        typ.append(name)

    def stretch() -> float:
        # a fifth of the patterns are slower than the default windows: not caught by rules
        return rng.uniform(2.5, 5.0) if rng.random() < 0.2 else 1.0

    weights = np.array([12, 12, 8, 8, 12, 7, 5, 8, 14, 14], float)
    while len(src) < n_target:
        name = TYPOLOGIES[rng.choice(len(TYPOLOGIES), p=weights / weights.sum())]
        start = w.t0 + int(rng.integers(0, w.span - 30 * DAY))
        x = float(rng.lognormal(8.3, 0.9))
        s = stretch()
        if name in ("fan-out", "fan-in"):
            k = int(rng.integers(5, 13))
            hub, *others = _pick(rng, pool, k + 1)
            for o in others:
                t = start + int(rng.uniform(0, 3.5 * DAY * s))
                a, b = (hub, o) if name == "fan-out" else (o, hub)
                tx(a, b, t, x / k * rng.uniform(0.7, 1.3), name)
        elif name == "gather-scatter":
            k1, k2 = int(rng.integers(5, 9)), int(rng.integers(5, 9))
            hub, *others = _pick(rng, pool, k1 + k2 + 1)
            for o in others[:k1]:
                tx(
                    o,
                    hub,
                    start + int(rng.uniform(0, 2 * DAY * s)),
                    x / k1 * rng.uniform(0.7, 1.3),
                    name,
                )
            for o in others[k1:]:
                tx(
                    hub,
                    o,
                    start + int((2 * DAY + rng.uniform(0, 2 * DAY)) * s),
                    x / k2 * rng.uniform(0.6, 1.1),
                    name,
                )
        elif name == "scatter-gather":
            m = int(rng.integers(3, 7))
            a, b, *mid = _pick(rng, pool, m + 2)
            for mm in mid:
                t1 = start + int(rng.uniform(0, 2 * DAY * s))
                part = x / m * rng.uniform(0.8, 1.2)
                tx(a, mm, t1, part, name)
                tx(
                    mm,
                    b,
                    t1 + int(rng.uniform(HOUR, 3 * DAY * s)),
                    part * rng.uniform(0.9, 0.99),
                    name,
                )
        elif name == "cycle":
            n = int(rng.integers(2, 7))
            members = _pick(rng, pool, n)
            t, y = start, x
            for i in range(n):
                tx(members[i], members[(i + 1) % n], t, y, name)
                t += int(rng.uniform(2 * HOUR, 40 * HOUR) * s)
                y *= rng.uniform(0.9, 0.99)
        elif name in ("bipartite", "stacked-bipartite"):
            layers = 2 if name == "bipartite" else 3
            sizes = [int(rng.integers(2, 5)) for _ in range(layers)]
            members = _pick(rng, pool, sum(sizes))
            groups = np.split(members, np.cumsum(sizes)[:-1])
            for li in range(layers - 1):
                for a in groups[li]:
                    for b in groups[li + 1]:
                        t = start + int((li * 2 * DAY + rng.uniform(0, 2 * DAY)) * s)
                        tx(a, b, t, x / (sizes[li] * sizes[li + 1]) * rng.uniform(0.8, 1.2), name)
        elif name == "structuring":
            k = int(rng.integers(3, 9))
            a = rng.choice(pool)
            targets = _pick(rng, pool[pool != a], int(rng.integers(1, 4)))
            for _ in range(k):
                t = start + int(rng.uniform(0, 6 * DAY * s))
                tx(a, rng.choice(targets), t, rng.uniform(9000, 9990), name)
        elif name == "pass-through":
            hops = int(rng.integers(2, 4))
            chain = _pick(rng, pool, hops + 1)
            t, y = start, x
            for i in range(hops):
                tx(chain[i], chain[i + 1], t, y, name)
                t += int(rng.uniform(0.5 * HOUR, 20 * HOUR) * s)
                y *= rng.uniform(0.85, 0.99)
        else:  # lone transfer from a launderer to a front: no pattern at all
            a, b = _pick(rng, pool, 2)
            tx(a, b, start, x * rng.uniform(0.2, 1.0), name)
    return (
        np.array(src),
        np.array(dst),
        np.array(ts, dtype=np.int64),
        np.array(amt),
        np.array(fmt),
        np.array(typ),
    )


def _write_plain(table: pa.Table, path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def generate(
    n_transactions: int = 1_000_000,
    seed: int = 7,
    out_dir: str | Path = ".",
    *,
    laundering_rate: float = 0.003,
    start: str = "2023-01-01",
    days: int = 365,
    name: str = "transactions",
    world: BankWorld | None = None,
) -> dict[str, Path]:
    """Write `<name>.csv` (AMLworld format, labelled) and `<name>_accounts.csv`; return paths.

    The data covers `days` days from `start`. `world` shapes the accounts after a city (see
    BankWorld); without it the generic world is used. Same arguments give byte-identical files.
    """
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_acc = max(300, n_transactions // 20)
    is_biz = rng.random(n_acc) < 0.18
    persons, businesses = np.flatnonzero(~is_biz), np.flatnonzero(is_biz)
    if world is None:
        area_names = WIJKEN
        codes = list(SECTORS)
        share = np.array([SECTORS[c][0] for c in codes])
        share /= share.sum()
        sector_idx = np.full(n_acc, -1)
        sector_idx[businesses] = rng.choice(len(codes), len(businesses), p=share)
        area = rng.choice(len(WIJKEN), n_acc, p=WIJK_WEIGHTS / WIJK_WEIGHTS.sum())
        # launderers: mules among persons, front businesses tilted to cash-intensive sectors and
        # to the two focus areas of the approach (Overvecht business park, Amsterdamsestraatweg)
        pref = np.array([SECTORS[c][2] for c in codes])[sector_idx[businesses]]
        pref = pref * np.where(np.isin(area[businesses], [1, 2]), 1.6, 1.0)
        n_fronts = max(8, int(0.06 * len(businesses)))
        fronts = rng.choice(businesses, n_fronts, replace=False, p=pref / pref.sum())
        mules = rng.choice(persons, max(12, int(0.015 * len(persons))), replace=False)
        landlord_codes = ["6820"]
        retail_codes = {c for c in codes if SECTORS[c][1]}
    else:
        area_names = list(world.areas)
        codes = sorted({c for mix in world.sector_mix.values() for c in mix})
        area = np.zeros(n_acc, np.int64)
        pw = np.array(world.person_weights, float)
        bw = np.array(world.business_weights, float)
        area[persons] = rng.choice(len(area_names), len(persons), p=pw / pw.sum())
        area[businesses] = rng.choice(len(area_names), len(businesses), p=bw / bw.sum())
        sector_idx = np.full(n_acc, -1)
        for ai, a in enumerate(area_names):  # the sector mix of the businesses in each area
            here = businesses[area[businesses] == ai]
            mix = np.array([world.sector_mix.get(a, {}).get(c, 0.0) for c in codes], float)
            if len(here) and mix.sum() > 0:
                sector_idx[here] = rng.choice(len(codes), len(here), p=mix / mix.sum())
            elif len(here):
                sector_idx[here] = rng.integers(0, len(codes), len(here))
        focus = np.isin(np.array(area_names)[area[businesses]], list(world.focus))
        pref = np.array([world.preference.get(c, 1.0) for c in codes])[sector_idx[businesses]]
        pref = pref * np.where(focus, world.focus_tilt, 1.0)
        n_fronts = max(8, int(world.front_share * len(businesses)))
        fronts = rng.choice(businesses, n_fronts, replace=False, p=pref / pref.sum())
        mules = rng.choice(persons, max(12, int(world.mule_share * len(persons))), replace=False)
        landlord_codes = [c for c in world.landlord_sbi if c in codes]
        retail_codes = set(world.retail)
    t0 = int(np.datetime64(start, "s").astype(np.int64))
    w = _World(rng, n_acc, is_biz, persons, businesses, mules, fronts, t0, days * DAY)
    w.landlords = businesses[
        np.isin(sector_idx[businesses], [codes.index(c) for c in landlord_codes])
    ]
    if len(w.landlords) == 0:
        w.landlords = businesses[:1]

    retail = np.array([c in retail_codes for c in codes])[np.maximum(sector_idx, 0)]
    biz_pop = rng.lognormal(0, 1.2, n_acc)[businesses] * np.where(retail[businesses], 3.0, 0.5)
    person_act = rng.lognormal(0, 0.8, len(persons))
    employer = np.full(n_acc, -1)
    emp = rng.random(n_acc) < 0.6
    # payroll concentrated on a few large employers (Zipf)
    emp_w = rng.pareto(1.2, len(businesses)) + 0.01
    employer[emp & ~is_biz] = rng.choice(
        businesses, int((emp & ~is_biz).sum()), p=emp_w / emp_w.sum()
    )
    suppliers = rng.choice(businesses, (n_acc, 6))
    contacts = rng.choice(persons, (n_acc, 5))

    n_laund = int(round(n_transactions * laundering_rate))
    ls, ld, lt, la, lf, ltyp = _laundering(w, n_laund)
    parts = _normal(w, n_transactions - len(ls), biz_pop, person_act, employer, suppliers, contacts)
    src = np.concatenate([p[0] for p in parts] + [ls]).astype(np.int64)
    dst = np.concatenate([p[1] for p in parts] + [ld]).astype(np.int64)
    ts = np.concatenate([p[2] for p in parts] + [lt]).astype(np.int64)
    amount = np.concatenate([p[3] for p in parts] + [la]).astype(float)
    fmt = np.concatenate([p[4] for p in parts] + [lf]).astype(np.int64)
    label = np.concatenate([np.zeros(len(src) - len(ls), np.int8), np.ones(len(ls), np.int8)])
    # self-transfers by accident of sampling: redirect to the next account
    same = src == dst
    dst[same] = (dst[same] + 1) % n_acc
    ts = np.minimum(ts, t0 + days * DAY - 60)
    ts = ts - ts % 60  # AMLworld has minute resolution

    # currency: mostly euro; wires and bitcoin sometimes foreign, sometimes cross-currency
    cur = np.zeros(len(src), np.int64)
    wire = fmt == FORMATS.index("Wire")
    cur[wire] = rng.choice(6, int(wire.sum()), p=[0.75, 0.1, 0.08, 0.04, 0.02, 0.01])
    cur[fmt == FORMATS.index("Bitcoin")] = 6
    rcur = cur.copy()
    cross = wire & (rng.random(len(src)) < 0.2)
    rcur[cross] = rng.choice(6, int(cross.sum()))
    amount = np.round(np.maximum(amount, 0.01), 2)
    paid = np.where(
        cur == 6, np.round(amount / EUR_PER[cur], 6), np.round(amount / EUR_PER[cur], 2)
    )
    received = np.where(
        rcur == 6, np.round(amount / EUR_PER[rcur], 6), np.round(amount / EUR_PER[rcur], 2)
    )

    order = np.lexsort((dst, src, ts))
    banks = np.array(
        [
            f"{b:03d}" if b < 100 else str(b)
            for b in rng.choice([1, 10, 12, 20, 70, 211, 1120, 3208, 11, 119], 10, replace=False)
        ]
    )
    acc_bank = rng.choice(
        len(banks), n_acc, p=[0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.03, 0.02, 0.02]
    )
    acc_code = np.char.mod(
        "%09X", rng.choice(np.arange(0x800000000, 0x800000000 + 50 * n_acc), n_acc, replace=False)
    )

    def col(values: np.ndarray) -> Any:
        return pa.array(values[order])

    ts_arr = pa.array(ts[order].astype("datetime64[s]"))
    table = pa.table(
        {
            "Timestamp": pc.strftime(ts_arr, "%Y/%m/%d %H:%M"),
            "From Bank": col(banks[acc_bank[src]]),
            "Account": col(acc_code[src]),
            "To Bank": col(banks[acc_bank[dst]]),
            "Account2": col(acc_code[dst]),
            "Amount Received": col(received),
            "Receiving Currency": col(np.array(CURRENCIES)[rcur]),
            "Amount Paid": col(paid),
            "Payment Currency": col(np.array(CURRENCIES)[cur]),
            "Payment Format": col(np.array(FORMATS)[fmt]),
            "Is Laundering": col(label),
        }
    )
    tx_path = out_dir / f"{name}.csv"
    with open(tx_path, "wb") as fh:
        fh.write((",".join(AMLWORLD_HEADER) + "\n").encode())
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))

    sbi = np.where(sector_idx >= 0, np.array(codes)[np.maximum(sector_idx, 0)], "")
    accounts = pa.table(
        {
            "account": pa.array(np.char.add(np.char.add(banks[acc_bank], ":"), acc_code)),
            "sbi": pa.array(sbi),
            "area": pa.array(np.array(area_names)[area]),
        }
    )
    acc_path = out_dir / f"{name}_accounts.csv"
    _write_plain(accounts, acc_path)
    # the typology of each planted laundering transaction, for per-typology recall
    truth = pa.table(
        {
            "row": pa.array(np.flatnonzero(label[order] == 1)),
            "typology": pa.array(
                np.concatenate([np.full(len(label) - len(ls), ""), ltyp])[order][label[order] == 1]
            ),
        }
    )
    truth_path = out_dir / f"{name}_truth.csv"
    _write_plain(truth, truth_path)
    return {"transactions": tx_path, "accounts": acc_path, "truth": truth_path}
