"""A fictional-but-plausible geography of Utrecht for the demo city: per wijk some street names,
postcode districts and a rough centre; the two focus areas of the approach (business park Nieuw
Overvecht and the Amsterdamsestraatweg) as dense clusters.

Street names and postcode districts are real so the map looks right; every address made from
them (house number, postcode letters, BAG id) and everything at it is synthetic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# The areas of the demo city are the ones an installation in Utrecht loads (`loaddata utrecht`):
# the demo reads their codes and names from that fixture, and adds streets and centres below.
AREAS_FIXTURE = Path(__file__).resolve().parent.parent / "areas" / "fixtures" / "utrecht.json"


def _fixture_names(kind: str) -> dict[str, str]:
    rows = json.loads(AREAS_FIXTURE.read_text(encoding="utf-8"))
    return {r["fields"]["code"]: r["fields"]["name"] for r in rows if r["fields"]["kind"] == kind}


WIJK_NAMES = _fixture_names("wijk")  # code -> name
FOCUS_AREA_NAMES = _fixture_names("focus_area")
AREA_NIEUW_OVERVECHT = "nieuw_overvecht"
AREA_AMSTERDAMSESTRAATWEG = "amsterdamsestraatweg"


@dataclass(frozen=True)
class District:
    key: str
    wijk: str
    area: str
    streets: tuple[str, ...]
    postcodes: tuple[int, ...]
    lat: float
    lon: float
    spread: float  # standard deviation in degrees latitude
    city: str = "Utrecht"
    max_number: int = 180


WIJKEN: dict[str, District] = {
    "binnenstad": District(
        "binnenstad",
        "binnenstad",
        "",
        (
            "Oudegracht",
            "Voorstraat",
            "Lange Elisabethstraat",
            "Steenweg",
            "Twijnstraat",
            "Nobelstraat",
            "Lijnmarkt",
            "Zadelstraat",
            "Vismarkt",
            "Potterstraat",
            "Lange Jansstraat",
            "Mariaplaats",
        ),
        (3511, 3512),
        52.0907,
        5.1214,
        0.0035,
        max_number=260,
    ),
    "oost": District(
        "oost",
        "oost",
        "",
        (
            "Biltstraat",
            "Burgemeester Reigerstraat",
            "Nachtegaalstraat",
            "Oosterstraat",
            "Adriaen van Ostadelaan",
            "Prins Hendriklaan",
            "Wittevrouwenkade",
            "Ina Boudier-Bakkerlaan",
        ),
        (3581, 3582, 3583, 3584),
        52.0855,
        5.1430,
        0.0050,
    ),
    "noordoost": District(
        "noordoost",
        "noordoost",
        "",
        (
            "Kardinaal de Jongweg",
            "Eykmanlaan",
            "Karel Doormanlaan",
            "Jan van Galenstraat",
            "Gildstraat",
            "Blauwkapelseweg",
            "Biltsestraatweg",
            "Van Egmondkade",
        ),
        (3571, 3572, 3573),
        52.1020,
        5.1330,
        0.0045,
    ),
    "overvecht": District(
        "overvecht",
        "overvecht",
        "",
        (
            "Einsteindreef",
            "Zamenhofdreef",
            "Vasco da Gamalaan",
            "Gambiadreef",
            "Neckardreef",
            "Tigrisdreef",
            "Marokkodreef",
            "Bernadottelaan",
        ),
        (3561, 3562, 3563, 3564),
        52.1150,
        5.1080,
        0.0050,
    ),
    "noordwest": District(
        "noordwest",
        "noordwest",
        "",
        (
            "Julianaweg",
            "Marnixlaan",
            "Royaardslaan",
            "Ondiep-Zuidzijde",
            "Laan van Chartroise",
            "Prinses Marijkestraat",
            "Zwanenvechtlaan",
            "Elisabethstraat",
        ),
        (3551, 3552, 3553, 3554, 3555),
        52.1060,
        5.0990,
        0.0045,
    ),
    "west": District(
        "west",
        "west",
        "",
        (
            "Kanaalstraat",
            "Damstraat",
            "Vleutenseweg",
            "Kanaalweg",
            "Cartesiusweg",
            "Thomas a Kempisweg",
            "Bankastraat",
            "Laan van Nieuw-Guinea",
        ),
        (3531, 3532, 3533),
        52.0890,
        5.0960,
        0.0045,
    ),
    "zuidwest": District(
        "zuidwest",
        "zuidwest",
        "",
        (
            "Marco Pololaan",
            "Columbuslaan",
            "Churchilllaan",
            "Amerikalaan",
            "Van Zijstweg",
            "Europalaan",
            "Aletrinostraat",
            "Verdilaan",
        ),
        (3525, 3526, 3527),
        52.0730,
        5.0950,
        0.0050,
    ),
    "zuid": District(
        "zuid",
        "zuid",
        "",
        (
            "Briljantlaan",
            "Smaragdplein",
            "Waalstraat",
            "Rijnlaan",
            "Hooghiemstraplein",
            "Verlengde Hoogravenseweg",
            "Tolsteegsingel",
            "Boothstraat",
        ),
        (3521, 3522, 3523, 3524),
        52.0740,
        5.1250,
        0.0045,
    ),
    "leidsche_rijn": District(
        "leidsche_rijn",
        "leidsche_rijn",
        "",
        (
            "Berlijnplein",
            "Brusselplein",
            "Langerakbaan",
            "Parkwijklaan",
            "Grauwaartsingel",
            "Terwijdelaan",
            "Veldhuizerweg",
            "Strijkviertel",
        ),
        (3541, 3543, 3544, 3545),
        52.0960,
        5.0500,
        0.0070,
    ),
    "vleuten_de_meern": District(
        "vleuten_de_meern",
        "vleuten_de_meern",
        "",
        (
            "Dorpsstraat",
            "Mereveldplein",
            "Zandweg",
            "Meerndijk",
            "Castellumlaan",
            "Hindersteinlaan",
            "Burgemeester Middelweerdbaan",
            "Vleutensebaan",
        ),
        (3451, 3452, 3453, 3454),
        52.0930,
        5.0150,
        0.0060,
        city="Vleuten-De Meern",
    ),
}

NIEUW_OVERVECHT = District(
    AREA_NIEUW_OVERVECHT,
    "overvecht",
    AREA_NIEUW_OVERVECHT,
    ("Franciscusdreef", "Nevadadreef", "Coloradodreef", "Californiëdreef", "Oregondreef"),
    (3565,),
    52.1150,
    5.1150,
    0.0022,
    max_number=140,
)

# The Amsterdamsestraatweg is modelled as a line: house numbers run from the Weerdsingel
# north-west towards Zuilen; odd numbers on one side, even on the other.
ASW_STREET = "Amsterdamsestraatweg"
ASW_START = (52.0968, 5.1118)
ASW_END = (52.1182, 5.0840)
ASW_MAX_NUMBER = 1000
ASW_POSTCODES = (3513, 3551, 3552, 3553, 3554, 3555)


def asw_position(number: int) -> tuple[float, float]:
    f = min(max(number / ASW_MAX_NUMBER, 0.0), 1.0)
    lat = ASW_START[0] + (ASW_END[0] - ASW_START[0]) * f
    lon = ASW_START[1] + (ASW_END[1] - ASW_START[1]) * f
    side = 0.00018 if number % 2 else -0.00018
    return lat + side, lon + side


def asw_postcode_district(number: int) -> int:
    index = min(number * len(ASW_POSTCODES) // (ASW_MAX_NUMBER + 1), len(ASW_POSTCODES) - 1)
    return ASW_POSTCODES[index]


# Postcode letter pairs: SA, SD and SS are not used in Dutch postcodes.
LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
LETTER_PAIRS = tuple(a + b for a in LETTERS for b in LETTERS if a + b not in {"SA", "SD", "SS"})

if set(WIJKEN) != set(WIJK_NAMES) or {AREA_NIEUW_OVERVECHT, AREA_AMSTERDAMSESTRAATWEG} != set(
    FOCUS_AREA_NAMES
):  # pragma: no cover - a fixture edited without the demo's geography
    raise RuntimeError(f"demo geography and {AREAS_FIXTURE.name} name different areas")
