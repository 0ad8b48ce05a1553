"""Dutch normalisation for entity resolution: names, dates, addresses, companies.

Pure functions on single values. Each returns ``None`` for "nothing usable" so that a
missing value is never mistaken for an agreeing one by the linker.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ascii_fold",
    "clean_text",
    "PersonName",
    "split_surname",
    "surname_core",
    "surname_parts",
    "looks_like_initials",
    "Address",
    "prefix_class",
    "normalise_prefix",
    "parse_full_name",
    "initials_of",
    "normalise_initials",
    "known_surname",
    "parse_date",
    "HouseNumber",
    "parse_house_number",
    "normalise_postcode",
    "parse_address",
    "normalise_street",
    "normalise_city",
    "CompanyName",
    "parse_company_name",
    "normalise_legal_form",
    "normalise_kvk",
    "normalise_bsn",
]

# ---------------------------------------------------------------- generic text


# Latin letters that Unicode decomposition leaves alone (they are letters of their own, not a
# letter with a mark): Turkish dotless i, Polish ł, Scandinavian ø and æ, German ß, Icelandic
# ð/þ, Croatian/Vietnamese đ, Maltese ħ, and the ligatures. Spelled as in plain-letter
# registers ('Łukasz Øster' is 'Lukasz Oster' in a system without them). normality/rigour do
# this too, but need PyICU, which the runtime does not install.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "Ŧ": "T",
        "ĸ": "k",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ĳ": "ij",
        "Ĳ": "IJ",
    }
)


def ascii_fold(value: str) -> str:
    """Strip diacritics: 'Çelik' -> 'Celik', 'Zoë' -> 'Zoe', 'ĳ' -> 'ij', and fold the letters
    decomposition does not: 'Yıldız' -> 'Yildiz', 'Łukasz Øster' -> 'Lukasz Oster', 'Straße' ->
    'Strasse', 'Ærø' -> 'AEro'."""
    value = value.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_text(value: object) -> str | None:
    """Lower-case, fold diacritics, collapse whitespace; None for blanks and NaN."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN from pandas
            return None
        value = str(int(value)) if value.is_integer() else str(value)
    text = ascii_fold(str(value)).lower().strip()
    text = re.sub(r"\s+", " ", text)
    if text in ("", "nan", "none", "null", "-", "onbekend", "n/a"):
        return None
    return text


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)


# ---------------------------------------------------------------- surname prefixes
# Voorvoegsels from the population register's table (Tabel 36), plus the abbreviations
# clerks use. Abbreviations that are ambiguous ("v.d." = van de / van den / van der)
# map onto one *class* so that every spelling of the same prefix compares equal.

_PREFIX_SPELLINGS: dict[str, str] = {
    "van der": "van der",
    "van den": "van den",
    "van de": "van de",
    "vander": "van der",
    "vanden": "van den",
    "vande": "van de",
    "v.d.": "v.d.",
    "v.d": "v.d.",
    "vd": "v.d.",
    "v/d": "v.d.",
    "vd.": "v.d.",
    "v. d.": "v.d.",
    "v. der": "van der",
    "v. den": "van den",
    "v. de": "van de",
    "v.der": "van der",
    "v.den": "van den",
    "v.de": "van de",
    "van 't": "van 't",
    "van t": "van 't",
    "van het": "van 't",
    "v't": "van 't",
    "v.'t": "van 't",
    "v. 't": "van 't",
    "vant": "van 't",
    "van't": "van 't",
    "van": "van",
    "v.": "van",
    "v": "van",
    "de": "de",
    "d'": "de",
    "den": "den",
    "der": "der",
    "des": "des",
    "het": "het",
    "'t": "'t",
    "ten": "ten",
    "ter": "ter",
    "te": "te",
    "in 't": "in 't",
    "in het": "in 't",
    "in de": "in de",
    "in den": "in den",
    "op de": "op de",
    "op den": "op den",
    "op 't": "op 't",
    "op ten": "op ten",
    "uit de": "uit de",
    "uit den": "uit den",
    "uijt de": "uit de",
    "uit het": "uit 't",
    "aan de": "aan de",
    "aan den": "aan den",
    "aan het": "aan 't",
    "bij de": "bij de",
    "onder de": "onder de",
    "over de": "over de",
    "voor de": "voor de",
    "van ter": "van ter",
    "van de la": "van de la",
    "de la": "de la",
    "de le": "de le",
    "du": "du",
    "la": "la",
    "le": "le",
    "da": "da",
    "di": "di",
    "el": "el",
    "al": "al",
    "von": "von",
    "von der": "von der",
}

