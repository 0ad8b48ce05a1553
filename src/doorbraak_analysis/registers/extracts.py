"""Reading register extracts (CSV, Parquet) into DuckDB, validated as ``doorbraak import`` does.

The same field mappings (``mappings/*.yaml``) and the same parsers (``validation.py``) as the
importer, at a scale the importer's row-by-row loop does not reach: values already in their
canonical form (``12345678`` for a KvK-nummer, ``3511AB`` for a postcode) are recognised in SQL
and taken as they are — for each such form the parser returns it unchanged, which
``tests/analysis/test_extracts.py`` checks — and every other distinct value goes through the
Python parser once. So the result, and every rejection with its Dutch reason, is the importer's.

An extract set is all or nothing: one problem anywhere (a bad value, a missing required column,
a duplicate key, a reference to a premises or company that the set does not have) rejects it.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from . import validation as v
from .mapping import FieldSpec, Mapping, column_of, load_mapping, norm_header

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MAX_PROBLEMS = 1000
FORMATS = (".csv", ".parquet")
# Python's str.isspace() set, as RE2 writes it: what as_text() collapses and strip() removes
WS = r"[\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\pZ]"
NOT_WS = r"[^\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\pZ]"
STRING_TYPES = {"text", "prefix", "wijk", "bsn", "kvk", "bag_id", "postcode", "sbi"}
SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE", "date": "DATE", "house_number": "BIGINT"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: " + ("bestand" if self.row is None else f"rij {self.row}")
        what = f" {self.field}" if self.field else ""
        shown = f" = {self.value!r}" if self.value else ""
        return f"{where}:{what}{shown}: {self.reason}"


class ExtractError(Exception):
    """An extract (set) that is refused whole, with every problem found (up to MAX_PROBLEMS)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        files = sorted({p.file for p in problems})
        super().__init__(
            f"{self.total} probleem/problemen in {', '.join(files)}; niets is gebruikt"
        )

    def report(self, limit: int = 50) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if self.total > len(lines):
            lines.append(f"... en nog {self.total - len(lines)}")
        return "\n".join(lines)


@dataclass
class Extract:
    source_type: str
    path: Path
    table: str  # DuckDB table: _row, the mapping's fields (normalised), premises_bag_id
    rows: int
    sha256: str
    mapping: Mapping = field(repr=False)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_extracts(directory: Path) -> dict[str, Path]:
    """``<source_type>.csv`` or ``.parquet`` in ``directory``; two files of one type is an error."""
    known = set(_source_types())
    found: dict[str, Path] = {}
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() not in FORMATS or path.stem not in known:
            continue
        if path.stem in found:
            raise ExtractError(
                [Problem(path.name, None, "", "", f"twee extracten van {path.stem}: kies er één")]
            )
        found[path.stem] = path
    return found


def _source_types() -> list[str]:
    from .mapping import source_types

    return source_types()


# --- reading --------------------------------------------------------------------------------


def _csv_encoding(path: Path) -> str:
    """The file's encoding (UTF-8, Windows-1252 or Latin-1, see ``doorbraak_analysis.textfiles``);
    binary content and bytes no encoding explains refuse the extract, naming the line."""
    from ..textfiles import TextFileError, detect_encoding

    try:
        return detect_encoding(path)
    except TextFileError as exc:
        if exc.kind == "binary":
            what = "NUL-byte" if exc.byte == 0 else f"stuurteken 0x{exc.byte:02X}"
            reason = f"regel {exc.line}: {what}: binaire inhoud, geen tekstbestand (CSV); geweigerd"
        else:
            reason = (
                f"regel {exc.line}: byte 0x{exc.byte:02X} is geen tekst in UTF-8, Windows-1252 "
                "of Latin-1 (of het bestand mengt coderingen); sla het op als UTF-8"
            )
        raise ExtractError([Problem(path.name, None, "", "", reason)]) from None


