"""Reading transactions and accounts: AMLworld CSV as published, and the native format.

Everything is read as text first and checked in one pass; either every row is good and a
canonical Arrow table comes back, or `InputError` lists each bad row and why (nothing is
half-loaded). See FORMAT.md for the formats.
"""

from __future__ import annotations

import io as _io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

AMLWORLD_HEADER = [
    "Timestamp",
    "From Bank",
    "Account",
    "To Bank",
    "Account",
    "Amount Received",
    "Receiving Currency",
    "Amount Paid",
    "Payment Currency",
    "Payment Format",
    "Is Laundering",
]
NATIVE_COLUMNS = [
    "timestamp",
    "from_bank",
    "from_account",
    "to_bank",
    "to_account",
    "amount_received",
    "receiving_currency",
    "amount_paid",
    "payment_currency",
    "payment_format",
    "is_laundering",
]
TIMESTAMP_FORMATS = [
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
]

# Approximate rates to euro so amounts in different currencies are comparable for the
# threshold and amount rules; currency itself stays a model feature. Unknown currency: 1.0.
EUR_RATES = {
    "euro": 1.0,
    "eur": 1.0,
    "us dollar": 0.92,
    "usd": 0.92,
    "uk pound": 1.15,
    "gbp": 1.15,
    "swiss franc": 1.03,
    "chf": 1.03,
    "yen": 0.0066,
    "jpy": 0.0066,
    "yuan": 0.13,
    "cny": 0.13,
    "rupee": 0.011,
    "inr": 0.011,
    "ruble": 0.011,
    "rub": 0.011,
    "shekel": 0.25,
    "ils": 0.25,
    "mexican peso": 0.052,
    "mxn": 0.052,
    "canadian dollar": 0.68,
    "cad": 0.68,
    "australian dollar": 0.61,
    "aud": 0.61,
    "saudi riyal": 0.245,
    "sar": 0.245,
    "brazil real": 0.18,
    "brl": 0.18,
    "bitcoin": 27000.0,
    "btc": 27000.0,
}

CANONICAL_SCHEMA = pa.schema(
    [
        ("rid", pa.int64()),
        ("t", pa.int64()),
        ("src", pa.string()),
        ("dst", pa.string()),
        ("src_bank", pa.string()),
        ("dst_bank", pa.string()),
        ("amount_paid", pa.float64()),
        ("pay_cur", pa.string()),
        ("amount_received", pa.float64()),
        ("recv_cur", pa.string()),
        ("fmt", pa.string()),
        ("amount", pa.float64()),
        ("label", pa.int32()),
    ]
)


@dataclass(frozen=True)
class BadRow:
    row: int | None  # 0-based data row; None for file-level problems
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row} (line {self.row + 2})" if self.row is not None else "file"
        col = f", column {self.column!r}" if self.column else ""
        val = f", value {self.value!r}" if self.value != "" else ""
        return f"{where}{col}{val}: {self.reason}"