# Ambiguous abbreviations collapse into one class for comparison.
_PREFIX_CLASS = {
    "van der": "vd",
    "van den": "vd",
    "van de": "vd",
    "v.d.": "vd",
    "van 't": "vt",
    "van": "v",
    "de": "de",
    "den": "de",
    "der": "de",
}

# Prefixes that also occur glued to the name ("Vandermeer", "Devries", "Terhorst").
# Longest first; stripping is applied identically to every record so that mistakes
# ("Dekker" -> "kker") are consistent and cancel out in comparisons.
_GLUED_PREFIXES = (
    ("vander", "v.d."),
    ("vanden", "v.d."),
    ("vande", "v.d."),
    ("vant", "van 't"),
    ("van", "van"),
    ("ten", "ten"),
    ("ter", "ter"),
    ("den", "den"),
    ("der", "der"),
    ("de", "de"),
)

_MAX_PREFIX_WORDS = 3


def normalise_prefix(prefix: object) -> str | None:
    """'V.d.' -> 'v.d.', 'van Der' -> 'van der', "v't" -> "van 't"; unknown kept cleaned."""
    text = clean_text(prefix)
    if text is None:
        return None
    text = text.replace("’", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    if text in _PREFIX_SPELLINGS:
        return _PREFIX_SPELLINGS[text]
    squashed = text.replace(" ", "")
    if squashed in _PREFIX_SPELLINGS:
        return _PREFIX_SPELLINGS[squashed]
    return text


def prefix_class(prefix: object) -> str | None:
    """Comparison class of a prefix: every spelling of van de(n/r) -> 'vd'."""
    norm = normalise_prefix(prefix)
    if norm is None:
        return None
    return _PREFIX_CLASS.get(norm, norm.replace(" ", "").replace(".", ""))


def _strip_glued_prefix(letters: str) -> tuple[str | None, str]:
    for glued, prefix in _GLUED_PREFIXES:
        if letters.startswith(glued) and len(letters) - len(glued) >= 3:
            return prefix, letters[len(glued) :]
    return None, letters


@dataclass(frozen=True)
class PersonName:
    given_names: str | None = None
    initials: str | None = None
    prefix: str | None = None
    surname: str | None = None


def _split_leading_prefix(words: list[str]) -> tuple[str | None, list[str]]:
    """Take the longest run of leading words that is a known prefix."""
    for n in range(min(_MAX_PREFIX_WORDS, len(words) - 1), 0, -1):
        candidate = " ".join(words[:n])
        if candidate in _PREFIX_SPELLINGS:
            return _PREFIX_SPELLINGS[candidate], words[n:]
    return None, words


def split_surname(surname: object, prefix: object = None) -> tuple[str | None, str | None]:
    """Split a surname into (normalised prefix, surname proper).

    Handles 'van der Meer', 'Meer, van der', 'Meer v.d.', 'V.d. Meer' and an explicit
    prefix column. The surname proper keeps its spelling (lower-case, no diacritics).
    """
    text = clean_text(surname)
    explicit = normalise_prefix(prefix)
    if text is None:
        return explicit, None
    text = text.replace("’", "'")
    if "," in text:  # 'Meer, van der' (inverted, as in sorted lists)
        head, _, tail = text.partition(",")
        tail_prefix = normalise_prefix(tail)
        if tail_prefix and (tail_prefix in _PREFIX_SPELLINGS.values()):
            return explicit or tail_prefix, head.strip() or None
        text = head.strip()
    # 'v.d.meer' -> 'v.d. meer'
    text = re.sub(r"^(v\.\s?d\.?|v/d|v\.)(?=[a-z])", r"\1 ", text)
    words = text.split(" ")
    found, rest = _split_leading_prefix(words)
    if found is None and len(words) > 1:
        # trailing prefix: 'Meer v.d.'
        for n in range(min(_MAX_PREFIX_WORDS, len(words) - 1), 0, -1):
            candidate = " ".join(words[-n:])
            if candidate in _PREFIX_SPELLINGS:
                found, rest = _PREFIX_SPELLINGS[candidate], words[:-n]
                break
    return explicit or found, " ".join(rest).strip() or None


def surname_core(surname: object, prefix: object = None) -> str | None:
    """Letters-only key of the surname without any prefix, glued or separate.

    'van der Meer', 'V.d. Meer', 'Vandermeer' and 'Meer' all give 'meer'.
    """
    _, proper = split_surname(surname, prefix)
    if proper is None:
        return None
    letters = _letters(proper)
    if not letters:
        return None
    _, core = _strip_glued_prefix(letters)
    return core


def surname_parts(
    surname: object, prefix: object = None
) -> tuple[str | None, str | None, str | None]:
    """(prefix class, core of first part, core of second part) of a possibly double
    surname such as 'de Vries-Bakker' (partner's name then own, naamgebruik V)."""
    norm_prefix, proper = split_surname(surname, prefix)
    if proper is None:
        return prefix_class(norm_prefix), None, None
    parts = [p.strip() for p in re.split(r"\s*-\s*|\s+e/v\s+|\s+geb\.?\s+", proper) if p.strip()]
    first_letters = _letters(parts[0]) if parts else ""
    glued, first = _strip_glued_prefix(first_letters) if first_letters else (None, "")
    second = None
    if len(parts) > 1:
        _, second_words = _split_leading_prefix(parts[1].split(" "))
        second_letters = _letters(" ".join(second_words))
        second = _strip_glued_prefix(second_letters)[1] if second_letters else None
    cls = prefix_class(norm_prefix) if norm_prefix else prefix_class(glued)
    return cls, first or None, second or None


def known_surname(
    own_surname: object,
    own_prefix: object = None,
    partner_surname: object = None,
    partner_prefix: object = None,
    name_usage: object = None,
) -> str | None:
    """The surname a person is known by, from the BRP *aanduiding naamgebruik*.

    E = own name, P = partner's name, V = partner's name then own, N = own then
    partner's. Without a partner name, or with an unknown code, the own name.
    """

    def full(prefix: object, surname: object) -> str | None:
        # keep the spelling as registered: this is a display name
        s = " ".join(str(surname).split()) if clean_text(surname) else ""
        if not s:
            return None
        p = " ".join(str(prefix).split()) if clean_text(prefix) else ""
        return f"{p} {s}" if p else s

    own = full(own_prefix, own_surname)
    partner = full(partner_prefix, partner_surname)
    usage = (clean_text(name_usage) or "e")[:1]
    if partner is None or usage == "e":
        return own
    if usage == "p":
        return partner
    if usage == "v":
        return f"{partner}-{own}" if own else partner
    if usage == "n":
        return f"{own}-{partner}" if own else partner
    return own


# ---------------------------------------------------------------- given names and initials

_TITLES = {
    "dhr",
    "mevr",
    "mw",
    "mr",
    "dr",
    "drs",
    "ir",
    "ing",
    "prof",
    "de heer",
    "mevrouw",
    "bc",
    "msc",
    "ba",
}


def normalise_initials(value: object) -> str | None:
    """'J.P.', 'J. P.', 'jp', 'J.-P.' -> 'jp'. 'Th.' counts as one initial ('t')."""
    text = clean_text(value)
    if text is None:
        return None
    tokens = [t for t in re.split(r"[.\s\-]+", text) if t]
    if (
        len(tokens) == 1
        and tokens[0].isalpha()
        and len(tokens[0]) <= 4
        and "." not in text
        and " " not in text
    ):
        # 'jp' written without dots: every letter is an initial
        return tokens[0]
    initials = "".join(t[0] for t in tokens if t[0].isalpha())
    return initials or None


def initials_of(given_names: object) -> str | None:
    """'Jan Pieter' -> 'jp', 'Anne-Marie' -> 'am'."""
    text = clean_text(given_names)
    if text is None:
        return None
    tokens = [t for t in re.split(r"[\s\-.]+", text) if t and t[0].isalpha()]
    return "".join(t[0] for t in tokens) or None


def looks_like_initials(value: object) -> bool:
    """True for 'J.P.', 'JP', 'J. P.' — given-names columns often hold only initials."""
    if value is None:
        return False
    text = str(value).strip()
    if not text:
        return False
    if re.fullmatch(r"(?:[A-Za-z]{1,2}\.\s*-?)+", text):
        return True
    return bool(re.fullmatch(r"[A-Z]{1,4}", text))


def parse_full_name(value: object) -> PersonName:
    """Parse a full name as written in a letter or list.

    'Jan Pieter van der Meer', 'J.P. v.d. Meer', 'Meer, J.P. van der',
    'Dhr. J. de Vries' -> given names or initials, prefix, surname.
    """
    raw = str(value).strip() if value is not None else ""
    if not raw or raw.lower() == "nan":
        return PersonName()
    text = ascii_fold(raw)
    text = re.sub(r"\s+", " ", text)
    words = text.split(" ")
    while words and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    text = " ".join(words)
    if "," in text:  # 'Meer, J.P. van der'
        surname_part, _, rest = text.partition(",")
        rest_words = rest.strip().split(" ")
        given: list[str] = []
        while (
            rest_words and not normalise_prefix(" ".join(rest_words)) in _PREFIX_SPELLINGS.values()
        ):
            given.append(rest_words.pop(0))
        prefix = normalise_prefix(" ".join(rest_words)) if rest_words else None
        return _name_from_parts(" ".join(given), prefix, surname_part.strip())
    words = text.split(" ")
    if len(words) == 1:
        return PersonName(surname=clean_text(words[0]))
    # find the first word that starts a prefix, after at least one given name/initial
    for i in range(1, len(words)):
        prefix, rest = _split_leading_prefix([w.lower() for w in words[i:]])
        if prefix is not None and rest:
            return _name_from_parts(
                " ".join(words[:i]), prefix, " ".join(words[i + len(words[i:]) - len(rest) :])
            )
    # initials glued in front: 'J.P.Meer'
    return _name_from_parts(" ".join(words[:-1]), None, words[-1])


def _name_from_parts(given: str, prefix: str | None, surname: str) -> PersonName:
    given = given.strip()
    if looks_like_initials(given):
        return PersonName(
            initials=normalise_initials(given), prefix=prefix, surname=clean_text(surname)
        )
    return PersonName(
        given_names=clean_text(given),
        initials=initials_of(given),
        prefix=prefix,
        surname=clean_text(surname),
    )


# ---------------------------------------------------------------- dates

_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{2})(\d{2})(\d{4})$"), ("d", "m", "y")),
)