def _read_csv(con: DuckDBPyConnection, path: Path, name: str, problems: list[Problem]) -> list[str]:
    import pyarrow.csv as pcsv

    encoding = _csv_encoding(path)
    with open(path, encoding=encoding, newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise ExtractError([Problem(path.name, None, "", "", "leeg bestand: geen kopregel")])
    delimiter = max((";", ",", "\t", "|"), key=first.split("\n", 1)[0].count)
    header = next(csv.reader([first], delimiter=delimiter))

    def bad_row(row: Any) -> str:  # pyarrow InvalidRow
        problems.append(
            Problem(
                path.name,
                None,
                "",
                "",
                f"regel {row.number}: {row.actual_columns} kolommen, de kopregel heeft er "
                f"{row.expected_columns}",
            )
        )
        return "skip"

    names = [f"c{i}" for i in range(len(header))]
    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
            column_names=names,
            skip_rows=1,
            block_size=1 << 24,
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=bad_row
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    table = table.append_column("_idx", pa.array(range(table.num_rows), pa.int64()))
    con.register(f"{name}__arrow", table)
    # rows of only blanks are skipped, as the importer skips them; rows count on without them
    blank = " AND ".join(f"NOT regexp_matches({n}, '{NOT_WS}')" for n in names) or "false"
    cols = ", ".join(f'{n} AS "{h}"' for n, h in zip(names, header, strict=True))
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name}__raw AS SELECT row_number() OVER (ORDER BY _idx) AS _row, "
        f"{cols} FROM {name}__arrow WHERE NOT ({blank})",
    )
    con.unregister(f"{name}__arrow")
    return header


def _read_parquet(con: DuckDBPyConnection, path: Path, name: str) -> list[str]:
    try:
        _exec(
            con,
            f"CREATE OR REPLACE TEMP TABLE {name}__raw AS SELECT * EXCLUDE (file_row_number), "
            f"file_row_number + 1 AS _row FROM read_parquet(?, file_row_number = true)",
            [str(path)],
        )
    except Exception as exc:  # noqa: BLE001 - any DuckDB error here means: not a readable Parquet file
        raise ExtractError(
            [Problem(path.name, None, "", "", f"geen leesbaar Parquet-bestand: {exc}")]
        ) from exc
    return [c for c in _columns(con, f"{name}__raw") if c != "_row"]


def _exec(con: DuckDBPyConnection, sql: str, params: object = None) -> None:
    """A statement without a result; fetched so the connection is free for the next one."""
    con.execute(sql, params or []).fetchall()


