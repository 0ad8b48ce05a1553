"""Dates as Dutch registers and spreadsheets write them. Strict: ``parse_date`` (a date, or
Invalid); lenient: ``normalise_date`` ((ISO date or None, year or None)), which takes whatever
the strict parser accepts and, beyond it, partial and oddly written dates."""

from __future__ import annotations

import re
from datetime import date, datetime

from .text import Invalid, as_text, clean_text

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


_LENIENT_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{2})(\d{2})(\d{4})$"), ("d", "m", "y")),
)


def normalise_date(value: object) -> tuple[str | None, int | None]:
    """Mixed Dutch date formats -> (ISO date or None, year or None).

    Accepts YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYYMMDD and a bare
    year. BRP 'onvolledige datum' (00 for unknown day/month) keeps the year only.
    """
    text = clean_text(value)
    if text is None:
        return None, None
    try:  # what the strict parser accepts, it reads the same way
        parsed = parse_date(value if isinstance(value, date) else as_text(value))
    except Invalid:
        pass
    else:
        return parsed.isoformat(), parsed.year
    text = text.replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return None, year if 1800 <= year <= 2100 else None
    for pattern, order in _LENIENT_DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            known = parts["y"] if 1800 <= parts["y"] <= 2100 else None
            try:
                return date(parts["y"], parts["m"], parts["d"]).isoformat(), known
            except ValueError:
                return None, known
    return None, None
