"""Identifiers: BSN, KvK-nummer, RSIN, IBAN, BAG-id, SBI-code. Strict (``parse_*``: the value
or Invalid) and lenient (``normalise_*``: the value or None)."""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from .text import Invalid, as_text, clean_text


def parse_bsn(value: object) -> str:
    """Burgerservicenummer: 9 digits (8 with a leading zero dropped) passing the 11-test."""
    text = re.sub(r"[\s.\-]", "", as_text(value))
    if text.isdigit() and len(text) == 8:
        text = "0" + text  # spreadsheets drop the leading zero
    try:
        return stdnum_bsn.validate(text)
    except StdnumError as exc:
        raise Invalid(f"geen geldig BSN ({_stdnum_reason(exc)})") from exc


def parse_kvk(value: object) -> str:
    """KvK-nummer: exactly 8 digits (a 12-digit vestigingsnummer is not a KvK-nummer)."""
    text = re.sub(r"[\s.]", "", as_text(value))
    if text.isdigit() and len(text) == 7:
        text = "0" + text  # leading zero lost in a spreadsheet
    if not (text.isdigit() and len(text) == 8):
        raise Invalid("KvK-nummer moet uit 8 cijfers bestaan")
    return text


def parse_bag_id(value: object) -> str:
    """BAG object identification: 16 digits (gemeentecode + objecttype + volgnummer)."""
    text = re.sub(r"[\s.]", "", as_text(value))
    if text.isdigit() and len(text) == 15:
        text = "0" + text  # e.g. 0344… read as a number
    if not (text.isdigit() and len(text) == 16):
        raise Invalid("BAG-id moet uit 16 cijfers bestaan")
    return text


def parse_sbi(value: object) -> str:
    text = re.sub(r"[\s.]", "", as_text(value))
    if not (text.isdigit() and 2 <= len(text) <= 6):
        raise Invalid("SBI-code moet uit 2 tot 6 cijfers bestaan")
    return text


def parse_rsin(value: object) -> str:
    """RSIN (fiscal number of a legal entity): 9 digits passing the same 11-test as the BSN."""
    text = re.sub(r"[\s.\-]", "", as_text(value))
    if text.isdigit() and len(text) == 8:
        text = "0" + text
    try:
        return stdnum_bsn.validate(text)
    except StdnumError as exc:
        raise Invalid(f"geen geldig RSIN ({_stdnum_reason(exc)})") from exc


def parse_iban(value: object) -> str:
    """IBAN, compact and upper case ('nl91 abna 0417 1643 00' -> 'NL91ABNA0417164300')."""
    try:
        return stdnum_iban.validate(as_text(value))
    except StdnumError as exc:
        reason = {
            "InvalidChecksum": "controlegetal klopt niet",
            "InvalidLength": "verkeerde lengte",
            "InvalidFormat": "verkeerd formaat",
            "InvalidComponent": "onbekend land of rekeningformaat",
        }.get(type(exc).__name__, str(exc))
        raise Invalid(f"geen geldig IBAN ({reason})") from exc


def normalise_iban(value: object) -> str | None:
    """IBAN compact and upper case if it checks out, else None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return parse_iban(text)
    except Invalid:
        return None


def normalise_rsin(value: object) -> str | None:
    """RSIN: as parse_rsin, None when it does not check out."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return parse_rsin(text)
    except Invalid:
        return None


def _stdnum_reason(exc: StdnumError) -> str:
    return {
        "InvalidChecksum": "elfproef klopt niet",
        "InvalidLength": "moet 9 cijfers hebben",
        "InvalidFormat": "alleen cijfers",
    }.get(type(exc).__name__, str(exc))


def normalise_kvk(value: object) -> str | None:
    """KvK number: 8 digits, leading zeros restored ('1234567' -> '01234567').

    A 12-digit vestigingsnummer identifies an establishment, not the company: None.
    """
    text = clean_text(value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text.split(".")[0] if re.fullmatch(r"\d+\.0", text) else text)
    if not digits or len(digits) > 8:
        return None
    digits = digits.zfill(8)
    return None if digits == "00000000" else digits


def normalise_bsn(value: object) -> str | None:
    """Identifier column (BSN, or FEBRL's soc_sec_id): digits only, leading zeros kept."""
    text = clean_text(value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if len(digits) in (8, 9):
        digits = digits.zfill(9)
    return digits
