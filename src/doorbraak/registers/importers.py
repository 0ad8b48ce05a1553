"""Importing register extracts (CSV, Parquet) into the register models.

One import = one file of one source, mapped by the YAML mapping of its source type
(``doorbraak_analysis/registers/mappings/<source_type>.yaml``, see the README there). It streams
the file in batches of ``BATCH_ROWS`` rows, and for each batch:

1. **read** it (CSV with ``,``/``;``/tab, UTF-8 or Windows-1252; or Parquet);
2. **validate** every row against the mapping and resolve references (premises by BAG-id or
   address, companies by KvK-nummer) and duplicate keys (also against earlier batches);
   collect *every* problem, not just the first;
3. **write** it, as long as no batch had a problem, inside the one transaction that spans the
   whole file: new records are created, changed records updated, and every state a source
   delivered is kept in ``RecordVersion`` (append, never overwrite). Unchanged records are
   left alone. Any problem rolls the whole transaction back at the end.

A file with problems is rejected whole: nothing is written but the ``ImportBatch`` (status
``rejected``) and its ``ImportRejection`` rows, which form the report. The same file (same
SHA-256) imported again for the same source changes nothing (status ``unchanged``).

Rows are numbered 1-based from the first data row (``row``); for CSV the report also gives the
file line (``line``, header = line 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from doorbraak.areas import selectors as area_selectors
from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak_analysis.registers.mapping import FieldSpec, Mapping, column_of, norm_header
from doorbraak_analysis.registers.mapping import load_mapping as _load_mapping

from . import validation as v
from .models import (
    BatchStatus,
    Company,
    EntryKind,
    ImportBatch,
    ImportRejection,
    Officer,
    Person,
    Premises,
    RecordVersion,
    RegisterEntry,
    SourceFeed,
    SourceType,
)

logger = logging.getLogger(__name__)
FORMATS = ("csv", "parquet")
MAX_PROBLEMS = 1000  # beyond this the report says "and N more"
WRITE_CHUNK = 500
BATCH_ROWS = 50_000  # rows read, validated and written at a time (peak memory ~1 GB)
COPY_PIECE_ROWS = 4_096  # rows per piece of a streamed COPY


class ImportError_(Exception):
    """Raised for problems with the request itself (unknown source, unreadable file)."""


# --- mappings -----------------------------------------------------------------------------

# The mappings themselves (and their format) live in the analysis package, shared with the
# Django-free readers (`doorbraak risk`); the importer adds its own errors and targets.
_norm_header = norm_header


def load_mapping(source_type: str) -> Mapping:
    if source_type not in SourceType.values:
        raise ImportError_(
            f"onbekend brontype {source_type!r} (bekend: {', '.join(SourceType.values)})"
        )
    mapping = _load_mapping(source_type)
    if mapping.target not in TARGETS:
        raise ValueError(f"{source_type}.yaml: source_type/target do not fit")
    return mapping


def all_mappings() -> list[Mapping]:
    return [load_mapping(t) for t in SourceType.values]


class FileRejected(Exception):
    """A whole-file importer refuses the file: every problem, as a line of the report."""

    def __init__(self, problems: list[str], row_count: int = 0):
        super().__init__("; ".join(problems))
        self.problems, self.row_count = problems, row_count


@dataclass
class FileStored:
    row_count: int
    counts: dict


# Source types whose files another app validates and stores whole (moneyflows: the bank's sector
# figures, source type bank_sectors). The app registers its handler at start-up (AppConfig.ready),
# so registers imports none of them; `doorbraak import` then goes through the same batch, lock,
# report and audit as any other file. handler(path, *, source, file_name, digest, user, username,
# dry_run) -> FileStored, or raises FileRejected; it runs inside the import's transaction.
FILE_IMPORTERS: dict[str, Callable[..., FileStored]] = {}


def register_file_importer(source_type: str, handler: Callable[..., FileStored]) -> None:
    FILE_IMPORTERS[source_type] = handler


def source_type_for(source: ProcessingActivity, requested: str | None = None) -> str:
    """The importer of a source: asked for explicitly, else its SourceFeed, else the mapping
    that names the source code among its ``default_sources``."""
    if requested:
        load_mapping(requested)
        return requested
    feed = SourceFeed.objects.filter(activity=source).first()
    if feed is not None:
        return feed.source_type
    for mapping in all_mappings():
        if source.code in mapping.default_sources:
            return mapping.source_type
    raise ImportError_(
        f"bron {source.code!r} heeft geen brontype; geef --type op (een van: {', '.join(SourceType.values)})"
    )


# --- reading -------------------------------------------------------------------------------


class Table:
    """One batch of a file (or all of it): the rows' raw cells as read (a list per row, in
    header order; or the columns themselves for Parquet), the CSV line of each row (None for
    Parquet) and the data row number of the first. ``rows`` (header -> raw value, one dict per
    row) is built only when asked for: the row-by-row validator's view."""

    def __init__(
        self,
        columns: list[str],
        rows: list[dict] | None = None,
        lines: list[int | None] | None = None,
        start: int = 1,
        *,
        cells: list[list] | None = None,
        column_values: list[list] | None = None,
        numbers: list[int] | None = None,
    ):
        self.columns = columns  # normalised header names
        self._rows, self.cells, self._column_values = rows, cells, column_values
        n = len(rows if rows is not None else cells if cells is not None else column_values[0])
        self.n = n
        self.lines = lines if lines is not None else [None] * n
        self.start = start
        self.numbers = numbers  # the rows' numbers when they do not follow on from start

    def __len__(self) -> int:
        return self.n

    @property
    def rows(self) -> list[dict]:
        if self._rows is None:
            columns, width = self.columns, len(self.columns)
            if self.cells is None:
                self.cells = [list(c) for c in zip(*self._column_values, strict=True)]
            rows = []
            for cells in self.cells:
                row = dict(zip(columns, cells, strict=False))
                if len(cells) != width:
                    row["__width__"] = len(cells)
                rows.append(row)
            self._rows = rows
        return self._rows

    def bad_width(self) -> list[int]:
        """The indexes of rows with more or fewer cells than the header has columns."""
        if self.cells is None:
            return [i for i, r in enumerate(self.rows) if "__width__" in r]
        width = len(self.columns)
        return [i for i, c in enumerate(self.cells) if len(c) != width]

    def column_data(self) -> list:
        """The raw cells column by column (rows of the wrong width padded or cut)."""
        if self._column_values is not None:
            return self._column_values
        width = len(self.columns)
        cells = self.cells if self.cells is not None else [list(r.values()) for r in self.rows]
        if any(len(c) != width for c in cells):
            cells = [c if len(c) == width else (list(c) + [""] * width)[:width] for c in cells]
        return list(zip(*cells, strict=True)) if cells else [[] for _ in range(width)]


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_format(path: Path, requested: str | None = None) -> str:
    if requested:
        if requested not in FORMATS:
            raise ImportError_(f"onbekend formaat {requested!r} (csv of parquet)")
        return requested
    with open(path, "rb") as fh:
        if fh.read(4) == b"PAR1":
            return "parquet"
    return "csv"


class _CountingFile(io.RawIOBase):
    """A binary file that counts the bytes read from it (for progress on a text stream)."""

    def __init__(self, fh):
        self.fh, self.read_bytes = fh, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.fh.readinto(buffer)
        self.read_bytes += n or 0
        return n

    def close(self) -> None:
        self.fh.close()
        super().close()


def _csv_encoding(path: Path, name: str | None = None) -> str:
    """The file's encoding, as every reader of Doorbraak finds it (doorbraak_analysis.textfiles,
    with charset-normalizer): UTF-8 (with or without BOM), else Windows-1252 / Latin-1. Binary
    content and bytes no encoding explains are an ImportError_ naming the file and the line."""
    from doorbraak_analysis.textfiles import TextFileError, detect_encoding

    try:
        return detect_encoding(path)
    except TextFileError as exc:
        where = f"{name or Path(path).name}, regel {exc.line}"
        if exc.kind == "binary":
            what = "NUL-byte" if exc.byte == 0 else f"stuurteken 0x{exc.byte:02X}"
            raise ImportError_(
                f"{where}: {what}: binaire inhoud, geen tekstbestand (CSV); geweigerd"
            ) from exc
        if "mixed" in exc.reason:
            raise ImportError_(
                f"{where}: byte 0x{exc.byte:02X} is geen UTF-8, terwijl de rest van het bestand "
                "dat wel is (gemengde tekensets); sla het bestand op in één tekenset (UTF-8)"
            ) from exc
        raise ImportError_(
            f"{where}: byte 0x{exc.byte:02X} is geen teken in UTF-8, Windows-1252 of Latin-1; "
            "sla het bestand op als UTF-8"
        ) from exc