def parse_date(value: object) -> tuple[str | None, int | None]:
    """Mixed Dutch date formats -> (ISO date or None, year or None).

    Accepts YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYYMMDD and a bare
    year. BRP 'onvolledige datum' (00 for unknown day/month) keeps the year only.
    """
    text = clean_text(value)
    if text is None:
        return None, None
    text = text.replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return None, year if 1800 <= year <= 2100 else None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            year = parts["y"] if 1800 <= parts["y"] <= 2100 else None
            try:
                return date(parts["y"], parts["m"], parts["d"]).isoformat(), year
            except ValueError:
                return None, year
    return None, None


# ---------------------------------------------------------------- addresses


@dataclass(frozen=True)
class HouseNumber:
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


def parse_house_number(
    value: object, letter: object = None, addition: object = None
) -> HouseNumber:
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
    return HouseNumber(number, found_letter, found_addition)


def normalise_postcode(value: object) -> str | None:
    """'3511 ab', '3511AB', ' 3511-ab ' -> '3511AB'; invalid -> None."""
    text = clean_text(value)
    if text is None:
        return None
    compact = re.sub(r"[\s\-]", "", text).upper()
    try:
        from stdnum.nl import postcode as nl_postcode

        return nl_postcode.compact(nl_postcode.validate(compact))
    except Exception:  # invalid or stdnum unavailable
        # FEBRL and foreign data: keep 4-digit numeric codes as-is
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
    house_number: HouseNumber = HouseNumber()
    postcode: str | None = None
    city: str | None = None


