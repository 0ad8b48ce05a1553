"""Dutch normalisation: prefixes, initials, names, dates, house numbers, postcodes,
companies. Each case is what a real extract looks like."""

import pytest

from doorbraak_analysis.linkage import normalise as nl


@pytest.mark.parametrize(
    "surname, prefix, expected_core, expected_class",
    [
        ("van der Meer", None, "meer", "vd"),
        ("Meer", "van der", "meer", "vd"),
        ("Meer", "V.d.", "meer", "vd"),
        ("Meer", "vd", "meer", "vd"),
        ("Meer", "v/d", "meer", "vd"),
        ("V.d. Meer", None, "meer", "vd"),
        ("v.d.Meer", None, "meer", "vd"),
        ("Vandermeer", None, "meer", "vd"),
        ("VAN DER MEER", None, "meer", "vd"),
        ("Meer, van der", None, "meer", "vd"),
        ("Meer v.d.", None, "meer", "vd"),
        ("van den Berg", None, "berg", "vd"),
        ("van 't Hof", None, "hof", "vt"),
        ("Hof", "van het", "hof", "vt"),
        ("de Vries", None, "vries", "de"),
        ("Devries", None, "vries", "de"),
        ("Brink", "ten", "brink", "ten"),
        ("Tenbrink", None, "brink", "ten"),
        ("Bakker", None, "bakker", None),
        ("Çelik", None, "celik", None),
        ("Zoë", None, "zoe", None),
    ],
)
def test_surname_core_and_prefix_class(surname, prefix, expected_core, expected_class):
    cls, core, _ = nl.surname_parts(surname, prefix)
    assert core == expected_core
    assert cls == expected_class
    assert nl.surname_core(surname, prefix) == expected_core


def test_glued_prefix_stripping_is_consistent_for_ordinary_names():
    # 'Dekker' starts with 'de'; stripping is applied identically everywhere, so the
    # same name always gives the same key and different names stay different.
    assert nl.surname_core("Dekker") == nl.surname_core("DEKKER") == nl.surname_core("dekker")
    assert nl.surname_core("Dekker") != nl.surname_core("Bakker")


def test_double_name_gives_both_parts():
    assert nl.surname_parts("de Vries-Bakker") == ("de", "vries", "bakker")
    assert nl.surname_parts("Smit - van den Berg") == (None, "smit", "berg")


@pytest.mark.parametrize(
    "own, own_prefix, partner, partner_prefix, usage, expected",
    [
        ("Bakker", None, "Vries", "de", "E", "Bakker"),
        ("Bakker", None, "Vries", "de", "P", "de Vries"),
        ("Bakker", None, "Vries", "de", "V", "de Vries-Bakker"),
        ("Bakker", None, "Vries", "de", "N", "Bakker-de Vries"),
        ("Bakker", None, None, None, "V", "Bakker"),
        ("Meer", "van der", "Jong", "de", "n", "van der Meer-de Jong"),
        ("Bakker", "", "Vries", "de", "", "Bakker"),
    ],
)
def test_known_surname_follows_name_usage(
    own, own_prefix, partner, partner_prefix, usage, expected
):
    assert nl.known_surname(own, own_prefix, partner, partner_prefix, usage) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("J.P.", "jp"), ("J. P.", "jp"), ("jp", "jp"), ("J.-P.", "jp"), ("Th.", "t"), ("", None)],
)
def test_normalise_initials(value, expected):
    assert nl.normalise_initials(value) == expected


def test_initials_of_given_names_match_written_initials():
    assert nl.initials_of("Jan Pieter") == nl.normalise_initials("J.P.") == "jp"
    assert nl.initials_of("Anne-Marie") == "am"
    assert nl.looks_like_initials("J.P.") and nl.looks_like_initials("JP")
    assert not nl.looks_like_initials("Jan")