class Reader:
    """A register extract read in batches of rows: memory stays bounded whatever the file size.

    ``columns`` is known on opening (a file without a header, or an unreadable Parquet file,
    raises ImportError_ there); ``batches(size)`` yields Tables of at most ``size`` rows, numbered
    on across batches; ``fraction`` tells how much of the file has been read."""

    def __init__(self, path: Path, fmt: str, name: str | None = None):
        self.path, self.fmt, self.size = Path(path), fmt, max(Path(path).stat().st_size, 1)
        self.name = name or self.path.name
        self.row_count = 0
        if fmt == "parquet":
            import pyarrow.parquet as pq

            try:
                self._parquet = pq.ParquetFile(self.path)
            except Exception as exc:  # noqa: BLE001 - any pyarrow error means: not a readable Parquet file
                raise ImportError_(f"geen leesbaar Parquet-bestand: {exc}") from exc
            self.columns = [_norm_header(c) for c in self._parquet.schema_arrow.names]
            self.total_rows = self._parquet.metadata.num_rows
            return
        encoding = _csv_encoding(self.path, self.name)
        self._raw = _CountingFile(open(self.path, "rb"))  # noqa: SIM115 - closed in close()
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._raw, 1 << 20), encoding=encoding, newline=""
        )
        try:
            first = self._text.readline()
        except UnicodeDecodeError as exc:
            self.close()
            raise ImportError_(
                f"{self.name}, regel 1: bestand is geen UTF-8- of Windows-1252-tekst: {exc}"
            ) from exc
        delimiter = max((";", ",", "\t", "|"), key=first.split("\n", 1)[0].count)
        self._reader = csv.reader(itertools.chain([first], self._text), delimiter=delimiter)
        header = next(self._reader, None)
        if not header:
            self.close()
            raise ImportError_("leeg bestand: geen kopregel")
        self.columns = [_norm_header(c) for c in header]
        self.total_rows = None

    @property
    def fraction(self) -> float:
        if self.fmt == "parquet":
            return self.row_count / self.total_rows if self.total_rows else 1.0
        return min(self._raw.read_bytes / self.size, 1.0)

    def batches(self, size: int):
        if self.fmt == "parquet":
            yield from self._parquet_batches(size)
        else:
            yield from self._csv_batches(size)

    def _parquet_batches(self, size: int):
        names = self._parquet.schema_arrow.names
        try:
            for record_batch in self._parquet.iter_batches(batch_size=size):
                columns = [record_batch.column(i).to_pylist() for i in range(len(names))]
                start = self.row_count + 1
                self.row_count += record_batch.num_rows
                yield Table(self.columns, start=start, column_values=columns)
        except Exception as exc:  # noqa: BLE001 - a damaged row group
            raise ImportError_(f"geen leesbaar Parquet-bestand: {exc}") from exc

    def _csv_batches(self, size: int):
        rows, lines = [], []
        columns, reader = self.columns, self._reader
        try:
            for cells in reader:
                if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
                    continue  # a row of blanks
                rows.append(cells)
                lines.append(reader.line_num)
                if len(rows) >= size:
                    start = self.row_count + 1
                    self.row_count += len(rows)
                    yield Table(columns, lines=lines, start=start, cells=rows)
                    rows, lines = [], []
        except csv.Error as exc:
            raise ImportError_(
                f"{self.name}: onleesbaar CSV-bestand na regel {reader.line_num}: {exc}"
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportError_(
                f"{self.name}: bestand is geen UTF-8- of Windows-1252-tekst "
                f"(na regel {reader.line_num}): {exc}"
            ) from exc
        if rows:
            start = self.row_count + 1
            self.row_count += len(rows)
            yield Table(columns, lines=lines, start=start, cells=rows)

    def close(self) -> None:
        if self.fmt == "csv":
            self._text.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_table(path: Path, fmt: str) -> Table:
    """The whole file as one Table (small files; the importer itself reads in batches)."""
    with Reader(path, fmt) as reader:
        rows, lines = [], []
        for table in reader.batches(1 << 30):
            rows += table.rows
            lines += table.lines
        return Table(reader.columns, rows, lines)


# --- validating ------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None
    field: str
    value: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = (
            "bestand"
            if self.row is None
            else f"rij {self.row}" + (f" (regel {self.line})" if self.line else "")
        )
        what = f" {self.field}" if self.field else ""
        shown = f" = {self.value!r}" if self.value else ""
        return f"{where}:{what}{shown}: {self.reason}"


@dataclass
class Row:
    number: int  # 1-based data row
    line: int | None
    values: dict


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
}


def _wijk_parser():
    """A parser for the wijk column against the wijken configured as areas (their codes and
    names; see doorbraak.areas), read once per file."""
    known = area_selectors.wijk_codes()

    def parse(value: object) -> str:
        text = v.as_text(value).lower()
        key = text.replace(" ", "_").replace("-", "_")
        if text in known:
            return known[text]
        if key in known:
            return known[key]
        raise v.Invalid(
            "onbekende wijk" if known else "onbekende wijk (er zijn geen wijken ingesteld)"
        )

    return parse


_column_of = column_of


_LIMIT_MODELS = {
    "premises": (Premises,),
    "company": (Company,),
    "officer": (Officer, Person),
    "resident": (Person,),
    "entry": (RegisterEntry,),
}
_STRING_TYPES = {"text", "prefix", "wijk", "bsn", "kvk", "bag_id", "postcode", "sbi"}


def _max_length(target: str, name: str) -> int | None:
    for model in _LIMIT_MODELS[target]:
        try:
            return model._meta.get_field(name).max_length
        except Exception:  # noqa: BLE001,S112 - not a field of this model
            continue
    return 200  # stored in the data JSON of a RegisterEntry


def check_columns(mapping: Mapping, columns: list[str]) -> list[Problem]:
    """File-level problems: required columns missing from the header."""
    problems = []
    for name, spec in mapping.fields.items():
        if spec.required and _column_of(spec, columns) is None and spec.default is None:
            problems.append(
                Problem(
                    None, name, "", f"kolom ontbreekt (verwacht een van: {', '.join(spec.columns)})"
                )
            )
    return problems


CACHE_VALUES = 50_000
_HOUSE = (
    "house_number",
    "house_letter",
    "house_number_addition",
)  # per column: parsed outcomes of the values seen most (first) in a file


def _memo(check):
    """``check`` remembered per distinct value (register columns repeat a lot: legal forms,
    SBI codes, dates, postcodes); bounded, and never for unhashable values or NaN."""
    cache: dict = {}

    def cached(value):
        try:
            return cache[value]
        except KeyError:
            pass
        except TypeError:  # unhashable (a Parquet list)
            return check(value)
        out = check(value)
        if len(cache) < CACHE_VALUES and value == value:  # noqa: PLR0124 - NaN is not equal to itself
            cache[value] = out
        return out

    return cached


class Validator:
    """Validates the rows of one file, batch by batch, with what it learned of its columns."""

    def __init__(self, mapping: Mapping, columns: list[str]):
        self.mapping, self.columns = mapping, columns
        self.problems = check_columns(mapping, columns)
        self.column_of = {name: _column_of(spec, columns) for name, spec in mapping.fields.items()}
        limits = {
            name: spec.max_length or _max_length(mapping.target, name)
            for name, spec in mapping.fields.items()
        }
        self.checks = [
            (name, self.column_of[name], _memo(self._field_check(spec, limits[name])))
            for name, spec in mapping.fields.items()
            if spec.type != "house_number"
        ]
        self.limits = [(name, col, check, limits[name]) for name, col, check in self.checks]
        self.house = mapping.fields.get("house_number")
        if self.house is not None:
            self.house_check = _memo(self._house_check(self.house))
            self.house_columns = (
                self.column_of["house_number"],
                self.column_of.get("house_letter"),
                self.column_of.get("house_number_addition"),
            )

    @staticmethod
    def _field_check(spec: FieldSpec, limit: int | None):
        """value -> (True, parsed) or (False, (shown value, reason))."""
        parse = _wijk_parser() if spec.type == "wijk" else _PARSERS[spec.type]
        empty = (
            spec.default
            if spec.default is not None
            else ("" if spec.type in _STRING_TYPES else None)
        )
        required = spec.required and spec.default is None

        def check(value):
            if v.is_empty(value):
                return (False, ("", "verplicht veld is leeg")) if required else (True, empty)
            try:
                parsed = parse(value)
            except v.Invalid as exc:
                return False, (v.as_text(value)[:200], str(exc))
            if isinstance(parsed, str) and limit and len(parsed) > limit:
                return False, (parsed[:200], f"langer dan {limit} tekens")
            return True, parsed

        return check

    @staticmethod
    def _house_check(house: FieldSpec):
        """(number, letter, addition) -> (True, parts) or (False, (shown value, reason))."""

        def check(cells):
            value, letter, addition = cells
            if v.is_empty(value):
                if house.required:
                    return False, ("", "verplicht veld is leeg")
                return True, (None, "", "")
            try:
                hn = v.parse_house_number(value, letter, addition)
            except v.Invalid as exc:
                shown = " ".join(
                    v.as_text(x) for x in (value, letter, addition) if not v.is_empty(x)
                )
                return False, (shown[:200], str(exc))
            return True, (hn.number, hn.letter, hn.addition)

        return check

    def validate(self, table: Table, progress: bool = False) -> tuple[list[Row], list[Problem]]:
        if self.problems:
            return [], list(self.problems)
        rows: list[Row] = []
        problems: list[Problem] = []
        checks, width, start, lines = self.checks, len(self.columns), table.start, table.lines
        house = self.house
        if house is not None:
            house_check = self.house_check
            number_col, letter_col, addition_col = self.house_columns
        numbers = table.numbers or range(start, start + len(table))
        for at, (i, raw) in enumerate(
            zip(numbers, _progress(table.rows, progress, "controleren"), strict=True)
        ):
            line = lines[at]
            row_problems: list[Problem] = []
            if "__width__" in raw:
                row_problems.append(
                    Problem(
                        i,
                        "",
                        "",
                        f"{raw['__width__']} kolommen, de kopregel heeft er {width}",
                        line,
                    )
                )
            out: dict = {}
            for name, col, check in checks:
                ok, result = check(raw.get(col) if col else None)
                if ok:
                    out[name] = result
                else:
                    row_problems.append(Problem(i, name, result[0], result[1], line))
            if house is not None:
                ok, result = house_check(
                    (
                        raw.get(number_col) if number_col else None,
                        raw.get(letter_col) if letter_col else None,
                        raw.get(addition_col) if addition_col else None,
                    )
                )
                if ok:
                    out["house_number"], out["house_letter"], out["house_number_addition"] = result
                else:
                    row_problems.append(Problem(i, "house_number", result[0], result[1], line))
            if row_problems:
                problems.extend(row_problems)
            else:
                rows.append(Row(i, line, out))
        return rows, problems

    def validate_columns(  # noqa: C901 - per field: fast, empty and slow cells, then the house number
        self, table: Table, con
    ) -> tuple[list[int], dict[str, list], list[Problem]]:
        """The batch validated column by column (``extracts.check_batch``, in DuckDB): cells in
        their canonical form are taken as they are, blank cells get the field's empty value (or
        make the row a problem when the field is required), and only the other cells go through
        the field's parser (remembered per distinct value). The rows with any problem are then
        validated once more by ``validate``, row by row, so that the report is exactly the
        row-by-row validator's. Returns the indexes of the good rows, every field's values (a
        list over all rows of the batch, meaningful at the good rows) and the problems."""
        import numpy as np
        import pyarrow as pa

        from doorbraak_analysis.registers import extracts

        n = len(table)
        data = table.column_data()
        index = {c: i for i, c in enumerate(self.columns)}  # a repeated header: the last wins
        arrays, opaque = {}, set()
        for col in {c for c in self.column_of.values() if c}:
            raw = data[index[col]]
            try:
                arrays[col] = pa.array(raw, pa.string())
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # Parquet numbers, dates: the parser
                arrays[col] = pa.nulls(n, pa.string())
                opaque.add(col)
        limits = {name: limit for name, _col, _check, limit in self.limits}
        checked = extracts.check_batch(
            con,
            pa.table(arrays) if arrays else pa.table({"_": pa.nulls(n)}),
            self.mapping,
            self.column_of,
            limits,
        )
        bad = np.zeros(n, dtype=bool)
        bad[table.bad_width()] = True
        values: dict[str, list] = {}
        for name, col, check in self.checks:
            if col is None:
                ok, result = check(None)
                values[name] = [result] * n
                if not ok:
                    bad[:] = True
                continue
            raw = data[index[col]]
            state = checked.column(name + "__s").to_numpy(zero_copy_only=False)
            if col in opaque:
                state = np.full(n, extracts.SLOW, dtype=np.int8)
            out = checked.column(name).to_pylist()
            empty = np.flatnonzero(state == extracts.EMPTY)
            if len(empty):
                ok, result = check("")
                if ok:
                    for i in empty.tolist():
                        out[i] = result
                else:
                    bad[empty] = True
            for i in np.flatnonzero(state == extracts.SLOW).tolist():
                ok, result = check(raw[i])
                if ok:
                    out[i] = result
                else:
                    bad[i] = True
            values[name] = out
        if self.house is not None:
            number_col, letter_col, addition_col = self.house_columns
            if number_col is None:
                ok, result = self.house_check((None, None, None))
                for k, part in zip(_HOUSE, result if ok else (None, "", ""), strict=True):
                    values[k] = [part] * n
                if not ok:
                    bad[:] = True
            else:
                state = checked.column("house_number__s").to_numpy(zero_copy_only=False)
                if {number_col, letter_col, addition_col} & opaque:
                    state = np.full(n, extracts.SLOW, dtype=np.int8)
                parts = [checked.column(k + "__v").to_pylist() for k in _HOUSE]
                cells = [data[index[c]] if c else None for c in self.house_columns]
                for i in np.flatnonzero(state != extracts.FAST).tolist():
                    ok, result = self.house_check(tuple(c[i] if c else None for c in cells))
                    if ok:
                        for part, value in zip(parts, result, strict=True):
                            part[i] = value
                    else:
                        bad[i] = True
                values.update(zip(_HOUSE, parts, strict=True))
        problems: list[Problem] = []
        flagged = np.flatnonzero(bad).tolist()
        if flagged:
            rows = table.rows
            sub = Table(
                self.columns,
                [rows[i] for i in flagged],
                [table.lines[i] for i in flagged],
                numbers=[table.start + i for i in flagged],
            )
            accepted, problems = self.validate(sub)
            for row in accepted:  # not expected: the row-by-row validator has the last word
                i = row.number - table.start
                bad[i] = False
                for name, value in row.values.items():
                    values[name][i] = value
        return np.flatnonzero(~bad).tolist(), values, problems