def _columns(con: DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def _column_types(con: DuckDBPyConnection, table: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}


# --- validating -----------------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fast(ftype: str, x: str) -> tuple[str, str] | None:
    """(condition, value) for the canonical form of a VARCHAR value of ``ftype``: under the
    condition the importer's parser returns the value unchanged (cast to its type)."""
    text = f"regexp_full_match({x}, '{NOT_WS}+( {NOT_WS}+)*')"
    bsn_sum = " + ".join(f"{9 - i} * CAST(substr({x}, {i + 1}, 1) AS INTEGER)" for i in range(8))
    return {
        "text": (text, x),
        "wijk": (text, x),
        "prefix": (f"regexp_full_match({x}, '[a-z\\x27]+( [a-z\\x27]+)*')", x),
        "kvk": (f"regexp_full_match({x}, '[0-9]{{8}}')", x),
        "bag_id": (f"regexp_full_match({x}, '[0-9]{{16}}')", x),
        "sbi": (f"regexp_full_match({x}, '[0-9]{{2,6}}')", x),
        "postcode": (
            f"regexp_full_match({x}, '[1-9][0-9]{{3}}[A-Z]{{2}}') AND right({x}, 2) NOT IN ('SA', 'SD', 'SS')",
            x,
        ),
        "bsn": (
            f"regexp_full_match({x}, '[0-9]{{9}}') AND {x} <> '000000000' AND "
            f"(({bsn_sum}) - CAST(substr({x}, 9, 1) AS INTEGER)) % 11 = 0",
            x,
        ),
        "int": (f"regexp_full_match({x}, '[0-9]{{1,18}}')", f"TRY_CAST({x} AS BIGINT)"),
        "float": (
            f"regexp_full_match({x}, '-?[0-9]{{1,15}}(\\.[0-9]{{1,15}})?')",
            f"TRY_CAST({x} AS DOUBLE)",
        ),
        "date": (
            f"regexp_full_match({x}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') AND "
            f"TRY_CAST({x} AS DATE) BETWEEN DATE '1850-01-01' AND DATE '2100-12-31'",
            f"TRY_CAST({x} AS DATE)",
        ),
    }.get(ftype)


_PARSERS = {
    "int": v.parse_int,
    "float": v.parse_float,
    "date": v.parse_date,
    "bsn": v.parse_bsn,
    "kvk": v.parse_kvk,
    "bag_id": v.parse_bag_id,
    "postcode": v.parse_postcode,
    "sbi": v.parse_sbi,
    "prefix": v.parse_prefix,
    "text": v.as_text,
    "wijk": v.as_text,
}
_ARROW = {"int": pa.int64(), "float": pa.float64(), "date": pa.date32()}


def _python_values(
    con: DuckDBPyConnection, name: str, raw_table: str, col: str, ftype: str, where: str
) -> str:
    """The distinct values the SQL fast path did not take, parsed by the importer's parser:
    a table (raw, value, error) to join on."""
    values = [
        r[0]
        for r in con.execute(f"SELECT DISTINCT r.{col} FROM {raw_table} r WHERE {where}").fetchall()
    ]
    parser = _PARSERS[ftype]
    parsed: list[object] = []
    errors: list[str | None] = []
    for value in values:
        try:
            parsed.append(parser(value))
            errors.append(None)
        except v.Invalid as exc:
            parsed.append(None)
            errors.append(str(exc))
    raw_type = _column_types(con, raw_table)[col.strip('"').replace('""', '"')]
    table = pa.table(
        {
            "raw": values,
            "value": pa.array(parsed, _ARROW.get(ftype, pa.string())),
            "error": pa.array(errors, pa.string()),
        }
    )
    con.register(f"{name}__arrow", table)
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT CAST(raw AS {raw_type}) AS raw, value, error "
        f"FROM {name}__arrow",
    )
    con.unregister(f"{name}__arrow")
    return name


def _empty(x: str, sql_type: str) -> str:
    if sql_type == "VARCHAR":
        return f"({x} IS NULL OR NOT regexp_matches({x}, '{NOT_WS}'))"
    if sql_type in ("DOUBLE", "FLOAT"):
        return f"({x} IS NULL OR isnan({x}))"
    return f"({x} IS NULL)"


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _missing_columns(path: Path, mapping: Mapping, columns: dict[str, str | None]) -> list[Problem]:
    """A problem for every required field the file has no column for (and no default)."""
    return [
        Problem(
            path.name,
            None,
            fname,
            "",
            f"kolom ontbreekt (verwacht een van: {', '.join(spec.columns)})",
        )
        for fname, spec in mapping.fields.items()
        if spec.required and columns[fname] is None and spec.default is None
    ]


def _checked_problems(
    con: DuckDBPyConnection, path: Path, checked: str, errors: list[tuple[str, str, str]]
) -> list[Problem]:
    """The rows' problems from the checked table (at most MAX_PROBLEMS, then how many more)."""
    problems: list[Problem] = []
    union = " UNION ALL ".join(
        f"SELECT _row, '{fname}' AS field, __s{n} AS value, __e{n} AS reason "
        f"FROM {checked} WHERE __e{n} IS NOT NULL"
        for n, (fname, _r, _s) in enumerate(errors)
    )
    total = con.execute(f"SELECT count(*) FROM ({union})").fetchall()[0][0]
    if total:
        for row, fname, value, reason in con.execute(
            f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}"
        ).fetchall():
            problems.append(Problem(path.name, row, fname, value or "", reason))
    if total > MAX_PROBLEMS:
        problems.append(
            Problem(path.name, None, "", "", f"en nog {total - MAX_PROBLEMS} problemen")
        )
    return problems


