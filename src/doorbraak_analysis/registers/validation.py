"""Validation and normalisation of values as they come in Dutch register extracts.

Each parser takes the raw cell value and returns the normalised value, or raises
``Invalid(reason)`` with a Dutch message for the rejection report. Empty cells are handled
by the caller (required or not), so parsers only see non-empty text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode


class Invalid(ValueError):
    """A value that cannot be accepted; the message goes into the rejection report."""


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value or value.isspace()
    if isinstance(value, float) and value != value:  # NaN from Parquet/pandas
        return True
    return str(value).strip() == ""


def as_text(value: object) -> str:
    """The value as text, whitespace runs collapsed to one space and trimmed."""
    if isinstance(value, str):
        return " ".join(value.split())  # = re.sub(r"\s+", " ", value).strip(), faster
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


# --- identifiers -------------------------------------------------------------------------


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


def parse_postcode(value: object) -> str:
    """'3511 ab', '3511AB', '3511-AB' -> '3511AB' (stored without space, upper case)."""
    text = re.sub(r"[\s\-]", "", as_text(value)).upper()
    try:
        return stdnum_postcode.validate(text).replace(" ", "")
    except StdnumError as exc:
        raise Invalid("geen geldige postcode (4 cijfers, 2 letters; niet SA, SD of SS)") from exc


def parse_sbi(value: object) -> str:
    text = re.sub(r"[\s.]", "", as_text(value))
    if not (text.isdigit() and 2 <= len(text) <= 6):
        raise Invalid("SBI-code moet uit 2 tot 6 cijfers bestaan")
    return text


def _stdnum_reason(exc: StdnumError) -> str:
    return {
        "InvalidChecksum": "elfproef klopt niet",
        "InvalidLength": "moet 9 cijfers hebben",
        "InvalidFormat": "alleen cijfers",
    }.get(type(exc).__name__, exc.message)


# --- dates ---------------------------------------------------------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),  # BRP/KvK: 20010517
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
]


def parse_date(value: object) -> date:
    """YYYY-MM-DD, YYYYMMDD, DD-MM-YYYY, D-M-YYYY, DD/MM/YYYY, DD.MM.YYYY; dates from Parquet as is.

    Slashes are read day-first (Dutch), never month-first."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    if "T" in text or " " in text:  # '2024-05-01T00:00:00' / '2024-05-01 00:00:00'
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            try:
                parsed = date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise Invalid(f"bestaat niet als datum ({exc})") from exc
            if not (1850 <= parsed.year <= 2100):
                raise Invalid("jaartal buiten 1850–2100")
            return parsed
    raise Invalid("onbekend datumformaat (gebruik JJJJ-MM-DD, DD-MM-JJJJ of DD/MM/JJJJ)")


# --- house numbers -------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseNumber:
    number: int
    letter: str = ""
    addition: str = ""

    def key(self) -> tuple[int, str, str]:
        return (self.number, self.letter, self.addition)


_HOUSE_RE = re.compile(r"^(\d{1,5})\s*(.*)$")


def parse_house_number(
    value: object, letter: object = None, addition: object = None
) -> HouseNumber:
    """BAG splits huisnummer, huisletter (one letter) and huisnummertoevoeging (≤4 characters).

    Combined forms: '12' -> 12; '12a' / '12 A' / '12-A' -> 12, letter A; '12-bis' / '12bis'
    / '12 bis' -> 12, addition BIS; '12-1' / '12 1' -> 12, addition 1; '12A-2' / '12 a 2'
    -> 12, letter A, addition 2; '12 hs' -> addition HS. Letter and addition are upper-cased.
    Separate columns win over what the number column carries.
    """
    text = as_text(value)
    m = _HOUSE_RE.match(text)
    if not m:
        raise Invalid("huisnummer moet met een getal beginnen")
    number = int(m.group(1))
    if number < 1:
        raise Invalid("huisnummer moet ten minste 1 zijn")
    rest = m.group(2).strip().upper()
    found_letter, found_addition = "", ""
    if rest:
        rest = rest.lstrip("-/ ").strip()
        lm = re.match(r"^([A-Z])(?:$|[\s\-/]+(.+)$|(\d.*)$)", rest)
        if lm and not re.match(r"^[A-Z]{2,}", rest):
            found_letter = lm.group(1)
            found_addition = (lm.group(2) or lm.group(3) or "").strip()
        else:
            found_addition = rest
        found_addition = re.sub(r"[\s\-/]+", "", found_addition)
    if not is_empty(letter):
        found_letter = as_text(letter).upper()
    if not is_empty(addition):
        found_addition = re.sub(r"[\s\-/]+", "", as_text(addition).upper())
    if found_letter and not re.fullmatch(r"[A-Z]", found_letter):
        raise Invalid("huisletter moet één letter zijn")
    if found_addition and not re.fullmatch(r"[A-Z0-9]{1,4}", found_addition):
        raise Invalid("huisnummertoevoeging: ten hoogste 4 letters of cijfers")
    return HouseNumber(number, found_letter, found_addition)


# --- names and numbers ---------------------------------------------------------------------


def parse_int(value: object) -> int:
    text = as_text(value).replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    raise Invalid("geen geheel getal ≥ 0")


def parse_float(value: object) -> float:
    text = as_text(value).replace(",", ".")
    try:
        return float(text)
    except ValueError as exc:
        raise Invalid("geen getal") from exc


def parse_prefix(value: object) -> str:
    """Voorvoegsel as the population register writes it: lower case, single spaces."""
    return re.sub(r"\s+", " ", as_text(value)).lower()
