"""A small register with deliberate duplicates: prefix variants, a typo, a namesake, and a
pair the model is unsure about."""

from __future__ import annotations

from datetime import date

import pytest

PERSONS = [
    # key, given, prefix, surname, birth date, address key
    ("jan1", "Jan Pieter", "van der", "Berg", date(1980, 3, 5), "nijv12"),
    ("jan2", "Jan Pieter", "v.d.", "Berg", date(1980, 3, 5), "nijv12"),  # prefix variant
    ("jan3", "Jan Pieter", "", "Vanderberg", date(1980, 3, 5), "nijv12"),  # glued prefix
    ("fat1", "Fatima", "el", "Amrani", date(1992, 11, 23), "kan5"),
    ("fat2", "Fatima", "el", "Amranni", date(1992, 11, 23), "kan5"),  # typo
    ("kees", "Kees", "", "Jansen", date(1975, 6, 1), "amst100"),
    ("anna", "Anna", "de", "Vries", date(1988, 1, 30), "amst100b"),
    ("piet", "Piet", "", "Bakker", date(1969, 9, 9), "kan7"),
    ("sam", "Sam", "", "Mulder", date(2001, 12, 12), "nijv14"),
    ("noor", "Noor", "", "Visser", date(1995, 4, 4), "kan9"),
    ("ties", "Ties", "", "Smit", date(1983, 8, 8), "amst102"),
    ("lisa", "Lisa", "van", "Dam", date(1990, 2, 2), "nijv16"),
    ("noor2", "Noor", "", "Visser", None, "kan9"),
    ("piet_moved", "Piet", "", "Bakker", date(1969, 9, 9), "amst102"),
    ("lisa2", "L.", "van", "Dam", None, "nijv16"),
    ("sam_namesake", "Sam", "", "Mulder", date(2001, 12, 21), "kan7"),
    ("kees2", "Kees", "", "Janssen", date(1975, 1, 6), "amst100"),
]

ADDRESSES = {
    "nijv12": ("Nijverheidsweg", 12, "", "", "3534AM"),
    "nijv14": ("Nijverheidsweg", 14, "", "", "3534AM"),
    "nijv16": ("Nijverheidsweg", 16, "", "", "3534AM"),
    "kan5": ("Kanaalweg", 5, "", "", "3526KL"),
    "kan7": ("Kanaalweg", 7, "", "", "3526KL"),
    "kan9": ("Kanaalweg", 9, "", "", "3526KL"),
    "amst100": ("Amsterdamsestraatweg", 100, "", "", "3513AG"),
    "amst100b": ("Amsterdamsestraatweg", 100, "B", "", "3513AG"),
    "amst102": ("Amsterdamsestraatweg", 102, "", "", "3513AG"),
    "bedr1": ("Zeeweg", 1, "", "", "3534AB"),
}


class Register:
    def __init__(self):
        self.persons = {}
        self.premises = {}
        self.companies = {}
        self.officers = []


@pytest.fixture
def register(world):
    from tests import factories as f

    r = Register()
    brp = f.ActivityFactory(code="brp", name="BRP-bewoning")
    huur = f.ActivityFactory(code="huurders", name="Huurdersbestand corporatie")
    kvk = f.ActivityFactory(code="kvk", name="KvK")
    for key, (street, number, letter, addition, postcode) in ADDRESSES.items():
        r.premises[key] = f.PremisesFactory(
            street=street,
            house_number=number,
            house_letter=letter,
            house_number_addition=addition,
            postcode=postcode,
        )
    for i, (key, given, prefix, surname, born, address) in enumerate(PERSONS):
        r.persons[key] = f.PersonFactory(
            source=brp if i % 2 == 0 else huur,
            source_file="brp.csv" if i % 2 == 0 else "huurders.csv",
            source_row=i + 1,
            given_names=given,
            surname_prefix=prefix,
            surname=surname,
            birth_date=born,
            residence=r.premises[address],
        )
    r.companies["garage"] = f.CompanyFactory(
        source=kvk,
        name="Autobedrijf Zeeweg B.V.",
        kvk_number="12345678",
        establishment=r.premises["bedr1"],
        source_file="kvk.csv",
        source_row=1,
    )
    r.companies["garage2"] = f.CompanyFactory(
        source=kvk,
        name="Autobedrijf Zeeweg BV",
        kvk_number="12345679",
        establishment=r.premises["bedr1"],
        source_file="kvk.csv",
        source_row=2,
    )
    r.companies["shisha"] = f.CompanyFactory(
        source=kvk,
        name="Shisha Lounge Noord V.O.F.",
        kvk_number="23456789",
        establishment=r.premises["amst100"],
        source_file="kvk.csv",
        source_row=3,
    )
    r.companies["kapper"] = f.CompanyFactory(
        source=kvk,
        name="Kapsalon Noord",
        kvk_number="34567890",
        establishment=r.premises["amst100"],
        source_file="kvk.csv",
        source_row=4,
    )
    r.officers.append(
        f.OfficerFactory(
            source=kvk,
            company=r.companies["garage"],
            person=r.persons["jan2"],
            role="bestuurder",
            since=date(2019, 4, 1),
        )
    )
    r.officers.append(
        f.OfficerFactory(
            source=kvk,
            company=r.companies["shisha"],
            person=r.persons["jan1"],
            role="vennoot",
            since=date(2022, 7, 1),
        )
    )
    r.officers.append(
        f.OfficerFactory(
            source=kvk,
            company=r.companies["shisha"],
            person=r.persons["kees"],
            role="vennoot",
            since=date(2022, 7, 1),
        )
    )
    r.officers.append(
        f.OfficerFactory(
            source=kvk,
            company=r.companies["kapper"],
            person=r.persons["anna"],
            role="eigenaar",
            since=date(2015, 1, 1),
        )
    )
    return r
