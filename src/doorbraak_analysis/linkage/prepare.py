"""Field mappings and the feature table the linker compares.

A *mapping* says which input column holds which canonical field. ``prepare_records``
turns any table plus its mapping into one feature table with fixed column names, so the
Splink model never sees source-specific columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

import pandas as pd

from . import normalise as nl

PERSON_FIELDS = (
    "id",
    "given_names",
    "initials",
    "surname_prefix",
    "surname",
    "full_name",
    "birth_date",
    "birth_year",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "city",
    "address",
    "partner_surname_prefix",
    "partner_surname",
    "name_usage",
    "bsn",
)
COMPANY_FIELDS = (
    "id",
    "name",
    "kvk_number",
    "legal_form",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "city",
    "address",
)
CANONICAL_FIELDS = tuple(dict.fromkeys(PERSON_FIELDS + COMPANY_FIELDS))
ENTITY_KINDS = ("person", "company")

# Feature columns per entity kind (all strings; None when unknown).
ADDRESS_FEATURES = ("postcode", "pc4", "house_number", "house_suffix", "street", "city")
PERSON_FEATURES = (
    "given_names",
    "first_name",
    "initials",
    "initial1",
    "prefix_class",
    "surname_core",
    "surname_alt",
    "surname_key",
    "birth_date",
    "birth_year",
    "bsn",
    *ADDRESS_FEATURES,
)
COMPANY_FEATURES = (
    "name_core",
    "name_trade",
    "name_sorted",
    "legal_form",
    "kvk_number",
    *ADDRESS_FEATURES,
)
DISPLAY_COLUMNS = ("display_name", "birth_date_raw")


class MappingError(ValueError):
    """A mapping file or an input table that does not fit it."""


def load_mapping(path: str | Path) -> dict[str, dict[str, str]]:
    """Read a YAML mapping: ``{left: {canonical: column}, right: {...}}``."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise MappingError(f"mapping file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise MappingError(f"mapping file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(
            f"mapping file {path} must contain a 'left:' section (and 'right:' when linking)"
        )
    result: dict[str, dict[str, str]] = {}
    for side, section in data.items():
        if section is None:
            continue
        if not isinstance(section, dict):
            raise MappingError(
                f"section '{side}' in {path} must map canonical fields to column names"
            )
        result[str(side)] = {str(k): str(v) for k, v in section.items() if v is not None}
    return result


def validate_mapping(
    mapping: Mapping[str, str], columns: Iterable[str], entity: str, side: str = "left"
) -> None:
    """Raise MappingError naming every unknown field and missing column."""
    if entity not in ENTITY_KINDS:
        raise MappingError(f"entity must be one of {', '.join(ENTITY_KINDS)}, not {entity!r}")
    allowed = PERSON_FIELDS if entity == "person" else COMPANY_FIELDS
    problems = []
    unknown = [f for f in mapping if f not in allowed]
    if unknown:
        problems.append(
            f"unknown canonical field(s) for {entity}: {', '.join(sorted(unknown))} "
            f"(allowed: {', '.join(allowed)})"
        )
    columns = list(columns)
    missing = [
        f"{field} -> {col!r}"
        for field, col in mapping.items()
        if field in allowed and col not in columns
    ]
    if missing:
        problems.append(
            f"column(s) not in the {side} input: {', '.join(missing)} (input has: {', '.join(columns)})"
        )
    useful = set(mapping) - {"id"}
    if not useful:
        problems.append(f"the {side} mapping maps no field to compare on")
    if problems:
        raise MappingError(f"{side} mapping: " + "; ".join(problems))


T = TypeVar("T")


def _cached(func: Callable[[Any], T], series: pd.Series) -> list[T]:
    cache: dict[object, T] = {}
    out: list[T] = []
    for value in series.tolist():
        key = value if isinstance(value, str) or value is None else str(value)
        if key not in cache:
            cache[key] = func(value)
        out.append(cache[key])
    return out


def _cached_rows(func: Callable[..., T], *columns: list[Any]) -> list[T]:
    cache: dict[tuple[Any, ...], T] = {}
    out: list[T] = []
    for row in zip(*columns, strict=True):
        if row not in cache:
            cache[row] = func(*row)
        out.append(cache[row])
    return out


def _column(df: pd.DataFrame, mapping: Mapping[str, str], field: str) -> list[Any]:
    if field not in mapping:
        return [None] * len(df)
    values = df[mapping[field]].tolist()
    return [
        None
        if (
            v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
        )
        else v
        for v in values
    ]