def validate_extract(
    con: DuckDBPyConnection, path: Path, source_type: str, name: str
) -> tuple[list[Problem], int]:
    """Read ``path`` into the DuckDB table ``name`` with the mapping's fields, normalised.
    Returns the problems (empty when the file is good) and the number of rows."""
    mapping = load_mapping(source_type)
    problems: list[Problem] = []
    raw = f"{name}__raw"
    if path.suffix.lower() == ".parquet":
        header = _read_parquet(con, path, name)
    else:
        header = _read_csv(con, path, name, problems)
    by_norm: dict[str, str] = {}
    for h in header:
        by_norm.setdefault(norm_header(h), h)
    types = _column_types(con, raw)
    columns = {n: column_of(spec, list(by_norm)) for n, spec in mapping.fields.items()}
    missing = _missing_columns(path, mapping, columns)
    if missing:
        return problems + missing, 0

    selects, errors, joins = ["r._row"], [], []
    house_parts = {"house_number", "house_letter", "house_number_addition"}
    for fname, spec in mapping.fields.items():
        if spec.type == "house_number" or (
            "house_number" in mapping.fields and fname in house_parts
        ):
            continue  # parsed together below, as the importer does
        col = columns[fname]
        default = (
            _literal(spec.default)
            if spec.default is not None
            else ("''" if spec.type in STRING_TYPES else "NULL")
        )
        if col is None:
            cast = f"CAST({default} AS {SQL_TYPES.get(spec.type, 'VARCHAR')})"
            selects.append(f"{cast} AS {_q(fname)}")
            continue
        x = f"r.{_q(by_norm[col])}"
        sql_type = types[by_norm[col]]
        empty = _empty(x, sql_type)
        fast = _fast(spec.type, x) if sql_type == "VARCHAR" else None
        if sql_type == "DATE" and spec.type in ("date", "text"):
            fast = ("true", x if spec.type == "date" else f"CAST({x} AS VARCHAR)")
        elif sql_type.startswith("TIMESTAMP") and spec.type == "date":
            fast = ("true", f"CAST({x} AS DATE)")
        fast_cond, fast_value = fast or ("false", "NULL")
        fast_cond = f"coalesce({fast_cond}, false)"  # a NULL from TRY_CAST is not the fast path
        lookup = _python_values(
            con,
            f"{name}__v_{fname}",
            raw,
            _q(by_norm[col]),
            spec.type,
            f"NOT {empty} AND NOT ({fast_cond})",
        )
        alias = f"v_{fname}"
        joins.append(f"LEFT JOIN {lookup} {alias} ON {alias}.raw = {x} AND NOT ({fast_cond})")
        value = f"CASE WHEN {empty} THEN {default} WHEN {fast_cond} THEN {fast_value} ELSE {alias}.value END"
        selects.append(f"CAST({value} AS {SQL_TYPES.get(spec.type, 'VARCHAR')}) AS {_q(fname)}")
        shown = f"left(CAST({x} AS VARCHAR), 200)"
        required = "true" if spec.required and spec.default is None else "false"
        errors.append(
            (
                fname,
                f"CASE WHEN {empty} AND {required} THEN 'verplicht veld is leeg' "
                f"WHEN NOT {empty} AND NOT ({fast_cond}) THEN {alias}.error END",
                f"CASE WHEN {empty} THEN '' ELSE {shown} END",
            )
        )
    house = mapping.fields.get("house_number")
    if house is not None:
        house_selects, house_join = _house_numbers(
            con, name, raw, columns, by_norm, types, house, errors
        )
        selects += house_selects
        joins += [house_join] if house_join else []
    sql_from = f"{raw} r " + " ".join(joins)
    # values and problems in one pass: each field's reason (and the value shown with it) beside it
    checks = []
    for n, (_fname, reason, shown) in enumerate(errors):
        checks += [
            f"{reason} AS __e{n}",
            f"CASE WHEN ({reason}) IS NOT NULL THEN {shown} END AS __s{n}",
        ]
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name}__checked AS SELECT {', '.join(selects + checks)} FROM {sql_from}",
    )
    if errors:
        problems += _checked_problems(con, path, f"{name}__checked", errors)
    excluded = ", ".join(f"__e{n}, __s{n}" for n in range(len(errors)))
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * {f'EXCLUDE ({excluded})' if excluded else ''} "
        f"FROM {name}__checked",
    )
    _exec(con, f"DROP TABLE {name}__checked")
    _exec(con, f"DROP TABLE {raw}")
    rows = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    return problems, rows


