"""The demo city: a deterministic, fictional slice of Utrecht.

EVERYTHING GENERATED HERE IS SYNTHETIC. No name, BSN, KvK number, BAG id, phone number, case or
record refers to a real person, company or event. Street names and postcode districts are real
so that the map looks like Utrecht; the addresses made from them are invented. BSNs pass the
11-proef (so validation code is exercised) but all start with 9, a range not issued to residents.

Determinism: one `random.Random(seed)` and one Faker('nl_NL') seeded with the same seed drive
every choice, in a fixed order. Every date is relative to the day the demo is built (see
clock.py): the story is written for DEMO_ANCHOR and a build on another day moves every date by the
same number of days, so two builds with the same seed on the same day give identical data, and a
build a month later is the same city a month later. Pseudonyms are drawn from the same generator
(not from `secrets`). After the build the retention job runs, as it does daily in production: cases
closed longer ago than their case type's retention period are anonymised.

The city holds, for `businesses=N` (default 2,000):
- about N premises (BAG verblijfsobjecten): business premises over the ten wijken with dense
  clusters on business park Nieuw Overvecht and along the Amsterdamsestraatweg, and homes;
- N companies (KvK), some sharing an address, with a realistic sector mix;
- about 1.25 N persons: officers of the companies and residents (BRP), with a few networks of
  persons who are officer of several companies;
- about 900 person-centred cases since 2017 (a few hundred in the approach at any time, tens of
  inclusions and exits per quarter; with case management: see demo/careers.py) with partners and
  records per data category.

Name origin is drawn independently of everything else (area, sector, case), so the data holds no
correlation between names and risk for anyone to find.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from faker import Faker

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.careers.models import Case, CaseKind, CaseParticipant, CaseRecord, CaseStatus
from doorbraak.partners.models import DataCategory, Organisation, User
from doorbraak.privacy.models import ProcessingActivity
from doorbraak.registers.models import Company, Officer, Person, Premises

from . import clock
from . import reference as ref
from .accounts import CASE_DIRECTOR_USERNAME, create_demo_accounts
from .geography import (
    AREA_AMSTERDAMSESTRAATWEG,
    AREA_NIEUW_OVERVECHT,
    ASW_MAX_NUMBER,
    ASW_STREET,
    LETTER_PAIRS,
    NIEUW_OVERVECHT,
    WIJK_NAMES,
    WIJKEN,
    District,
    asw_position,
    asw_postcode_district,
)
from .guards import claim_for_demo, require_demo_database
from .models import DemoDatabase
from .sectors import (
    BV,
    CV,
    EENMANSZAAK,
    LEGAL_SUFFIX,
    NAME_WORDS,
    SECTORS,
    STICHTING,
    VOF,
    WOON,
    Sector,
)

DEMO_SEED = 20261128
DEMO_BUSINESSES = 2000
DEMO_CASES = 900
# Where the people in the person-centred approach live (weights): the two focus areas and the
# wijken around them. Kept to a few places so that the monitoring's counts per area are real
# numbers rather than many counts under five.
CASE_PLACES = {
    "amsterdamsestraatweg": 26,
    "nieuw_overvecht": 24,
    "overvecht": 18,
    "zuidwest": 18,
    "noordwest": 14,
}

BAG_FILE = "bag-verblijfsobjecten.csv"
KVK_FILE = "kvk-extract.csv"
KVK_OFFICERS_FILE = "kvk-functionarissen.csv"
BRP_FILE = "brp-bewoning.csv"
# Deliveries as dated for DEMO_ANCHOR (see clock.py); a build moves them with the build date.
BAG_RECEIVED = date(2026, 10, 15)
KVK_RECEIVED = date(2026, 10, 15)
BRP_RECEIVED = date(2026, 10, 20)
CASE_INTAKE_FILE = "casusregistratie"
SYSTEM_USER = "systeem:demostad"

# Share of companies in each cluster, and how many companies share one business premises.
SHARE_NIEUW_OVERVECHT = 0.20
SHARE_AMSTERDAMSESTRAATWEG = 0.16
DENSITY = {AREA_NIEUW_OVERVECHT: 2.0, AREA_AMSTERDAMSESTRAATWEG: 1.5, "": 1.15}
# Other companies over the wijken (outside the two clusters).
COMPANY_WEIGHTS = {
    "binnenstad": 16,
    "west": 12,
    "noordwest": 8,
    "overvecht": 8,
    "noordoost": 7,
    "oost": 9,
    "zuid": 9,
    "zuidwest": 12,
    "leidsche_rijn": 11,
    "vleuten_de_meern": 8,
}
HOME_WEIGHTS = {
    "binnenstad": 5,
    "west": 10,
    "noordwest": 10,
    "overvecht": 12,
    "noordoost": 10,
    "oost": 10,
    "zuid": 9,
    "zuidwest": 11,
    "leidsche_rijn": 14,
    "vleuten_de_meern": 8,
}
HOMES_PER_BUSINESS = 0.30
HOMES_ABOVE_SHOPS = 0.12  # share of homes that are flats above shops on the Amsterdamsestraatweg
PERSONS_PER_BUSINESS = 1.4
OFFICER_REUSE = 0.12  # chance that an officer slot goes to someone already officer elsewhere
NETWORK_PERSONS_PER_BUSINESS = 0.02

PREFIXES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "in",
    "'t",
    "op",
    "la",
    "le",
    "du",
    "von",
    "vd",
    "die",
    "uit",
    "uijt",
    "aan",
    "bij",
    "onder",
    "over",
    "voor",
    "d'",
    "del",
    "di",
    "da",
    "dos",
    "des",
    "ver",
    "vanden",
    "vander",
}

# Given names: Faker's nl_NL lists are full of medieval names, so the demo uses its own list of
# present-day names (and Faker for surnames). A second pool is drawn independently of everything
# else, as Utrecht is a diverse city.
FIRST_NAMES = {
    "m": (
        "Jan",
        "Peter",
        "Mark",
        "Dennis",
        "Kevin",
        "Thomas",
        "Daan",
        "Sem",
        "Lucas",
        "Milan",
        "Jesse",
        "Bram",
        "Ruben",
        "Tim",
        "Niels",
        "Stefan",
        "Martijn",
        "Bas",
        "Joost",
        "Rick",
        "Sander",
        "Jeroen",
        "Erik",
        "Hans",
        "Kees",
        "Wim",
        "Gerrit",
        "Henk",
        "Rob",
        "Marco",
        "Patrick",
        "Jasper",
        "Luuk",
        "Thijs",
        "Finn",
        "Noah",
        "Levi",
        "Sven",
        "Joris",
        "Koen",
        "Wouter",
        "Robin",
        "Michel",
        "Frank",
        "Paul",
        "Arjen",
        "Tom",
        "Jeffrey",
        "Roy",
        "Youri",
        "Johannes",
        "Cornelis",
        "Hendrik",
        "Willem",
        "Pieter",
        "Jacobus",
        "Adrianus",
        "Gerardus",
        "Maarten",
        "Stijn",
    ),
    "f": (
        "Anna",
        "Emma",
        "Sophie",
        "Julia",
        "Lisa",
        "Sanne",
        "Femke",
        "Eva",
        "Fleur",
        "Lotte",
        "Iris",
        "Anouk",
        "Maud",
        "Noa",
        "Tess",
        "Sara",
        "Laura",
        "Lieke",
        "Marloes",
        "Esther",
        "Linda",
        "Marieke",
        "Ingrid",
        "Petra",
        "Monique",
        "Wilma",
        "Annemarie",
        "Karin",
        "Ellen",
        "Sandra",
        "Mirjam",
        "Nicole",
        "Kim",
        "Demi",
        "Romy",
        "Isa",
        "Zoë",
        "Yara",
        "Nina",
        "Jasmijn",
        "Merel",
        "Roos",
        "Hanna",
        "Ilse",
        "Bianca",
        "Chantal",
        "Danielle",
        "Manon",
        "Evi",
        "Mila",
        "Johanna",
        "Maria",
        "Cornelia",
        "Wilhelmina",
        "Elisabeth",
        "Geertruida",
        "Hendrika",
        "Anne",
        "Floor",
    ),
}
EXTRA_FIRST_NAMES = {
    "m": (
        "Mohamed",
        "Yassine",
        "Ayoub",
        "Bilal",
        "Hamza",
        "Ilias",
        "Rayan",
        "Anouar",
        "Emre",
        "Burak",
        "Kerem",
        "Mert",
        "Jayden",
        "Dylan",
        "Jermaine",
        "Gianni",
        "Romano",
        "Shaquille",
        "Mateusz",
        "Piotr",
        "Minh",
        "Ravi",
        "Arjun",
        "Soufiane",
        "Mustafa",
        "Yusuf",
        "Ibrahim",
        "Giovanni",
    ),
    "f": (
        "Fatima",
        "Salma",
        "Nour",
        "Yasmina",
        "Zeynep",
        "Elif",
        "Merve",
        "Aylin",
        "Chanel",
        "Shirley",
        "Priya",
        "Anjali",
        "Samira",
        "Ikram",
        "Kimberley",
        "Naomi",
        "Agnieszka",
        "Linh",
        "Esra",
        "Khadija",
        "Sumaya",
        "Dilara",
    ),
}
EXTRA_SURNAMES = (
    "El Idrissi",
    "Bouzid",
    "Amrani",
    "Benali",
    "Azzouz",
    "Ouali",
    "Haddou",
    "Bakkali",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Çelik",
    "Öztürk",
    "Doğan",
    "Aydın",
    "Şahin",
    "Ramdin",
    "Sewdien",
    "Jagessar",
    "Martina",
    "Francisca",
    "Nguyen",
    "Tran",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Mahabier",
    "Bijlhout",
    "Pinas",
    "Abdi",
    "Haile",
)


@dataclass
class DemoCitySummary:
    seed: int
    premises: int = 0
    companies: int = 0
    persons: int = 0
    officers: int = 0
    cases: int = 0
    case_records: int = 0
    today: date | None = None
    retention: dict = field(default_factory=dict)
    seconds: float = 0.0
    per_wijk: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


class DemoCityExists(RuntimeError):
    pass


def has_demo_data() -> bool:
    return Premises.objects.filter(source__code=ref.SOURCE_BAG, source_file=BAG_FILE).exists()


# --- small deterministic helpers -------------------------------------------------------


def _weighted(rng: random.Random, pairs) -> object:
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _bsn_generator(rng: random.Random):
    """Unique synthetic BSNs: 9 digits, passing the 11-proef, always starting with 9."""
    seen: set[str] = set()
    while True:
        digits = [9] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check == 10:
            continue
        bsn = "".join(map(str, digits)) + str(check)
        if bsn not in seen:
            seen.add(bsn)
            yield bsn


def _pseudonym_generator(rng: random.Random):
    seen: set[str] = set()
    while True:
        value = f"P-{rng.getrandbits(40):010X}"
        if value not in seen:
            seen.add(value)
            yield value


class _Names:
    def __init__(self, rng: random.Random, fake: Faker):
        self.rng = rng
        self.fake = fake

    def surname(self) -> tuple[str, str]:
        if self.rng.random() < 0.22:
            return "", self.rng.choice(EXTRA_SURNAMES)
        last = self.fake.last_name()
        while last.endswith(
            ("dr", "dr.", "sz", "sz.", "dochter", "szoon")
        ):  # drop Faker's old patronymics
            last = self.fake.last_name()
        tokens = last.split(" ")
        prefix = []
        while len(tokens) > 1 and tokens[0].lower() in PREFIXES:
            prefix.append(tokens.pop(0))
        return " ".join(prefix), " ".join(tokens)

    def first_name(self, gender: str | None = None) -> str:
        gender = gender or self.rng.choice("mf")
        pool = EXTRA_FIRST_NAMES if self.rng.random() < 0.22 else FIRST_NAMES
        return self.rng.choice(pool[gender])

    def given_names(self) -> str:
        gender = self.rng.choice("mf")
        first = self.first_name(gender)
        if self.rng.random() < 0.3:
            second = self.rng.choice(FIRST_NAMES[gender])
            if second != first:
                return f"{first} {second}"
        return first


# --- the generator ---------------------------------------------------------------------


@dataclass
class _Premises:
    obj: Premises
    district: District


class _City:
    def __init__(self, seed: int, businesses: int, cases: int, today: date):
        self.seed = seed
        self.today = today
        self.offset = clock.offset(today)
        self.n = businesses
        self.n_cases = cases
        self.rng = random.Random(seed)
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.names = _Names(self.rng, fake)
        self.bsns = _bsn_generator(self.rng)
        self.pseudonyms = _pseudonym_generator(self.rng)
        self.addresses: set[tuple] = set()
        self.street_letters: dict[str, int] = {}
        self.bag_next = 0
        self.bag_base = self.rng.randrange(10**7, 9 * 10**7)
        self.sources = {a.code: a for a in ProcessingActivity.objects.all()}
        self.row = Counter()

    # premises ------------------------------------------------------------------------

    def shift(self, d: date) -> date:
        """A date of the story (written for DEMO_ANCHOR) moved to the build date."""
        return d + self.offset

    def d(self, year: int, month: int, day: int) -> date:
        return date(year, month, day) + self.offset

    def _bag_id(self) -> str:
        self.bag_next += 1
        return f"0344019{self.bag_base + self.bag_next:09d}"

    def _postcode(self, district_code: int, street: str, number: int) -> str:
        base = self.street_letters.setdefault(street, self.rng.randrange(len(LETTER_PAIRS)))
        return f"{district_code}{LETTER_PAIRS[(base + number // 24) % len(LETTER_PAIRS)]}"

    def _source(self, code: str, file: str, received: date) -> dict:
        self.row[file] += 1
        return {
            "source": self.sources[code],
            "source_file": file,
            "source_row": self.row[file],
            "received_on": self.shift(received),
        }

    def new_premises(
        self,
        district: District,
        use: str,
        floor: tuple[int, int],
        *,
        street: str | None = None,
        number: int | None = None,
        letter: str = "",
        addition: str = "",
    ) -> Premises:
        rng = self.rng
        if district.area == AREA_AMSTERDAMSESTRAATWEG:
            street = ASW_STREET
            while True:
                n = number if number is not None else rng.randint(1, ASW_MAX_NUMBER)
                key = (street, n, letter, addition)
                if key not in self.addresses:
                    break
                if number is not None:  # a fixed number that is taken: add a letter
                    letter = chr(ord(letter or "@") + 1)
            number = n
            lat, lon = asw_position(number)
            lat += rng.gauss(0, 0.00006)
            lon += rng.gauss(0, 0.00006)
            postcode_district = asw_postcode_district(number)
        else:
            while True:
                street = street or rng.choice(district.streets)
                n = rng.randint(1, district.max_number)
                letter = rng.choice("ABC") if rng.random() < 0.06 else ""
                if (street, n, letter, addition) not in self.addresses:
                    break
                street = None
            number = n
            # Each street sits at its own spot in the district; premises jitter around it.
            s_rng = random.Random(f"{self.seed}:{street}")
            lat = district.lat + s_rng.gauss(0, district.spread) + rng.gauss(0, district.spread / 4)
            lon = (
                district.lon
                + (s_rng.gauss(0, district.spread) + rng.gauss(0, district.spread / 4)) * 1.6
            )
            postcode_district = district.postcodes[
                random.Random(f"{self.seed}:{street}:pc").randrange(len(district.postcodes))
            ]
        self.addresses.add((street, number, letter, addition))
        city = district.city
        if city == "Vleuten-De Meern":
            city = "Vleuten" if postcode_district in (3451, 3452) else "De Meern"
        return Premises(
            bag_id=self._bag_id(),
            street=street,
            house_number=number,
            house_letter=letter,
            house_number_addition=addition,
            postcode=self._postcode(postcode_district, street, number),
            city=city,
            wijk=district.wijk,
            area=district.area,
            use=use,
            floor_area=rng.randint(*floor),
            lat=round(lat, 6),
            lon=round(lon, 6),
            **self._source(ref.SOURCE_BAG, BAG_FILE, BAG_RECEIVED),
        )

    # companies -----------------------------------------------------------------------

    def company_name(self, sector: Sector, legal_form: str) -> str:
        rng = self.rng
        pattern = rng.choice(sector.names)
        if rng.random() < 0.55:
            _prefix, x = self.names.surname()
        else:
            x = rng.choice(NAME_WORDS)
        name = pattern.format(
            x=x, f=self.names.first_name(), i="".join(rng.choice("ABDEHJKMNRSTVWY") for _ in "xy")
        )
        return name + LEGAL_SUFFIX[legal_form]

    def build(self) -> DemoCitySummary:  # noqa: C901 - the demo city, part by part
        started = time.perf_counter()
        rng = self.rng
        n = self.n

        # 1. Companies per location group, with their sectors.
        groups: list[tuple[District, int]] = []
        n_no = round(n * SHARE_NIEUW_OVERVECHT)
        n_asw = round(n * SHARE_AMSTERDAMSESTRAATWEG)
        rest = n - n_no - n_asw
        total_w = sum(COMPANY_WEIGHTS.values())
        per_wijk = {w: rest * wt // total_w for w, wt in COMPANY_WEIGHTS.items()}
        for w in list(COMPANY_WEIGHTS)[: rest - sum(per_wijk.values())]:
            per_wijk[w] += 1
        asw_district = District(
            AREA_AMSTERDAMSESTRAATWEG,
            "noordwest",
            AREA_AMSTERDAMSESTRAATWEG,
            (ASW_STREET,),
            (3551,),
            0,
            0,
            0,
        )
        groups.append((NIEUW_OVERVECHT, n_no))
        groups.append((asw_district, n_asw))
        groups.extend((WIJKEN[w], c) for w, c in per_wijk.items())

        premises: list[Premises] = []
        companies: list[Company] = []
        company_group: list[str] = []
        kvk_numbers = rng.sample(range(90_000_000, 100_000_000), n)
        used_names: set[str] = set()
        shop_premises_asw: list[Premises] = []

        for district, count in groups:
            if count <= 0:
                continue
            col = {AREA_NIEUW_OVERVECHT: 0, AREA_AMSTERDAMSESTRAATWEG: 1}.get(district.area, 2)
            pairs = [(s, s.weights[col]) for s in SECTORS if s.weights[col]]
            hub_pairs = [(s, s.weights[3]) for s in SECTORS if s.weights[3]]
            n_prem = max(1, round(count / DENSITY[district.area]))
            group_premises: list[Premises] = []
            hubs: list[Premises] = []
            n_hubs = max(1, n_prem // 12)
            hub_weights = [
                1 / (i + 1) ** 0.8 for i in range(n_hubs)
            ]  # a few addresses hold many companies
            for i in range(count):
                if i < n_prem:
                    sector = _weighted(rng, pairs)
                    is_hub = i < n_hubs
                    use = "kantoorfunctie" if is_hub else sector.use
                    floor = (300, 2500) if is_hub else sector.floor_area
                    p = self.new_premises(district, use, floor)
                    group_premises.append(p)
                    if is_hub:
                        hubs.append(p)
                    elif district.area == AREA_AMSTERDAMSESTRAATWEG and use in (
                        "winkelfunctie",
                        "bijeenkomstfunctie",
                    ):
                        shop_premises_asw.append(p)
                    establishment = p
                else:
                    # More companies than premises: most go to multi-company addresses
                    # (bedrijfsverzamelgebouwen, registration addresses), some share a shop.
                    if rng.random() < 0.7:
                        sector = _weighted(rng, hub_pairs)
                        establishment = rng.choices(hubs, weights=hub_weights, k=1)[0]
                    else:
                        sector = _weighted(rng, pairs)
                        establishment = rng.choice(group_premises[n_hubs:] or group_premises)
                legal_form = _weighted(rng, sector.legal_forms)
                name = self.company_name(sector, legal_form)
                while name in used_names:
                    name = self.company_name(sector, legal_form)
                used_names.add(name)
                trade_name = (
                    name.removesuffix(LEGAL_SUFFIX[legal_form])
                    if legal_form in (BV, VOF, CV)
                    else ""
                )
                if district.area == AREA_NIEUW_OVERVECHT or sector.key in (
                    "autoverhuur",
                    "telefoon",
                    "koerier",
                ):
                    registered = _date_between(rng, self.d(2012, 1, 1), self.d(2026, 9, 30))
                else:
                    registered = _date_between(rng, self.d(1992, 1, 1), self.d(2026, 9, 30))
                companies.append(
                    Company(
                        kvk_number=str(kvk_numbers[len(companies)]),
                        name=name,
                        trade_name=trade_name,
                        legal_form=legal_form,
                        sbi_code=sector.sbi_code,
                        sbi_description=sector.sbi_description,
                        registered_on=registered,
                        establishment=establishment,
                        **self._source(ref.SOURCE_KVK, KVK_FILE, KVK_RECEIVED),
                    )
                )
                company_group.append(district.area or district.wijk)
            premises.extend(group_premises)

        # 2. Homes: flats above shops on the Amsterdamsestraatweg, the rest over the wijken.
        n_homes = max(1, round(n * HOMES_PER_BUSINESS))
        homes: list[Premises] = []
        n_above = min(round(n_homes * HOMES_ABOVE_SHOPS), len(shop_premises_asw))
        for shop in rng.sample(shop_premises_asw, n_above):
            homes.append(
                self.new_premises(
                    asw_district,
                    WOON,
                    (35, 90),
                    number=shop.house_number,
                    letter=shop.house_letter,
                    addition=rng.choice(("1", "2", "BS")),
                )
            )
        total_hw = sum(HOME_WEIGHTS.values())
        for w, wt in HOME_WEIGHTS.items():
            for _ in range(round((n_homes - n_above) * wt / total_hw)):
                homes.append(self.new_premises(WIJKEN[w], WOON, (30, 140)))
        premises.extend(homes)

        with transaction.atomic():
            Premises.objects.bulk_create(premises, batch_size=500)
            Company.objects.bulk_create(companies, batch_size=500)
            persons, officers = self._people(companies, company_group, homes, premises)
            Person.objects.bulk_create(persons, batch_size=500)
            for o in officers:
                o.person_id = o.person.pk
                o.company_id = o.company.pk
            Officer.objects.bulk_create(officers, batch_size=1000)
            n_cases, n_records = self._cases(persons)
            if n_cases:
                from .careers import extend as extend_careers

                extend_careers(
                    self, self.today
                )  # issue 3: decisions, plans, contacts, interventions
            from .prevention import build_prevention

            build_prevention(self.today, self.seed)  # issue 13: prevention reach (counts only)
            per_wijk = Counter(p.wijk for p in premises)
            summary = DemoCitySummary(
                seed=self.seed,
                today=self.today,
                premises=len(premises),
                companies=len(companies),
                persons=len(persons),
                officers=len(officers),
                cases=n_cases,
                case_records=n_records,
                per_wijk={w: per_wijk[w] for w in WIJK_NAMES},
            )
            audit.record(
                AuditAction.CREATE,
                username=SYSTEM_USER,
                purpose=policy.PURPOSE_MANAGEMENT,
                object_type="demostad",
                object_id=self.seed,
                categories=[DataCategory.IDENTITY, DataCategory.PREMISES],
                detail={
                    "synthetisch": True,
                    "vandaag": self.today.isoformat(),
                    **{
                        k: v
                        for k, v in summary.as_dict().items()
                        if k not in ("per_wijk", "today", "retention")
                    },
                },
            )
        # The risk picture: permits, closures, buy-in registrations and three clusters in the
        # focus areas, then a run as of three months ago and one as of today.
        from .risk import build_demo_risk

        risk = build_demo_risk(self, self.seed)
        latest = risk.runs[-1]
        # Two years of enforcement in the focus areas (actions, findings, decisions), planned
        # mostly on premises the latest picture puts high.
        from doorbraak.enforcement.models import Action

        from .enforcement import build_demo_enforcement

        # (the actions keep the result they were planned from once Action has that link)
        linked = any(f.name == "risk_result" for f in Action._meta.get_fields())
        build_demo_enforcement(
            self.today,
            seed=self.seed,
            results=list(
                latest.results.filter(object_type="premises").select_related("run__rule_set")
            )
            if linked
            else None,
        )
        # Retention as production runs it every day: long-closed cases are anonymised.
        from doorbraak.privacy.retention import run_retention

        summary.retention = run_retention(self.today, run_by=SYSTEM_USER)["counts"]
        summary.seconds = round(time.perf_counter() - started, 2)
        return summary

    # people ---------------------------------------------------------------------------

    def _person(
        self,
        *,
        born_from: date,
        born_to: date,
        surname: tuple[str, str] | None = None,
        residence: Premises | None = None,
        bsn: bool = True,
    ) -> Person:
        rng = self.rng
        prefix, name = surname or self.names.surname()
        return Person(
            pseudonym=next(self.pseudonyms),
            bsn=next(self.bsns) if bsn else "",
            given_names=self.names.given_names(),
            surname_prefix=prefix,
            surname=name,
            birth_date=_date_between(rng, born_from, born_to),
            residence=residence,
            phone=f"06-{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.3 else "",
            received_on=self.shift(
                BRP_RECEIVED
            ),  # replaced below by the source that delivered the person
            source=self.sources[ref.SOURCE_BRP],
        )

    def _people(self, companies, company_group, homes, premises):  # noqa: C901 - generator: each branch a kind of person
        rng = self.rng
        adult = (self.d(1954, 1, 1), self.d(2005, 6, 30))
        persons: list[Person] = []
        officers: list[Officer] = []
        officer_persons: list[Person] = []
        per_company: dict[int, list[Person]] = defaultdict(list)

        def add_officer(company_index: int, person: Person, role: str):
            company = companies[company_index]
            since = _date_between(
                rng,
                company.registered_on,
                min(company.registered_on + timedelta(days=900), self.today - timedelta(days=30)),
            )
            officers.append(
                Officer(
                    company=company,
                    person=person,
                    role=role,
                    since=since,
                    **self._source(ref.SOURCE_KVK, KVK_OFFICERS_FILE, KVK_RECEIVED),
                )
            )
            per_company[company_index].append(person)

        def role_for(company: Company) -> str:
            return {EENMANSZAAK: "eigenaar", VOF: "vennoot", CV: "vennoot"}.get(
                company.legal_form, "bestuurder"
            )

        # Networks: a few persons are officer of several companies, mostly in one cluster, often
        # holdings, real estate and the car branch; some of their companies share an address.
        network_sbi = {
            "6420",
            "6810",
            "6820",
            "7711",
            "4511",
            "6619",
            "4742",
            "5630",
            "5320",
            "8121",
            "7820",
        }
        n_network = max(2, round(self.n * NETWORK_PERSONS_PER_BUSINESS))
        by_group: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(company_group):
            by_group[g].append(i)
        cluster_groups = [AREA_NIEUW_OVERVECHT, AREA_AMSTERDAMSESTRAATWEG]
        moved: set[int] = set()
        for _ in range(n_network):
            person = self._person(born_from=self.d(1960, 1, 1), born_to=self.d(1998, 12, 31))
            persons.append(person)
            officer_persons.append(person)
            home_group = (
                rng.choice(cluster_groups) if rng.random() < 0.75 else rng.choice(sorted(by_group))
            )
            pool = [
                i for i in by_group[home_group] if companies[i].sbi_code in network_sbi
            ] or by_group[home_group]
            k = min(rng.randint(3, 8), len(pool))
            chosen = rng.sample(pool, k)
            # a couple from elsewhere in the city
            chosen += [rng.randrange(len(companies)) for _ in range(rng.randint(0, 2))]
            chosen = list(dict.fromkeys(chosen))
            for idx in chosen:
                company = companies[idx]
                if company.legal_form == EENMANSZAAK and per_company[idx]:
                    continue
                add_officer(idx, person, role_for(company))
            if len(chosen) >= 3 and rng.random() < 0.5:
                shared = companies[chosen[0]].establishment
                for idx in chosen[1 : 1 + rng.randint(1, 3)]:
                    companies[idx].establishment = shared
                    moved.add(idx)
        # Save the moved establishments (companies were already inserted).
        Company.objects.bulk_update(
            [companies[i] for i in sorted(moved)], ["establishment"], batch_size=500
        )

        # Everyone else: the officers each company needs; partners of a VOF often share a surname.
        for idx, company in enumerate(companies):
            needed = {EENMANSZAAK: 1, VOF: 2, CV: 2, BV: rng.choice((1, 1, 1, 2)), STICHTING: 3}[
                company.legal_form
            ]
            family = None
            while len(per_company[idx]) < needed:
                if officer_persons and rng.random() < OFFICER_REUSE:
                    person = rng.choice(officer_persons)
                    if person in per_company[idx]:
                        continue
                else:
                    surname = family if (family and rng.random() < 0.6) else None
                    person = self._person(
                        born_from=adult[0],
                        born_to=self.d(2004, 12, 31),
                        surname=surname,
                        bsn=rng.random() > 0.04,
                    )
                    family = (person.surname_prefix, person.surname)
                    persons.append(person)
                    officer_persons.append(person)
                add_officer(idx, person, role_for(company))

        # Where officers live: most in a demo home, some (a known signal) registered at a business
        # address, others outside Utrecht (no residence here).
        home_load: Counter = Counter()
        business = [p for p in premises if p.use != WOON]
        for person in officer_persons:
            r = rng.random()
            if not person.bsn:
                continue  # lives abroad
            if r < 0.62:
                home = rng.choice(homes)
                home_load[home.pk] += 1
                person.residence = home
            elif r < 0.66:
                person.residence = rng.choice(business)

        # Residents: households in the homes, so the city has young people and families too.
        target = max(round(self.n * PERSONS_PER_BUSINESS), len(persons) + round(0.8 * len(homes)))
        household_homes = list(homes)
        rng.shuffle(household_homes)
        while len(persons) < target:
            for home in household_homes:
                if len(persons) >= target:
                    break
                surname = self.names.surname()
                size = _weighted(rng, ((1, 30), (2, 30), (3, 15), (4, 15), (5, 10)))
                if home_load[home.pk] >= 2:
                    size = 1
                parents = min(size, 2 if size > 1 and rng.random() < 0.7 else 1)
                for m in range(size):
                    if len(persons) >= target:
                        break
                    if m < parents:
                        person = self._person(
                            born_from=self.d(1950, 1, 1),
                            born_to=self.d(2002, 12, 31),
                            surname=surname if m == 0 or rng.random() < 0.5 else None,
                            residence=home,
                        )
                    else:
                        person = self._person(
                            born_from=self.d(1996, 1, 1),
                            born_to=self.d(2022, 12, 31),
                            surname=surname,
                            residence=home,
                        )
                    home_load[home.pk] += 1
                    persons.append(person)

        # Provenance: residents come from the BRP delivery, the others from the KvK extract.
        for person in persons:
            if person.residence is not None:
                src = self._source(ref.SOURCE_BRP, BRP_FILE, BRP_RECEIVED)
            else:
                src = self._source(ref.SOURCE_KVK, KVK_OFFICERS_FILE, KVK_RECEIVED)
            person.source = src["source"]
            person.source_file = src["source_file"]
            person.source_row = src["source_row"]
            person.received_on = src["received_on"]
        return persons, officers

    # cases ----------------------------------------------------------------------------

    def _cases(self, persons: list[Person]) -> tuple[int, int]:
        rng = self.rng
        if self.n_cases <= 0:
            return 0, 0
        orgs = {o.code: o for o in Organisation.objects.all()}
        director = User.objects.filter(username=CASE_DIRECTOR_USERNAME).first()
        case_types = {
            CaseKind.INDIVIDUAL: self.sources[ref.CASE_TYPE_INDIVIDUAL],
            CaseKind.FAMILY: self.sources[ref.CASE_TYPE_FAMILY],
        }

        def age(p: Person, on: date | None = None) -> int:
            on = on or self.today
            return (
                on.year
                - p.birth_date.year
                - ((on.month, on.day) < (p.birth_date.month, p.birth_date.day))
            )

        residents = [p for p in persons if p.residence is not None and p.residence.use == WOON]
        homes = sorted(
            {id(p.residence): p.residence for p in residents}.values(),
            key=lambda h: (h.wijk, h.area, h.bag_id),
        )
        parents = [
            p
            for p in residents
            if 36 <= age(p) <= 60 and (p.residence.area or p.residence.wijk) in CASE_PLACES
        ]
        n_old_closed = max(1, self.n_cases // 10)
        n_family = max(1, self.n_cases // 10)
        subjects = self._case_subjects(
            residents, homes, max(1, self.n_cases - n_old_closed - n_family), age
        )
        taken = {id(p) for p in subjects}
        older_young = [p for p in residents if 24 <= age(p) <= 31 and id(p) not in taken]
        old_subjects = iter(rng.sample(older_young, min(len(older_young), n_old_closed)))
        family_subjects = iter(rng.sample(parents, min(len(parents), n_family)))
        young = iter(subjects)

        plan: list[tuple[str, Person, str]] = []  # kind, subject, status-kind
        for i in range(self.n_cases):
            if i < n_old_closed:
                kind, subject, when = (
                    CaseKind.INDIVIDUAL,
                    next(old_subjects, None) or next(young, None),
                    "old",
                )
            elif i < n_old_closed + n_family:
                kind, subject, when = (
                    CaseKind.FAMILY,
                    next(family_subjects, None) or next(young, None),
                    "flow",
                )
            else:
                kind, subject, when = CaseKind.INDIVIDUAL, next(young, None), "flow"
            if subject is not None:  # a very small city may not have enough young residents
                plan.append((kind, subject, when))

        cases, participants, records = [], [], []
        seq: Counter = Counter()
        # The flow: inclusions spread evenly from 2023 until three weeks ago; a case runs 8 to
        # 30 months (the inclusion is for two years, extended or ended early at a review), so a
        # few hundred people are in the approach at any time and tens come in and go out per
        # quarter.
        flow_start = self.d(2023, 1, 1)
        flow_end = self.today - timedelta(days=21)
        for kind, subject, when in plan:
            if when == "old":
                opened = _date_between(rng, self.d(2017, 3, 1), self.d(2019, 6, 30))
                closed = _date_between(rng, opened + timedelta(days=300), self.d(2021, 6, 30))
            else:
                opened = _date_between(rng, flow_start, flow_end)
                closed = opened + timedelta(days=rng.randint(240, 900))
                if closed > self.today - timedelta(days=7):
                    closed = None
            seq[opened.year] += 1
            end = closed or self.today
            partner_codes = self._case_partners(kind, subject, age(subject, opened))
            wijk = WIJK_NAMES[subject.residence.wijk] if subject.residence else "Utrecht"
            case = Case(
                reference=f"DBR-{opened.year}-{seq[opened.year]:04d}",
                kind=kind,
                case_type=case_types[kind],
                subject=subject,
                director=director,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                opened_on=opened,
                closed_on=closed,
                summary=self._summary(kind, subject, age(subject, opened), wijk, partner_codes),
            )
            cases.append(case)
            for code in partner_codes:
                since = _date_between(rng, opened, min(opened + timedelta(days=60), end))
                participants.append(
                    CaseParticipant(case=case, organisation=orgs[code], since=since)
                )
                for category, title, text in self._records_for(code, kind):
                    records.append(
                        CaseRecord(
                            case=case,
                            category=category,
                            organisation=orgs[code],
                            occurred_on=_date_between(rng, since, end),
                            title=title,
                            text=text,
                        )
                    )
        Case.objects.bulk_create(cases)
        for p in participants:
            p.case_id = p.case.pk
        for r in records:
            r.case_id = r.case.pk
        CaseParticipant.objects.bulk_create(participants)
        CaseRecord.objects.bulk_create(records, batch_size=500)
        return len(cases), len(records)

    def _case_subjects(self, residents, homes, n: int, age) -> list[Person]:
        """The young people (15 to 25) the cases are about, living where the approach works: about
        a quarter each in the two focus areas (flats above the shops of the Amsterdamsestraatweg,
        and the homes in transformed office buildings in Nieuw Overvecht), the rest in the rest
        of Overvecht, Noordwest and Zuidwest (CASE_PLACES). Young residents of the demo city
        first; where a place has too few, a young person is added to a home there (a BRP
        resident like any other)."""
        rng = self.rng
        flats = [
            self.new_premises(NIEUW_OVERVECHT, WOON, (35, 85), addition=rng.choice(("1", "2", "3")))
            for _ in range(max(1, round(n * 0.2)))
        ]
        Premises.objects.bulk_create(flats, batch_size=500)
        homes = homes + flats
        by_place: dict[str, list] = defaultdict(list)
        for h in homes:
            by_place[h.area or h.wijk].append(h)
        weights = CASE_PLACES
        weights = {k: v for k, v in weights.items() if by_place.get(k)}
        pool: dict[str, list] = defaultdict(list)
        for p in residents:
            if 15 <= age(p) <= 23:
                pool[p.residence.area or p.residence.wijk].append(p)
        for people in pool.values():
            rng.shuffle(people)
        chosen, new = [], []
        places, place_weights = list(weights), list(weights.values())
        for _ in range(n):
            place = rng.choices(places, weights=place_weights, k=1)[0]
            if pool[place]:
                chosen.append(pool[place].pop())
                continue
            home = rng.choice(by_place[place])
            person = self._person(
                born_from=self.today - timedelta(days=25 * 365),
                born_to=self.today - timedelta(days=16 * 365),
                residence=home,
            )
            src = self._source(ref.SOURCE_BRP, BRP_FILE, BRP_RECEIVED)
            person.source, person.source_file = src["source"], src["source_file"]
            person.source_row, person.received_on = src["source_row"], src["received_on"]
            new.append(person)
            chosen.append(person)
        Person.objects.bulk_create(new, batch_size=500)
        return chosen

    def _case_partners(self, kind: str, subject: Person, age_at_opening: int) -> list[str]:
        rng = self.rng
        codes = [ref.ORG_OOV]
        if rng.random() < 0.7:
            codes.append(ref.ORG_POLITIE)
        if rng.random() < 0.6:
            codes.append(ref.ORG_BUURTTEAMS)
        if age_at_opening <= 23 and rng.random() < 0.5:
            codes.append(ref.ORG_JOU)
        if 16 <= age_at_opening <= 23 and rng.random() < 0.45:
            codes.append(ref.ORG_ROC)
        if rng.random() < 0.4:
            codes.append(
                ref.ORG_LJ_R
                if age_at_opening < 18
                else rng.choice((ref.ORG_RN, ref.ORG_RN, ref.ORG_SVG))
            )
        if rng.random() < 0.3:
            codes.append(ref.ORG_OM)
        if (kind == CaseKind.FAMILY or age_at_opening < 18) and rng.random() < 0.4:
            codes.append(ref.ORG_RVDK)
        while len(codes) < 3:
            codes.append(
                rng.choice(
                    [
                        c
                        for c in (ref.ORG_POLITIE, ref.ORG_BUURTTEAMS, ref.ORG_JOU)
                        if c not in codes
                    ]
                )
            )
        return codes

    def _summary(
        self, kind: str, subject: Person, age_at_opening: int, wijk: str, partner_codes: list[str]
    ) -> str:
        rng = self.rng
        if kind == CaseKind.FAMILY:
            reason = rng.choice(
                (
                    "meerdere gezinsleden in beeld bij politie en zorgen over de jongere kinderen",
                    "signalen dat jongere broers en zussen worden betrokken bij drugshandel",
                    "een gezin met schulden, woonoverlast en contacten in het criminele netwerk",
                )
            )
            return (
                f"Gezinscasus ({wijk}). Aangemeld in het casusoverleg vanwege {reason}. "
                "Gezinsgerichte aanpak met buurtteam en partners; afspraken over ondersteuning en grenzen."
            )
        reason = rng.choice(
            (
                "schoolverzuim en signalen van ronselen voor drugshandel",
                "herhaalde contacten met politie rond drugshandel op straat",
                "een eerste veroordeling en zorgen over doorgroei naar zwaardere criminaliteit",
                "signalen van betrokkenheid als geldezel of koerier",
                "uitval uit opleiding en contacten met oudere criminelen",
            )
        )
        offer = rng.choice(
            (
                "stage met status en begeleiding door een jobcoach",
                "een traject met een credible messenger",
                "een sport- en dagprogramma",
                "terugkeer naar school met mentorbegeleiding",
                "schuldhulp en begeleiding naar werk",
            )
        )
        return (
            f"Jongere ({age_at_opening} jaar bij aanmelding, {wijk}). Aangemeld in het casusoverleg vanwege "
            f"{reason}. Plan: {offer}; vasthouden en niet loslaten."
        )

    def _records_for(self, code: str, kind: str) -> list[tuple[str, str, str]]:
        rng = self.rng
        options = RECORD_TEMPLATES.get(code, ())
        if not options:
            return []
        return [rng.choice(options) for _ in range(rng.randint(1, 3))]


C_ = DataCategory
RECORD_TEMPLATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    ref.ORG_OOV: (
        (
            C_.IDENTITY,
            "Aanmelding casusoverleg",
            "Aangemeld door de procesregisseur; betrokkene en ouders geïnformeerd.",
        ),
        (
            C_.CONTACT,
            "Huisbezoek procesregisseur",
            "Kennismakingsgesprek thuis; afspraken over bereikbaarheid.",
        ),
        (
            C_.CARE,
            "Plan van aanpak vastgesteld",
            "Plan van aanpak besproken en vastgesteld in het casusoverleg.",
        ),
        (
            C_.FINANCE,
            "Aanvraag bijzondere bijstand",
            "Aanvraag ingediend voor kosten van opleiding.",
        ),
    ),
    ref.ORG_POLITIE: (
        (
            C_.JUSTICE,
            "Aanhouding Opiumwet",
            "Aangehouden bij controle; proces-verbaal opgemaakt (Opiumwet).",
        ),
        (C_.JUSTICE, "Signaal wijkagent", "Meerdere keren aangetroffen op een bekende dealplek."),
        (
            C_.CONTACT,
            "Gesprek wijkagent",
            "Normstellend gesprek met jongere en ouder door de wijkagent.",
        ),
        (
            C_.JUSTICE,
            "Registratie bedreiging",
            "Aangifte tegen betrokkene geregistreerd; onderzoek loopt.",
        ),
    ),
    ref.ORG_OM: (
        (C_.JUSTICE, "Dagvaarding", "Dagvaarding uitgebracht; zitting gepland."),
        (C_.JUSTICE, "Taakstraf opgelegd", "Werkstraf opgelegd met bijzondere voorwaarden."),
        (
            C_.JUSTICE,
            "Voorwaardelijk sepot",
            "Zaak voorwaardelijk geseponeerd; voorwaarde: meewerken aan traject.",
        ),
    ),
    ref.ORG_RN: (
        (
            C_.JUSTICE,
            "Toezicht gestart",
            "Toezicht op bijzondere voorwaarden gestart; meldplicht wekelijks.",
        ),
        (C_.EDUCATION, "Jobcoach gekoppeld", "Jobcoach gekoppeld voor begeleiding naar werk."),
        (
            C_.FINANCE,
            "Schulden geïnventariseerd",
            "Schulden in kaart gebracht; aanmelding schuldhulp.",
        ),
    ),
    ref.ORG_LJ_R: (
        (
            C_.JUSTICE,
            "Jeugdreclassering gestart",
            "Toezicht jeugdreclassering gestart na uitspraak kinderrechter.",
        ),
        (C_.CARE, "Gezinsgesprek", "Gesprek met jongere en ouders over het plan."),
        (C_.EDUCATION, "Dagbesteding", "Jongere neemt deel aan een dagprogramma."),
    ),
    ref.ORG_SVG: (
        (C_.HEALTH, "Intake verslavingszorg", "Intake afgerond; ambulante behandeling gestart."),
        (
            C_.JUSTICE,
            "Toezicht verslavingsreclassering",
            "Toezicht met voorwaarde behandeling gestart.",
        ),
    ),
    ref.ORG_BUURTTEAMS: (
        (
            C_.CARE,
            "Ondersteuning gezin",
            "Buurtteam ondersteunt ouders bij opvoeding en structuur.",
        ),
        (
            C_.FINANCE,
            "Schuldhulpverlening",
            "Aanmelding schuldhulpverlening; budgetbeheer afgesproken.",
        ),
        (
            C_.HEALTH,
            "Verwijzing huisarts",
            "Na gesprek verwezen naar de huisarts voor verdere hulp.",
        ),
        (C_.EDUCATION, "Contact met school", "Met toestemming contact gelegd met de mentor."),
    ),
    ref.ORG_JOU: (
        (
            C_.CONTACT,
            "Contact op straat",
            "Jongerenwerker heeft contact gelegd tijdens ambulant werk.",
        ),
        (C_.EDUCATION, "Stage met status", "Aangemeld voor een stage met status; intake gepland."),
        (C_.EDUCATION, "Sportprogramma", "Neemt twee keer per week deel aan het sportprogramma."),
    ),
    ref.ORG_ROC: (
        (C_.EDUCATION, "Verzuimmelding", "Ongeoorloofd verzuim gemeld bij leerplicht."),
        (C_.EDUCATION, "Gesprek mentor", "Afspraken gemaakt over aanwezigheid en stageplek."),
        (C_.EDUCATION, "Diploma behaald", "Diploma niveau 2 behaald."),
    ),
    ref.ORG_RVDK: (
        (C_.CARE, "Raadsonderzoek", "Raadsonderzoek gestart naar de opvoedsituatie."),
        (C_.EDUCATION, "Schoolsituatie", "Informatie over schoolgang meegenomen in het onderzoek."),
    ),
}


def build_demo_city(
    seed: int = DEMO_SEED,
    businesses: int = DEMO_BUSINESSES,
    cases: int = DEMO_CASES,
    today: date | None = None,
) -> DemoCitySummary:
    """Build the demo city (reference data and accounts included) into an empty database, dated
    for `today` (default: the day it is built), then run retention as of that day.

    Raises DemoCityExists if the demo city is already there (use `reset_demo_data()` first), and
    NotADemo outside demo mode or on a database with users or organisations the demo did not make."""
    claim_for_demo(seed)
    today = today or clock.demo_today()
    ref.seed_reference_data(today)
    create_demo_accounts()
    if has_demo_data():
        raise DemoCityExists(
            "De demostad staat al in de database; gebruik --reset om opnieuw te bouwen."
        )
    return _City(seed, businesses, cases, today).build()


def reset_demo_data() -> None:
    """Empty every application table except the audit log (append-only by design), Django's
    content types and permissions and reference data seeded by migrations, like `flush` but
    leaving the audit chain intact.
    Only a database the demo made, in demo mode (NotADemo otherwise); it stays marked as the demo's."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    require_demo_database("De demostad opnieuw bouwen (--reset)")
    keep = {m._meta.db_table for m in apps.get_app_config("audit").get_models()}
    keep.add(DemoDatabase._meta.db_table)
    keep |= {"django_content_type", "auth_permission", "django_migrations"}
    # Reference data seeded by migrations (the default inclusion criteria): a rebuild needs them.
    keep.add(apps.get_model("careers", "InclusionCriterion")._meta.db_table)
    keep.add(apps.get_model("enforcement", "EscalationStep")._meta.db_table)  # the 13b ladder
    tables = [
        t
        for t in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if t not in keep
    ]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=False
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Run deferred foreign-key checks now: TRUNCATE refuses to run while they are
                # pending (only the case when the reset shares a transaction with inserts).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in statements:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