def validate(
    mapping: Mapping, table: Table, progress: bool = False, *, validator: Validator | None = None
) -> tuple[list[Row], list[Problem]]:
    """Validate the rows of ``table`` (one batch of a file, or all of it); ``validator`` carries
    what earlier batches of the same file taught it."""
    validator = validator or Validator(mapping, table.columns)
    return validator.validate(table, progress)


# --- writing: per target ---------------------------------------------------------------------


@dataclass
class Context:
    source: ProcessingActivity
    batch: ImportBatch | None
    file_name: str
    received_on: date
    mapping: Mapping
    counts: dict = field(default_factory=dict)
    versions: list = field(default_factory=list)  # RecordVersion rows (dicts) to create
    keys_seen: SeenKeys = field(
        default_factory=lambda: SeenKeys()
    )  # record keys of earlier batches
    persons_seen: SeenKeys = field(
        default_factory=lambda: SeenKeys()
    )  # officers: persons of earlier batches
    close_versions: set = field(
        default_factory=set
    )  # (model, object_id) whose open version ends now
    premises: PremisesCache = field(
        default_factory=lambda: PremisesCache()
    )  # premises looked up in earlier batches
    writer: BatchWriter | None = None  # new rows column-wise (set inside the transaction)

    def count(self, model: str, what: str, n: int = 1) -> None:
        self.counts.setdefault(model, {}).setdefault(what, 0)
        self.counts[model][what] += n


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _snapshot(obj, names: Iterable[str]) -> dict:
    return {n: _jsonable(getattr(obj, n)) for n in names}


class PremisesCache:
    """The premises an import has looked up so far, misses included: the companies of one
    extract are at far fewer premises than there are companies, so later batches mostly ask
    again for premises an earlier batch found. Premises do not change during a company import
    (the importer holds the source's lock; premises come from the BAG source). Bounded: past
    ``limit`` keys it starts again."""

    limit = 2_000_000

    def __init__(self) -> None:
        self.by_bag: dict = {}  # bag-id -> pk or None (not in the BAG)
        self.by_address: dict = {}  # (postcode, number, letter, addition) -> pk
        self.pairs: set = set()  # (postcode, number) already asked for

    def lookup(self, bag_ids: set, pairs: set, reader=None) -> tuple[dict, dict]:
        if len(self.by_bag) + len(self.pairs) > self.limit:
            self.__init__()
        new_bags = [b for b in bag_ids if b not in self.by_bag]
        new_pairs = [p for p in pairs if p not in self.pairs]
        if new_bags or new_pairs:
            found_bags, found_addresses = _premises_lookup(new_bags, new_pairs, reader)
            for b in new_bags:
                self.by_bag[b] = found_bags.get(b)
            for key, pk in found_addresses.items():
                self.by_address.setdefault(key, pk)
            self.pairs.update(new_pairs)
        return self.by_bag, self.by_address


def _premises_index(rows: list[Row] | None = None) -> tuple[dict, dict]:
    """BAG-id -> premises pk and address -> premises pk, for the premises ``rows`` refer to
    (all premises when ``rows`` is None)."""
    if rows is None:
        by_bag, by_address = {}, {}
        for pk, bag_id, postcode, number, letter, addition in Premises.objects.values_list(
            "pk", "bag_id", "postcode", "house_number", "house_letter", "house_number_addition"
        ):
            by_bag[bag_id] = pk
            by_address.setdefault((postcode, number, letter.upper(), addition.upper()), pk)
        return by_bag, by_address
    bag_ids = list({r.values["bag_id"] for r in rows if r.values.get("bag_id")})
    pairs = list(
        {
            (r.values["postcode"], r.values["house_number"])
            for r in rows
            if not r.values.get("bag_id")
            and r.values.get("postcode")
            and r.values.get("house_number")
        }
    )
    return _premises_lookup(bag_ids, pairs)


def _premises_lookup(bag_ids: list, pairs: list, reader=None) -> tuple[dict, dict]:
    """BAG-id -> premises pk for ``bag_ids``, and (postcode, number, letter, addition) -> pk
    for the premises at the (postcode, house number) ``pairs``: two queries, whatever their
    number (the pairs as one array or JSON parameter joined on the address index). Of two
    premises at one address the first in the model's order wins. With ``reader`` (the
    ``BatchWriter``'s second PostgreSQL connection) the queries and the lock go over that."""
    from django.db import connection

    if reader is not None:
        with reader.cursor() as cursor:
            cursor.execute(
                "SELECT bag_id, id FROM registers_premises WHERE bag_id = ANY(%s)", [list(bag_ids)]
            )
            by_bag = dict(cursor.fetchall())
    else:
        by_bag = dict(
            _chunked_values(
                Premises.objects.order_by().values_list("bag_id", "pk"), "bag_id", bag_ids
            )
        )
    by_address: dict = {}
    if not pairs:
        _lock_premises(list(by_bag.values()), reader)
        return by_bag, by_address
    order = "p.street, p.house_number, p.house_letter, p.house_number_addition, p.id"
    select = "SELECT p.id, p.postcode, p.house_number, p.house_letter, p.house_number_addition"
    with reader.cursor() if reader is not None else connection.cursor() as cursor:
        if reader is not None or connection.vendor == "postgresql":
            cursor.execute(
                f"{select} FROM registers_premises p JOIN unnest(%s::varchar[], %s::int[]) "  # noqa: S608 - fixed SQL
                f"AS k(pc, hn) ON p.postcode = k.pc AND p.house_number = k.hn ORDER BY {order}",
                [[pc for pc, _ in pairs], [hn for _, hn in pairs]],
            )
        else:
            cursor.execute(
                f"{select} FROM json_each(%s) k JOIN registers_premises p ON "  # noqa: S608 - fixed SQL
                "p.postcode = json_extract(k.value, '$[0]') AND "
                f"p.house_number = json_extract(k.value, '$[1]') ORDER BY {order}",
                [json.dumps(pairs)],
            )
        for pk, postcode, number, letter, addition in cursor.fetchall():
            by_address.setdefault((postcode, number, letter.upper(), addition.upper()), pk)
    _lock_premises([*by_bag.values(), *by_address.values()], reader)
    return by_bag, by_address


def _lock_premises(pks: list[int], reader=None) -> None:
    """Lock the premises found (``FOR KEY SHARE``, what a foreign key's check takes) until the
    import commits, so that none can be deleted while records that point at them are written:
    a company's establishment has no database constraint (ADR 0008), and this is its check, once
    per premises instead of once per company. Over ``reader``, the lock is that connection's
    transaction's, which ends only after the import's (``BatchWriter.close_reader``)."""
    from django.db import connection

    if not pks:
        return
    sql = "SELECT 1 FROM registers_premises WHERE id = ANY(%s) FOR KEY SHARE"
    if reader is not None:
        with reader.cursor() as cursor:
            cursor.execute(sql, [list(pks)])
    elif connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(pks)])


def _chunk_size() -> int:
    """Keys per ``__in`` query: SQLite's limit of parameters (999), else 10,000."""
    from django.db import connection

    return min(connection.features.max_query_params or 10_000, 10_000) - 9


def _chunked_values(qs, field_name: str, keys: list, size: int | None = None):
    """The rows of ``qs`` whose ``field_name`` is one of ``keys``, in the queryset's order: on
    PostgreSQL in one query with the keys as one array parameter, elsewhere in chunks."""
    from django.db import connection

    keys = list(keys)
    if not keys:
        return
    if connection.vendor == "postgresql":
        meta = qs.model._meta
        column = f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(meta.get_field(field_name).column)}"
        # quoted identifiers from the model itself; the keys are a bound parameter
        yield from qs.extra(where=[f"{column} = ANY(%s)"], params=[keys])  # noqa: S610
        return
    if connection.vendor == "sqlite" and len(keys) > 100 and all(type(k) is str for k in keys):
        # one query: the keys as one JSON parameter
        column = qs.model._meta.get_field(field_name).column
        quoted = f"{connection.ops.quote_name(qs.model._meta.db_table)}.{connection.ops.quote_name(column)}"
        yield from qs.extra(  # noqa: S610 - quoted identifiers; the keys are a bound parameter
            where=[f"{quoted} IN (SELECT value FROM json_each(%s))"],  # noqa: S608
            params=[json.dumps(keys)],
        )
        return
    size = size or _chunk_size()
    for start in range(0, len(keys), size):
        yield from qs.filter(**{f"{field_name}__in": keys[start : start + size]})