def _house_numbers(
    con: DuckDBPyConnection,
    name: str,
    raw: str,
    columns: dict[str, str | None],
    by_norm: dict[str, str],
    types: dict[str, str],
    spec: FieldSpec,
    errors: list[tuple[str, str, str]],
) -> tuple[list[str], str]:
    """huisnummer with huisletter and toevoeging, parsed together as the importer does."""
    cols = {
        k: (f"r.{_q(by_norm[column])}" if (column := columns.get(k)) else None)
        for k in ("house_number", "house_letter", "house_number_addition")
    }
    if cols["house_number"] is None:
        return [
            "CAST(NULL AS BIGINT) AS house_number",
            "'' AS house_letter",
            "'' AS house_number_addition",
        ], ""
    text = {
        k: (c if c is None or types[c[2:].strip('"')] == "VARCHAR" else f"CAST({c} AS VARCHAR)")
        for k, c in cols.items()
    }
    number = text["house_number"]
    empty = _empty(cols["house_number"], types[cols["house_number"][2:].strip('"')])

    def blank_or(c: str | None, pattern: str) -> str:
        return (
            "true"
            if c is None
            else f"({c} IS NULL OR {c} = '' OR regexp_full_match({c}, '{pattern}'))"
        )

    letter, addition = text["house_letter"], text["house_number_addition"]
    fast = (
        f"coalesce(regexp_full_match({number}, '[1-9][0-9]{{0,4}}') AND {blank_or(letter, '[A-Z]')} AND "
        f"{blank_or(addition, '[A-Z0-9]{1,4}')}, false)"
    )
    triple = [
        c or "NULL"
        for c in (cols["house_number"], cols["house_letter"], cols["house_number_addition"])
    ]
    values = con.execute(
        f"SELECT DISTINCT {', '.join(triple)} FROM {raw} r WHERE NOT {empty} AND NOT ({fast})"
    ).fetchall()
    out: dict[str, list[object]] = {
        k: [] for k in ("n", "l", "a", "number", "letter", "addition", "error")
    }
    for n, letter_value, addition_value in values:
        out["n"].append(n)
        out["l"].append(letter_value)
        out["a"].append(addition_value)
        try:
            hn = v.parse_house_number(n, letter_value, addition_value)
            out["number"].append(hn.number)
            out["letter"].append(hn.letter)
            out["addition"].append(hn.addition)
            out["error"].append(None)
        except v.Invalid as exc:
            for k in ("number", "letter", "addition"):
                out[k].append(None)
            out["error"].append(str(exc))
    lookup = f"{name}__v_house"
    con.register(
        f"{lookup}__arrow",
        pa.table(
            {
                k: pa.array(vals, pa.int64() if k == "number" else None)
                if vals
                else pa.array([], pa.int64() if k == "number" else pa.string())
                for k, vals in out.items()
            }
        ),
    )
    casts = []
    for key, c in zip(
        ("n", "l", "a"),
        (cols["house_number"], cols["house_letter"], cols["house_number_addition"]),
        strict=True,
    ):
        casts.append(f"CAST({key} AS {types[c[2:].strip(chr(34))]}) AS {key}" if c else f"{key}")
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {lookup} AS SELECT {', '.join(casts)}, number, letter, addition, "
        f"error FROM {lookup}__arrow",
    )
    con.unregister(f"{lookup}__arrow")
    on = " AND ".join(
        f"h.{k} IS NOT DISTINCT FROM {c}"
        for k, c in zip(("n", "l", "a"), triple, strict=True)
        if c != "NULL"
    )
    join = f"LEFT JOIN {lookup} h ON {on} AND NOT ({fast})"
    required = "true" if spec.required else "false"
    shown = " || ' ' || ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in triple if c != "NULL")
    errors.append(
        (
            "house_number",
            f"CASE WHEN {empty} AND {required} THEN 'verplicht veld is leeg' "
            f"WHEN NOT {empty} AND NOT ({fast}) THEN h.error END",
            f"trim({shown})",
        )
    )
    return [
        f"CASE WHEN {empty} THEN NULL WHEN {fast} THEN CAST({number} AS BIGINT) ELSE h.number END AS house_number",
        f"CASE WHEN {empty} THEN '' WHEN {fast} THEN coalesce({letter or 'NULL'}, '') ELSE h.letter END "
        "AS house_letter",
        f"CASE WHEN {empty} THEN '' WHEN {fast} THEN coalesce({addition or 'NULL'}, '') ELSE h.addition END "
        "AS house_number_addition",
    ], join