@pytest.mark.parametrize(
    "full, given, initials, prefix, surname",
    [
        ("Jan Pieter van der Meer", "jan pieter", "jp", "van der", "meer"),
        ("J.P. v.d. Meer", None, "jp", "v.d.", "meer"),
        ("Meer, J.P. van der", None, "jp", "van der", "meer"),
        ("Dhr. J. de Vries", None, "j", "de", "vries"),
        ("MEHMET YILMAZ", "mehmet", "m", None, "yilmaz"),
        ("Johanna de Vries-Bakker", "johanna", "j", "de", "vries-bakker"),
    ],
)
def test_parse_full_name(full, given, initials, prefix, surname):
    name = nl.parse_full_name(full)
    assert (name.given_names, name.initials, name.prefix, name.surname) == (
        given,
        initials,
        prefix,
        surname,
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1980-03-05", ("1980-03-05", 1980)),
        ("05-03-1980", ("1980-03-05", 1980)),
        ("5-3-1980", ("1980-03-05", 1980)),
        ("05/03/1980", ("1980-03-05", 1980)),
        ("05.03.1980", ("1980-03-05", 1980)),
        ("19800305", ("1980-03-05", 1980)),
        ("1980", (None, 1980)),
        ("31-02-1980", (None, 1980)),  # impossible date: keep the year
        ("00-00-1980", (None, 1980)),  # BRP 'onvolledige datum'
        ("", (None, None)),
        ("onbekend", (None, None)),
    ],
)
def test_parse_date_mixed_formats(value, expected):
    assert nl.parse_date(value) == expected


@pytest.mark.parametrize(
    "value, number, letter, addition, suffix",
    [
        ("12", 12, None, None, None),
        ("12-bis", 12, None, "bis", "bis"),
        ("12bis", 12, None, "bis", "bis"),
        ("12 bis", 12, None, "bis", "bis"),
        ("12 B", 12, "b", None, "b"),
        ("12b", 12, "b", None, "b"),
        ("12-1", 12, None, "1", "1"),
        ("12 hs", 12, None, "hs", "hs"),
        ("12 huis", 12, None, "hs", "hs"),
        ("12A-2", 12, "a", "2", "a2"),
        ("12-II", 12, None, "ii", "ii"),
    ],
)
def test_parse_house_number(value, number, letter, addition, suffix):
    house = nl.parse_house_number(value)
    assert (house.number, house.letter, house.addition, house.suffix) == (
        number,
        letter,
        addition,
        suffix,
    )


def test_house_number_from_bag_columns():
    assert nl.parse_house_number("12", "B", None).suffix == nl.parse_house_number("12 B").suffix
    assert nl.parse_house_number("12", None, "bis").suffix == nl.parse_house_number("12-bis").suffix


@pytest.mark.parametrize("value", ["3511 AB", "3511ab", "3511 ab", " 3511AB ", "3511-AB"])
def test_postcode_spacing_and_case(value):
    assert nl.normalise_postcode(value) == "3511AB"


def test_invalid_postcode_is_none():
    assert nl.normalise_postcode("0123AB") is None
    assert nl.normalise_postcode("ABCD") is None


def test_parse_free_text_address():
    a = nl.parse_address("Oudegracht 12-bis, 3511 ab Utrecht")
    b = nl.parse_address("Oudegracht 12 bis 3511AB UTRECHT")
    for addr in (a, b):
        assert (
            addr.street,
            addr.house_number.number,
            addr.house_number.suffix,
            addr.postcode,
            addr.city,
        ) == ("oudegracht", 12, "bis", "3511AB", "utrecht")


@pytest.mark.parametrize(
    "name, core, legal_form",
    [
        ("Jansen Beheer B.V.", "jansen", "bv"),
        ("Jansen Beheer BV", "jansen", "bv"),
        ("JANSEN BEHEER B.V", "jansen", "bv"),
        ("Stichting De Brug", "brug", "stichting"),
        ("De Brug", "brug", None),
        ("Autobedrijf Overvecht V.O.F.", "autobedrijfovervecht", "vof"),
        ("Autobedrijf Overvecht vof", "autobedrijfovervecht", "vof"),
        ("Philips N.V.", "philips", "nv"),
        ("Bakker & Zn Holding B.V.", "bakkerzn", "bv"),
    ],
)
def test_company_names_without_legal_form(name, core, legal_form):
    parsed = nl.parse_company_name(name)
    assert parsed.core == core
    assert parsed.legal_form == legal_form


def test_trade_name_split_from_statutory_name():
    parsed = nl.parse_company_name("Jansen Beheer B.V. h.o.d.n. Carwash Jansen")
    assert (
        parsed.core == "jansen"
        and parsed.trade_core == "carwashjansen"
        and parsed.legal_form == "bv"
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Besloten Vennootschap", "bv"),
        ("B.V.", "bv"),
        ("Vennootschap onder firma", "vof"),
        ("stichting", "stichting"),
    ],
)
def test_legal_form(value, expected):
    assert nl.normalise_legal_form(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1234567", "01234567"),
        ("01234567", "01234567"),
        ("12345678", "12345678"),
        ("1234 5678", "12345678"),
        ("123456780000", None),
        ("", None),
    ],
)
def test_kvk_number_leading_zeros(value, expected):
    assert nl.normalise_kvk(value) == expected