def _resolve_premises(row: Row, index, required: bool, problems: list[Problem]) -> int | None:
    by_bag, by_address = index
    values = row.values
    if values.get("bag_id"):
        pk = by_bag.get(values["bag_id"])
        if pk is None:
            problems.append(
                Problem(
                    row.number,
                    "bag_id",
                    values["bag_id"],
                    "verblijfsobject niet gevonden in de BAG",
                    row.line,
                )
            )
        return pk
    if values.get("postcode") and values.get("house_number"):
        key = (
            values["postcode"],
            values["house_number"],
            values.get("house_letter", ""),
            values.get("house_number_addition", ""),
        )
        pk = by_address.get(key)
        if pk is None:
            shown = f"{key[0]} {key[1]}{key[2]}{'-' + key[3] if key[3] else ''}"
            problems.append(
                Problem(row.number, "adres", shown, "adres niet gevonden in de BAG", row.line)
            )
        return pk
    if required:
        problems.append(
            Problem(row.number, "adres", "", "geef bag_id of postcode + huisnummer", row.line)
        )
    return None


class Target:
    """How validated rows become records of one model."""

    model = None
    label = ""
    value_fields: tuple[str, ...] = ()

    def prepare(self, ctx: Context, rows: list[Row], problems: list[Problem]) -> list:
        """Resolve references and keys; return items (key, row, values) to write."""
        raise NotImplementedError

    def existing(self, ctx: Context, keys: list) -> dict:
        raise NotImplementedError

    def new(self, ctx: Context, key, values: dict) -> dict:
        """The new record's fields (attribute names); provenance and defaults are added."""
        return dict(values)

    def apply(self, ctx: Context, items: list, progress: bool) -> None:
        upsert(ctx, self, items, progress)


def upsert(  # noqa: C901 - create/update/unchanged per item and its version, one pass
    ctx: Context, target: Target, items: list, progress: bool
) -> dict:
    """Create, update or leave each item; keep every delivered state in RecordVersion.
    Returns key -> object (saved) for targets that need the ids of what they wrote."""
    label = target.label
    existing = target.existing(ctx, [k for k, _, _ in items])
    open_versions = (
        set(
            RecordVersion.objects.filter(
                model=label, object_id__in=[o.pk for o in existing.values()], valid_to__isnull=True
            ).values_list("object_id", flat=True)
        )
        if existing
        else set()
    )
    to_create, to_update, touched, result = [], [], [], {}
    provenance = {
        "source_id": ctx.source.pk,
        "source_file": ctx.file_name,
        "received_on": ctx.received_on,
    }
    for key, row, values in _progress(items, progress, f"schrijven {label}"):
        obj = existing.get(key)
        if obj is None:
            data = target.new(ctx, key, values)
            data.update(provenance, source_row=row.number)
            to_create.append((key, row, data))
            continue
        result[key] = obj
        before = _snapshot(obj, target.value_fields)
        after = {n: _jsonable(values[n]) for n in target.value_fields}
        if before == after:
            if (
                ctx.received_on > obj.received_on
            ):  # confirmed by a newer delivery: provenance moves on
                touched.append((obj, row.number))
                ctx.count(label, "confirmed")
            else:
                ctx.count(label, "unchanged")
            continue
        if ctx.received_on < obj.received_on:
            ctx.count(label, "older_ignored")  # an older extract never overwrites a newer one
            continue
        if obj.pk not in open_versions:  # state from before Doorbraak imported it: keep it first
            ctx.versions.append(
                dict(
                    model=label,
                    object_id=obj.pk,
                    key=_key_text(key),
                    source_id=obj.source_id,
                    batch_id=None,
                    source_file=obj.source_file,
                    source_row=obj.source_row or 0,
                    received_on=obj.received_on,
                    valid_from=obj.received_on,
                    valid_to=ctx.received_on,
                    values=before,
                )
            )
        ctx.close_versions.add((label, obj.pk))
        for name in target.value_fields:
            setattr(obj, name, values[name])
        obj.source_id, obj.source_file, obj.source_row, obj.received_on = (
            ctx.source.pk,
            ctx.file_name,
            row.number,
            ctx.received_on,
        )
        to_update.append((key, row, obj))
    batch_id = ctx.batch.pk if ctx.batch is not None else None
    version = {
        "model": label,
        "source_id": ctx.source.pk,
        "batch_id": batch_id,
        "source_file": ctx.file_name,
        "received_on": ctx.received_on,
        "valid_from": ctx.received_on,
        "valid_to": None,
    }
    if to_create:
        pks = insert_rows(target.model, [data for _, _, data in to_create])
        for (key, row, data), pk in zip(to_create, pks, strict=True):
            result[key] = _Saved(pk)
            ctx.versions.append(
                {
                    **version,
                    "object_id": pk,
                    "key": _key_text(key),
                    "source_row": row.number,
                    "values": {n: _jsonable(data[n]) for n in target.value_fields},
                }
            )
        ctx.count(label, "created", len(to_create))
    if to_update:
        target.model.objects.bulk_update(
            [o for _, _, o in to_update],
            [*target.value_fields, "source", "source_file", "source_row", "received_on"],
            batch_size=WRITE_CHUNK,
        )
        ctx.count(label, "updated", len(to_update))
    if touched:
        pks = [o.pk for o, _ in touched]
        for start in range(0, len(pks), WRITE_CHUNK):
            target.model.objects.filter(pk__in=pks[start : start + WRITE_CHUNK]).update(
                source=ctx.source, source_file=ctx.file_name, received_on=ctx.received_on
            )
        moved = []
        for obj, number in touched:
            if obj.source_row != number:
                obj.source_row = number
                moved.append(obj)
        if moved:
            target.model.objects.bulk_update(moved, ["source_row"], batch_size=WRITE_CHUNK)
    for key, row, obj in to_update:
        ctx.versions.append(
            {
                **version,
                "object_id": obj.pk,
                "key": _key_text(key),
                "source_row": row.number,
                "values": _snapshot(obj, target.value_fields),
            }
        )
    _write_versions(ctx)
    return result


class _Saved:
    """A record written by ``insert_rows``: only its primary key is needed."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


def _to_db(model_field, connection):
    """How a validated Python value of ``model_field`` goes to the database as is."""
    from django.db import models

    if isinstance(model_field, models.JSONField):
        encoder = model_field.encoder
        return lambda value: json.dumps(value, cls=encoder)
    if isinstance(model_field, models.DateTimeField):
        return lambda value: model_field.get_db_prep_save(value, connection)
    if isinstance(model_field, models.DateField) and connection.vendor != "postgresql":
        return lambda value: None if value is None else value.isoformat()
    if isinstance(
        model_field,
        (
            models.CharField,
            models.TextField,
            models.IntegerField,
            models.FloatField,
            models.BooleanField,
            models.DateField,
            models.ForeignKey,
        ),
    ):
        return None  # as is
    return lambda value: model_field.get_db_prep_save(value, connection)


def _new_ids(connection, meta, n: int) -> list[int]:
    """``n`` primary keys no other writer will take."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, n],
            )
            return sorted(r[0] for r in cursor.fetchall())
        # SQLite: the import's transaction already holds the database's write lock; AUTOINCREMENT
        # never reuses a key, so start above the highest ever handed out.
        table = connection.ops.quote_name(meta.db_table)
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(meta.pk.column)}), 0) FROM {table}"  # noqa: S608 - quoted identifiers
        )
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + n))


def insert_rows(model, rows: list[dict], *, keys: bool = True) -> list[int]:
    """Insert ``rows`` (attribute name -> value, defaults for the rest) as new records of
    ``model`` without building model instances: COPY on PostgreSQL, ``executemany`` on SQLite.
    Only inside the import's transaction. Returns the new primary keys, in order (with
    ``keys=False`` the database numbers the rows itself and nothing is returned)."""
    from django.db import connection

    if not rows:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("insert_rows runs inside the import's transaction")
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    convert = [_to_db(f, connection) for f in fields]
    defaults = [
        f.default if f.has_default() and callable(f.default) else f.get_default() for f in fields
    ]
    plan = list(zip([f.attname for f in fields], convert, defaults, strict=True))
    ids = _new_ids(connection, meta, len(rows)) if keys else []
    data = []
    for i, row in enumerate(rows):
        values = [ids[i]] if keys else []
        for name, conv, default in plan:
            value = row[name] if name in row else (default() if callable(default) else default)
            values.append(value if conv is None else conv(value))
        data.append(values)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(
        quote(c) for c in [*([meta.pk.column] if keys else []), *(f.column for f in fields)]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in data:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * (len(fields) + keys))
            for start in range(0, len(data), 50_000):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    data[start : start + 50_000],
                )
    return ids


def _write_versions(ctx: Context) -> None:
    """End the open versions of the records this batch changed, then add their new ones."""
    by_model: dict[str, list[int]] = {}
    for label, object_id in ctx.close_versions:
        by_model.setdefault(label, []).append(object_id)
    for label, ids in by_model.items():
        for start in range(0, len(ids), WRITE_CHUNK):
            RecordVersion.objects.filter(
                model=label, object_id__in=ids[start : start + WRITE_CHUNK], valid_to__isnull=True
            ).update(valid_to=ctx.received_on)
    insert_rows(RecordVersion, ctx.versions, keys=False)
    ctx.close_versions.clear()
    ctx.versions.clear()


def _key_text(key) -> str:
    if isinstance(key, str):
        return key[:200]
    parts = key if isinstance(key, tuple) else (key,)
    return "|".join("" if p is None else str(_jsonable(p)) for p in parts)[:200]


class PremisesTarget(Target):
    model = Premises
    label = "premises"
    value_fields = (
        "street",
        "house_number",
        "house_letter",
        "house_number_addition",
        "postcode",
        "city",
        "wijk",
        "area",
        "use",
        "floor_area",
        "lat",
        "lon",
    )

    def prepare(self, ctx, rows, problems):
        return [(r.values["bag_id"], r, r.values) for r in rows]

    def existing(self, ctx, keys):
        return _in_chunks(Premises.objects.all(), "bag_id", keys)

    def new(self, ctx, key, values):
        return {"bag_id": key, **{n: values[n] for n in self.value_fields}}