# --- an extract set -------------------------------------------------------------------------

_PREMISES_REF = {"company": True, "resident": True, "entry": False}  # required?


def _key_expr(mapping: Mapping) -> str:
    """What identifies a record in one file, as the importer keys it."""
    if mapping.target == "officer":
        person = (
            "CASE WHEN bsn <> '' THEN 'bsn:' || bsn ELSE 'naam:' || lower(given_names) || '|' || "
            "lower(surname_prefix) || '|' || lower(surname) || '|' || coalesce(CAST(birth_date AS VARCHAR), '') END"
        )
        return f"kvk_number || '|' || {person} || '|' || lower(role)"
    return " || '|' || ".join(f"coalesce(CAST({k} AS VARCHAR), '')" for k in mapping.key)


def read_extracts(
    con: DuckDBPyConnection, directory: Path, only: set[str] | None = None
) -> dict[str, Extract]:
    """Every extract in ``directory`` (``<source_type>.csv|.parquet``) as a DuckDB table
    ``x_<source_type>``, validated and with references resolved; ExtractError if any problem."""
    paths = find_extracts(directory)
    if only is not None:
        paths = {t: p for t, p in paths.items() if t in only}
    problems: list[Problem] = []
    extracts: dict[str, Extract] = {}
    for source_type, path in paths.items():
        name = f"x_{source_type}"
        found, rows = validate_extract(con, path, source_type, name)
        problems += found
        extracts[source_type] = Extract(
            source_type, path, name, rows, file_hash(path), load_mapping(source_type)
        )
    if problems:
        raise ExtractError(problems)
    for ex in extracts.values():
        problems += _duplicates(con, ex)
        problems += _references(con, ex, extracts)
    if problems:
        raise ExtractError(problems)
    return extracts


def _duplicates(con: DuckDBPyConnection, ex: Extract) -> list[Problem]:
    key = _key_expr(ex.mapping)
    found = con.execute(
        f"SELECT _row, k, first FROM (SELECT _row, {key} AS k, min(_row) OVER (PARTITION BY {key}) AS first "
        f"FROM {ex.table}) WHERE _row > first ORDER BY _row LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    return [
        Problem(ex.path.name, row, "sleutel", k, f"dubbel in dit bestand (ook rij {first})")
        for row, k, first in found
    ]


