"""Person names: voorvoegsels (tussenvoegsels), surnames, given names and initials. Strict:
``parse_prefix`` (as the population register writes it); lenient: ``normalise_prefix``,
``prefix_class``, ``split_surname``, ``surname_core``, ``surname_parts``, ``known_surname``,
``normalise_initials``, ``initials_of``, ``normalise_full_name``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import as_text, ascii_fold, clean_text, letters_only

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
    letters = letters_only(proper)
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
    first_letters = letters_only(parts[0]) if parts else ""
    glued, first = _strip_glued_prefix(first_letters) if first_letters else (None, "")
    second = None
    if len(parts) > 1:
        _, second_words = _split_leading_prefix(parts[1].split(" "))
        second_letters = letters_only(" ".join(second_words))
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


def normalise_full_name(value: object) -> PersonName:
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
            rest_words and normalise_prefix(" ".join(rest_words)) not in _PREFIX_SPELLINGS.values()
        ):
            given.append(rest_words.pop(0))
        prefix = normalise_prefix(" ".join(rest_words)) if rest_words else None
        return _name_from_parts(" ".join(given), prefix, surname_part.strip())
    words = text.split(" ")
    if len(words) == 1:
        return PersonName(surname=clean_text(words[0]))
    # find the first word that starts a prefix, after at least one given name/initial
    for i in range(1, len(words)):
        found, remainder = _split_leading_prefix([w.lower() for w in words[i:]])
        if found is not None and remainder:
            return _name_from_parts(
                " ".join(words[:i]),
                found,
                " ".join(words[i + len(words[i:]) - len(remainder) :]),
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


def parse_prefix(value: object) -> str:
    """Voorvoegsel as the population register writes it: lower case, single spaces."""
    return re.sub(r"\s+", " ", as_text(value)).lower()


# Dutch sound-alike spellings, applied in order to a letters-only surname core. Kept coarse on
# purpose: the key only *blocks* (finds candidate pairs); the comparisons decide.
_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("ij", "y"),
    ("ei", "y"),
    ("ey", "y"),
    ("ie", "i"),
    ("oe", "u"),
    ("ou", "au"),
    ("uy", "y"),
    ("ui", "y"),
    ("ch", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),
    ("w", "f"),
    ("dt", "t"),
)


def phonetic_key(core: object) -> str | None:
    """A Dutch sound-alike key of a surname core (as ``surname_core`` gives it), for blocking:
    'Meijer', 'Meyer' and 'Mijer' -> 'myr'; 'Jansen' and 'Janssen' -> 'jnsn'; 'Schouten' and
    'Souten' -> 'stn'. Vowels after the first letter are dropped except 'y', doubled letters
    collapse and a final 'd' sounds as 't'."""
    text = clean_text(core)
    if text is None:
        return None
    text = letters_only(text)
    if not text:
        return None
    for old, new in _PHONETIC_RULES:
        text = text.replace(old, new)
    if text.endswith("d"):
        text = text[:-1] + "t"
    head, tail = text[0], re.sub(r"[aeiou]", "", text[1:])
    collapsed = re.sub(r"(.)\1+", r"\1", head + tail)
    return collapsed or None
