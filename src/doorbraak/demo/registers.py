"""Noisy register extracts of the demo city, imported through the real importers, so that
entity resolution has real work to do — with the ground truth kept for tests and benchmarks.

EVERYTHING HERE IS SYNTHETIC, like the demo city it is drawn from.

From the demo city's own persons (``registers.Person`` with their homes) three newer
deliveries are written as CSV, each in a format the importers accept
(``doorbraak_analysis/registers/mappings/*.yaml``):

- ``brp-bewoning-mutaties.csv`` (source BRP-bewoning, type ``brp_occupancy``): the BRP's
  newer occupancy extract. *Movers* (their record moves to the new home; the old state stays
  in the record history) and *namesakes*: newly registered residents with the same names and
  birth year as someone already known, but another birth day, BSN and home. Names are as the
  BRP writes them; dates, postcodes and house numbers are written in mixed formats.
- ``kvk-functionarissen-mutaties.csv`` (source KvK, type ``kvk_officers``): functions of known
  officers as a newer KvK delivery lists them, *without BSN*, with the names as the
  Handelsregister holds them: initials, surname-prefix variants (``v.d.``, ``Van der``, glued
  ``Vandermeer``, in the surname column, dropped), typos, the partner's surname, mixed date
  formats; plus namesakes (other people, same name and birth year) at other companies.
- ``huurders-woningcorporaties.csv`` (new source: the housing corporations' tenants,
  type ``brp_occupancy``): adult residents as the corporations typed them in, with the same
  name noise; movers appear at their *old* address (the tenant file lags) and some at an
  address where the BRP does not have them at all (a woonfraude signal); plus namesakes.

``grondwaarheid.csv`` says for every row (file, 1-based data row as the importer numbers it)
which demo person it is about (``persoon_pk`` and ``pseudoniem``; empty for a namesake, who
is somebody new) and which kinds of noise it carries. For ``doorbraak link`` and the
benchmark, ``register-personen.csv`` (the demo's persons as first delivered),
``bronnen.csv`` (the three extracts in one table, addresses looked up in the BAG as
the importer does) and ``link-mapping.yaml`` are written beside them.

Two more sources are written for linkage only (never imported), each with its ground truth in
its own columns (``waarheid_*``, ``ruis``): ``politie-signalen.csv``, a police-signal-like
source as sparse as such sources are (one given name or several or initials, the birth date
missing or only its year, postcode or house number missing, ``3522-HL``, upper-case place
names; namesakes and strangers), to link against ``register-personen.csv`` with
``link-mapping-politie.yaml``; and ``bedrijven.csv``, the demo's companies plus a relisting of
a quarter of them as another desk writes them (trade names, legal-form suffixes spelt
otherwise or dropped, the KvK number missing), to deduplicate with
``link-mapping-bedrijven.yaml``.

Deterministic: one ``random.Random(seed)``, persons in primary-key order, no clock.
"""

from __future__ import annotations

import csv
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from doorbraak.registers import validation as v
from doorbraak.registers.models import (
    Company,
    Officer,
    Person,
    Premises,
    RecordVersion,
    SourceFeed,
    SourceType,
)
from doorbraak_analysis.linkage import synth
from doorbraak_analysis.metrics import cluster_scores

from . import clock
from . import reference as ref
from .generator import (
    DEMO_SEED,
    EXTRA_FIRST_NAMES,
    FIRST_NAMES,
    KVK_OFFICERS_FILE,
    SYSTEM_USER,
    _bsn_generator,
)
from .sectors import WOON

BRP_UPDATE_FILE = "brp-bewoning-mutaties.csv"
KVK_OFFICERS_UPDATE_FILE = "kvk-functionarissen-mutaties.csv"
TENANTS_FILE = "huurders-woningcorporaties.csv"
TRUTH_FILE = "grondwaarheid.csv"
REGISTER_FILE = "register-personen.csv"
COMBINED_FILE = "bronnen.csv"
MAPPING_FILE = "link-mapping.yaml"
# Sparse, police-signal-like source (for `doorbraak link` and the benchmark only; not imported).
SPARSE_FILE = "politie-signalen.csv"
SPARSE_MAPPING_FILE = "link-mapping-politie.yaml"
# The demo's companies with a noisy relisting of some, for company resolution (not imported).
COMPANY_FILE = "bedrijven.csv"
COMPANY_MAPPING_FILE = "link-mapping-bedrijven.yaml"

# (file, source code, importer type, received this many days before the demo's build date) in import order.
EXTRACTS = (
    (BRP_UPDATE_FILE, ref.SOURCE_BRP, SourceType.BRP_OCCUPANCY, 2),
    (KVK_OFFICERS_UPDATE_FILE, ref.SOURCE_KVK, SourceType.KVK_OFFICERS, 3),
    (TENANTS_FILE, ref.SOURCE_TENANTS, SourceType.BRP_OCCUPANCY, 4),
)
SEED_OFFSET = 404  # the extracts draw from their own generator: the city itself does not change