def _record_ids(df: pd.DataFrame, mapping: Mapping[str, str], side: str) -> list[str]:
    if "id" not in mapping:
        return [str(i + 1) for i in range(len(df))]  # row numbers, 1-based like a spreadsheet
    ids = [str(v).strip() for v in df[mapping["id"]].tolist()]
    blanks = [i + 2 for i, v in enumerate(ids) if v in ("", "nan", "None")]
    if blanks:
        raise MappingError(f"{side} input: empty id in row(s) {', '.join(map(str, blanks[:20]))}")
    seen: set[str] = set()
    dupes = [v for v in ids if v in seen or seen.add(v)]  # type: ignore[func-returns-value]
    if dupes:
        raise MappingError(f"{side} input: duplicate id(s) {', '.join(sorted(set(dupes))[:20])}")
    return ids


def _address_features(df: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, list[Any]]:
    n = len(df)
    free = (
        _cached(nl.parse_address, pd.Series(_column(df, mapping, "address"), dtype=object))
        if "address" in mapping
        else [None] * n
    )
    houses = _cached_rows(
        lambda h, letter, a: nl.parse_house_number(h, letter, a),
        _column(df, mapping, "house_number"),
        _column(df, mapping, "house_letter"),
        _column(df, mapping, "house_number_addition"),
    )
    postcode = _cached(
        nl.normalise_postcode, pd.Series(_column(df, mapping, "postcode"), dtype=object)
    )
    street = _cached(nl.normalise_street, pd.Series(_column(df, mapping, "street"), dtype=object))
    city = _cached(nl.normalise_city, pd.Series(_column(df, mapping, "city"), dtype=object))
    out: dict[str, list[Any]] = {k: [] for k in ADDRESS_FEATURES}
    for i in range(n):
        house = houses[i]
        address = free[i]
        if address is not None and house.number is None:
            house = address.house_number
        pc = postcode[i] or (address.postcode if address else None)
        out["postcode"].append(pc)
        out["pc4"].append(pc[:4] if pc else None)
        out["house_number"].append(str(house.number) if house.number is not None else None)
        out["house_suffix"].append(house.suffix)
        out["street"].append(street[i] or (address.street if address else None))
        out["city"].append(city[i] or (address.city if address else None))
    return out


def _person_features(df: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, list[Any]]:
    n = len(df)
    given_raw = _column(df, mapping, "given_names")
    initials_raw = _column(df, mapping, "initials")
    surname_raw = _column(df, mapping, "surname")
    prefix_raw = _column(df, mapping, "surname_prefix")
    full_raw = _column(df, mapping, "full_name")
    full = (
        _cached(nl.parse_full_name, pd.Series(full_raw, dtype=object))
        if "full_name" in mapping
        else [None] * n
    )
    out: dict[str, list[Any]] = {
        k: []
        for k in (
            "given_names",
            "first_name",
            "initials",
            "initial1",
            "prefix_class",
            "surname_core",
            "surname_alt",
            "display_name",
        )
    }

    def given_features(
        given: str | None, initials: str | None
    ) -> tuple[str | None, str | None, str | None]:
        if given is not None and nl.looks_like_initials(given):
            initials, given = initials or given, None
        g = nl.clean_text(given)
        first = g.split(" ")[0].split("-")[0] if g else None
        ini = nl.normalise_initials(initials) or nl.initials_of(g)
        return g, first, ini

    given_cache = _cached_rows(given_features, given_raw, initials_raw)
    surname_cache = _cached_rows(nl.surname_parts, surname_raw, prefix_raw)
    partner_raw = _column(df, mapping, "partner_surname")
    partner_prefix_raw = _column(df, mapping, "partner_surname_prefix")
    partner = _cached_rows(lambda s, p: nl.surname_parts(s, p)[1], partner_raw, partner_prefix_raw)
    usage = _column(df, mapping, "name_usage")
    known_names = _cached_rows(
        nl.known_surname, surname_raw, prefix_raw, partner_raw, partner_prefix_raw, usage
    )
    for i in range(n):
        g, first, ini = given_cache[i]
        pcls, core, second = surname_cache[i]
        parsed = full[i]
        if parsed is not None and (core is None or (g is None and ini is None)):
            if core is None and parsed.surname:
                pcls, core, second = nl.surname_parts(parsed.surname, parsed.prefix)
            if g is None and ini is None:
                g, ini = parsed.given_names, parsed.initials
                first = g.split(" ")[0].split("-")[0] if g else None
        out["given_names"].append(g)
        out["first_name"].append(first)
        out["initials"].append(ini)
        out["initial1"].append(ini[0] if ini else None)
        out["prefix_class"].append(pcls)
        out["surname_core"].append(core)
        # the other surname this person may go by: the partner's, or the second half of
        # a double name such as 'de Vries-Bakker'
        out["surname_alt"].append(partner[i] or second)
        known = known_names[i]
        label_given = given_raw[i] or initials_raw[i] or ""
        out["display_name"].append(
            (
                f"{label_given} {known}".strip()
                if known
                else (str(full_raw[i]) if full_raw[i] else None)
            )
        )
    dates = _cached(nl.parse_date, pd.Series(_column(df, mapping, "birth_date"), dtype=object))
    years = _cached(
        lambda v: nl.parse_date(v)[1], pd.Series(_column(df, mapping, "birth_year"), dtype=object)
    )
    out["birth_date"] = [d[0] for d in dates]
    out["birth_year"] = [
        str(d[1] or y) if (d[1] or y) else None for d, y in zip(dates, years, strict=True)
    ]
    # a Dutch sound-alike key of the surname: blocks 'Meijer'/'Meyer', 'Jansen'/'Janssen'
    out["surname_key"] = _cached(nl.phonetic_key, pd.Series(out["surname_core"], dtype=object))
    out["bsn"] = _cached(nl.normalise_bsn, pd.Series(_column(df, mapping, "bsn"), dtype=object))
    return out