def _references(
    con: DuckDBPyConnection, ex: Extract, extracts: dict[str, Extract]
) -> list[Problem]:
    """Premises by BAG-id or address, companies by KvK-nummer — against the extracts of the set
    (a reference to a type the set does not hold is kept as it is)."""
    problems: list[Problem] = []
    fields = ex.mapping.fields
    target = ex.mapping.target
    bag = extracts.get("bag_premises")
    if target in _PREMISES_REF and "bag_id" in fields:
        required = _PREMISES_REF[target]
        has_address = "postcode" in fields and "house_number" in fields
        if bag is None:
            _exec(
                con,
                f"CREATE OR REPLACE TEMP TABLE {ex.table} AS SELECT *, NULLIF(bag_id, '') AS premises_bag_id "
                f"FROM {ex.table}",
            )
        else:
            address = (
                (
                    "LEFT JOIN (SELECT postcode, house_number, upper(house_letter) AS l, "
                    "upper(house_number_addition) AS a, min(bag_id) AS bag_id FROM "
                    + bag.table
                    + " GROUP BY ALL) adr ON x.bag_id = '' AND adr.postcode = x.postcode AND "
                    "adr.house_number = x.house_number AND adr.l = x.house_letter AND "
                    "adr.a = x.house_number_addition"
                )
                if has_address
                else ""
            )
            adr_col = "adr.bag_id" if has_address else "NULL"
            _exec(
                con,
                f"CREATE OR REPLACE TEMP TABLE {ex.table} AS SELECT x.*, "
                f"CASE WHEN x.bag_id <> '' THEN p.bag_id ELSE {adr_col} END AS premises_bag_id "
                f"FROM {ex.table} x LEFT JOIN (SELECT DISTINCT bag_id FROM {bag.table}) p ON p.bag_id = x.bag_id "
                f"{address}",
            )
            for row, bag_id in con.execute(
                f"SELECT _row, bag_id FROM {ex.table} WHERE bag_id <> '' AND premises_bag_id IS NULL "
                f"ORDER BY _row LIMIT {MAX_PROBLEMS}"
            ).fetchall():
                problems.append(
                    Problem(
                        ex.path.name,
                        row,
                        "bag_id",
                        bag_id,
                        "verblijfsobject niet gevonden in de BAG",
                    )
                )
            if has_address:
                for row, pc, n, letter, add in con.execute(
                    f"SELECT _row, postcode, house_number, house_letter, house_number_addition FROM {ex.table} "
                    f"WHERE bag_id = '' AND postcode <> '' AND house_number IS NOT NULL AND premises_bag_id IS NULL "
                    f"ORDER BY _row LIMIT {MAX_PROBLEMS}"
                ).fetchall():
                    shown = f"{pc} {n}{letter}{'-' + add if add else ''}"
                    problems.append(
                        Problem(ex.path.name, row, "adres", shown, "adres niet gevonden in de BAG")
                    )
        if required:
            address_given = (
                "(postcode <> '' AND house_number IS NOT NULL)" if has_address else "false"
            )
            for (row,) in con.execute(
                f"SELECT _row FROM {ex.table} WHERE bag_id = '' AND NOT {address_given} "
                f"ORDER BY _row LIMIT {MAX_PROBLEMS}"
            ).fetchall():
                problems.append(
                    Problem(ex.path.name, row, "adres", "", "geef bag_id of postcode + huisnummer")
                )
    companies = extracts.get("kvk_companies")
    if companies is not None and ex.source_type != "kvk_companies" and "kvk_number" in fields:
        reason = (
            "bedrijf niet gevonden (lees eerst het bedrijvenbestand in)"
            if target == "officer"
            else "bedrijf niet gevonden"
        )
        for row, kvk in con.execute(
            f"SELECT _row, kvk_number FROM {ex.table} x WHERE kvk_number <> '' AND NOT EXISTS "
            f"(SELECT 1 FROM {companies.table} c WHERE c.kvk_number = x.kvk_number) "
            f"ORDER BY _row LIMIT {MAX_PROBLEMS}"
        ).fetchall():
            problems.append(Problem(ex.path.name, row, "kvk_number", kvk, reason))
    return problems