# Shares of the demo persons that appear in each extract.
MOVERS = 0.05  # of residents: moved to another home (BRP)
BRP_NAMESAKES = 0.015  # of residents: a new resident with the same name and birth year
KVK_RELISTED = 0.35  # of officers: their function relisted without BSN, name as KvK has it
KVK_NAMESAKES = 0.02  # of officers
TENANTS = 0.30  # of adult residents of homes
TENANT_UNDECLARED = 0.04  # of tenants: living at an address where the BRP does not have them
TENANT_NAMESAKES = 0.01
COMMON_SURNAME = 4  # a surname borne by at least this many demo persons counts as common
SPARSE_SIGNALS = 0.15  # of adult residents: a police-signal-like record about them
SPARSE_NAMESAKES = 0.01
SPARSE_STRANGERS = 0.05  # of the signals: about somebody the city's registers do not know
COMPANY_RELISTED = 0.25  # of companies: listed again as another desk writes them
SPARSE_NOISE_KINDS = (
    "first_name_only",
    "other_given_name",
    "initials",
    "typo",
    "partner_name",
    "prefix_variant",
    "prefix_glued",
    "upper_case",
    "no_birth_date",
    "birth_year_only",
    "date_format",
    "date_error",
    "no_postcode",
    "no_house_number",
    "no_address",
    "postcode_variant",
    "upper_case_place",
    "other_address",
    "namesake",
    "stranger",
)
COMPANY_NOISE_KINDS = (
    "trade_name",
    "legal_form_variant",
    "upper_case",
    "typo",
    "no_kvk",
    "no_legal_form",
    "postcode_variant",
    "no_address",
)

NOISE_KINDS = (
    "typo",
    "prefix_variant",
    "prefix_glued",
    "initials",
    "first_name_only",
    "partner_name",
    "upper_case",
    "date_format",
    "date_error",
    "no_birth_date",
    "house_variant",
    "postcode_variant",
    "mover",
    "undeclared_address",
    "namesake",
)
FEMALE = set(FIRST_NAMES["f"]) | set(EXTRA_FIRST_NAMES["f"])


@dataclass
class BasePerson:
    """A demo person as the city first delivered them (before any extract of this module)."""

    pk: int
    pseudonym: str
    bsn: str
    given_names: str
    prefix: str
    surname: str
    birth_date: date | None
    residence: Premises | None
    functions: list[Officer] = field(default_factory=list)

    @property
    def female(self) -> bool:
        return self.given_names.split(" ")[0] in FEMALE

    def age(self, on: date) -> int:
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day)) if b else 0


@dataclass
class TruthRow:
    file: str
    row: int
    key: str
    person: BasePerson | None  # None: a namesake, someone new
    noise: list[str]
    namesake_of: BasePerson | None = None
    address: Premises | None = None
    values: dict = field(default_factory=dict)  # name fields as written, for the combined table


@dataclass
class ExtractSummary:
    out_dir: Path
    files: dict[str, int] = field(default_factory=dict)  # file -> data rows
    noise: Counter = field(default_factory=Counter)
    truth: list[TruthRow] = field(default_factory=list)
    seconds: float = 0.0
    # the sparse police-like source and the company list (link files only, not imported)
    sparse_rows: int = 0
    sparse_noise: Counter = field(default_factory=Counter)
    company_rows: int = 0
    company_noise: Counter = field(default_factory=Counter)


# --- the demo city's persons as first delivered -------------------------------------------


def base_persons() -> list[BasePerson]:
    """The persons of the demo city (their first BRP and KvK deliveries), in pk order, with
    the home they had then: a record an extract of this module has since updated is read
    back from its first version in the record history."""
    ours = {name for name, *_ in EXTRACTS}
    earlier, versioned = {}, set()
    for object_id, batch_id, values in (
        RecordVersion.objects.filter(model="person")
        .order_by("id")
        .values_list("object_id", "batch_id", "values")
    ):
        versioned.add(object_id)
        if batch_id is None:
            earlier.setdefault(object_id, values)
    # Persons anonymised by retention are no longer known to the city.
    persons = Person.objects.filter(
        source__code__in=(ref.SOURCE_BRP, ref.SOURCE_KVK), anonymised=False
    ).order_by("pk")
    homes = {p.pk: p for p in Premises.objects.all()}
    out: dict[int, BasePerson] = {}
    for p in persons:
        values = None
        if p.source_file in ours:
            values = earlier.get(p.pk)
            if values is None and p.pk in versioned:
                continue  # created by an extract: not part of the city as built
            # else: changed by an extract (first state kept) or only confirmed by one (unchanged)
        values = values or {}
        residence_id = values.get("residence_id", p.residence_id)
        birth = values.get("birth_date", p.birth_date)
        out[p.pk] = BasePerson(
            p.pk,
            p.pseudonym,
            values.get("bsn", p.bsn),
            values.get("given_names", p.given_names),
            values.get("surname_prefix", p.surname_prefix),
            values.get("surname", p.surname),
            date.fromisoformat(birth) if isinstance(birth, str) else birth,
            homes.get(residence_id),
        )
    officers = Officer.objects.filter(
        source__code=ref.SOURCE_KVK, source_file__in=(KVK_OFFICERS_FILE, KVK_OFFICERS_UPDATE_FILE)
    )
    for o in officers.select_related("company").order_by("pk"):
        if o.person_id in out:
            out[o.person_id].functions.append(o)
    return list(out.values())


