"""The demo city's bank-partner data: a year of synthetic transactions up to the day the demo is
built, shaped after the demo city, with planted and labelled laundering; analysed as the bank
would (compute-to-data), so that only sector aggregates reach Doorbraak.

EVERYTHING HERE IS SYNTHETIC: accounts are pseudonyms, no number refers to a real bank client.

Who banks where (`DEMO_BANK_WORLD`):
- accounts: 18% business accounts, the rest private; businesses sit in the two focus areas of
  the approach, Nieuw Overvecht (20%) and the Amsterdamsestraatweg (16%), and over the ten wijken
  as the demo city's companies do; each area has the demo city's sector mix (demo/sectors.py:
  the car branch on Nieuw Overvecht, barbers, phone shops, minimarkets and horeca on the
  Amsterdamsestraatweg, offices, construction and real estate everywhere);
- everyday traffic: purchases at shops, payroll, supplier payments, rent, payments between
  friends, refunds, savings sweeps, large purchases (cars) and cash takings moved on. It has
  lookalikes of laundering on purpose: shops collect from many, payroll pays many, refunds make
  2-cycles, sweeps pass salaries straight through, car purchases come just under 10,000 euro.

The planted laundering (0.8% of the transactions, labelled `Is Laundering` = 1, with the
typology of each transaction in `transacties_truth.csv`) runs between 0.8% of private accounts
(money mules) and 4% of business accounts (front businesses). Fronts are drawn by sector with a
launderer's preference (`BANK_PREFERENCE` in demo/sectors.py: money transfer, the car branch,
barbers and beauty salons, shisha lounges and takeaways, phone shops, jewellers and second-hand
dealers, couriers, real estate, holdings, temping agencies and construction well above offices,
software and bakeries) and are 2.5 times as likely in the two focus areas. The typologies, as in
doorbraak_analysis.moneyflows.synth: fan-out and fan-in (5 to 12 counterparties in 3.5 days),
gather-scatter, scatter-gather (3 to 6 intermediaries), cycles (2 to 6 accounts, each hop 1-10%
less), bipartite and stacked-bipartite layering, structuring (3 to 8 payments of 9,000-9,990 euro
within 6 days), pass-through (2 or 3 hops within hours, 1-15% kept) and lone transfers with no
pattern at all; a fifth of the patterns is stretched 2.5-5 times beyond the rule windows.

The bank's sector aggregate (`flows sectors`, per quarter, per focus area, wijk and the whole
city) counts the layering typologies whose rules rarely fire on everyday traffic: scatter-gather,
cycles of 3 or more accounts (2-cycles are mostly refunds), bipartite and stacked-bipartite
layering and structuring. Pass-through and gather-scatter are left out of the aggregate (their
rules also fire on swept salaries and busy shops), as are plain fan-in and fan-out. So the
figures come out as an analyst would expect: vulnerable sectors on top with a few percent of
their accounts in patterns, higher in the focus areas, offices and software near zero and mostly
suppressed (fewer than 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .generator import (
    COMPANY_WEIGHTS,
    HOME_WEIGHTS,
    SHARE_AMSTERDAMSESTRAATWEG,
    SHARE_NIEUW_OVERVECHT,
)
from .geography import WIJK_NAMES
from .sectors import BANK_PREFERENCE, SECTORS, B, S, W

# The bank names areas as it knows them (its own labels, not our codes): the focus areas by their
# short names, the wijken by their names from the areas fixture.
FOCUS_NIEUW_OVERVECHT = "Nieuw Overvecht"
FOCUS_AMSTERDAMSESTRAATWEG = "Amsterdamsestraatweg"
FOCUS_AREAS = (FOCUS_NIEUW_OVERVECHT, FOCUS_AMSTERDAMSESTRAATWEG)
DAYS = 365
LAUNDERING_RATE = 0.008  # of the transactions
# The aggregate counts these (see the module docstring); rule settings as the bank runs them.
SECTOR_TYPOLOGIES = ("scatter-gather", "cycle", "bipartite", "stacked-bipartite", "structuring")
SECTOR_RULES = {"cycle_min_length": 3}


def _world():
    from doorbraak_analysis.moneyflows.synth import BankWorld

    wijken = [WIJK_NAMES[w] for w in COMPANY_WEIGHTS]
    areas = (*FOCUS_AREAS, *wijken)
    rest = 1 - SHARE_NIEUW_OVERVECHT - SHARE_AMSTERDAMSESTRAATWEG
    total_c, total_h = sum(COMPANY_WEIGHTS.values()), sum(HOME_WEIGHTS.values())
    business = (
        SHARE_NIEUW_OVERVECHT,
        SHARE_AMSTERDAMSESTRAATWEG,
        *(rest * COMPANY_WEIGHTS[w] / total_c for w in COMPANY_WEIGHTS),
    )
    # few people live on the business park; flats above the shops on the Amsterdamsestraatweg
    person = (0.005, 0.035, *(0.96 * HOME_WEIGHTS[w] / total_h for w in COMPANY_WEIGHTS))

    def mix(col: int) -> dict:
        out: dict = {}
        for s in SECTORS:
            if s.weights[col]:
                out[s.sbi_code] = out.get(s.sbi_code, 0) + s.weights[col]
        return out

    sector_mix = {
        FOCUS_NIEUW_OVERVECHT: mix(0),
        FOCUS_AMSTERDAMSESTRAATWEG: mix(1),
        **{w: mix(2) for w in wijken},
    }
    return BankWorld(
        areas=areas,
        person_weights=person,
        business_weights=business,
        sector_mix=sector_mix,
        retail=frozenset(s.sbi_code for s in SECTORS if s.use in (W, B, S)),
        preference=dict(BANK_PREFERENCE),
        focus=frozenset(FOCUS_AREAS),
        focus_tilt=2.5,
        front_share=0.04,
        mule_share=0.008,
    )


@dataclass
class DemoBank:
    transactions: Path
    accounts: Path
    sectors: Path
    start: date
    end: date


def build_demo_bank(out_dir: str | Path, *, transactions: int, seed: int, today: date) -> DemoBank:
    """Generate the year of transactions up to `today`, then run the bank's sector analysis."""
    from doorbraak_analysis.moneyflows.cli import main as flows
    from doorbraak_analysis.moneyflows.synth import generate

    out = Path(out_dir)
    start = today - timedelta(days=DAYS - 1)
    paths = generate(
        transactions,
        seed=seed,
        out_dir=out,
        name="transacties",
        start=start.isoformat(),
        days=DAYS,
        laundering_rate=LAUNDERING_RATE,
        world=_world(),
    )
    sectors = out / "sectoren.csv"
    rules = [arg for k, v in SECTOR_RULES.items() for arg in ("--" + k.replace("_", "-"), str(v))]
    code = flows(
        [
            "sectors",
            "--input",
            str(paths["transactions"]),
            "--accounts",
            str(paths["accounts"]),
            "--typologies",
            ",".join(SECTOR_TYPOLOGIES),
            *rules,
            "--out",
            str(sectors),
        ]
    )
    if code != 0:
        raise RuntimeError(f"doorbraak flows sectors gaf code {code}")
    return DemoBank(paths["transactions"], paths["accounts"], sectors, start, today)