_POSTCODE_IN_TEXT = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")


def parse_address(value: object) -> Address:
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
        house = parse_house_number(number_match.group(1))
    else:
        street, house = head.strip() or None, HouseNumber()
    return Address(normalise_street(street), house, postcode, city)


# ---------------------------------------------------------------- companies

# Legal forms (rechtsvormen) with their spellings in names and extracts.
_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "bv": ("b.v.", "b. v.", "bv", "besloten vennootschap", "b.v", "bv."),
    "nv": ("n.v.", "n. v.", "nv", "naamloze vennootschap", "n.v"),
    "vof": ("v.o.f.", "vof", "v.o.f", "vennootschap onder firma"),
    "cv": ("c.v.", "cv", "commanditaire vennootschap"),
    "stichting": ("stichting", "stg.", "stg"),
    "vereniging": ("vereniging", "ver.", "vereniging met volledige rechtsbevoegdheid"),
    "cooperatie": ("cooperatie", "coop.", "cooperatieve vereniging", "u.a.", "w.a.", "b.a."),
    "eenmanszaak": ("eenmanszaak", "emz"),
    "maatschap": ("maatschap",),
    "ltd": ("ltd", "ltd.", "limited"),
    "gmbh": ("gmbh",),
}
_LEGAL_FORM_LOOKUP = {
    spelling: code for code, spellings in _LEGAL_FORMS.items() for spelling in spellings
}
# Words that say little about which company it is (but keep them in the full name).
_COMPANY_FILLERS = {
    "holding",
    "beheer",
    "groep",
    "group",
    "de",
    "het",
    "en",
    "the",
    "and",
    "management",
}
_TRADE_NAME_MARKERS = re.compile(
    r"\s+(?:t\.?h\.?o\.?d\.?n\.?|h\.?o\.?d\.?n\.?|h/o|handelend onder de naam|tevens handelend onder)\s+"
)