class CompanyTarget(Target):
    model = Company
    label = "company"
    value_fields = (
        "name",
        "trade_name",
        "legal_form",
        "sbi_code",
        "sbi_description",
        "registered_on",
        "deregistered_on",
        "establishment_id",
    )

    def prepare(self, ctx, rows, problems):
        index = _premises_index(rows)
        items = []
        for r in rows:
            pk = _resolve_premises(r, index, required=True, problems=problems)
            if pk is not None:
                items.append((r.values["kvk_number"], r, {**r.values, "establishment_id": pk}))
        return items

    def existing(self, ctx, keys):
        return _in_chunks(Company.objects.all(), "kvk_number", keys)

    def new(self, ctx, key, values):
        return {"kvk_number": key, **{n: values[n] for n in self.value_fields}}


PERSON_FIELDS = ("bsn", "given_names", "surname_prefix", "surname", "birth_date")


def _person_key(values: dict):
    if values.get("bsn"):
        return ("bsn", values["bsn"])
    return (
        "naam",
        values["given_names"].lower(),
        (values.get("surname_prefix") or "").lower(),
        values["surname"].lower(),
        values.get("birth_date"),
    )


class PersonTarget(Target):
    model = Person
    label = "person"
    value_fields = PERSON_FIELDS

    def existing(self, ctx, keys):
        persons = Person.objects.filter(source=ctx.source, anonymised=False)
        bsns = [k[1] for k in keys if k[0] == "bsn"]
        births = {k[4] for k in keys if k[0] == "naam"}
        candidates = list(_chunked_values(persons, "bsn", bsns))
        if births:  # persons without BSN: those born on the dates asked for, compared by name below
            without_bsn = persons.filter(bsn="")
            candidates += list(
                _chunked_values(without_bsn, "birth_date", [b for b in births if b is not None])
            )
            if None in births:
                candidates += list(without_bsn.filter(birth_date__isnull=True))
        candidates.sort(
            key=lambda p: (p.surname, p.given_names, p.pk)
        )  # the model's ordering decides ties
        found = {}
        for p in candidates:
            found.setdefault(
                _person_key(_snapshot(p, PERSON_FIELDS) | {"birth_date": p.birth_date}), p
            )
        return {k: found[k] for k in keys if k in found}

    def new(self, ctx, key, values):
        return {n: values[n] for n in self.value_fields}


class ResidentTarget(PersonTarget):
    value_fields = (*PERSON_FIELDS, "residence_id")

    def prepare(self, ctx, rows, problems):
        index = _premises_index(rows)
        items = []
        for r in rows:
            pk = _resolve_premises(r, index, required=True, problems=problems)
            if pk is not None:
                items.append((("bsn", r.values["bsn"]), r, {**r.values, "residence_id": pk}))
        return items

    def existing(self, ctx, keys):
        wanted = [k[1] for k in keys]
        persons = _in_chunks(
            Person.objects.filter(source=ctx.source, anonymised=False), "bsn", wanted
        )
        return {("bsn", bsn): p for bsn, p in persons.items()}


class OfficerTarget(Target):
    model = Officer
    label = "officer"
    value_fields = ("since", "until")

    def prepare(self, ctx, rows, problems):
        companies = _in_chunks(
            Company.objects.all(), "kvk_number", list({r.values["kvk_number"] for r in rows})
        )
        items = []
        for r in rows:
            company = companies.get(r.values["kvk_number"])
            if company is None:
                problems.append(
                    Problem(
                        r.number,
                        "kvk_number",
                        r.values["kvk_number"],
                        "bedrijf niet gevonden (lees eerst het bedrijvenbestand in)",
                        r.line,
                    )
                )
                continue
            items.append(
                ((company.pk, _person_key(r.values), r.values["role"].lower()), r, r.values)
            )
        return items

    def apply(self, ctx, items, progress):
        person_items, seen = [], set()
        for (_company, person_key, _role), row, values in items:
            if person_key not in seen:  # one person may hold several functions in one file
                seen.add(person_key)
                person_items.append((person_key, row, values))
        earlier = ctx.persons_seen.seen_before(
            [k for k, _, _ in person_items], [r.number for _, r, _ in person_items]
        )
        new_items = [item for item, before in zip(person_items, earlier, strict=True) if not before]
        persons = upsert(ctx, PersonTarget(), new_items, progress)
        if len(new_items) < len(person_items):  # written by an earlier batch of this file
            persons.update(
                PersonTarget().existing(
                    ctx, [k for (k, _, _), b in zip(person_items, earlier, strict=True) if b]
                )
            )
        officer_items = [
            ((company_pk, persons[pkey].pk, role), row, values)
            for (company_pk, pkey, role), row, values in items
        ]
        upsert(ctx, self, officer_items, progress)

    def existing(self, ctx, keys):
        found = {}
        for o in Officer.objects.filter(source=ctx.source, company_id__in={k[0] for k in keys}):
            found[(o.company_id, o.person_id, o.role.lower())] = o
        return {k: found[k] for k in keys if k in found}

    def new(self, ctx, key, values):
        company_pk, person_pk, _role = key
        return {
            "company_id": company_pk,
            "person_id": person_pk,
            "role": values["role"],
            "since": values["since"],
            "until": values.get("until"),
        }


ENTRY_STANDARD = {
    "key",
    "occurred_on",
    "ends_on",
    "description",
    "kvk_number",
    "bag_id",
    "postcode",
    "house_number",
    "house_letter",
    "house_number_addition",
}


class EntryTarget(Target):
    model = RegisterEntry
    label = "register_entry"
    value_fields = ("occurred_on", "ends_on", "description", "premises_id", "company_id", "data")

    def prepare(self, ctx, rows, problems):
        index = _premises_index(rows)
        kvks = list({r.values["kvk_number"] for r in rows if r.values.get("kvk_number")})
        companies = _in_chunks(Company.objects.all(), "kvk_number", kvks) if kvks else {}
        items = []
        for r in rows:
            n = len(problems)
            premises = _resolve_premises(r, index, required=False, problems=problems)
            company = None
            if r.values.get("kvk_number"):
                company = companies.get(r.values["kvk_number"])
                if company is None:
                    problems.append(
                        Problem(
                            r.number,
                            "kvk_number",
                            r.values["kvk_number"],
                            "bedrijf niet gevonden",
                            r.line,
                        )
                    )
            if len(problems) > n:
                continue
            data = {k: _jsonable(val) for k, val in r.values.items() if k not in ENTRY_STANDARD}
            items.append(
                (
                    r.values["key"],
                    r,
                    {
                        "occurred_on": r.values.get("occurred_on"),
                        "ends_on": r.values.get("ends_on"),
                        "description": r.values.get("description") or "",
                        "premises_id": premises,
                        "company_id": company.pk if company else None,
                        "data": data,
                    },
                )
            )
        return items

    def existing(self, ctx, keys):
        qs = RegisterEntry.objects.filter(source=ctx.source, kind=ctx.mapping.entry_kind)
        return _in_chunks(qs, "key", keys)

    def new(self, ctx, key, values):
        return {"kind": ctx.mapping.entry_kind, "key": key, **values}


TARGETS: dict[str, Target] = {
    "premises": PremisesTarget(),
    "company": CompanyTarget(),
    "officer": OfficerTarget(),
    "resident": ResidentTarget(),
    "entry": EntryTarget(),
}
if not set(EntryKind.values) >= {"permit", "closure", "dor", "police_signal", "bank_sector"}:
    raise RuntimeError("EntryKind lacks a kind the entry target writes")


def _in_chunks(qs, field_name: str, keys: list, size: int | None = None) -> dict:
    """key -> object of ``qs`` for the ``keys`` that exist (only those are built as objects)."""
    present = list(
        _chunked_values(qs.order_by().values_list(field_name, flat=True), field_name, keys, size)
    )
    return {getattr(obj, field_name): obj for obj in _chunked_values(qs, field_name, present, size)}


def _progress(items, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="rij", file=sys.stderr, leave=False)


class SeenKeys:
    """The keys of earlier batches of one file and the row each was first in, in bounded
    memory: a 16-byte BLAKE2 digest of each key (collisions: never in practice) in a few
    sorted numpy runs, merged as they grow."""

    def __init__(self):
        self.runs: list[tuple] = []  # (sorted digests, their rows)

    @staticmethod
    def _digests(keys):
        import numpy as np

        if keys and all(type(k) is str and len(k) <= 15 and k.isascii() for k in keys):
            # short keys (a KvK-nummer, a BAG-id) are their own digest: a 1 byte, then the key
            return np.char.add(b"\x01", np.array(keys, dtype="S15")).astype("S16")
        blake = hashlib.blake2b
        return np.array(
            [blake(repr(k).encode(), digest_size=16).digest() for k in keys], dtype="S16"
        )

    def first_rows(self, keys: list):
        """For each key, the row it was first seen in (0: not seen)."""
        import numpy as np

        digests = self._digests(keys)
        found = np.zeros(len(keys), dtype=np.int64)
        for run_digests, run_rows in self.runs:
            at = np.minimum(np.searchsorted(run_digests, digests), len(run_digests) - 1)
            hit = (run_digests[at] == digests) & (found == 0)
            found[hit] = run_rows[at[hit]]
        return digests, found

    def add(self, digests, rows) -> None:
        import numpy as np

        if not len(digests):
            return
        order = np.argsort(digests, kind="stable")
        self.runs.append((digests[order], np.asarray(rows, dtype=np.int64)[order]))
        while len(self.runs) > 1 and len(self.runs[-1][0]) >= len(self.runs[-2][0]):
            (d2, r2), (d1, r1) = self.runs.pop(), self.runs.pop()
            d, r = np.concatenate([d1, d2]), np.concatenate([r1, r2])
            order = np.argsort(d, kind="stable")
            self.runs.append((d[order], r[order]))

    def seen_before(self, keys: list, rows: list[int]) -> list[bool]:
        """Whether each key was in an earlier call; remembers the new ones."""
        digests, found = self.first_rows(keys)
        fresh = found == 0
        self.add(digests[fresh], [r for r, f in zip(rows, fresh, strict=True) if f])
        return [bool(f) for f in found]