# --- noise -------------------------------------------------------------------------------


def _date_text(
    d: date | None, rng: random.Random, tags: list[str], allow_error: bool = True
) -> str:
    """A birth date as a less careful source writes it, always one the importer reads."""
    if d is None:
        return ""
    iso = d.isoformat()
    for _ in range(8):
        text = synth.date_variant(iso, rng)
        try:
            parsed = v.parse_date(text)
        except v.Invalid:
            continue  # e.g. only the year: the importer would reject the whole file
        if parsed != d and not allow_error:
            continue
        if parsed != d:
            tags.append("date_error")
        if text != iso:
            tags.append("date_format")
        return text
    return iso


def _house_text(p: Premises, rng: random.Random, tags: list[str]) -> str:
    """The house number with letter/addition written in one column, in a way the importer
    parses back to the same BAG address ('12-B', '12 b', '12B', '14-1'); else written plainly."""
    canonical = (p.house_number, p.house_letter, p.house_number_addition)
    if p.house_letter and p.house_number_addition:
        return f"{p.house_number}{p.house_letter}-{p.house_number_addition}"
    if not (p.house_letter or p.house_number_addition):
        return str(p.house_number)
    for _ in range(4):
        text = synth.house_variant(
            str(p.house_number), p.house_letter, p.house_number_addition, rng
        )
        try:
            hn = v.parse_house_number(text)
        except v.Invalid:
            continue
        if (hn.number, hn.letter, hn.addition) == canonical:
            if text != f"{p.house_number}{p.house_letter}" + (
                f"-{p.house_number_addition}" if p.house_number_addition else ""
            ):
                tags.append("house_variant")
            return text
    return (
        f"{p.house_number}-{p.house_number_addition}"
        if p.house_number_addition
        else (f"{p.house_number}{p.house_letter}")
    )


def _postcode_text(pc: str, rng: random.Random, tags: list[str]) -> str:
    text = synth.postcode_variant(pc, rng)
    if text != pc:
        tags.append("postcode_variant")
    return text


def _noisy_name(
    p: BasePerson,
    rng: random.Random,
    partner: BasePerson | None,
    tags: list[str],
    given_noise: bool = True,
) -> tuple[str, str, str]:
    """(voornamen, voorvoegsel, geslachtsnaam) as a second source writes them."""
    given, prefix, surname = p.given_names, p.prefix, p.surname
    if partner is not None and rng.random() < 0.6:
        own = f"{prefix} {surname}".strip()
        theirs = f"{partner.prefix} {partner.surname}".strip()
        usage = rng.choice("PVVN")  # aanduiding naamgebruik: partner, partner-eigen, eigen-partner
        prefix, surname = "", {"P": theirs, "V": f"{theirs}-{own}", "N": f"{own}-{theirs}"}[usage]
        tags.append("partner_name")
    if rng.random() < 0.08:
        changed = synth.typo(surname, rng)
        if changed != surname:
            surname = changed
            tags.append("typo")
    new_prefix, new_surname = synth.prefix_variant(prefix, surname, rng)
    if (new_prefix, new_surname) != (prefix, surname):
        glued = prefix.replace(" ", "").replace("'", "").lower() + surname.lower()
        tags.append(
            "prefix_glued" if not new_prefix and new_surname.lower() == glued else "prefix_variant"
        )
    prefix, surname = new_prefix, new_surname
    if given_noise:
        roll = rng.random()
        if roll < 0.2:
            given = synth.initials(given)
            tags.append("initials")
        elif roll < 0.35 and " " in given:
            given = given.split(" ")[0]
            tags.append("first_name_only")
        if "initials" not in tags and rng.random() < 0.05:
            changed = synth.typo(given, rng)
            if changed != given:
                given = changed
                tags.append("typo")
    if rng.random() < 0.05:
        surname = surname.upper()
        tags.append("upper_case")
    return given, prefix, surname


def _partners(persons: list[BasePerson], today: date) -> dict[int, BasePerson]:
    """A woman living with a man of another surname (both adults, close in age) may use his name."""
    by_home: dict[int, list[BasePerson]] = defaultdict(list)
    for p in persons:
        if p.residence is not None and p.residence.use == WOON and p.age(today) >= 21:
            by_home[p.residence.pk].append(p)
    out = {}
    for adults in by_home.values():
        for w in adults:
            if not w.female:
                continue
            for m in adults:
                if (
                    m is not w
                    and not m.female
                    and m.surname != w.surname
                    and abs(m.birth_date.year - w.birth_date.year) <= 12
                ):
                    out[w.pk] = m
                    break
    return out


def _namesake_date(p: BasePerson, rng: random.Random) -> date:
    """Same birth year, another day."""
    while True:
        d = date(p.birth_date.year, rng.randint(1, 12), rng.randint(1, 28))
        if d != p.birth_date:
            return d


