"""House numbers, postcodes, streets, cities and addresses. Strict: ``parse_house_number``
(BAG's huisnummer, huisletter, toevoeging; upper case; Invalid otherwise), ``parse_postcode``;
lenient: ``normalise_house_number`` (a LooseHouseNumber, lower case, None parts),
``normalise_postcode``, ``normalise_street``, ``normalise_city``, ``normalise_address``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from .text import Invalid, as_text, ascii_fold, clean_text, is_empty


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


def parse_postcode(value: object) -> str:
    """'3511 ab', '3511AB', '3511-AB' -> '3511AB' (stored without space, upper case)."""
    text = re.sub(r"[\s\-]", "", as_text(value)).upper()
    try:
        return stdnum_postcode.validate(text).replace(" ", "")
    except StdnumError as exc:
        raise Invalid("geen geldige postcode (4 cijfers, 2 letters; niet SA, SD of SS)") from exc


@dataclass(frozen=True)
class LooseHouseNumber:
    number: int | None = None
    letter: str | None = None
    addition: str | None = None

    @property
    def suffix(self) -> str | None:
        """Letter and addition together, for comparing '12-B' with '12 B' and '12b'."""
        joined = (self.letter or "") + (self.addition or "")
        return joined or None


_ADDITION_ALIASES = {
    "huis": "hs",
    "h": "hs",
    "hs": "hs",
    "bg": "bg",
    "beg": "bg",
    "bis": "bis",
    "zw": "zw",
}


def normalise_house_number(
    value: object, letter: object = None, addition: object = None
) -> LooseHouseNumber:
    """'12-bis', '12bis', '12 B', '12-1', '12 hs', '12A-2' -> number, letter, addition.

    BAG splits huisnummer, huisletter (one letter) and huisnummertoevoeging (up to four
    characters); extracts often glue them together in one string.
    """
    text = clean_text(value)
    number = None
    found_letter = clean_text(letter)
    found_addition = clean_text(addition)
    if text is not None:
        match = re.match(r"^\D*?(\d+)\s*(.*)$", text)
        if match:
            number = int(match.group(1))
            rest = match.group(2).strip(" -/.,")
            if rest:
                letter_match = re.match(r"^([a-z])(?:$|[\s\-/.]+(.+)$|(\d+)$)", rest)
                if letter_match and not _ADDITION_ALIASES.get(letter_match.group(1)) == "hs":
                    found_letter = found_letter or letter_match.group(1)
                    tail = letter_match.group(2) or letter_match.group(3)
                    if tail:
                        found_addition = found_addition or tail
                else:
                    found_addition = found_addition or rest
    if found_letter is not None:
        found_letter = re.sub(r"[^a-z]", "", found_letter)[:1] or None
    if found_addition is not None:
        found_addition = re.sub(r"[^a-z0-9]", "", found_addition) or None
        if found_addition is not None:
            found_addition = _ADDITION_ALIASES.get(found_addition, found_addition)
    return LooseHouseNumber(number, found_letter, found_addition)


def normalise_postcode(value: object) -> str | None:
    """'3511 ab', '3511AB', ' 3511-ab ' -> '3511AB' (as parse_postcode); a 4-digit code kept
    as is (FEBRL and foreign data); otherwise None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return parse_postcode(text)
    except Invalid:
        compact = re.sub(r"[\s\-]", "", text).upper()
        return compact if re.fullmatch(r"\d{4}", compact) else None


_STREET_ABBREVIATIONS = (
    (r"\bstr\.?$", "straat"),
    (r"str\.?$", "straat"),
    (r"\bln\.?$", "laan"),
    (r"\bpl\.?$", "plein"),
    (r"\bkd\.?$", "kade"),
    (r"\bgr\.?$", "gracht"),
    (r"\bwg\.?$", "weg"),
    (r"\bsngl\.?$", "singel"),
)


def normalise_street(value: object) -> str | None:
    """'Oudegracht', 'Oude Gracht', 'oudegr.' -> comparable key 'oudegracht'."""
    text = clean_text(value)
    if text is None:
        return None
    text = re.sub(r"[^a-z0-9 .]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, full in _STREET_ABBREVIATIONS:
        text = re.sub(pattern, full, text)
    return re.sub(r"[^a-z0-9]", "", text) or None


def normalise_city(value: object) -> str | None:
    """ "'s-Hertogenbosch", 'Den Bosch'? no — only spelling: case, diacritics, punctuation."""
    text = clean_text(value)
    if text is None:
        return None
    return re.sub(r"[^a-z0-9]", "", text) or None


@dataclass(frozen=True)
class Address:
    street: str | None = None
    house_number: LooseHouseNumber = LooseHouseNumber()
    postcode: str | None = None
    city: str | None = None


_POSTCODE_IN_TEXT = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")


def normalise_address(value: object) -> Address:
    """Free-text address 'Oudegracht 12 bis, 3511 AB Utrecht' -> parts."""
    if value is None:
        return Address()
    raw = ascii_fold(str(value)).strip()
    if not raw or raw.lower() == "nan":
        return Address()
    postcode = None
    city = None
    match = _POSTCODE_IN_TEXT.search(raw)
    if match:
        postcode = normalise_postcode(match.group(1) + match.group(2))
        after = raw[match.end() :].strip(" ,")
        city = normalise_city(after) if after else None
        raw = (raw[: match.start()] + " " + ("" if city else after)).strip(" ,")
    head, _, tail = raw.partition(",")
    if city is None and tail.strip():
        city = normalise_city(tail.strip())
    number_match = re.search(r"\s(\d+.*)$", " " + head.strip())
    if number_match:
        street = head.strip()[: number_match.start()].strip() if number_match.start() > 0 else None
        house = normalise_house_number(number_match.group(1))
    else:
        street, house = head.strip() or None, LooseHouseNumber()
    return Address(normalise_street(street), house, postcode, city)
