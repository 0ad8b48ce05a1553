"""Validation and normalisation of values as they come in Dutch register extracts: the strict
mode of the Dutch values library (``doorbraak_analysis.dutch``).

Each parser takes the raw cell value and returns the normalised value, or raises
``Invalid(reason)`` with a Dutch message for the rejection report. Empty cells are handled
by the caller (required or not), so parsers only see non-empty text.
"""

from __future__ import annotations

from doorbraak_analysis.dutch.addresses import HouseNumber, parse_house_number, parse_postcode
from doorbraak_analysis.dutch.companies import parse_company_name, parse_legal_form
from doorbraak_analysis.dutch.dates import parse_date
from doorbraak_analysis.dutch.identifiers import (
    parse_bag_id,
    parse_bsn,
    parse_iban,
    parse_kvk,
    parse_rsin,
    parse_sbi,
)
from doorbraak_analysis.dutch.names import parse_prefix
from doorbraak_analysis.dutch.numbers import parse_float, parse_int
from doorbraak_analysis.dutch.text import Invalid, as_text, is_empty

__all__ = [
    "HouseNumber",
    "Invalid",
    "as_text",
    "is_empty",
    "parse_bag_id",
    "parse_bsn",
    "parse_company_name",
    "parse_date",
    "parse_float",
    "parse_house_number",
    "parse_iban",
    "parse_int",
    "parse_kvk",
    "parse_legal_form",
    "parse_postcode",
    "parse_prefix",
    "parse_rsin",
    "parse_sbi",
]