def _duplicate_keys(items: list, problems: list[Problem], seen: SeenKeys | None = None) -> list:
    """Drop (and report) each item whose key came earlier in the file: in this batch, or in
    an earlier one (``seen``)."""
    earlier = seen.first_rows([k for k, _, _ in items]) if seen is not None and seen.runs else None
    first: dict = {}
    unique, unique_at = [], []
    for i, (key, row, values) in enumerate(items):
        before = int(earlier[1][i]) if earlier is not None else 0
        if before:
            problems.append(
                Problem(
                    row.number,
                    "sleutel",
                    _key_text(key),
                    f"dubbel in dit bestand (ook rij {before})",
                    row.line,
                )
            )
        elif key in first:
            problems.append(
                Problem(
                    row.number,
                    "sleutel",
                    _key_text(key),
                    f"dubbel in dit bestand (ook rij {first[key]})",
                    row.line,
                )
            )
        else:
            first[key] = row.number
            unique.append((key, row, values))
            unique_at.append(i)
    if seen is not None:
        digests = (
            earlier[0][unique_at]
            if earlier is not None
            else seen._digests([k for k, _, _ in unique])
        )
        seen.add(digests, [row.number for _, row, _ in unique])
    return unique


# --- the column-wise path: premises and companies ---------------------------------------------

# The large register extracts (the BAG, the trade register) are validated, resolved and written
# column by column: DuckDB classifies the cells, the parsers see only what is not canonical,
# the premises are looked up per batch and new records and their versions go in as one COPY
# (PostgreSQL) or executemany (SQLite). Records that exist already take the row-by-row path
# (``upsert``: updated, unchanged or confirmed, each with its version), as do the rows with a
# problem (validated once more row by row, for the report).
COLUMN_TARGETS = {"premises": "bag_id", "company": "kvk_number"}  # target -> its key field


def _duckdb():
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")  # the database server has the other core
    return con


def _prepare_columns(ctx: Context, target: Target, validator: Validator, table: Table, con):
    """Validate one batch column-wise and resolve its references: (items, values, problems),
    items being (key, index in the batch) of the rows to write."""
    good, values, found = validator.validate_columns(table, con)
    reader = ctx.writer.reader if ctx.writer is not None else None
    if ctx.writer is not None and reader is None:
        ctx.writer.wait()  # the previous batch is written before this one reads the database
    if target.label == "company":
        good = _establishments(table, good, values, found, ctx.premises, reader)
    keys, start, lines = values[COLUMN_TARGETS[target.label]], table.start, table.lines
    return _duplicate_columns(keys, good, start, lines, found, ctx.keys_seen), values, found


def _duplicate_columns(keys, good, start, lines, problems, seen: SeenKeys) -> list:
    """``_duplicate_keys`` for a batch held column-wise, with numpy: the (key, index in the
    batch) of each good row whose key did not come earlier in the file (in this batch or an
    earlier one); the others are reported, naming the row the key was first in."""
    import numpy as np

    wanted = [keys[i] for i in good]
    digests, earlier = seen.first_rows(wanted)
    numbers = np.asarray(good, dtype=np.int64) + start
    order = np.argsort(digests, kind="stable")  # a key's first row comes first
    ordered = digests[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    repeat = np.empty(len(order), dtype=bool)
    repeat[order] = ~starts
    first_number = np.empty(len(order), dtype=np.int64)
    first_number[order] = numbers[order[group_start]]
    before = np.where(earlier > 0, earlier, np.where(repeat, first_number, 0))
    for j in np.flatnonzero(before).tolist():
        i = good[j]
        problems.append(
            Problem(
                start + i,
                "sleutel",
                _key_text(wanted[j]),
                f"dubbel in dit bestand (ook rij {int(before[j])})",
                lines[i],
            )
        )
    fresh = np.flatnonzero(before == 0)
    seen.add(digests[fresh], numbers[fresh])
    chosen = [good[j] for j in fresh.tolist()]
    return list(zip([wanted[j] for j in fresh.tolist()], chosen, strict=True))


def _establishments(
    table: Table,
    good: list[int],
    values: dict,
    found: list[Problem],
    cache: PremisesCache,
    reader=None,
) -> list[int]:
    """The premises of each company (by BAG-id, else by address), looked up for the whole batch
    at once (those not asked for in an earlier batch); a company whose premises are not found
    is a problem. Returns the rows resolved."""
    bag, pc, hn = values["bag_id"], values["postcode"], values["house_number"]
    hl = values.get("house_letter") or [""] * len(table)
    ha = values.get("house_number_addition") or [""] * len(table)
    bag_ids = {bag[i] for i in good if bag[i]}
    pairs = {(pc[i], hn[i]) for i in good if not bag[i] and pc[i] and hn[i]}
    index = cache.lookup(bag_ids, pairs, reader)
    by_bag, by_address = index
    establishment: list = [None] * len(table)
    keep = []
    for i in good:
        if bag[i]:
            pk = by_bag.get(bag[i])
        elif pc[i] and hn[i]:
            pk = by_address.get((pc[i], hn[i], hl[i] or "", ha[i] or ""))
        else:
            pk = None
        if pk is None:  # the report, as the row-by-row path words it
            row = Row(
                table.start + i,
                table.lines[i],
                {k: values[k][i] for k in ("bag_id", "postcode", *_HOUSE) if k in values},
            )
            _resolve_premises(row, index, required=True, problems=found)
        else:
            establishment[i] = pk
            keep.append(i)
    values["establishment_id"] = establishment
    return keep


def _apply_columns(
    ctx: Context, target: Target, table: Table, items: list, values: dict, con
) -> None:
    keys = [k for k, _ in items]
    if ctx.writer is None:
        ctx.writer = BatchWriter(con)
    if ctx.writer.reader is not None and keys:
        # Which keys exist already, over the second connection while the previous batch is
        # still being written (earlier batches' keys cannot come again: duplicates are
        # problems); only those records are fetched, over the import's own connection.
        present = ctx.writer.present(target.model, COLUMN_TARGETS[target.label], keys)
        keys = [k for k in keys if k in present]
    if keys:
        ctx.writer.wait()
    existing = target.existing(ctx, keys) if keys else {}
    if existing:  # updated, unchanged or confirmed: the row-by-row path, with its versions
        upsert(
            ctx,
            target,
            [
                (
                    k,
                    Row(
                        table.start + i,
                        table.lines[i],
                        row := {n: col[i] for n, col in values.items()},
                    ),
                    row,
                )
                for k, i in items
                if k in existing
            ],
            False,
        )
    fresh = [item for item in items if item[0] not in existing] if existing else items
    if fresh:
        _insert_new(ctx, target, table, fresh, values, con)


def _arrow_type(model_field):
    import pyarrow as pa
    from django.db import models

    if isinstance(model_field, models.ForeignKey | models.IntegerField):
        return pa.int64()
    if isinstance(model_field, models.CharField | models.TextField):
        return pa.string()
    if isinstance(model_field, models.FloatField):
        return pa.float64()
    if isinstance(model_field, models.DateTimeField):
        return None
    if isinstance(model_field, models.DateField):
        return pa.date32()
    if isinstance(model_field, models.BooleanField):
        return pa.bool_()
    return None


def _insert_new(ctx: Context, target: Target, table: Table, fresh: list, values: dict, con) -> None:
    """New records of one batch and their first versions, column by column. The columns are
    built here; their JSON snapshots, CSV and COPY go to ``ctx.writer`` (on PostgreSQL a thread
    of its own, while the next batch is read and validated)."""
    import pyarrow as pa

    meta = target.model._meta
    n, idx = len(fresh), [i for _, i in fresh]
    numbers = [table.start + i for i in idx]
    given = {
        COLUMN_TARGETS[target.label]: [k for k, _ in fresh],
        "source_id": [ctx.source.pk] * n,
        "source_file": [ctx.file_name] * n,
        "source_row": numbers,
        "received_on": [ctx.received_on] * n,
    }
    for name in target.value_fields:
        column = values[name]
        given[name] = [column[i] for i in idx]
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    arrays = {}
    for f in fields:
        kind = _arrow_type(f)
        if kind is None:
            raise TypeError(f"{meta.label}.{f.name}: no column-wise insert for this field type")
        data = given[f.attname] if f.attname in given else [f.get_default()] * n
        arrays[f.column] = pa.array(data, kind)
    label = target.label
    snapshot = {name: arrays[meta.get_field(name).column] for name in target.value_fields}
    received = pa.array([ctx.received_on] * n, pa.date32())
    versions = {
        "model": pa.array([label] * n, pa.string()),
        "key": pa.array([_key_text(k) for k, _ in fresh], pa.string()),
        "source_id": arrays["source_id"],
        "batch_id": pa.array([ctx.batch.pk if ctx.batch is not None else None] * n, pa.int64()),
        "source_file": arrays["source_file"],
        "source_row": arrays["source_row"],
        "received_on": received,
        "valid_from": received,
        "valid_to": pa.nulls(n, pa.date32()),
    }
    key_column = meta.get_field(COLUMN_TARGETS[label]).column
    ctx.writer.submit(_write_new, meta, key_column, arrays, versions, snapshot)
    ctx.count(label, "created", n)


def _write_new(
    meta, key_column: str, arrays: dict, versions: dict, snapshot: dict, writer: BatchWriter
) -> None:
    """The records of ``_insert_new`` with their new keys, and their versions, the versions'
    values as JSON built by DuckDB (the writer's own connection to it). The records go in in
    the order of their unique key (their primary keys still follow the file): a batch's
    inserts into that index then touch neighbouring pages one after the other, which is what
    keeps a bulk import's speed once the index outgrows the database's buffers."""
    import pyarrow as pa

    n = len(versions["model"])
    pks = pa.array(writer.new_ids(meta, n), pa.int64())
    records = pa.table({meta.pk.column: pks, **arrays}).sort_by(key_column)
    writer.write(meta.db_table, records)
    versions = {"object_id": pks, **versions}
    con = writer.duck
    con.register("doorbraak_snapshot", pa.table(snapshot))
    try:
        pairs = ", ".join(f"{_duck_q(name)} := {_duck_q(name)}" for name in snapshot)
        as_json = (
            con.sql(
                f"SELECT CAST(to_json(struct_pack({pairs})) AS VARCHAR) FROM doorbraak_snapshot"  # noqa: S608 - quoted field names
            )
            .to_arrow_table()
            .column(0)
        )
    finally:
        con.unregister("doorbraak_snapshot")
    writer.write(RecordVersion._meta.db_table, pa.table({**versions, "values": as_json}))


class BatchWriter:
    """Writes one batch's new rows while the importer goes on with the next: on PostgreSQL a
    thread of its own sends the COPYs over the import's connection (psycopg's connections are
    thread-safe; the database server works on one core while the importer reads and validates
    the next batch on the other). At most one batch is in flight, and the importer waits for it
    (``wait``) before it uses the database itself, so the statements of the one transaction
    keep their order and a failed COPY is raised in the importer. On SQLite everything is
    written at once, in the caller's thread."""

    def __init__(self, duck=None) -> None:
        from django.db import connection

        if not connection.in_atomic_block:
            raise RuntimeError("a BatchWriter runs inside the import's transaction")
        self._pool = None
        self._pending = None
        self.reader = None
        self.duck = duck.cursor() if duck is not None else None  # its own DuckDB connection
        if connection.vendor == "postgresql":
            from concurrent.futures import ThreadPoolExecutor

            connection.ensure_connection()
            self._raw = connection.connection
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="import-copy")
            # A second connection for the reads that need none of the import's own writes
            # (premises, which keys exist), so that they need not wait for the batch in
            # flight; its transaction holds the premises locks and ends after the import's.
            # Only when the import's transaction is the outermost: inside a caller's
            # transaction the import may depend on rows no other connection can see yet.
            if len(connection.atomic_blocks) == 1:
                self.reader = connection.get_new_connection(connection.get_connection_params())
                self.reader.autocommit = False

    def present(self, model, field_name: str, keys: list) -> set:
        """The ``keys`` (of the unique ``field_name``) that ``model`` has already, over the
        reader."""
        from psycopg import sql

        meta = model._meta
        statement = sql.SQL("SELECT {column} FROM {table} WHERE {column} = ANY(%s)").format(
            column=sql.Identifier(meta.get_field(field_name).column),
            table=sql.Identifier(meta.db_table),
        )
        with self.reader.cursor() as cursor:
            cursor.execute(statement, [list(keys)])
            return {row[0] for row in cursor.fetchall()}

    def close_reader(self) -> None:
        """After the import's transaction has ended (committed or not): the reader's
        transaction, and with it its premises locks, ends too."""
        if self.reader is not None:
            reader, self.reader = self.reader, None
            try:
                reader.rollback()
            finally:
                reader.close()

    def submit(self, job: Callable, *args) -> None:
        """Run ``job(*args, self)``: on PostgreSQL in the writer's thread, after the batch
        before it."""
        self.wait()
        if self._pool is None:
            job(*args, self)
            return
        self._pending = self._pool.submit(job, *args, self)

    def new_ids(self, meta, n: int) -> list[int]:
        """``_new_ids``, from the writer's thread over the raw connection."""
        from django.db import connection

        if self._pool is None:
            return _new_ids(connection, meta, n)
        with self._raw.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, n],
            )
            return sorted(r[0] for r in cursor.fetchall())

    def write(self, db_table: str, table) -> None:
        if self._pool is None:
            _write_table(db_table, table)
        else:
            self._copy(db_table, table)

    def wait(self) -> None:
        """Until the batch in flight is written; its error, if any, is raised here (as
        Django's database error, like any other of the import's statements)."""
        if self._pending is not None:
            from django.db import connection

            pending, self._pending = self._pending, None
            with connection.wrap_database_errors:
                pending.result()

    def close(self) -> None:
        """Waits for what is in flight without raising (the import is ending either way)."""
        try:
            self.wait()
        except Exception:  # noqa: BLE001, S110 - the transaction is rolled back by the caller
            pass
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self.duck is not None:
            self.duck.close()

    def _copy(self, db_table: str, table) -> None:
        """COPY in CSV (as ``_write_table``), streamed a few thousand rows at a time: the
        server takes in one piece while the next is encoded."""
        import pyarrow.csv as pacsv
        from psycopg import sql

        options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            sql.Identifier(db_table), sql.SQL(", ").join(map(sql.Identifier, table.column_names))
        )
        with self._raw.cursor() as cursor, cursor.copy(statement) as copy:
            for piece in table.to_batches(max_chunksize=COPY_PIECE_ROWS):
                buffer = io.BytesIO()
                pacsv.write_csv(piece, buffer, options)
                copy.write(buffer.getbuffer())


