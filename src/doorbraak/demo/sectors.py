"""Sectors of the demo city's companies: SBI code and description, premises use, legal forms,
name patterns, and how often they occur in each kind of area.

The mix follows what Utrecht's approach describes: the car branch dense on business park Nieuw
Overvecht, small retail and horeca along the Amsterdamsestraatweg, and holdings, real estate,
cleaning, construction and couriers everywhere. Names made from these patterns are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

EENMANSZAAK = "Eenmanszaak"
BV = "Besloten Vennootschap"
VOF = "Vennootschap onder firma"
CV = "Commanditaire Vennootschap"
STICHTING = "Stichting"

LEGAL_SUFFIX = {BV: " B.V.", VOF: " V.O.F.", CV: " C.V.", STICHTING: "", EENMANSZAAK: ""}

SMALL = ((EENMANSZAAK, 60), (VOF, 15), (BV, 25))
CORPORATE = ((BV, 85), (EENMANSZAAK, 10), (CV, 5))
ONLY_BV = ((BV, 100),)


@dataclass(frozen=True)
class Sector:
    key: str
    sbi_code: str
    sbi_description: str
    use: str  # BAG gebruiksdoel of the premises it typically occupies
    names: tuple[str, ...]  # "{x}" is a surname or a made-up word, "{f}" a first name
    legal_forms: tuple[tuple[str, int], ...] = SMALL
    # weight in: (nieuw_overvecht, amsterdamsestraatweg, other areas, multi-company address)
    weights: tuple[int, int, int, int] = (0, 0, 0, 0)
    floor_area: tuple[int, int] = (40, 250)


W = "winkelfunctie"
B = "bijeenkomstfunctie"
I = "industriefunctie"  # noqa: E741
K = "kantoorfunctie"
S = "sportfunctie"
WOON = "woonfunctie"

SECTORS: tuple[Sector, ...] = (
    # car branch
    Sector(
        "autoverhuur",
        "7711",
        "Verhuur van auto's en lichte bedrijfsauto's",
        I,
        ("Autoverhuur {x}", "{x} Car Rental", "{x} Lease & Rent", "Rent a Car {x}"),
        SMALL,
        (16, 2, 2, 2),
        (150, 1500),
    ),
    Sector(
        "autohandel",
        "4511",
        "Handel in en reparatie van personenauto's en lichte bedrijfsauto's",
        I,
        ("Autobedrijf {x}", "{x} Auto's", "Autohandel {x}", "{x} Cars"),
        SMALL,
        (18, 3, 3, 1),
        (200, 2500),
    ),
    Sector(
        "autoreparatie",
        "45201",
        "Algemene reparatie en onderhoud van personenauto's en lichte bedrijfsauto's",
        I,
        ("Autoservice {x}", "Garage {x}", "{x} Autoreparatie", "APK Centrum {x}"),
        SMALL,
        (14, 3, 3, 0),
        (150, 1200),
    ),
    Sector(
        "autowas",
        "4520",
        "Onderhoud en reparatie van auto's (autowasserij)",
        I,
        ("Carwash {x}", "{x} Car Cleaning", "Autopoetsbedrijf {x}"),
        SMALL,
        (8, 2, 1, 0),
        (120, 800),
    ),
    Sector(
        "autodelen",
        "4532",
        "Detailhandel in auto-onderdelen en -accessoires",
        W,
        ("Bandenservice {x}", "{x} Auto-onderdelen", "Velgen & Banden {x}"),
        SMALL,
        (6, 1, 1, 0),
        (80, 600),
    ),
    # retail and personal services
    Sector(
        "kapper",
        "96021",
        "Haarverzorging",
        W,
        ("Barbershop {x}", "{x} Barbers", "Kapsalon {x}", "Fade Factory {x}"),
        SMALL,
        (1, 12, 5, 0),
        (30, 120),
    ),
    Sector(
        "nagels",
        "96022",
        "Schoonheidsverzorging",
        W,
        ("Nails by {f}", "{x} Nails & Beauty", "Beautysalon {f}", "Lash & Nail Studio {x}"),
        SMALL,
        (0, 7, 4, 0),
        (25, 100),
    ),
    Sector(
        "telefoon",
        "4742",
        "Winkels in telecommunicatieapparatuur",
        W,
        ("{x} Telecom", "Phone Repair {x}", "GSM Center {x}", "Mobiel {x}"),
        SMALL,
        (1, 9, 3, 0),
        (25, 120),
    ),
    Sector(
        "tweedehands",
        "4779",
        "Winkels in tweedehands goederen (geen antiek)",
        W,
        ("Inkoop & Verkoop {x}", "{x} Second Hand", "Goud & Telefoon Inkoop {x}"),
        SMALL,
        (1, 4, 1, 0),
        (30, 150),
    ),
    Sector(
        "juwelier",
        "4777",
        "Winkels in uurwerken, juwelen, goud- en zilverwerken",
        W,
        ("Juwelier {x}", "{x} Goud & Zilver"),
        SMALL,
        (0, 2, 1, 0),
        (30, 120),
    ),
    Sector(
        "minimarkt",
        "4711",
        "Supermarkten en dergelijke winkels met een algemeen assortiment voedings- en "
        "genotmiddelen",
        W,
        ("Minimarkt {x}", "Toko {x}", "Supermarkt {x}", "Avondwinkel {x}"),
        SMALL,
        (1, 9, 5, 0),
        (60, 400),
    ),
    Sector(
        "tabak",
        "4726",
        "Winkels in tabaksproducten",
        W,
        ("Vape & Smoke {x}", "Tabakszaak {x}"),
        SMALL,
        (0, 3, 1, 0),
        (25, 80),
    ),
    Sector(
        "kleding",
        "4771",
        "Winkels in kleding",
        W,
        ("Fashion {x}", "{x} Streetwear", "Boutique {f}"),
        SMALL,
        (0, 3, 5, 0),
        (40, 300),
    ),
    # horeca
    Sector(
        "shisha",
        "5630",
        "Cafés",
        B,
        ("Shisha Lounge {x}", "Lounge {x}", "{x} Hookah Bar"),
        SMALL,
        (2, 6, 2, 0),
        (80, 400),
    ),
    Sector(
        "restaurant",
        "56101",
        "Restaurants",
        B,
        ("Restaurant {x}", "Eethuis {x}", "Brasserie {x}", "Grill & Meze {x}"),
        SMALL,
        (1, 6, 10, 0),
        (60, 400),
    ),
    Sector(
        "afhaal",
        "56102",
        "Fastfoodrestaurants, cafetaria's, ijssalons, broodjeszaken en dergelijke",
        B,
        ("Snackbar {x}", "Pizzeria {x}", "Grillroom {x}", "Shoarma {x}", "Burger Spot {x}"),
        SMALL,
        (2, 9, 6, 0),
        (40, 200),
    ),
    Sector("cafe", "5630", "Cafés", B, ("Café {x}", "Bar {x}"), SMALL, (0, 2, 4, 0), (60, 300)),
    # logistics, money
    Sector(
        "koerier",
        "5320",
        "Post- en koeriersactiviteiten",
        I,
        ("Koeriersdienst {x}", "{x} Express", "{x} Koeriers", "Snelkoerier {x}"),
        SMALL,
        (6, 1, 3, 6),
        (60, 800),
    ),
    Sector(
        "transport",
        "4941",
        "Goederenvervoer over de weg",
        I,
        ("Transportbedrijf {x}", "{x} Logistiek", "{x} Transport"),
        SMALL,
        (6, 0, 2, 3),
        (200, 2000),
    ),
    Sector(
        "opslag",
        "5210",
        "Opslag in tanks, silo's, koel- en vrieshuizen, overige opslag",
        I,
        ("Opslagboxen {x}", "{x} Opslag & Distributie"),
        CORPORATE,
        (4, 0, 1, 1),
        (200, 2500),
    ),
    Sector(
        "geldtransfer",
        "6619",
        "Overige ondersteunende activiteiten voor financiële dienstverlening (geldtransfer)",
        W,
        ("{x} Money Transfer", "Geldtransfer {x}", "{x} Remittance"),
        CORPORATE,
        (1, 3, 1, 1),
        (20, 80),
    ),
    Sector(
        "holding",
        "6420",
        "Financiële holdings",
        K,
        ("{x} Holding", "{i} Beheer", "{x} Investments", "{x} Participaties"),
        ONLY_BV,
        (5, 2, 5, 20),
        (20, 200),
    ),
    Sector(
        "vastgoed_handel",
        "6810",
        "Handel in eigen onroerend goed",
        K,
        ("{x} Vastgoed", "{x} Onroerend Goed", "{x} Real Estate"),
        CORPORATE,
        (3, 2, 3, 10),
        (20, 200),
    ),
    Sector(
        "vastgoed_verhuur",
        "6820",
        "Verhuur van onroerend goed",
        K,
        ("{x} Vastgoedbeheer", "Verhuurbedrijf {x}", "{x} Properties"),
        CORPORATE,
        (3, 2, 4, 10),
        (20, 200),
    ),
    Sector(
        "administratie",
        "6920",
        "Accountants, administratiekantoren, belastingadviseurs",
        K,
        ("Administratiekantoor {x}", "{x} Boekhouding & Advies", "{x} Belastingadvies"),
        SMALL,
        (2, 2, 4, 4),
        (30, 250),
    ),
    Sector(
        "advies",
        "7022",
        "Organisatieadviesbureaus",
        K,
        ("{x} Consultancy", "{x} Advies", "Bureau {x}"),
        SMALL,
        (2, 1, 8, 8),
        (20, 200),
    ),
    Sector(
        "ict",
        "6201",
        "Ontwikkelen, produceren en uitgeven van software",
        K,
        ("{x} Software", "{x} IT Solutions", "{x} Digital"),
        SMALL,
        (1, 0, 6, 3),
        (30, 300),
    ),
    # services and construction
    Sector(
        "schoonmaak",
        "8121",
        "Algemene reiniging van gebouwen",
        K,
        ("Schoonmaakbedrijf {x}", "{x} Cleaning Services", "{x} Facilitair"),
        SMALL,
        (3, 1, 4, 6),
        (20, 200),
    ),
    Sector(
        "bouw",
        "4120",
        "Algemene burgerlijke en utiliteitsbouw",
        I,
        ("Bouwbedrijf {x}", "{x} Bouw & Onderhoud", "{x} Bouwgroep"),
        SMALL,
        (4, 1, 5, 5),
        (100, 1200),
    ),
    Sector(
        "klussen",
        "4399",
        "Overige gespecialiseerde werkzaamheden in de bouw",
        I,
        ("Klusbedrijf {x}", "{x} Renovatie", "{x} Afbouw"),
        SMALL,
        (3, 1, 5, 4),
        (40, 600),
    ),
    Sector(
        "schilder",
        "4334",
        "Schilders- en glaszetbedrijven",
        I,
        ("Schildersbedrijf {x}", "{x} Schilderwerken"),
        SMALL,
        (1, 0, 3, 1),
        (40, 400),
    ),
    Sector(
        "sportschool",
        "9313",
        "Fitnesscentra",
        S,
        ("Gym {x}", "{x} Fitness", "Fightclub {x}", "Boxing Gym {x}"),
        SMALL,
        (3, 2, 3, 0),
        (200, 1500),
    ),
    Sector(
        "tattoo",
        "9609",
        "Overige dienstverlening (o.a. tattoo- en piercingshops)",
        W,
        ("Tattoo Studio {x}", "{x} Ink"),
        SMALL,
        (0, 2, 1, 0),
        (30, 120),
    ),
    Sector(
        "reisbureau",
        "7911",
        "Reisbemiddeling",
        W,
        ("Reisbureau {x}", "{x} Travel"),
        SMALL,
        (0, 2, 2, 0),
        (30, 120),
    ),
    Sector(
        "bakker",
        "1071",
        "Vervaardiging van brood en vers banketbakkerswerk",
        W,
        ("Bakkerij {x}", "Warme Bakker {x}"),
        SMALL,
        (1, 2, 4, 0),
        (60, 300),
    ),
    Sector(
        "uitzend",
        "7820",
        "Uitzendbureaus",
        K,
        ("Uitzendbureau {x}", "{x} Personeelsdiensten", "{x} Flex"),
        CORPORATE,
        (2, 1, 3, 4),
        (30, 300),
    ),
)

SECTORS_BY_KEY = {s.key: s for s in SECTORS}

# The demo bank's launderers (demo/bank.py): how much more likely a front business is in each
# sector, after the sectors vulnerable to laundering (DOMAIN.md §3: cash-intensive, low entry
# barriers, little supervision). 1 = no preference. Synthetic assumption, not a finding.
BANK_PREFERENCE = {
    "6619": 4.0,  # money transfer
    "4511": 4.0,
    "7711": 4.0,
    "45201": 3.0,
    "4520": 3.0,
    "4532": 3.0,  # car trade, rental, repair, wash, parts
    "96021": 3.5,
    "96022": 3.0,  # barbers, nail and beauty salons
    "5630": 3.0,
    "56102": 3.0,
    "56101": 2.0,  # shisha lounges and cafés, takeaways, restaurants
    "4742": 3.0,
    "4777": 3.0,
    "4779": 3.0,
    "4726": 2.0,
    "4711": 2.0,  # phone shops, gold, second-hand, minimarkets
    "5320": 3.0,
    "4941": 2.0,
    "5210": 2.0,  # couriers, transport, storage
    "6810": 3.0,
    "6820": 2.5,
    "6420": 2.5,  # real estate trade and letting, holdings
    "7820": 2.5,
    "4120": 2.0,
    "4399": 2.0,
    "4334": 1.5,
    "8121": 1.5,  # temping, construction, cleaning
    "9313": 1.5,
    "9609": 1.5,
    "7911": 1.5,
    "4771": 1.0,  # gyms, tattoo shops, travel agents, clothing
    "6920": 0.6,
    "7022": 0.4,
    "6201": 0.2,
    "1071": 0.4,  # administration, consultancy, software, bakeries
}

# Made-up words used in company names besides surnames.
NAME_WORDS = (
    "Domstad",
    "Vecht",
    "Kanaal",
    "Noorderlicht",
    "Zuilen",
    "Atlas",
    "Orion",
    "Phoenix",
    "Delta",
    "Royal",
    "Prime",
    "Star",
    "Golden",
    "Elite",
    "Centraal",
    "Premium",
    "City",
    "Maxim",
    "Nova",
    "Rijnmond",
    "Stichtse",
    "Oriënt",
    "Sahara",
    "Anatolia",
    "Carib",
    "Polder",
    "Horizon",
    "Eagle",
    "Lion",
    "Falcon",
    "Crown",
    "Diamond",
    "Silver",
    "Unity",
    "Victory",
    "Alpha",
    "Omega",
    "Zenith",
    "Trust",
    "Fortuna",
    "Summit",
    "Pioneer",
    "Metro",
    "Urban",
    "Noord",
    "Vleuten",
    "Leidsche",
    "Overvecht",
    "Ondiep",
    "Lombok",
    "Kanaleneiland",
    "Hoograven",
    "Tuindorp",
)
