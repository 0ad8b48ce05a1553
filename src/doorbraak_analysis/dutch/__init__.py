"""One library of Dutch values: names and voorvoegsels, dates, house numbers and addresses,
postcodes, identifiers (BSN, KvK, RSIN, IBAN, BAG-id, SBI), company names and legal forms.

Every kind of value has two modes:

- **strict** (``parse_*``): what the importer accepts. The normalised value, or
  ``Invalid(reason)`` with a Dutch message for the rejection report. Used by
  ``doorbraak_analysis.registers.validation`` (and so by ``doorbraak import``).
- **lenient** (``normalise_*``): what linkage compares. A best-effort key, or ``None`` for
  nothing usable, so that a missing value never agrees with another. Used by
  ``doorbraak_analysis.linkage.normalise``.

Where both modes read the same thing (dates, postcodes, IBAN, RSIN), the lenient one accepts
everything the strict one does and reads it the same way.
"""

from __future__ import annotations

from .addresses import (
    Address,
    HouseNumber,
    LooseHouseNumber,
    normalise_address,
    normalise_city,
    normalise_house_number,
    normalise_postcode,
    normalise_street,
    parse_house_number,
    parse_postcode,
)
from .companies import (
    CompanyName,
    normalise_company_name,
    normalise_legal_form,
    parse_company_name,
    parse_legal_form,
)
from .dates import normalise_date, parse_date
from .identifiers import (
    normalise_bsn,
    normalise_iban,
    normalise_kvk,
    normalise_rsin,
    parse_bag_id,
    parse_bsn,
    parse_iban,
    parse_kvk,
    parse_rsin,
    parse_sbi,
)
from .names import (
    PersonName,
    initials_of,
    known_surname,
    looks_like_initials,
    normalise_full_name,
    normalise_initials,
    normalise_prefix,
    parse_prefix,
    phonetic_key,
    prefix_class,
    split_surname,
    surname_core,
    surname_parts,
)
from .numbers import parse_float, parse_int
from .text import Invalid, as_text, ascii_fold, clean_text, is_empty

__all__ = [
    "Address",
    "CompanyName",
    "HouseNumber",
    "Invalid",
    "LooseHouseNumber",
    "PersonName",
    "as_text",
    "ascii_fold",
    "clean_text",
    "initials_of",
    "is_empty",
    "known_surname",
    "looks_like_initials",
    "normalise_address",
    "normalise_bsn",
    "normalise_city",
    "normalise_company_name",
    "normalise_date",
    "normalise_full_name",
    "normalise_house_number",
    "normalise_iban",
    "normalise_initials",
    "normalise_kvk",
    "normalise_legal_form",
    "normalise_postcode",
    "normalise_prefix",
    "normalise_rsin",
    "normalise_street",
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
    "phonetic_key",
    "parse_rsin",
    "parse_sbi",
    "prefix_class",
    "split_surname",
    "surname_core",
    "surname_parts",
]
