"""Deterministic noisy Dutch registers with ground truth, for tests, the demo city and the
benchmark. Every name, number and address is synthetic (Faker nl_NL, seeded).

- ``make_population``: true persons (BRP-like), with couples and name usage.
- ``make_person_registers``: a clean-ish BRP extract and a messy second source about
  (mostly) the same people, plus namesakes who are different people.
- ``make_person_dedupe``: one register with noisy duplicates, fast enough for 1M records.
- ``make_company_registers``: KvK-like extract and a second source with trade names,
  legal-form variants and stripped KvK numbers.

Noise: typos, prefix variants (v.d., vd, glued, dropped), initials only, partner-name
usage, movers, namesakes, mixed date formats, house-number addition variants, postcode
spacing and case.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from faker import Faker

# Mappings (canonical field -> column) for the generated tables.
BRP_MAPPING = {
    "id": "anummer",
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
    "partner_surname_prefix": "partner_voorvoegsel",
    "partner_surname": "partner_geslachtsnaam",
    "name_usage": "naamgebruik",
}
SOURCE_MAPPING = {
    "id": "registratienummer",
    "full_name": "naam",
    "given_names": "voornaam",
    "initials": "voorletters",
    "surname_prefix": "tussenvoegsel",
    "surname": "achternaam",
    "birth_date": "geb_datum",
    "street": "straat",
    "house_number": "huisnr",
    "postcode": "pc",
    "city": "plaats",
}
KVK_MAPPING = {
    "id": "vestiging_id",
    "name": "statutaire_naam",
    "kvk_number": "kvk_nummer",
    "legal_form": "rechtsvorm",
    "street": "straat",
    "house_number": "huisnummer",
    "postcode": "postcode",
    "city": "plaats",
}
COMPANY_SOURCE_MAPPING = {
    "id": "dossier",
    "name": "bedrijfsnaam",
    "kvk_number": "kvk",
    "address": "adres",
}

_PREFIXES = [
    ("van", 0.25),
    ("de", 0.25),
    ("van der", 0.12),
    ("van den", 0.1),
    ("van de", 0.08),
    ("ten", 0.03),
    ("ter", 0.03),
    ("van 't", 0.03),
    ("in 't", 0.01),
    ("op de", 0.02),
    ("den", 0.02),
    ("van der", 0.06),
]
_PREFIX_VARIANTS = {
    "van der": ["v.d.", "V.D.", "vd", "v/d", "Van der", "van der"],
    "van den": ["v.d.", "vd", "V.d.", "Van den", "van den"],
    "van de": ["v.d.", "vd", "v/d", "Van de", "van de"],
    "van 't": ["v't", "van t", "Van 't", "van het"],
    "van": ["v.", "Van", "van"],
    "de": ["De", "de", "d'"],
    "ten": ["Ten", "ten"],
    "ter": ["Ter", "ter"],
    "in 't": ["in het", "In 't"],
    "op de": ["Op de", "op de"],
    "den": ["Den", "den"],
}
_CITIES = ["Utrecht"] * 12 + [
    "Nieuwegein",
    "Zeist",
    "Houten",
    "Amersfoort",
    "Maarssen",
    "De Bilt",
    "IJsselstein",
    "Vianen",
    "Woerden",
    "Bunnik",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Tiel",
]
_BRANCHES = [
    "Autobedrijf",
    "Kapsalon",
    "Snackbar",
    "Bouwbedrijf",
    "Transport",
    "Schoonmaakbedrijf",
    "Bakkerij",
    "Autoverhuur",
    "Belwinkel",
    "Carwash",
    "Barbershop",
    "Koeriersdienst",
    "Vastgoed",
    "Beautysalon",
    "Nagelstudio",
    "Shisha Lounge",
    "Minimarkt",
    "Opslag",
    "Uitzendbureau",
    "Juwelier",
    "Restaurant",
]
_LEGAL_FORMS = [
    ("B.V.", 0.55),
    ("", 0.2),
    ("V.O.F.", 0.1),
    ("Holding B.V.", 0.08),
    ("Stichting", 0.04),
    ("N.V.", 0.03),
]


def _faker(seed: int) -> Faker:
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    return fake


@dataclass
class _Pools:
    male: list[str]
    female: list[str]
    surnames: list[str]
    surname_weights: np.ndarray
    first_weights_m: np.ndarray
    first_weights_f: np.ndarray
    streets: list[str]


def _pools(seed: int) -> _Pools:
    from faker.providers.person.nl_NL import Provider as Person

    fake = _faker(seed)
    surnames = sorted(
        {s for s in Person.last_names if " " not in s and "'" not in s and s.isalpha()}
    )
    rng = np.random.default_rng(seed)

    # Zipf-like frequencies: some common names, a long tail. A mild exponent keeps the
    # most common surname near 1.5% (de Jong is about 0.5% of the Dutch population).
    def zipf(n: int) -> np.ndarray:
        w: np.ndarray = 1.0 / np.arange(1, n + 1) ** 0.5
        rng.shuffle(w)
        weights: np.ndarray = w / w.sum()
        return weights

    male = sorted(set(Person.first_names_male))
    female = sorted(set(Person.first_names_female))
    streets = sorted({fake.street_name() for _ in range(4000)})
    return _Pools(
        male, female, surnames, zipf(len(surnames)), zipf(len(male)), zipf(len(female)), streets
    )


def _postcode(rng: random.Random) -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"  # SA, SD, SS are not issued
    return f"{rng.randint(1011, 9999)}{rng.choice(letters)}{rng.choice(letters)}"


def _address(rng: random.Random, pools: _Pools) -> dict[str, str]:
    letter, addition = "", ""
    roll = rng.random()
    if roll < 0.06:
        letter = rng.choice("ABCD")
    elif roll < 0.10:
        addition = rng.choice(["1", "2", "3", "bis", "hs", "II", "A"])
    return {
        "straat": rng.choice(pools.streets),
        "huisnummer": str(rng.randint(1, 250)),
        "huisletter": letter,
        "huisnummertoevoeging": addition,
        "postcode": _postcode(rng),
        "woonplaats": rng.choice(_CITIES),
    }


def make_population(n: int, seed: int = 1) -> pd.DataFrame:
    """True persons: person_id, given names, prefix, surname, sex, birth date, address,
    partner's name and *aanduiding naamgebruik*. Includes namesakes (same name, same birth
    year, different people) — about 2% of persons."""
    pools = _pools(seed)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    sex = nrng.random(n) < 0.5
    surname_idx = nrng.choice(len(pools.surnames), size=n, p=pools.surname_weights)
    m_idx = nrng.choice(len(pools.male), size=(n, 3), p=pools.first_weights_m)
    f_idx = nrng.choice(len(pools.female), size=(n, 3), p=pools.first_weights_f)
    n_given = nrng.choice([1, 2, 3], size=n, p=[0.35, 0.45, 0.2])
    has_prefix = nrng.random(n) < 0.3
    prefixes, pweights = zip(*_PREFIXES, strict=True)
    pw = np.array(pweights) / sum(pweights)
    prefix_idx = nrng.choice(len(prefixes), size=n, p=pw)
    birth_days = nrng.integers(0, 365 * 75, size=n)  # born 1940..2015
    base = np.datetime64("1940-01-01")
    rows = []
    for i in range(n):
        names = pools.male if sex[i] else pools.female
        idx = m_idx[i] if sex[i] else f_idx[i]
        given = " ".join(dict.fromkeys(names[j] for j in idx[: n_given[i]]))
        rows.append(
            {
                "person_id": f"P{i:07d}",
                "voornamen": given,
                "voorvoegsel": prefixes[prefix_idx[i]] if has_prefix[i] else "",
                "geslachtsnaam": pools.surnames[surname_idx[i]],
                "geslacht": "M" if sex[i] else "V",
                "geboortedatum": str(base + int(birth_days[i])),
                **_address(rng, pools),
            }
        )
    # namesakes: copy name and birth year of another person, other day and address
    for _ in range(n // 50):
        i, j = rng.randrange(n), rng.randrange(n)
        if i == j:
            continue
        for col in ("voornamen", "voorvoegsel", "geslachtsnaam", "geslacht"):
            rows[j][col] = rows[i][col]
        year = rows[i]["geboortedatum"][:4]
        rows[j]["geboortedatum"] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    # couples: about 40% of people live with a partner; many use the partner's name
    for row in rows:
        row.update(partner_voorvoegsel="", partner_geslachtsnaam="", naamgebruik="E")
    order = list(range(n))
    rng.shuffle(order)
    cut = int(n * 0.4)
    for a, b in zip(order[0:cut:2], order[1:cut:2], strict=False):  # an odd one out stays single
        ra, rb = rows[a], rows[b]
        ra["partner_voorvoegsel"], ra["partner_geslachtsnaam"] = (
            rb["voorvoegsel"],
            rb["geslachtsnaam"],
        )
        rb["partner_voorvoegsel"], rb["partner_geslachtsnaam"] = (
            ra["voorvoegsel"],
            ra["geslachtsnaam"],
        )
        wife = ra if ra["geslacht"] == "V" else rb
        wife["naamgebruik"] = rng.choices("EPVN", weights=[0.45, 0.2, 0.3, 0.05])[0]
        for col in (
            "straat",
            "huisnummer",
            "huisletter",
            "huisnummertoevoeging",
            "postcode",
            "woonplaats",
        ):
            rb[col] = ra[col]
    people = pd.DataFrame(rows)
    return people


# ------------------------------------------------------------------ noise

_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(text: str, rng: random.Random) -> str:
    """One keyboard-style error: swap, delete, duplicate or replace a letter."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.55:
        return text[:i] + text[i + 1 :]
    if kind < 0.75:
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice(_KEYBOARD) + text[i + 1 :]


