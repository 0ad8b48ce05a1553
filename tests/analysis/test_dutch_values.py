"""The one library of Dutch values: each kind of value read strictly (import validation: the
value or a clear refusal) and leniently (linkage: a best-effort key or None), the lenient mode
reading whatever the strict one accepts the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from doorbraak_analysis import dutch as nl
from doorbraak_analysis.linkage import normalise
from doorbraak_analysis.registers import validation


def test_validation_and_normalise_are_the_library_under_their_old_names():
    assert validation.parse_date is nl.parse_date and validation.Invalid is nl.Invalid
    assert validation.HouseNumber is nl.HouseNumber
    assert normalise.parse_date is nl.normalise_date
    assert normalise.HouseNumber is nl.LooseHouseNumber
    assert normalise.parse_company_name is nl.normalise_company_name
    assert normalise.parse_full_name is nl.normalise_full_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2001-05-17", date(2001, 5, 17)),
        ("20010517", date(2001, 5, 17)),
        ("17-5-2001", date(2001, 5, 17)),
        ("17/05/2001", date(2001, 5, 17)),
        ("17.05.2001", date(2001, 5, 17)),
        ("2001-05-17T00:00:00", date(2001, 5, 17)),
        (datetime(2001, 5, 17, 13, 5, tzinfo=UTC), date(2001, 5, 17)),
    ],
)
def test_a_date_the_importer_accepts_linkage_reads_the_same(raw, expected):
    assert nl.parse_date(raw) == expected
    assert nl.normalise_date(raw) == (expected.isoformat(), expected.year)


@pytest.mark.parametrize(
    ("raw", "reason", "lenient"),
    [
        ("31-02-2001", "bestaat niet als datum", (None, 2001)),
        ("00-00-1980", "bestaat niet als datum", (None, 1980)),  # BRP: unknown day and month
        ("1980", "onbekend datumformaat", (None, 1980)),
        ("17-05-1820", "jaartal buiten", ("1820-05-17", 1820)),
        ("gisteren", "onbekend datumformaat", (None, None)),
    ],
)
def test_a_date_the_importer_refuses_linkage_still_reads_what_it_can(raw, reason, lenient):
    with pytest.raises(nl.Invalid, match=reason):
        nl.parse_date(raw)
    assert nl.normalise_date(raw) == lenient


def test_postcodes_strict_and_lenient_agree_on_dutch_ones():
    for raw in ("3511 ab", "3511AB", "3511-ab", " 3511 AB "):
        assert nl.parse_postcode(raw) == nl.normalise_postcode(raw) == "3511AB"
    for bad in ("3511 SA", "0511AB", "35111"):
        with pytest.raises(nl.Invalid, match="geen geldige postcode"):
            nl.parse_postcode(bad)
        assert nl.normalise_postcode(bad) is None
    assert nl.normalise_postcode("2600") == "2600"  # FEBRL, foreign data


def test_house_numbers_strict_upper_case_register_form_lenient_comparison_key():
    assert nl.parse_house_number("12a-2") == nl.HouseNumber(12, "A", "2")
    assert nl.parse_house_number("12 bis") == nl.HouseNumber(12, "", "BIS")
    assert nl.normalise_house_number("12a-2") == nl.LooseHouseNumber(12, "a", "2")
    assert nl.normalise_house_number("12 huis").addition == "hs"
    assert nl.normalise_house_number("geen") == nl.LooseHouseNumber()
    with pytest.raises(nl.Invalid, match="met een getal beginnen"):
        nl.parse_house_number("geen")
    with pytest.raises(nl.Invalid, match="ten hoogste 4"):
        nl.parse_house_number("12 toevoeging")


def test_addresses_from_free_text():
    address = nl.normalise_address("Oudegracht 12 bis, 3511 AB Utrecht")
    assert (address.street, address.postcode, address.city) == ("oudegracht", "3511AB", "utrecht")
    assert address.house_number == nl.LooseHouseNumber(12, None, "bis")


@pytest.mark.parametrize(
    ("strict", "lenient", "good", "normalised", "bad", "reason"),
    [
        (nl.parse_bsn, nl.normalise_bsn, "111.222.333", "111222333", "111222334", "elfproef"),
        (nl.parse_kvk, nl.normalise_kvk, "1234567", "01234567", "123456789012", "8 cijfers"),
        (nl.parse_rsin, nl.normalise_rsin, "002.796.028", "002796028", "002796027", "RSIN"),
        (
            nl.parse_iban,
            nl.normalise_iban,
            "nl91 abna 0417 1643 00",
            "NL91ABNA0417164300",
            "NL91ABNA0417164301",
            "controlegetal",
        ),
    ],
)
def test_identifiers(strict, lenient, good, normalised, bad, reason):
    assert strict(good) == normalised
    assert lenient(good) == normalised
    with pytest.raises(nl.Invalid, match=reason):
        strict(bad)


def test_lenient_identifiers_never_invent_a_value():
    assert nl.normalise_kvk("000012345678") is None  # a vestigingsnummer, not a KvK number
    assert nl.normalise_kvk("00000000") is None
    assert nl.normalise_iban("NL91ABNA0417164301") is None
    assert nl.normalise_rsin("123") is None
    assert nl.normalise_bsn("nan") is None and nl.normalise_bsn(None) is None


def test_names_and_prefixes():
    assert nl.parse_prefix("Van  Der") == "van der"  # as the population register writes it
    assert nl.normalise_prefix("V.d.") == "v.d."
    assert nl.prefix_class("van den") == nl.prefix_class("v.d.") == "vd"
    assert nl.surname_core("Vandermeer") == nl.surname_core("van der Meer") == "meer"
    name = nl.normalise_full_name("Dhr. J.P. v.d. Meer")
    assert (name.initials, name.prefix, name.surname) == ("jp", "v.d.", "meer")


def test_company_names_and_legal_forms():
    parsed = nl.normalise_company_name("Bakkerij Jansen B.V. h.o.d.n. Broodhuis De Hoek")
    assert (parsed.core, parsed.trade_core, parsed.legal_form) == (
        "bakkerijjansen",
        "broodhuishoek",
        "bv",
    )
    assert nl.parse_legal_form("Besloten Vennootschap") == "bv"
    assert nl.parse_legal_form("V.O.F.") == "vof"
    assert nl.normalise_legal_form("Kongsi") == "kongsi"
    with pytest.raises(nl.Invalid, match="onbekende rechtsvorm"):
        nl.parse_legal_form("Kongsi")
    assert nl.parse_company_name("  Garage   De Hoek  B.V. ") == "Garage De Hoek B.V."
    for bad, reason in (
        ("B.V.", "alleen een rechtsvorm"),
        ("--", "geen letters"),
        ("x" * 201, "langer"),
    ):
        with pytest.raises(nl.Invalid, match=reason):
            nl.parse_company_name(bad)