def _duck_q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_table(db_table: str, table) -> None:
    """Append an Arrow table (columns named as the database's) to ``db_table``: COPY in CSV on
    PostgreSQL (strings always quoted, so that an empty string stays one and a missing value is
    NULL), executemany on SQLite. Inside the import's transaction only."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    from django.db import connection

    if not connection.in_atomic_block:
        raise RuntimeError("_write_table runs inside the import's transaction")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.column_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            pacsv.write_csv(
                table,
                buffer,
                pacsv.WriteOptions(include_header=False, quoting_style="needed", batch_size=8192),
            )
            with cursor.copy(
                f"COPY {quote(db_table)} ({columns}) FROM STDIN (FORMAT csv)"  # noqa: S608 - quoted identifiers
            ) as copy:
                copy.write(buffer.getvalue())
            return
        as_python = [
            (pc.cast(c, pa.string()) if pa.types.is_date(c.type) else c).to_pylist()
            for c in table.columns
        ]
        placeholders = ", ".join(["%s"] * len(as_python))
        cursor.executemany(
            f"INSERT INTO {quote(db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608 - quoted identifiers
            list(zip(*as_python, strict=True)),
        )


# --- the service ------------------------------------------------------------------------------


def _announce_import(batch_pk: int, counts: dict, user) -> None:
    """Runs after the import's commit: tells the apps above (``signals.records_imported``; entity
    linking queues its incremental job). A receiver's failure is logged; the import stands."""
    from .signals import records_imported

    for receiver, result in records_imported.send_robust(
        sender=ImportBatch, batch_pk=batch_pk, counts=counts, user=user
    ):
        if isinstance(result, Exception):
            logger.error(
                "after import %s, %r failed; the import stands",
                batch_pk,
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


@dataclass
class ImportResult:
    batch: ImportBatch
    problems: list[Problem]  # the first MAX_PROBLEMS, in row order
    problem_count: int | None = None  # all of them (default: len(problems))

    def __post_init__(self):
        if self.problem_count is None:
            self.problem_count = len(self.problems)

    @property
    def ok(self) -> bool:
        return self.batch.status != BatchStatus.REJECTED

    def report(self) -> str:
        b = self.batch
        head = f"import {'#' + str(b.pk) if b.pk else '(proefrun)'} {b.file_name} ({b.source.code}, {b.source_type}): {b.get_status_display()}"
        if b.status == BatchStatus.REJECTED:
            lines = [head + f" — {self.problem_count} probleem/problemen, niets ingelezen"]
            lines += [f"  {p}" for p in self.problems[:MAX_PROBLEMS]]
            if self.problem_count > MAX_PROBLEMS:
                lines.append(f"  … en nog {self.problem_count - MAX_PROBLEMS}")
            return "\n".join(lines)
        if b.status == BatchStatus.UNCHANGED:
            return head + f" — {b.note}"
        counts = "; ".join(
            f"{model}: " + ", ".join(f"{k} {n}" for k, n in sorted(c.items()))
            for model, c in sorted(b.counts.items())
        )
        return head + f" — {b.row_count} rijen; {counts or 'niets gewijzigd'}"


class _Problems:
    """The problems of one file: the first MAX_PROBLEMS kept (in row order), all counted."""

    def __init__(self):
        self.kept: list[Problem] = []
        self.count = 0

    def add(self, problems: list[Problem]) -> None:
        self.count += len(problems)
        room = MAX_PROBLEMS - len(self.kept)
        if room > 0:
            self.kept += sorted(problems, key=lambda p: (p.row or 0, p.field))[:room]

    def __bool__(self) -> bool:
        return self.count > 0

    @classmethod
    def of(cls, problems: list[Problem]) -> _Problems:
        out = cls()
        out.add(problems)
        return out


class _Rejected(Exception):
    """Rolls the import's transaction back: the file has problems."""


def import_lock_name(source: ProcessingActivity) -> str:
    """Imports of one source run one at a time; on SQLite (one writer at a time anyway) all
    imports share one lock, so that a second import waits instead of failing on a busy database."""
    from django.db import connection

    return "registers.import" if connection.vendor == "sqlite" else f"registers.import:{source.pk}"


UNFINISHED_BY = "systeem:import"


def _running_marker(batch: ImportBatch):
    """A RUNNING record of this attempt, committed at once (outside the import's transaction):
    if the process is killed it stays behind, and the next import records it as failed. When
    the import ends it goes (the attempt's own record has been written), or, if the import ended
    in an error, it becomes that FAILED record. Returns the exit callback for an ExitStack."""
    marker = ImportBatch.objects.create(
        source=batch.source,
        source_type=batch.source_type,
        file_name=batch.file_name,
        file_format=batch.file_format,
        file_hash=batch.file_hash,
        received_on=batch.received_on,
        imported_by=batch.imported_by,
        status=BatchStatus.RUNNING,
        note="import bezig",
    )

    def end(exc_type, exc, tb) -> bool:
        if exc is None:
            ImportBatch.objects.filter(pk=marker.pk, status=BatchStatus.RUNNING).delete()
        else:
            _record_failed(marker, f"import afgebroken door een fout: {exc!r}"[:500])
        return False

    return end


def _record_failed(batch: ImportBatch, why: str) -> None:
    from doorbraak.audit import services as audit
    from doorbraak.audit.models import AuditAction

    now = timezone.now()
    started = timezone.localtime(batch.started_at)
    note = (
        f"{why}; gestart door {batch.imported_by} op {started:%d-%m-%Y %H:%M}, als mislukt "
        f"vastgelegd op {timezone.localtime(now):%d-%m-%Y %H:%M}; niets ingelezen"
    )
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
            status=BatchStatus.FAILED, finished_at=now, note=note
        )
        if updated:
            audit.record(
                AuditAction.UPDATE,
                username=UNFINISHED_BY,
                purpose=batch.source.purpose.code,
                object_type="import_batch",
                object_id=batch.pk,
                detail={
                    "source": batch.source.code,
                    "file": batch.file_name,
                    "status": BatchStatus.FAILED,
                    "imported_by": batch.imported_by,
                    "started_at": batch.started_at.isoformat(),
                    "reason": why,
                },
            )


def sweep_unfinished(source: ProcessingActivity) -> list[int]:
    """Record as FAILED, with who started them and when, the imports of ``source`` still marked
    running. Called holding the source's import lock (on SQLite one lock for all sources: then
    every source's), so none of them is in fact running: they were killed or crashed."""
    from django.db import connection

    qs = ImportBatch.objects.filter(status=BatchStatus.RUNNING).select_related("source__purpose")
    if connection.vendor != "sqlite":
        qs = qs.filter(source=source)
    swept = []
    for batch in qs:
        _record_failed(batch, "import nooit afgerond (proces afgebroken of vastgelopen)")
        swept.append(batch.pk)
    return swept