# --- writing --------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",") -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)


def write_extracts(  # noqa: C901 - generator: each branch a kind of noise in the extracts
    out_dir: str | Path, seed: int = DEMO_SEED
) -> ExtractSummary:
    """Write the three noisy extracts, the ground truth and the files for ``doorbraak link``."""
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + SEED_OFFSET)
    today = clock.built_on()
    persons = base_persons()
    summary = ExtractSummary(out)
    existing_bsns = {p.bsn for p in persons}
    new_bsns = (
        b for b in _bsn_generator(random.Random(seed + SEED_OFFSET + 1)) if b not in existing_bsns
    )
    homes = list(Premises.objects.filter(use=WOON).order_by("bag_id"))
    partners = _partners(persons, today)
    residents = [
        p for p in persons if p.bsn and p.residence is not None and p.residence.use == WOON
    ]
    officers = [p for p in persons if p.functions]
    # Namesakes (same names, same birth year) are a matter of common names: their templates are
    # persons whose surname is among the more frequent in the city.
    surnames = Counter((p.prefix, p.surname) for p in persons)

    def common(pool: list[BasePerson]) -> list[BasePerson]:
        picked = [p for p in pool if surnames[(p.prefix, p.surname)] >= COMMON_SURNAME]
        return picked if len(picked) >= 10 else pool

    def other_home(current: Premises | None) -> Premises:
        while True:
            home = rng.choice(homes)
            if home != current:
                return home

    # 1. BRP: movers and namesakes --------------------------------------------------------
    brp_rows, brp_truth = [], []
    moved: dict[int, Premises] = {}  # person pk -> old home
    n_movers = max(1, round(len(residents) * MOVERS))
    n_namesakes = max(1, round(len(residents) * BRP_NAMESAKES))
    for p in rng.sample(residents, min(n_movers, len(residents))):
        moved[p.pk] = p.residence
        brp_truth.append((p, other_home(p.residence), ["mover"], None))
    for p in rng.sample(common(residents), min(n_namesakes, len(common(residents)))):
        twin = BasePerson(
            0,
            "",
            next(new_bsns),
            p.given_names,
            p.prefix,
            p.surname,
            _namesake_date(p, rng),
            other_home(p.residence),
        )
        brp_truth.append((twin, twin.residence, ["namesake"], p))
    brp_truth.sort(key=lambda t: t[0].bsn)  # the BRP delivers in BSN order
    for p, home, tags, namesake_of in brp_truth:
        tags = list(tags)
        born = _date_text(p.birth_date, rng, tags, allow_error=False)
        pc = _postcode_text(home.postcode, rng, tags)
        house = _house_text(home, rng, tags)
        brp_rows.append([p.bsn, p.given_names, p.prefix, p.surname, born, pc, house])
        summary.truth.append(
            TruthRow(
                BRP_UPDATE_FILE,
                len(brp_rows),
                p.bsn,
                None if namesake_of else p,
                tags,
                namesake_of,
                home,
                {
                    "given": p.given_names,
                    "prefix": p.prefix,
                    "surname": p.surname,
                    "born": born,
                    "pc": pc,
                    "house": house,
                },
            )
        )
    _write_csv(
        out / BRP_UPDATE_FILE,
        [
            "burgerservicenummer",
            "voornamen",
            "voorvoegsel",
            "geslachtsnaam",
            "geboortedatum",
            "postcode",
            "huisnummer",
        ],
        brp_rows,
        delimiter=";",
    )

    # 2. KvK officers without BSN, names as the Handelsregister holds them ------------------
    kvk_rows = []
    relisted = rng.sample(officers, round(len(officers) * KVK_RELISTED))
    items = []
    for p in relisted:
        function = rng.choice(p.functions)
        items.append((function.company.kvk_number, p, function.role, function.since, None))
    all_functions = [f for p in officers for f in p.functions]
    for p in rng.sample(
        common(officers), min(max(1, round(len(officers) * KVK_NAMESAKES)), len(common(officers)))
    ):
        other = rng.choice([f for f in all_functions if f.person_id != p.pk])
        twin = BasePerson(
            0, "", "", p.given_names, p.prefix, p.surname, _namesake_date(p, rng), None
        )
        items.append((other.company.kvk_number, twin, other.role, other.since, p))
    items.sort(key=lambda t: (t[0], t[1].surname, t[1].given_names))
    seen_keys = set()
    for kvk, p, role, since, namesake_of in items:
        tags = ["namesake"] if namesake_of else []
        if namesake_of:
            given, prefix, surname = p.given_names, p.prefix, p.surname
        else:
            given, prefix, surname = _noisy_name(p, rng, partners.get(p.pk), tags)
        born = _date_text(p.birth_date, rng, tags, allow_error=namesake_of is None)
        key = (
            kvk,
            given.lower(),
            v.parse_prefix(prefix),
            surname.lower(),
            v.parse_date(born),
            role,
        )
        if key in seen_keys:  # the importer would see one function twice
            continue
        seen_keys.add(key)
        kvk_rows.append(
            [kvk, given, prefix, surname, born, role, _date_text(since, rng, [], allow_error=False)]
        )
        summary.truth.append(
            TruthRow(
                KVK_OFFICERS_UPDATE_FILE,
                len(kvk_rows),
                f"{kvk}|{given} {surname}",
                None if namesake_of else p,
                tags,
                namesake_of,
                None,
                {"given": given, "prefix": prefix, "surname": surname, "born": born},
            )
        )
    _write_csv(
        out / KVK_OFFICERS_UPDATE_FILE,
        [
            "kvk_nummer",
            "voornamen",
            "voorvoegsel",
            "geslachtsnaam",
            "geboortedatum",
            "functie",
            "datum_aanvang",
        ],
        kvk_rows,
    )

    # 3. Tenants of the housing corporations ------------------------------------------------
    adults = [p for p in residents if p.age(today) >= 18]
    tenants = rng.sample(adults, round(len(adults) * TENANTS))
    # Movers are over-represented: the corporation's file still has many of them at the old address.
    tenants += [p for p in adults if p.pk in moved and p not in tenants and rng.random() < 0.5]
    t_items = []
    for p in tenants:
        tags = []
        home = p.residence
        if p.pk in moved:
            tags.append(
                "mover"
            )  # the BRP has them at their new home, the corporation at the old one
        elif rng.random() < TENANT_UNDECLARED:
            home = other_home(home)
            tags.append("undeclared_address")
        t_items.append((p, home, tags, None))
    for p in rng.sample(
        common(adults), min(max(1, round(len(adults) * TENANT_NAMESAKES)), len(common(adults)))
    ):
        twin = BasePerson(
            0, "", next(new_bsns), p.given_names, p.prefix, p.surname, _namesake_date(p, rng), None
        )
        t_items.append((twin, other_home(p.residence), ["namesake"], p))
    t_items.sort(key=lambda t: (t[1].postcode, t[1].house_number, t[0].bsn))
    tenant_rows = []
    for p, home, tags, namesake_of in t_items:
        tags = list(tags)
        if namesake_of:
            given, prefix, surname = p.given_names, p.prefix, p.surname
        else:
            given, prefix, surname = _noisy_name(p, rng, partners.get(p.pk), tags)
        if rng.random() < 0.05:
            born = ""
            tags.append("no_birth_date")
        else:
            born = _date_text(p.birth_date, rng, tags, allow_error=namesake_of is None)
        pc = _postcode_text(home.postcode, rng, tags)
        house = _house_text(home, rng, tags)
        tenant_rows.append([p.bsn, given, prefix, surname, born, pc, house])
        summary.truth.append(
            TruthRow(
                TENANTS_FILE,
                len(tenant_rows),
                p.bsn,
                None if namesake_of else p,
                tags,
                namesake_of,
                home,
                {
                    "given": given,
                    "prefix": prefix,
                    "surname": surname,
                    "born": born,
                    "pc": pc,
                    "house": house,
                },
            )
        )
    _write_csv(
        out / TENANTS_FILE,
        [
            "bsn",
            "voornamen",
            "tussenvoegsel",
            "achternaam",
            "geboortedatum",
            "postcode",
            "huisnummer",
        ],
        tenant_rows,
    )

    summary.files = {
        BRP_UPDATE_FILE: len(brp_rows),
        KVK_OFFICERS_UPDATE_FILE: len(kvk_rows),
        TENANTS_FILE: len(tenant_rows),
    }
    for t in summary.truth:
        summary.noise.update(set(t.noise))
    _write_truth(out, summary.truth)
    _write_link_files(out, persons, summary.truth)
    # own generators: the three extracts above stay as they were
    _write_sparse_source(out, persons, partners, homes, today, summary, seed)
    _write_company_source(out, summary, seed)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _write_truth(out: Path, truth: list[TruthRow]) -> None:
    _write_csv(
        out / TRUTH_FILE,
        ["bestand", "rij", "sleutel", "persoon_pk", "pseudoniem", "naamgenoot_van_pk", "ruis"],
        [
            [
                t.file,
                t.row,
                t.key,
                t.person.pk if t.person else "",
                t.person.pseudonym if t.person else "",
                t.namesake_of.pk if t.namesake_of else "",
                "+".join(dict.fromkeys(t.noise)),
            ]
            for t in truth
        ],
    )