# --- one batch of an import, vectorised -----------------------------------------------------

FAST, EMPTY, SLOW = 0, 1, 2  # the state of one cell in check_batch


def check_batch(
    con: DuckDBPyConnection,
    table: pa.Table,
    mapping: Mapping,
    columns: dict[str, str | None],
    limits: dict[str, int | None],
) -> pa.Table:
    """The cells of one batch of an import (``table``: string columns, as read) classified per
    field of ``mapping`` in one vectorised pass: ``<field>__s`` is FAST (the value is in its
    canonical form, which the importer's parser returns unchanged: ``<field>`` holds it, cast to
    its type), EMPTY (the importer's emptiness: blank or only whitespace) or SLOW (anything else:
    the importer's own parser decides, with its reasons). ``columns`` names the table column of
    each field (None: the file has none); a string longer than its field's limit is SLOW, so the
    parser reports it. The house number is classified with its letter and addition, as the
    importer parses them together: ``house_number``, ``house_letter`` and
    ``house_number_addition`` come with ``house_number__s``."""
    selects: list[str] = []
    house = mapping.fields.get("house_number")
    for fname, spec in mapping.fields.items():
        col = columns.get(fname)
        if spec.type == "house_number":
            continue
        if col is None:
            selects.append(f"CAST({EMPTY} AS TINYINT) AS {_q(fname + '__s')}, NULL AS {_q(fname)}")
            continue
        x = _q(col)
        fast = _fast(spec.type, x) if spec.type != "wijk" else None  # wijk: the areas decide
        cond, value = fast or ("false", "NULL")
        limit = limits.get(fname)
        if limit and spec.type in STRING_TYPES:
            cond = f"({cond}) AND length({x}) <= {int(limit)}"
        selects.append(
            f"CAST(CASE WHEN {_empty(x, 'VARCHAR')} THEN {EMPTY} WHEN coalesce({cond}, false) "
            f"THEN {FAST} ELSE {SLOW} END AS TINYINT) AS {_q(fname + '__s')}, "
            f"CASE WHEN NOT {_empty(x, 'VARCHAR')} AND coalesce({cond}, false) THEN "
            f"CAST({value} AS {SQL_TYPES.get(spec.type, 'VARCHAR')}) END AS {_q(fname)}"
        )
    if house is not None:
        number = columns.get("house_number")
        if number is None:
            selects.append(f"CAST({EMPTY} AS TINYINT) AS house_number__s")
        else:
            n = _q(number)
            letter, addition = (
                _q(c) if (c := columns.get(k)) else None
                for k in ("house_letter", "house_number_addition")
            )

            def blank_or(c: str | None, pattern: str) -> str:
                return "true" if c is None else f"({c} = '' OR regexp_full_match({c}, '{pattern}'))"

            hfast = (
                f"coalesce(regexp_full_match({n}, '[1-9][0-9]{{0,4}}') AND "
                f"{blank_or(letter, '[A-Z]')} AND {blank_or(addition, '[A-Z0-9]{1,4}')}, false)"
            )
            selects.append(
                f"CAST(CASE WHEN {_empty(n, 'VARCHAR')} THEN {EMPTY} WHEN {hfast} THEN {FAST} "
                f"ELSE {SLOW} END AS TINYINT) AS house_number__s"
            )
            selects.append(f"CASE WHEN {hfast} THEN CAST({n} AS BIGINT) END AS house_number__v")
            for k, c in (("house_letter", letter), ("house_number_addition", addition)):
                selects.append(f"CASE WHEN {hfast} THEN {c or chr(39) * 2} END AS {k}__v")
    con.register("doorbraak_batch", table)
    try:
        return con.sql(f"SELECT {', '.join(selects)} FROM doorbraak_batch").to_arrow_table()
    finally:
        con.unregister("doorbraak_batch")
