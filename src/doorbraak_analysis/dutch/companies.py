"""Company names and legal forms (rechtsvormen). Lenient: ``normalise_company_name``,
``normalise_legal_form``; strict: ``parse_legal_form`` and ``parse_company_name``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Invalid, as_text, clean_text

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
TRADE_NAME_MARKERS = re.compile(
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


def normalise_company_name(value: object, legal_form: object = None) -> CompanyName:
    """'Bakkerij Jansen B.V. h.o.d.n. Broodhuis De Hoek' -> core 'bakkerijjansen',
    trade name core 'broodhuishoek', legal form 'bv'."""
    text = clean_text(value)
    if text is None:
        return CompanyName(legal_form=normalise_legal_form(legal_form))
    parts = TRADE_NAME_MARKERS.split(text, maxsplit=1)
    statutory_text = parts[0]
    trade_text = parts[1] if len(parts) > 1 and parts[1] else None
    core, tokens_sorted, detected = _company_core(statutory_text)
    trade_core = _company_core(trade_text)[0] if trade_text else None
    return CompanyName(
        core, trade_core, tokens_sorted, normalise_legal_form(legal_form) or detected
    )


def parse_legal_form(value: object) -> str:
    """A legal form as a register or extract writes it ('B.V.', 'Besloten Vennootschap',
    'vof') -> its code ('bv', 'vof'); an unknown form is refused."""
    text = clean_text(value)
    code = None
    if text is not None:
        text = text.strip(" .,")
        code = _LEGAL_FORM_LOOKUP.get(text) or _LEGAL_FORM_LOOKUP.get(text + ".")
    if code is None:
        known = ", ".join(sorted(_LEGAL_FORMS))
        raise Invalid(f"onbekende rechtsvorm (bekend: {known})")
    return code


COMPANY_NAME_MAX = 200


def parse_company_name(value: object) -> str:
    """A statutory or trade name as stored: whitespace collapsed, spelling kept. Refused when
    empty of letters and digits, only a legal form, or longer than 200 characters."""
    text = as_text(value)
    if len(text) > COMPANY_NAME_MAX:
        raise Invalid(f"bedrijfsnaam langer dan {COMPANY_NAME_MAX} tekens")
    if not re.search(r"[^\W_]", text):
        raise Invalid("bedrijfsnaam bevat geen letters of cijfers")
    bare = (clean_text(text) or "").strip(" .,")
    if bare in _LEGAL_FORM_LOOKUP or bare + "." in _LEGAL_FORM_LOOKUP:
        raise Invalid("bedrijfsnaam is alleen een rechtsvorm")
    if normalise_company_name(text).core is None:
        raise Invalid("bedrijfsnaam bestaat alleen uit een rechtsvorm en vulwoorden")
    return text