def _address_cells(p: Premises | None) -> list:
    if p is None:
        return ["", "", "", "", "", ""]
    return [p.street, p.house_number, p.house_letter, p.house_number_addition, p.postcode, p.city]


def _write_link_files(out: Path, persons: list[BasePerson], truth: list[TruthRow]) -> None:
    """The demo register (left) and the three extracts as one table (right), for ``doorbraak
    link`` and the benchmark: ids are pseudonyms (left) and ``file:row`` (right)."""
    address = [
        "straat",
        "huisnummer",
        "huisletter",
        "huisnummertoevoeging",
        "postcode",
        "woonplaats",
    ]
    _write_csv(
        out / REGISTER_FILE,
        ["persoon_id", "voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum", *address],
        [
            [
                p.pseudonym,
                p.given_names,
                p.prefix,
                p.surname,
                p.birth_date.isoformat() if p.birth_date else "",
                *_address_cells(p.residence),
            ]
            for p in persons
        ],
    )
    rows = []
    for t in truth:
        cells = _address_cells(t.address)
        if t.address is not None:  # as the extract wrote them; street and place as the BAG has them
            cells[1], cells[2], cells[3], cells[4] = t.values["house"], "", "", t.values["pc"]
        rows.append(
            [
                f"{t.file.removesuffix('.csv')}:{t.row}",
                t.values["given"],
                t.values["prefix"],
                t.values["surname"],
                t.values["born"],
                *cells,
                t.person.pseudonym if t.person else "",
            ]
        )
    _write_csv(
        out / COMBINED_FILE,
        [
            "sleutel",
            "voornamen",
            "voorvoegsel",
            "geslachtsnaam",
            "geboortedatum",
            *address,
            "waarheid_persoon_id",
        ],
        rows,
    )
    fields = {
        "given_names": "voornamen",
        "surname_prefix": "voorvoegsel",
        "surname": "geslachtsnaam",
        "birth_date": "geboortedatum",
        "street": "straat",
        "house_number": "huisnummer",
        "house_letter": "huisletter",
        "house_number_addition": "huisnummertoevoeging",
        "postcode": "postcode",
        "city": "woonplaats",
    }
    lines = [
        "# doorbraak link --left register-personen.csv --right bronnen.csv "
        "--mapping link-mapping.yaml --entity person --out links.csv",
        "left:",
        "  id: persoon_id",
    ]
    lines += [f"  {k}: {c}" for k, c in fields.items()]
    lines += ["right:", "  id: sleutel"] + [f"  {k}: {c}" for k, c in fields.items()]
    (out / MAPPING_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


_ADDRESS_HEADER = ["straat", "huisnummer", "postcode", "woonplaats"]


def _sparse_postcode(pc: str, rng: random.Random, tags: list[str]) -> str:
    """A postcode as a signal system holds it: '3522-HL', '3522hl', '3522 HL' or plain."""
    text = rng.choice(
        [
            pc,
            pc,
            f"{pc[:4]}-{pc[4:]}",
            pc.lower(),
            f"{pc[:4]} {pc[4:]}",
            f"{pc[:4]}-{pc[4:].lower()}",
        ]
    )
    if text != pc:
        tags.append("postcode_variant")
    return text


def _sparse_given(given: str, rng: random.Random, tags: list[str]) -> str:
    names = given.split(" ")
    roll = rng.random()
    if roll < 0.35 and len(names) > 1:
        tags.append("first_name_only")
        return names[0]
    if roll < 0.42 and len(names) > 1:
        tags.append("other_given_name")  # the name the person goes by, not the first
        return rng.choice(names[1:])
    if roll < 0.6:
        tags.append("initials")
        return synth.initials(given)
    if rng.random() < 0.04:
        changed = synth.typo(given, rng)
        if changed != given:
            tags.append("typo")
            return changed
    return given


def _write_sparse_source(  # noqa: C901 - generator: each branch a kind of sparsity
    out: Path,
    persons: list[BasePerson],
    partners: dict[int, BasePerson],
    homes: list[Premises],
    today: date,
    summary: ExtractSummary,
    seed: int,
) -> None:
    """A police-signal-like source: one given name or several or only initials, the birth date
    missing or only its year, postcode or house number missing, '3522-HL', upper-case place
    names; plus namesakes and strangers. Written with its ground truth (``waarheid_persoon_id``,
    ``ruis``) beside the demo register, for ``doorbraak link`` and the benchmark."""
    rng = random.Random(seed + SEED_OFFSET + 2)
    adults = [
        p
        for p in persons
        if p.bsn and p.residence is not None and p.residence.use == WOON and p.age(today) >= 16
    ]
    if not adults:
        return
    surnames = Counter((p.prefix, p.surname) for p in persons)
    common = [p for p in adults if surnames[(p.prefix, p.surname)] >= COMMON_SURNAME] or adults
    items: list[tuple[BasePerson, Premises | None, list[str], bool]] = []
    for p in rng.sample(adults, round(len(adults) * SPARSE_SIGNALS)):
        items.append((p, p.residence, [], True))
    for p in rng.sample(common, min(len(common), max(1, round(len(adults) * SPARSE_NAMESAKES)))):
        twin = BasePerson(
            0, "", "", p.given_names, p.prefix, p.surname, _namesake_date(p, rng), None
        )
        items.append((twin, rng.choice(homes), ["namesake"], False))
    for _ in range(max(1, round(len(items) * SPARSE_STRANGERS))):
        # somebody the registers do not know: a name from the city's pools, another birth date
        a, b = rng.sample(adults, 2)
        stranger = BasePerson(
            0,
            "",
            "",
            a.given_names.split(" ")[0],
            b.prefix,
            b.surname,
            date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            None,
        )
        items.append((stranger, rng.choice(homes), ["stranger"], False))
    rng.shuffle(items)
    rows = []
    for i, (p, home, tags, known) in enumerate(items, start=1):
        tags = list(tags)
        if known:
            _, prefix, surname = _noisy_name(p, rng, partners.get(p.pk), tags, given_noise=False)
            given = _sparse_given(p.given_names, rng, tags)
            if "upper_case" not in tags and rng.random() < 0.25:
                surname = surname.upper()
                tags.append("upper_case")
            if rng.random() < 0.05:
                home = rng.choice(homes)  # an address the person was seen at, not their home
                tags.append("other_address")
        else:
            given, prefix, surname = p.given_names, p.prefix, p.surname
        roll = rng.random()
        if roll < 0.25:
            born = ""
            tags.append("no_birth_date")
        elif roll < 0.45 and p.birth_date:
            born = str(p.birth_date.year)
            tags.append("birth_year_only")
        else:
            born = _date_text(p.birth_date, rng, tags, allow_error=known)
        street = house = pc = place = ""
        roll = rng.random()
        # a signal is about somebody identifiable: without a birth date it has an address
        if home is not None and (roll >= 0.06 or not born):
            street, place = home.street, home.city
            no_postcode = roll < 0.26 or 0.44 <= roll < 0.48
            no_house = 0.26 <= roll < 0.48
            if no_postcode:
                tags.append("no_postcode")
            else:
                pc = _sparse_postcode(home.postcode, rng, tags)
            if no_house:
                tags.append("no_house_number")
            else:
                house = _house_text(home, rng, tags)
            if rng.random() < 0.5:
                place = place.upper()
                tags.append("upper_case_place")
        else:
            tags.append("no_address")
        tags = [t for t in tags if t not in ("house_variant",)]
        rows.append(
            [
                f"{SPARSE_FILE.removesuffix('.csv')}:{i}",
                given,
                prefix,
                surname,
                born,
                street,
                house,
                pc,
                place,
                p.pseudonym if known else "",
                "+".join(dict.fromkeys(tags)),
            ]
        )
        summary.sparse_noise.update(set(tags))
    _write_csv(
        out / SPARSE_FILE,
        [
            "sleutel",
            "voornamen",
            "voorvoegsel",
            "geslachtsnaam",
            "geboortedatum",
            *_ADDRESS_HEADER,
            "waarheid_persoon_id",
            "ruis",
        ],
        rows,
    )
    summary.sparse_rows = len(rows)
    left = {
        "given_names": "voornamen",
        "surname_prefix": "voorvoegsel",
        "surname": "geslachtsnaam",
        "birth_date": "geboortedatum",
        "street": "straat",
        "house_number": "huisnummer",
        "house_letter": "huisletter",
        "house_number_addition": "huisnummertoevoeging",
        "postcode": "postcode",
        "city": "woonplaats",
    }
    right = {k: c for k, c in left.items() if k not in ("house_letter", "house_number_addition")}
    lines = [
        f"# doorbraak link --left {REGISTER_FILE} --right {SPARSE_FILE} "
        f"--mapping {SPARSE_MAPPING_FILE} --entity person --out links-politie.csv",
        "left:",
        "  id: persoon_id",
        *[f"  {k}: {c}" for k, c in left.items()],
        "right:",
        "  id: sleutel",
        *[f"  {k}: {c}" for k, c in right.items()],
    ]
    (out / SPARSE_MAPPING_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


_LEGAL_SPELLINGS = {
    " B.V.": [" BV", " B.V", " b.v.", " Besloten Vennootschap", " bv", ""],
    " V.O.F.": [" VOF", " vof", " V.O.F", ""],
    " C.V.": [" CV", " C.V", ""],
}


def _write_company_source(out: Path, summary: ExtractSummary, seed: int) -> None:
    """The demo's companies as the KvK has them, plus a relisting of some as another desk
    (permits, a bank) writes them: the trade name instead of the statutory one, legal-form
    suffixes spelt otherwise or dropped, upper case, typos, the KvK number or the address
    missing. ``waarheid_kvk`` is the registration each row is about; similar names of
    different companies (the demo has many) must stay apart."""
    rng = random.Random(seed + SEED_OFFSET + 3)
    companies = list(Company.objects.select_related("establishment").order_by("pk"))
    rows = []

    def address(p: Premises | None, tags: list[str] | None) -> list:
        if p is None:
            return ["", "", "", ""]
        pc = p.postcode if tags is None else _postcode_text(p.postcode, rng, tags)
        return [p.street, p.house_number, pc, p.city]

    for c in companies:
        rows.append(
            [
                f"kvk:{c.kvk_number}",
                c.name,
                c.kvk_number,
                c.legal_form,
                *address(c.establishment, None),
                c.kvk_number,
                "",
            ]
        )
    for i, c in enumerate(rng.sample(companies, round(len(companies) * COMPANY_RELISTED)), start=1):
        tags: list[str] = []
        name = c.name
        if c.trade_name and c.trade_name != c.name and rng.random() < 0.3:
            name = c.trade_name
            tags.append("trade_name")
        for suffix, spellings in _LEGAL_SPELLINGS.items():
            if name.endswith(suffix) and rng.random() < 0.6:
                name = name.removesuffix(suffix) + rng.choice(spellings)
                tags.append("legal_form_variant")
                break
        if rng.random() < 0.15:
            name = name.upper()
            tags.append("upper_case")
        elif rng.random() < 0.05:
            changed = synth.typo(name, rng)
            if changed != name:
                name = changed
                tags.append("typo")
        kvk = c.kvk_number
        if rng.random() < 0.25:
            kvk = ""
            tags.append("no_kvk")
        legal_form = c.legal_form
        if rng.random() < 0.5:
            legal_form = ""
            tags.append("no_legal_form")
        place: Premises | None = c.establishment
        if rng.random() < 0.1:
            place = None
            tags.append("no_address")
        rows.append(
            [
                f"vergunningen:{i}",
                name,
                kvk,
                legal_form,
                *address(place, tags),
                c.kvk_number,
                "+".join(tags),
            ]
        )
        summary.company_noise.update(set(tags))
    _write_csv(
        out / COMPANY_FILE,
        ["sleutel", "naam", "kvk_nummer", "rechtsvorm", *_ADDRESS_HEADER, "waarheid_kvk", "ruis"],
        rows,
    )
    summary.company_rows = len(rows)
    fields = {
        "id": "sleutel",
        "name": "naam",
        "kvk_number": "kvk_nummer",
        "legal_form": "rechtsvorm",
        "street": "straat",
        "house_number": "huisnummer",
        "postcode": "postcode",
        "city": "woonplaats",
    }
    lines = [
        f"# doorbraak link --left {COMPANY_FILE} --mapping {COMPANY_MAPPING_FILE} "
        "--entity company --out bedrijven-entiteiten.csv",
        "left:",
        *[f"  {k}: {c}" for k, c in fields.items()],
    ]
    (out / COMPANY_MAPPING_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_truth(out_dir: str | Path) -> list[dict]:
    with open(Path(out_dir) / TRUTH_FILE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- importing and linking -------------------------------------------------------------------


def import_extracts(out_dir: str | Path) -> list:
    """Import the three extracts through the register importers (all or nothing each)."""
    from doorbraak.privacy.models import ProcessingActivity
    from doorbraak.registers.importers import import_file

    results = []
    today = clock.built_on()
    for name, code, source_type, days_before in EXTRACTS:
        received = today - timedelta(days=days_before)
        source = ProcessingActivity.objects.get(code=code)
        if code == ref.SOURCE_TENANTS:
            SourceFeed.objects.get_or_create(
                activity=source,
                defaults={
                    "source_type": source_type,
                    "refresh_days": 90,
                    "delivered_by": "woningcorporaties in Utrecht (convenant woonfraude)",
                },
            )
        result = import_file(
            source,
            Path(out_dir) / name,
            source_type=source_type,
            received_on=received,
            username=SYSTEM_USER,
        )
        if not result.ok:
            raise RuntimeError(result.report())
        results.append(result)
    return results


def truth_clusters(out_dir: str | Path) -> dict[int, str]:
    """Person record pk -> true person: the demo persons themselves, the imported extract
    records by their file and row, namesakes each on their own."""
    truth = {(t["bestand"], int(t["rij"])): t for t in read_truth(out_dir)}
    out = {bp.pk: f"p{bp.pk}" for bp in base_persons()}
    files = {name for name, *_ in EXTRACTS}
    for pk, file, row in Person.objects.filter(source_file__in=files).values_list(
        "pk", "source_file", "source_row"
    ):
        t = truth.get((file, row))
        if t is None:
            continue
        out[pk] = f"p{t['persoon_pk']}" if t["persoon_pk"] else f"new:{file}:{row}"
    return out


def pairwise_scores(predicted: dict, truth: dict) -> dict:
    """Pairwise precision/recall/F1 of a clustering (record -> entity) against the truth."""
    return cluster_scores(predicted, truth).as_dict()


def linkage_scores(out_dir: str | Path) -> dict:
    """Scores of the latest person linkage run against the ground truth."""
    from doorbraak.entities import services

    run = services.latest_run("person")
    predicted = (
        {a.record_id: a.entity_id for a in run.assignments.filter(record_type="person")}
        if run
        else {}
    )
    return pairwise_scores(predicted, truth_clusters(out_dir))


@dataclass
class RegistersSummary:
    extracts: ExtractSummary
    imports: list
    runs: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    seconds: float = 0.0


def build_demo_registers(
    out_dir: str | Path, seed: int = DEMO_SEED, link: bool = True
) -> RegistersSummary:
    """Write the noisy extracts, import them, and (``link``) resolve persons and companies."""
    started = time.perf_counter()
    extracts = write_extracts(out_dir, seed)
    imports = import_extracts(out_dir)
    summary = RegistersSummary(extracts, imports)
    if link:
        from doorbraak.entities.services import run_register_linkage

        for entity in ("person", "company"):
            summary.runs[entity] = run_register_linkage(entity)
        summary.scores = linkage_scores(out_dir)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