def sweep_unfinished_imports() -> list[int]:
    """For the worker's periodic maintenance: every source with an import marked running whose
    import lock is free (so no process is importing it) has that import recorded as FAILED."""
    from doorbraak.locks import LockTimeout, exclusive

    swept = []
    sources = ProcessingActivity.objects.filter(
        import_batches__status=BatchStatus.RUNNING
    ).distinct()
    for source in sources:
        try:
            with exclusive(import_lock_name(source), timeout=0):
                swept += sweep_unfinished(source)
        except LockTimeout:
            continue  # an import of this source is running now
    return swept


def import_file(  # noqa: C901 - the import in order: read, validate, stage, write, link, record
    source: ProcessingActivity,
    path: str | Path,
    *,
    source_type: str | None = None,
    fmt: str | None = None,
    received_on: date | None = None,
    file_name: str | None = None,
    user=None,
    username: str | None = None,
    progress: bool = False,
    dry_run: bool = False,
    announce: bool = True,
    link_entities: bool | None = None,  # deprecated spelling of ``announce``
    on_progress: Callable[[int, float], None] | None = None,
    batch_size: int | None = None,
) -> ImportResult:
    """Import one file all-or-nothing. Every call leaves one ImportBatch (accepted, unchanged or
    rejected, with its report) and one audit entry naming the counts; with ``dry_run`` the file
    is only validated and nothing at all is stored. After an accepted import has been committed,
    ``signals.records_imported`` is sent (``announce``): the entities app then links the persons
    and companies it added or changed incrementally (``entities.services.link_after_import``).

    The file is streamed: read, validated and written ``batch_size`` rows at a time
    (``BATCH_ROWS``), all in one transaction that is rolled back when any row has a problem, so
    memory stays bounded and a process killed half-way leaves nothing behind. Imports of one
    source are serialised (``import_lock_name``): a second import of the same file waits and
    then finds it ``unchanged``. ``on_progress(rows_read, fraction_of_file)`` is called after
    each batch has been read, validated and handed to writing (on PostgreSQL a batch's new
    rows are written by ``BatchWriter`` while the next batch is read: ADR 0008)."""
    from doorbraak.audit import services as audit
    from doorbraak.audit.models import AuditAction
    from doorbraak.locks import exclusive

    if link_entities is not None:
        announce = link_entities
    path = Path(path)
    if source.kind != ActivityKind.SOURCE:
        raise ImportError_(f"{source.code} is geen gegevensbron in het verwerkingsregister")
    source_type = source_type_for(source, source_type)
    mapping = load_mapping(source_type)
    fmt = detect_format(path, fmt)
    received_on = received_on or timezone.localdate()
    file_name = (file_name or path.name)[:255]
    digest = file_hash(path)
    who = username or (
        user.get_username() if user is not None and user.is_authenticated else "systeem:import"
    )
    batch = ImportBatch(
        source=source,
        source_type=source_type,
        file_name=file_name,
        file_format=fmt,
        file_hash=digest,
        received_on=received_on,
        imported_by=who,
    )
    size = batch_size or BATCH_ROWS

    def finish(
        status: str,
        problems: list[Problem],
        counts: dict | None = None,
        note: str = "",
        problem_count: int | None = None,
    ) -> ImportResult:
        batch.status, batch.counts, batch.note, batch.finished_at = (
            status,
            counts or {},
            note,
            timezone.now(),
        )
        result = ImportResult(batch, problems[:MAX_PROBLEMS], problem_count)
        if dry_run:
            return result
        with transaction.atomic():
            batch.save()
            ImportRejection.objects.bulk_create(
                [
                    ImportRejection(
                        batch=batch,
                        row=p.row,
                        line=p.line,
                        field=p.field[:60],
                        value=p.value[:200],
                        reason=p.reason[:300],
                    )
                    for p in problems[:MAX_PROBLEMS]
                ]
            )
            _audit(batch, result.problem_count)
        return result

    def _audit(b: ImportBatch, n_problems: int) -> None:
        audit.record(
            AuditAction.CREATE,
            user=user,
            username=username,
            purpose=source.purpose.code,
            object_type="import_batch",
            object_id=b.pk,
            categories=source.data_categories if b.status == BatchStatus.ACCEPTED else (),
            detail={
                "source": source.code,
                "source_type": source_type,
                "file": file_name,
                "sha256": digest,
                "status": b.status,
                "rows": b.row_count,
                "counts": b.counts,
                "problems": n_problems,
            },
        )

    def rejected(problems: _Problems) -> ImportResult:
        batch.pk, batch._state.adding, batch.counts = (
            None,
            True,
            {},
        )  # its row went with the rollback
        return finish(BatchStatus.REJECTED, problems.kept, problem_count=problems.count)

    with ExitStack() as stack:
        if not dry_run:
            stack.enter_context(exclusive(import_lock_name(source)))
            # Holding the lock: no import of this source runs, so one still marked running
            # never finished.
            sweep_unfinished(source)
        previous = ImportBatch.objects.filter(
            source=source, file_hash=digest, status=BatchStatus.ACCEPTED
        ).first()
        if previous is not None:
            return finish(
                BatchStatus.UNCHANGED,
                [],
                note=f"zelfde bestand als import #{previous.pk} van "
                f"{previous.received_on:%d-%m-%Y}; niets gewijzigd",
            )
        if not dry_run:
            stack.push(_running_marker(batch))
        handler = FILE_IMPORTERS.get(source_type)
        if handler is not None:
            try:
                with transaction.atomic():
                    if not dry_run:
                        ProcessingActivity.objects.select_for_update().get(pk=source.pk)
                        batch.status = BatchStatus.ACCEPTED
                        batch.save()
                    stored = handler(
                        path,
                        source=source,
                        file_name=file_name,
                        digest=digest,
                        user=user,
                        username=who,
                        dry_run=dry_run,
                    )
                    batch.row_count, batch.counts = stored.row_count, stored.counts
                    if dry_run:
                        return finish(
                            BatchStatus.ACCEPTED,
                            [],
                            note="alleen gecontroleerd (proefrun); niets ingelezen",
                        )
                    batch.finished_at = timezone.now()
                    batch.save(update_fields=["counts", "finished_at", "row_count"])
                    if source.refreshed_on is None or received_on > source.refreshed_on:
                        ProcessingActivity.objects.filter(pk=source.pk).update(
                            refreshed_on=received_on
                        )
                    _audit(batch, 0)
                    return ImportResult(batch, [])
            except FileRejected as exc:
                batch.row_count = exc.row_count
                return rejected(
                    _Problems.of([Problem(None, "", "", p[:300]) for p in exc.problems])
                )
        try:
            reader = Reader(path, fmt, name=file_name)
        except ImportError_ as exc:
            return finish(BatchStatus.REJECTED, [Problem(None, "", "", str(exc))])
        problems = _Problems()
        with reader:
            problems.add(check_columns(mapping, reader.columns))
            if problems:  # the report still says how many rows the file has
                try:
                    for _table in reader.batches(size):
                        pass
                except ImportError_ as exc:
                    problems.add([Problem(None, "", "", str(exc))])
                batch.row_count = reader.row_count
                return rejected(problems)
            target = TARGETS[mapping.target]
            validator = Validator(mapping, reader.columns)
            ctx = Context(
                source=source,
                batch=None,
                file_name=file_name,
                received_on=received_on,
                mapping=mapping,
            )
            bar = _progress_bar(progress, reader)
            duck = _duckdb() if mapping.target in COLUMN_TARGETS else None
            if duck is not None:
                stack.callback(duck.close)
            try:
                with transaction.atomic():
                    if not dry_run:
                        ProcessingActivity.objects.select_for_update().get(pk=source.pk)
                        batch.status = BatchStatus.ACCEPTED
                        batch.save()
                        ctx.batch = batch
                    if duck is not None and not dry_run:
                        ctx.writer = BatchWriter(duck)
                        stack.callback(ctx.writer.close_reader)  # after the transaction ends
                    try:
                        for table in reader.batches(size):
                            if duck is not None:
                                items, values, found = _prepare_columns(
                                    ctx, target, validator, table, duck
                                )
                            else:
                                rows, found = validate(mapping, table, validator=validator)
                                items = _duplicate_keys(
                                    target.prepare(ctx, rows, found), found, ctx.keys_seen
                                )
                            problems.add(found)
                            if problems or dry_run:  # after the first problem only validate on
                                pass
                            elif duck is not None:
                                _apply_columns(ctx, target, table, items, values, duck)
                            else:
                                target.apply(ctx, items, False)
                            if bar is not None:
                                bar.update(len(table))
                            if on_progress is not None:
                                on_progress(reader.row_count, reader.fraction)
                        if ctx.writer is not None:
                            ctx.writer.wait()  # the last batch written (its error raised here)
                    except ImportError_ as exc:
                        problems.add([Problem(None, "", "", str(exc))])
                    finally:
                        if ctx.writer is not None:  # nothing left in flight, raising or not
                            ctx.writer.close()
                            ctx.writer = None
                    batch.row_count = reader.row_count
                    if not reader.row_count and not problems:
                        # A header and no rows is a valid extract: nothing to read in.
                        batch.note = "bestand bevat geen gegevensrijen; niets ingelezen"
                    if problems or dry_run:
                        raise _Rejected
                    batch.counts, batch.finished_at = ctx.counts, timezone.now()
                    batch.save(update_fields=["counts", "finished_at", "row_count", "note"])
                    if source.refreshed_on is None or received_on > source.refreshed_on:
                        ProcessingActivity.objects.filter(pk=source.pk).update(
                            refreshed_on=received_on
                        )
                        source.refreshed_on = received_on
                    _audit(batch, 0)
                    if announce:
                        transaction.on_commit(
                            lambda pk=batch.pk, counts=ctx.counts: _announce_import(
                                pk, counts, user
                            )
                        )
            except _Rejected:
                if problems:
                    return rejected(problems)
                return finish(
                    BatchStatus.ACCEPTED,
                    [],
                    note="alleen gecontroleerd (proefrun); niets ingelezen",
                )
            except DatabaseError as exc:
                return rejected(
                    _Problems.of(
                        [Problem(None, "", "", f"databasefout, niets ingelezen: {exc}"[:300])]
                    )
                )
            finally:
                if bar is not None:
                    bar.close()
    return ImportResult(batch, [])


def _progress_bar(enabled: bool, reader: Reader):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(
        total=reader.total_rows, desc="controleren", unit="rij", file=sys.stderr, leave=False
    )
