"""Dutch normalisation for entity resolution: names, dates, addresses, companies.

Pure functions on single values. Each returns ``None`` for "nothing usable" so that a
missing value is never mistaken for an agreeing one by the linker. The lenient mode of the
Dutch values library (``doorbraak_analysis.dutch``), under the names linkage has always used.
"""

from __future__ import annotations

from doorbraak_analysis.dutch.addresses import (
    Address,
    normalise_city,
    normalise_postcode,
    normalise_street,
)
from doorbraak_analysis.dutch.addresses import LooseHouseNumber as HouseNumber
from doorbraak_analysis.dutch.addresses import normalise_address as parse_address
from doorbraak_analysis.dutch.addresses import normalise_house_number as parse_house_number
from doorbraak_analysis.dutch.companies import (
    TRADE_NAME_MARKERS,  # where a trade name follows the statutory one (linkage.ftm)
    CompanyName,
    normalise_legal_form,
)
from doorbraak_analysis.dutch.companies import normalise_company_name as parse_company_name
from doorbraak_analysis.dutch.dates import normalise_date as parse_date
from doorbraak_analysis.dutch.identifiers import normalise_bsn, normalise_kvk
from doorbraak_analysis.dutch.names import (
    PersonName,
    initials_of,
    known_surname,
    looks_like_initials,
    normalise_initials,
    normalise_prefix,
    phonetic_key,
    prefix_class,
    split_surname,
    surname_core,
    surname_parts,
)
from doorbraak_analysis.dutch.names import normalise_full_name as parse_full_name
from doorbraak_analysis.dutch.text import ascii_fold, clean_text

__all__ = [
    "TRADE_NAME_MARKERS",
    "ascii_fold",
    "clean_text",
    "PersonName",
    "split_surname",
    "surname_core",
    "surname_parts",
    "looks_like_initials",
    "Address",
    "prefix_class",
    "phonetic_key",
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