def date_variant(iso: str, rng: random.Random) -> str:
    y, m, d = iso.split("-")
    roll = rng.random()
    if roll < 0.03:  # a typo in a digit
        pos = rng.choice([2, 3, 5, 6, 8, 9])
        iso = iso[:pos] + str(rng.randrange(10)) + iso[pos + 1 :]
        y, m, d = iso.split("-")
    elif roll < 0.045 and int(d) <= 12:  # day and month swapped
        m, d = d, m
    elif roll < 0.07:
        return y  # only the year is known
    fmt = rng.random()
    if fmt < 0.35:
        return f"{y}-{m}-{d}"
    if fmt < 0.65:
        return f"{d}-{m}-{y}"
    if fmt < 0.8:
        return f"{int(d)}-{int(m)}-{y}"
    return f"{d}/{m}/{y}"


def house_variant(number: str, letter: str, addition: str, rng: random.Random) -> str:
    suffix = letter or addition
    if not suffix:
        return number
    return rng.choice(
        [
            f"{number}{suffix}",
            f"{number}-{suffix}",
            f"{number} {suffix}",
            f"{number}{suffix.lower()}",
        ]
    )


def postcode_variant(pc: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return f"{pc[:4]} {pc[4:]}"
    if roll < 0.45:
        return pc.lower()
    if roll < 0.55:
        return f"{pc[:4]} {pc[4:].lower()}"
    return pc


def prefix_variant(prefix: str, surname: str, rng: random.Random) -> tuple[str, str]:
    """(prefix column, surname column) as a less careful source writes them."""
    if not prefix:
        return "", surname
    roll = rng.random()
    if roll < 0.12:  # glued: 'Vandermeer', 'Devries'
        return "", (prefix.replace(" ", "").replace("'", "") + surname.lower()).capitalize()
    if roll < 0.27:  # inside the surname column
        return "", f"{rng.choice(_PREFIX_VARIANTS.get(prefix, [prefix]))} {surname}"
    if roll < 0.33:  # dropped
        return "", surname
    return rng.choice(_PREFIX_VARIANTS.get(prefix, [prefix])), surname


def initials(given: str) -> str:
    return "".join(f"{part[0].upper()}." for part in given.replace("-", " ").split())


def _noisy_source_record(
    p: Mapping[Hashable, Any], rng: random.Random, pools: _Pools, record_id: str
) -> dict[str, Any]:
    """A record about person ``p`` as a second, messier source holds it."""
    given = p["voornamen"]
    prefix, surname = p["voorvoegsel"], p["geslachtsnaam"]
    usage = p.get("naamgebruik", "E")
    if p.get("partner_geslachtsnaam") and usage in "PVN" and rng.random() < 0.7:
        pp, ps = p["partner_voorvoegsel"], p["partner_geslachtsnaam"]
        partner = f"{pp} {ps}".strip()
        own = f"{prefix} {surname}".strip()
        known = {"P": partner, "V": f"{partner}-{own}", "N": f"{own}-{partner}"}[usage]
        prefix, surname = "", known
    if rng.random() < 0.07:
        surname = typo(surname, rng)
    prefix, surname = prefix_variant(prefix, surname, rng)
    roll = rng.random()
    first = given.split(" ")[0]
    out = {
        "registratienummer": record_id,
        "naam": "",
        "voornaam": "",
        "voorletters": "",
        "tussenvoegsel": "",
        "achternaam": "",
    }
    if rng.random() < 0.06:
        first = typo(first, rng)
    if roll < 0.25:  # one free-text name field
        lead = initials(given) if rng.random() < 0.5 else first
        out["naam"] = " ".join(x for x in (lead, prefix, surname) if x)
    else:
        if roll < 0.5:
            out["voorletters"] = initials(given)
        elif roll < 0.75:
            out["voornaam"] = first
        else:
            out["voornaam"] = given
        out["tussenvoegsel"], out["achternaam"] = prefix, surname
    if rng.random() < 0.1:
        for key in ("naam", "achternaam", "voornaam"):
            out[key] = out[key].upper()
    out["geb_datum"] = date_variant(p["geboortedatum"], rng) if rng.random() > 0.04 else ""
    addr: Mapping[Any, Any]  # a fresh address or the person record itself
    if rng.random() < 0.15:  # moved since
        addr = _address(rng, pools)
    else:
        addr = p
    if rng.random() < 0.05:
        out.update({"straat": "", "huisnr": "", "pc": "", "plaats": ""})
    else:
        out["straat"] = addr["straat"] if rng.random() > 0.03 else typo(addr["straat"], rng)
        out["huisnr"] = house_variant(
            addr["huisnummer"], addr["huisletter"], addr["huisnummertoevoeging"], rng
        )
        out["pc"] = postcode_variant(addr["postcode"], rng)
        out["plaats"] = addr["woonplaats"].upper() if rng.random() < 0.2 else addr["woonplaats"]
    return out


def make_person_registers(
    n_persons: int = 2000, seed: int = 7, overlap: float = 0.8
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(brp, source, truth): a BRP-like extract, a messy second source and the true
    pairs (anummer, registratienummer). The source holds ``overlap`` of the BRP persons
    plus as many others (some of them namesakes of BRP persons)."""
    people = make_population(int(n_persons * 1.25), seed)
    rng = random.Random(seed + 1)
    pools = _pools(seed)
    in_brp = people.iloc[:n_persons].copy()
    outsiders = people.iloc[n_persons:]
    brp = in_brp.drop(columns=["geslacht"]).rename(columns={"person_id": "anummer"})
    brp["anummer"] = [f"{1000000000 + int(pid[1:]) * 7}" for pid in brp["anummer"]]
    # the BRP extract itself mixes date formats (merged from older systems)
    brp["geboortedatum"] = [
        d if rng.random() < 0.8 else f"{d[8:10]}-{d[5:7]}-{d[:4]}" for d in brp["geboortedatum"]
    ]
    records, truth = [], []
    pid_to_anr = dict(zip(in_brp["person_id"], brp["anummer"], strict=True))
    chosen = [i for i in range(n_persons) if rng.random() < overlap]
    others = list(range(len(outsiders)))
    plist = people.to_dict("records")
    for n, i in enumerate(chosen + [n_persons + j for j in others]):
        rid = f"R{seed:02d}-{n:07d}"
        p = plist[i]
        records.append(_noisy_source_record(p, rng, pools, rid))
        if p["person_id"] in pid_to_anr:
            truth.append((pid_to_anr[p["person_id"]], rid))
    source = pd.DataFrame(records).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return brp.reset_index(drop=True), source, pd.DataFrame(truth, columns=["left_id", "right_id"])


def make_person_dedupe(
    n_records: int = 10000, seed: int = 11, duplicate_share: float = 0.3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One register with noisy duplicates: (records, truth) where truth maps
    registratienummer -> person_id. Vectorised enough for 1M records in about a minute."""
    n_persons = max(1, int(n_records * (1 - duplicate_share)))
    people = make_population(n_persons, seed)
    rng = random.Random(seed + 2)
    pools = _pools(seed)
    plist = people.to_dict("records")
    extra = [rng.randrange(n_persons) for _ in range(n_records - n_persons)]
    records, truth = [], []
    for n, i in enumerate(list(range(n_persons)) + extra):
        rid = f"D{n:08d}"
        p = plist[i]
        if n < n_persons and rng.random() < 0.6:
            rec = _clean_source_record(p, rid)
        else:
            rec = _noisy_source_record(p, rng, pools, rid)
        records.append(rec)
        truth.append((rid, p["person_id"]))
    table = pd.DataFrame(records).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return table, pd.DataFrame(truth, columns=["record_id", "person_id"])


def _clean_source_record(p: Mapping[Hashable, Any], rid: str) -> dict[str, Any]:
    return {
        "registratienummer": rid,
        "naam": "",
        "voornaam": p["voornamen"],
        "voorletters": "",
        "tussenvoegsel": p["voorvoegsel"],
        "achternaam": p["geslachtsnaam"],
        "geb_datum": p["geboortedatum"],
        "straat": p["straat"],
        "huisnr": house_variant(
            p["huisnummer"], p["huisletter"], p["huisnummertoevoeging"], random.Random(rid)
        ),
        "pc": p["postcode"],
        "plaats": p["woonplaats"],
    }


# ------------------------------------------------------------------ companies


def make_company_registers(
    n_companies: int = 1000, seed: int = 5, overlap: float = 0.8
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(kvk, source, truth) for companies: statutory vs trade names, legal-form spelling,
    KvK numbers without leading zeros, free-text addresses."""
    pools = _pools(seed)
    rng = random.Random(seed)
    forms, fweights = zip(*_LEGAL_FORMS, strict=True)
    rows = []
    for i in range(n_companies):
        owner = rng.choice(pools.surnames)
        branch = rng.choice(_BRANCHES)
        form = rng.choices(forms, weights=fweights)[0]
        pattern = rng.random()
        if form == "Stichting":
            base = f"Stichting {branch} {rng.choice(pools.streets).split()[0]}"
        elif pattern < 0.4:
            base = f"{branch} {owner}"
        elif pattern < 0.7:
            base = f"{owner} {branch}"
        else:
            base = f"{branch} {rng.choice(pools.streets).split()[0]}"
        statutory = base if form in ("", "Stichting") else f"{base} {form}"
        trade = (
            f"{branch} {rng.choice(['De Hoek', 'Centrum', 'Express', owner, 'Utrecht', 'Plus'])}"
        )
        addr = _address(rng, pools)
        kvk_number = f"{rng.randint(100000, 99999999):08d}"
        rows.append(
            {
                "vestiging_id": f"V{i:06d}",
                "statutaire_naam": statutory,
                "handelsnaam": trade,
                "kvk_nummer": kvk_number,
                "rechtsvorm": {
                    "B.V.": "Besloten Vennootschap",
                    "Holding B.V.": "Besloten Vennootschap",
                    "V.O.F.": "Vennootschap onder firma",
                    "N.V.": "Naamloze Vennootschap",
                    "Stichting": "Stichting",
                    "": "Eenmanszaak",
                }[form],
                "straat": addr["straat"],
                "huisnummer": house_variant(
                    addr["huisnummer"], addr["huisletter"], addr["huisnummertoevoeging"], rng
                ),
                "postcode": addr["postcode"],
                "plaats": addr["woonplaats"],
            }
        )
    kvk = pd.DataFrame(rows)
    source: list[dict[str, Any]] = []
    truth: list[tuple[str, str]] = []
    for i in range(n_companies):
        if rng.random() > overlap:
            continue
        c = rows[i]
        roll = rng.random()
        if roll < 0.3:
            name = c["handelsnaam"]
        elif roll < 0.4:
            name = f"{c['statutaire_naam']} h.o.d.n. {c['handelsnaam']}"
        else:
            name = (
                c["statutaire_naam"]
                .replace("B.V.", rng.choice(["B.V.", "BV", "bv", "B.V", ""]))
                .strip()
            )
        if rng.random() < 0.05:
            name = typo(name, rng)
        number = c["kvk_nummer"]
        k = rng.random()
        number = "" if k < 0.3 else (number.lstrip("0") if k < 0.5 else number)
        did = f"DOS-{seed}-{len(source):06d}"
        moved = rng.random() < 0.1
        if moved:
            addr = _address(rng, pools)
            street, house, pc, city = (
                addr["straat"],
                addr["huisnummer"],
                addr["postcode"],
                addr["woonplaats"],
            )
        else:
            street, house, pc, city = c["straat"], c["huisnummer"], c["postcode"], c["plaats"]
        source.append(
            {
                "dossier": did,
                "bedrijfsnaam": name,
                "kvk": number,
                "adres": f"{street} {house}, {postcode_variant(pc, rng)} {city}",
            }
        )
        truth.append((c["vestiging_id"], did))
    return kvk, pd.DataFrame(source), pd.DataFrame(truth, columns=["left_id", "right_id"])
