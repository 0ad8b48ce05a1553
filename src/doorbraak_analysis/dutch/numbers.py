"""Numbers in extracts (strict): whole numbers ≥ 0 and decimals with a comma or a point."""

from __future__ import annotations

import re

from .text import Invalid, as_text


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
