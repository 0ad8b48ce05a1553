"""Dutch values as they come in register extracts: accepted and normalised, or refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from doorbraak.registers.validation import (
    Invalid,
    parse_bag_id,
    parse_bsn,
    parse_date,
    parse_house_number,
    parse_kvk,
    parse_postcode,
    parse_prefix,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", (12, "", "")),
        ("12a", (12, "A", "")),
        ("12 B", (12, "B", "")),
        ("12-A", (12, "A", "")),
        ("12-bis", (12, "", "BIS")),
        ("12bis", (12, "", "BIS")),
        ("12 bis", (12, "", "BIS")),
        ("12-1", (12, "", "1")),
        ("12 1", (12, "", "1")),
        ("12A-2", (12, "A", "2")),
        ("12 a 2", (12, "A", "2")),
        ("12 hs", (12, "", "HS")),
        ("  7  ", (7, "", "")),
        (12, (12, "", "")),
        (12.0, (12, "", "")),
    ],
)
def test_house_number_letters_and_additions(raw, expected):
    assert parse_house_number(raw).key() == expected


def test_separate_letter_and_addition_columns_win():
    assert parse_house_number("12", "b", "2").key() == (12, "B", "2")
    assert parse_house_number("12", None, "bis").key() == (12, "", "BIS")


@pytest.mark.parametrize("raw", ["tien", "0", "12-12345", "12 #"])
def test_bad_house_numbers(raw):
    with pytest.raises(Invalid):
        parse_house_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3511 AB", "3511AB"),
        ("3511ab", "3511AB"),
        (" 3511 ab ", "3511AB"),
        ("3511-AB", "3511AB"),
    ],
)
def test_postcode_spacing_and_case(raw, expected):
    assert parse_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["0511AB", "3511 SA", "3511A", "35111AB", "ABCD12"])
def test_bad_postcodes(raw):
    with pytest.raises(Invalid):
        parse_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2001-05-17", date(2001, 5, 17)),
        ("17-05-2001", date(2001, 5, 17)),
        ("7-5-2001", date(2001, 5, 7)),
        ("17/05/2001", date(2001, 5, 17)),
        ("05/06/2001", date(2001, 6, 5)),  # day first, never month first
        ("20010517", date(2001, 5, 17)),
        ("2001-05-17T00:00:00", date(2001, 5, 17)),
        (date(2001, 5, 17), date(2001, 5, 17)),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31-02-2020", "2020-13-01", "17.5.01", "mei 2001", "1700-01-01"])
def test_bad_dates(raw):
    with pytest.raises(Invalid):
        parse_date(raw)


def test_bsn_eleven_test_and_leading_zero():
    assert parse_bsn("999990019") == "999990019"
    assert parse_bsn("9999.90.019") == "999990019"
    assert parse_bsn("11122237") == "011122237"  # a spreadsheet dropped the leading zero
    assert parse_bsn(11122237) == "011122237"
    for bad in ("999990018", "12345", "abcdefghi"):
        with pytest.raises(Invalid):
            parse_bsn(bad)


def test_kvk_number_is_eight_digits():
    assert parse_kvk("12345678") == "12345678"
    assert parse_kvk("1234 5678") == "12345678"
    assert parse_kvk(2345678) == "02345678"
    for bad in ("1234567X", "123456789012", "123"):
        with pytest.raises(Invalid):
            parse_kvk(bad)


def test_bag_id_and_prefix():
    assert parse_bag_id(344010000100001) == "0344010000100001"
    with pytest.raises(Invalid):
        parse_bag_id("0344-01")
    assert parse_prefix("Van  der") == "van der"
