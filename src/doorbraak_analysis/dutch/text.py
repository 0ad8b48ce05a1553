"""Text as it comes in: the refusal (`Invalid`), empty cells, whitespace, diacritics.

Strict parsers (import validation) raise ``Invalid(reason)`` with a Dutch message for the
rejection report; lenient ones (linkage normalisation) return ``None`` for nothing usable."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime


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
    """Lower-case, fold diacritics, collapse whitespace; None for blanks and NaN (lenient)."""
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


def letters_only(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)