def _company_features(df: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, list[Any]]:
    names = _cached_rows(
        nl.parse_company_name, _column(df, mapping, "name"), _column(df, mapping, "legal_form")
    )
    raw_names = _column(df, mapping, "name")
    return {
        "name_core": [c.core for c in names],
        "name_trade": [c.trade_core for c in names],
        "name_sorted": [c.tokens_sorted for c in names],
        "legal_form": [c.legal_form for c in names],
        "kvk_number": _cached(
            nl.normalise_kvk, pd.Series(_column(df, mapping, "kvk_number"), dtype=object)
        ),
        "display_name": [str(v) if v is not None else None for v in raw_names],
    }


def prepare_records(
    df: pd.DataFrame,
    mapping: Mapping[str, str],
    entity: str = "person",
    source: str = "left",
) -> pd.DataFrame:
    """Normalise an input table into the linker's feature table.

    Returns columns ``unique_id``, ``source_dataset`` and the feature columns of the
    entity kind (see PERSON_FEATURES / COMPANY_FEATURES), plus ``display_name``.
    """
    validate_mapping(mapping, df.columns, entity, source)
    df = df.reset_index(drop=True)
    features: dict[str, list[Any]] = {
        "unique_id": _record_ids(df, mapping, source),
        "source_dataset": [source] * len(df),
    }
    features.update(_address_features(df, mapping))
    if entity == "person":
        features.update(_person_features(df, mapping))
        order = ["unique_id", "source_dataset", *PERSON_FEATURES, "display_name"]
    else:
        features.update(_company_features(df, mapping))
        order = ["unique_id", "source_dataset", *COMPANY_FEATURES, "display_name"]
    table = pd.DataFrame(features)[order]
    return table.astype(object).where(table.notna(), None)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (any common delimiter) or Parquet file with every column as text."""
    path = Path(path)
    if not path.exists():
        raise MappingError(f"input file not found: {path}")
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path).astype(str).replace({"None": "", "nan": "", "NaT": ""})
    from ..textfiles import TextFileError, detect_encoding

    try:  # UTF-8, Windows-1252 or Latin-1; binary content and unexplained bytes are refused
        encoding = detect_encoding(path)
    except TextFileError as exc:
        raise MappingError(str(exc)) from None
    with open(path, encoding=encoding, errors="replace") as handle:
        header = handle.readline()
    if not header.strip():
        raise MappingError(f"{path} is empty: no header line")
    # Dutch exports often use ';' (Excel with a decimal comma)
    sep = max((",", ";", "\t", "|"), key=header.count)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding=encoding)
    except Exception as exc:  # pandas raises many kinds for malformed files
        raise MappingError(f"cannot read {path} as CSV: {exc}") from exc