class InputError(ValueError):
    """Raised with every bad row; the caller loads nothing."""

    def __init__(self, path: str | Path, problems: list[BadRow]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(self.report(limit=20))

    def report(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [f"{self.path}: {len(self.problems)} problem(s), nothing loaded"]
        lines += [f"  {p}" for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


def account_id(bank: object, account: object) -> str:
    """Pseudonymous account key: bank code and account code, as in AMLworld."""
    return f"{bank}:{account}"


def _encoding(path: Path) -> str:
    """UTF-8, Windows-1252 or Latin-1 (see doorbraak_analysis.textfiles); binary content and
    bytes no encoding explains are an InputError naming the line."""
    from ..textfiles import TextFileError, detect_encoding

    try:
        return detect_encoding(path)
    except TextFileError as exc:
        row, reason = (
            (exc.line - 2, exc.reason)
            if exc.line >= 2
            else (None, f"line {exc.line}: {exc.reason}")
        )
        raise InputError(path, [BadRow(row, "", "", reason)]) from None


def _first_line(path: Path, encoding: str = "utf-8-sig") -> str:
    with open(path, "rb") as fh:
        return fh.readline().decode(encoding, errors="replace").strip()


def _width_problem(row: Any) -> BadRow:
    """A row pyarrow skipped (its ``InvalidRow``) for having the wrong number of fields."""
    return BadRow(
        row.number - 2 if row.number else None,
        "",
        row.text[:80],
        f"expected {row.expected_columns} fields, found {row.actual_columns}",
    )


def _read_text_csv(
    path: Path, names: list[str], encoding: str = "utf-8-sig"
) -> tuple[pa.Table, list[BadRow]]:
    """All columns as text; rows with the wrong number of fields become BadRows.

    The table gets a `__row` column: the 0-based data row in the file, also when some
    malformed lines were skipped (so every later problem names the right row)."""
    bad: list[Any] = []  # pyarrow's InvalidRow

    def handler(invalid: Any) -> str:
        bad.append(invalid)
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=1,
                use_threads=threads,
                block_size=1 << 24,
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    table = read(True)
    if bad:  # line numbers are only known when read on one thread
        table = read(False)
    problems = [_width_problem(b) for b in bad]
    rows = np.arange(table.num_rows + len(bad), dtype=np.int64)
    if bad:
        rows = np.setdiff1d(
            rows, np.array([p.row for p in problems if p.row is not None], dtype=np.int64)
        )
        rows = rows[: table.num_rows]
    return table.append_column("__row", pa.array(rows)), problems


# Rows per batch when a file is read: memory holds one batch at a time (plus DuckDB's own
# memory_limit for what is staged), so an extract of tens of millions of rows can be read.
READ_BATCH_ROWS = 1_000_000
# Problems reported at most per file (the count of the rest is still given).
MAX_PROBLEMS = 100_000


def _header_names(path: Path, encoding: str) -> list[str]:
    header = _first_line(path, encoding)
    fields_ = [h.strip().strip('"') for h in header.split(",")]
    if fields_ in (AMLWORLD_HEADER, AMLWORLD_HEADER[:-1]):
        return NATIVE_COLUMNS[: len(fields_)]
    if fields_ in (NATIVE_COLUMNS, NATIVE_COLUMNS[:-1]):
        return fields_
    raise InputError(
        path,
        [
            BadRow(
                None,
                "",
                header[:120],
                "header is neither AMLworld ("
                + ",".join(AMLWORLD_HEADER)
                + ") nor native ("
                + ",".join(NATIVE_COLUMNS)
                + ")",
            )
        ],
    )


def _csv_batches(
    path: Path, names: list[str], encoding: str, batch_rows: int
) -> Iterator[tuple[pa.Table, list[BadRow]]]:
    """The file in batches of text columns with `__row` (the 0-based data row, also when some
    malformed lines before it were skipped) and the malformed lines found so far."""
    bad: list[Any] = []  # pyarrow's InvalidRow, numbered (serial parsing)

    def handler(invalid: Any) -> str:
        bad.append(invalid)
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=1,
                use_threads=False,
                # a block is about a batch: ~100 bytes a row
                block_size=int(min(max(batch_rows * 100, 1 << 12), 1 << 26)),
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as err:
        if "Empty CSV file" in str(err):  # a header without rows: an empty result
            return
        raise InputError(path, [BadRow(None, "", "", f"not readable as CSV: {err}")]) from None
    next_row, reported, skipped = 0, 0, set[int]()
    pending: list[pa.RecordBatch] = []

    def flush() -> tuple[pa.Table, list[BadRow]]:
        nonlocal next_row, reported
        table = pa.Table.from_batches(pending, schema=reader.schema)
        pending.clear()
        new = bad[reported:]
        reported = len(bad)
        problems = [_width_problem(b) for b in new]
        skipped.update(p.row for p in problems if p.row is not None)
        rows = np.empty(table.num_rows, dtype=np.int64)
        for i in range(table.num_rows):  # the next data rows that were not skipped
            while next_row in skipped:
                next_row += 1
            rows[i] = next_row
            next_row += 1
        return table.append_column("__row", pa.array(rows)), problems

    try:
        n = 0
        for batch in reader:
            pending.append(batch)
            n += batch.num_rows
            if n >= batch_rows:
                yield flush()
                n = 0
    except pa.ArrowInvalid as err:
        raise InputError(path, [BadRow(None, "", "", f"not readable as CSV: {err}")]) from None
    if pending or len(bad) > reported:
        yield flush()


def _parquet_batches(path: Path, batch_rows: int) -> tuple[bool, Iterator[pa.Table]]:
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    missing = [c for c in NATIVE_COLUMNS[:-1] if c not in names]
    if missing:
        raise InputError(path, [BadRow(None, c, "", "missing column") for c in missing])
    cols = [c for c in NATIVE_COLUMNS if c in names]

    def text(col: Any) -> Any:
        if pa.types.is_timestamp(col.type):  # Parquet timestamps: whole seconds, UTC
            return pa.compute.strftime(
                col.cast(pa.timestamp("s", col.type.tz)), "%Y-%m-%d %H:%M:%S"
            )
        return col.cast(pa.string())

    def batches() -> Iterator[pa.Table]:
        row = 0
        for b in pf.iter_batches(batch_size=batch_rows, columns=cols):
            raw = pa.table({c: text(b.column(c)) for c in cols})
            yield raw.append_column(
                "__row", pa.array(np.arange(row, row + raw.num_rows, dtype=np.int64))
            )
            row += raw.num_rows

    return "is_laundering" in cols, batches()


def stage_transactions(
    path: str | Path,
    con: Any,
    name: str = "tx",
    *,
    require_label: bool = False,
    history: bool = False,
    batch_rows: int = READ_BATCH_ROWS,
    temporary: bool = True,
) -> int:
    """Read a transactions file batch by batch into the DuckDB table `name` of `con`
    (canonical columns, CANONICAL_SCHEMA); return the number of rows. Only one batch is in
    Python memory at a time; DuckDB keeps the table within its memory_limit (spilling to its
    temp_directory). Every bad row of the whole file is reported, with its row, and then the
    table is dropped: nothing is loaded. `history`: rid = -1 - row (context rows, never scored).
    `temporary`: a TEMP table (in memory); False: a table of `con`'s database (file).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, [BadRow(None, "", "", "file not found")])
    if path.suffix.lower() in (".parquet", ".pq"):
        has_label, raw_batches = _parquet_batches(path, batch_rows)
        batches: Iterator[tuple[pa.Table, list[BadRow]]] = ((b, []) for b in raw_batches)
    else:
        encoding = _encoding(path)
        names = _header_names(path, encoding)
        has_label = "is_laundering" in names
        batches = _csv_batches(path, names, encoding, batch_rows)
    if require_label and not has_label:
        raise InputError(
            path, [BadRow(None, "Is Laundering", "", "labelled data needed (column missing)")]
        )
    cols = ", ".join(f"{f.name} {_DUCK_TYPES[f.type]}" for f in CANONICAL_SCHEMA)
    kind = "TEMP TABLE" if temporary else "TABLE"
    con.execute(f"CREATE OR REPLACE {kind} {name} ({cols})")
    problems: list[BadRow] = []
    n_problems, n_rows = 0, 0
    try:
        for raw, malformed in batches:
            table, more = _validate(raw, has_label)
            found = malformed + more
            n_problems += len(found)
            problems.extend(found[: max(0, MAX_PROBLEMS - len(problems))])
            if n_problems:  # keep checking the rest, to report every bad row, but load nothing
                continue
            if history:
                table = table.set_column(
                    0, "rid", pa.compute.subtract(pa.scalar(-1, pa.int64()), table["rid"])
                )
            con.register(f"{name}__batch", table)
            con.execute(f"INSERT INTO {name} SELECT * FROM {name}__batch")
            con.unregister(f"{name}__batch")
            n_rows += table.num_rows
    except BaseException:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        raise
    if n_problems:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        problems.sort(key=lambda p: (-1 if p.row is None else p.row, p.column))
        if n_problems > len(problems):
            problems.append(
                BadRow(None, "", "", f"{n_problems - len(problems)} more problem(s) not listed")
            )
        raise InputError(path, problems)
    return n_rows


def read_transactions(
    path: str | Path, *, require_label: bool = False, batch_rows: int = READ_BATCH_ROWS
) -> pa.Table:
    """Read AMLworld CSV or native CSV/Parquet into the canonical table (see FORMAT.md).

    The whole table comes back in memory (training, detection, sectors); for scoring a big
    extract `stage_transactions` keeps it in DuckDB instead."""
    con = duckdb.connect()
    con.execute("SET threads = 2")
    stage_transactions(path, con, "tx", require_label=require_label, batch_rows=batch_rows)
    table = con.sql("SELECT * FROM tx ORDER BY rid").to_arrow_table().cast(CANONICAL_SCHEMA)
    return table


_DUCK_TYPES = {
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.string(): "VARCHAR",
    pa.float64(): "DOUBLE",
}


_CHECK_SQL = """
WITH raw AS (SELECT *, __row AS "row" FROM raw_text),
parsed AS (
  SELECT "row", timestamp AS ts_text,
    try_strptime(trim(timestamp), {formats}) AS ts,
    trim(from_bank) AS from_bank, trim(from_account) AS from_account,
    trim(to_bank) AS to_bank, trim(to_account) AS to_account,
    amount_received AS recv_text, TRY_CAST(trim(amount_received) AS DOUBLE) AS amount_received,
    trim(receiving_currency) AS recv_cur,
    amount_paid AS paid_text, TRY_CAST(trim(amount_paid) AS DOUBLE) AS amount_paid,
    trim(payment_currency) AS pay_cur, trim(payment_format) AS fmt,
    {label_text} AS label_text
  FROM raw)
SELECT * FROM parsed
"""


def _validate(raw: pa.Table, has_label: bool) -> tuple[pa.Table, list[BadRow]]:
    con = duckdb.connect()
    con.register("raw_text", raw)
    sql = _CHECK_SQL.format(
        formats="[" + ", ".join(f"'{f}'" for f in TIMESTAMP_FORMATS) + "]",
        label_text="trim(is_laundering)" if has_label else "'0'",
    )
    con.execute(f"CREATE TEMP TABLE p AS {sql}")
    checks = [
        ("Timestamp", "ts_text", "ts IS NULL", "not a timestamp (expected like 2022/09/01 00:20)"),
        ("From Bank", "from_bank", "from_bank IS NULL OR from_bank = ''", "empty"),
        (
            "Account",
            "from_account",
            "from_account IS NULL OR from_account = ''",
            "empty sender account",
        ),
        ("To Bank", "to_bank", "to_bank IS NULL OR to_bank = ''", "empty"),
        (
            "Account",
            "to_account",
            "to_account IS NULL OR to_account = ''",
            "empty receiver account",
        ),
        (
            "Amount Received",
            "recv_text",
            "amount_received IS NULL OR NOT isfinite(amount_received)",
            "not a number",
        ),
        ("Amount Received", "recv_text", "amount_received < 0", "negative amount"),
        ("Receiving Currency", "recv_cur", "recv_cur IS NULL OR recv_cur = ''", "empty"),
        (
            "Amount Paid",
            "paid_text",
            "amount_paid IS NULL OR NOT isfinite(amount_paid)",
            "not a number",
        ),
        ("Amount Paid", "paid_text", "amount_paid < 0", "negative amount"),
        ("Payment Currency", "pay_cur", "pay_cur IS NULL OR pay_cur = ''", "empty"),
        ("Payment Format", "fmt", "fmt IS NULL OR fmt = ''", "empty"),
        ("Is Laundering", "label_text", "label_text NOT IN ('0', '1')", "must be 0 or 1"),
    ]
    union = " UNION ALL ".join(
        f"SELECT \"row\", '{col}' AS col, CAST({val} AS VARCHAR) AS val, '{why}' AS why FROM p WHERE {cond}"
        for col, val, cond, why in checks
    )
    bad = con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT 100000").fetchall()
    problems = [BadRow(int(r), c, "" if v is None else str(v)[:80], w) for r, c, v, w in bad]
    if problems:
        return pa.table({}), problems
    rates = pa.table({"cur": list(EUR_RATES), "rate": list(EUR_RATES.values())})
    con.register("rates", rates)
    table = con.sql("""
        SELECT "row" AS rid, CAST(epoch(ts) AS BIGINT) AS t,
          from_bank || ':' || from_account AS src, to_bank || ':' || to_account AS dst,
          from_bank AS src_bank, to_bank AS dst_bank, amount_paid, pay_cur,
          amount_received, recv_cur, fmt,
          amount_paid * coalesce(r.rate, 1.0) AS amount,
          CAST(label_text AS INTEGER) AS label
        FROM p LEFT JOIN rates r ON lower(p.pay_cur) = r.cur
        ORDER BY "row"
    """).to_arrow_table()
    if not has_label:
        table = table.set_column(
            table.schema.get_field_index("label"), "label", pa.nulls(table.num_rows, pa.int32())
        )
    return table.cast(CANONICAL_SCHEMA), []


ACCOUNTS_SCHEMA = pa.schema([("account", pa.string()), ("sbi", pa.string()), ("area", pa.string())])


def read_accounts(path: str | Path) -> pa.Table:
    """Accounts file: `account,sbi,area` (account = bank:account) or `bank,account,sbi,area`."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, [BadRow(None, "", "", "file not found")])
    encoding = _encoding(path)
    header = [h.strip().strip('"').lower() for h in _first_line(path, encoding).split(",")]
    if header not in (["account", "sbi", "area"], ["bank", "account", "sbi", "area"]):
        raise InputError(
            path,
            [
                BadRow(
                    None,
                    "",
                    ",".join(header),
                    "header must be account,sbi,area or bank,account,sbi,area",
                )
            ],
        )
    raw, problems = _read_text_csv(path, header, encoding)
    cols = {c: pa.compute.utf8_trim_whitespace(raw[c]) for c in header}
    if "bank" in cols:
        acc = pa.compute.binary_join_element_wise(cols["bank"], cols["account"], ":")
    else:
        acc = cols["account"]
    sbi = pa.compute.replace_substring(cols["sbi"], ".", "")
    accounts = acc.to_pylist()
    seen: dict[str, int] = {}
    for i, a, s in zip(raw["__row"].to_pylist(), accounts, sbi.to_pylist(), strict=True):
        if not a or a.endswith(":") or a.startswith(":"):
            problems.append(BadRow(i, "account", a or "", "empty account"))
        elif a in seen:
            problems.append(BadRow(i, "account", a, f"duplicate of row {seen[a]}"))
        else:
            seen[a] = i
        if s and not (s.isdigit() and 2 <= len(s) <= 5):
            problems.append(BadRow(i, "sbi", s, "SBI code must be 2 to 5 digits"))
    if problems:
        raise InputError(path, sorted(problems, key=lambda p: -1 if p.row is None else p.row))
    return pa.table({"account": acc, "sbi": sbi, "area": cols["area"]}, schema=ACCOUNTS_SCHEMA)


def unconvertible_currencies(tx: pa.Table) -> list[BadRow]:
    """One BadRow per row whose payment currency has no rate in EUR_RATES (the amount rules and
    the model's amounts need it in euro). Rows are the file's data rows (rid)."""
    cur = tx["pay_cur"].to_pylist()
    return [
        BadRow(
            int(rid),
            "Payment Currency",
            c,
            f"currency {c!r} cannot be converted to euro (known: see moneyflows FORMAT.md)",
        )
        for rid, c in zip(tx["rid"].to_pylist(), cur, strict=True)
        if c.lower() not in EUR_RATES
    ]


def write_csv(table: pa.Table, path: str | Path) -> None:
    pacsv.write_csv(table, path)


def table_to_csv_text(table: pa.Table) -> str:
    buf = _io.BytesIO()
    pacsv.write_csv(table, buf)
    return buf.getvalue().decode()