def normalise_legal_form(value: object) -> str | None:
    """'B.V.' / 'Besloten Vennootschap' -> 'bv'; unknown forms cleaned as-is."""
    text = clean_text(value)
    if text is None:
        return None
    text = text.strip(" .,")
    if text in _LEGAL_FORM_LOOKUP:
        return _LEGAL_FORM_LOOKUP[text]
    if text + "." in _LEGAL_FORM_LOOKUP:
        return _LEGAL_FORM_LOOKUP[text + "."]
    return re.sub(r"[^a-z]", "", text) or None


@dataclass(frozen=True)
class CompanyName:
    core: str | None = None  # statutory name without legal form or filler words
    trade_core: str | None = None  # trade name after 'h.o.d.n.', if given
    tokens_sorted: str | None = None  # word-order independent key
    legal_form: str | None = None


def _company_core(text: str) -> tuple[str | None, str | None, str | None]:
    text = text.replace("&", " en ").replace("+", " en ")
    legal_form = None
    # legal form as a separate word at either end, e.g. 'Stichting X', 'X B.V.'
    words = re.sub(r"[,()]", " ", text).split()
    changed = True
    while changed and words:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n:
                tail = " ".join(words[-n:]).strip(".") if n > 1 else words[-1]
                for candidate in (" ".join(words[-n:]), tail):
                    if candidate in _LEGAL_FORM_LOOKUP:
                        legal_form = legal_form or _LEGAL_FORM_LOOKUP[candidate]
                        words = words[:-n]
                        changed = True
                        break
                if changed:
                    break
                head = " ".join(words[:n])
                if head in _LEGAL_FORM_LOOKUP:
                    legal_form = legal_form or _LEGAL_FORM_LOOKUP[head]
                    words = words[n:]
                    changed = True
                    break
    tokens = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    tokens = [t for t in tokens if t]
    significant = [t for t in tokens if t not in _COMPANY_FILLERS] or tokens
    if not significant:
        return None, None, legal_form
    return "".join(significant), "".join(sorted(significant)), legal_form


def parse_company_name(value: object, legal_form: object = None) -> CompanyName:
    """'Bakkerij Jansen B.V. h.o.d.n. Broodhuis De Hoek' -> core 'bakkerijjansen',
    trade name core 'broodhuishoek', legal form 'bv'."""
    text = clean_text(value)
    if text is None:
        return CompanyName(legal_form=normalise_legal_form(legal_form))
    parts = _TRADE_NAME_MARKERS.split(text, maxsplit=1)
    statutory_text = parts[0]
    trade_text = parts[1] if len(parts) > 1 and parts[1] else None
    core, tokens_sorted, detected = _company_core(statutory_text)
    trade_core = _company_core(trade_text)[0] if trade_text else None
    return CompanyName(
        core, trade_core, tokens_sorted, normalise_legal_form(legal_form) or detected
    )


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
