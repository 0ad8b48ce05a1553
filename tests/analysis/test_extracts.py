"""The Django-free extract reader validates as the importer does: the SQL fast path only takes
values that the importer's parser returns unchanged, and everything else goes through that parser."""

from __future__ import annotations

import csv
import random
from datetime import date

import duckdb
import pytest

from doorbraak_analysis.registers import validation as v
from doorbraak_analysis.registers.extracts import _PARSERS, validate_extract

CANONICAL = {
    "kvk": lambda r: f"{r.randrange(10**8):08d}",
    "bag_id": lambda r: f"{r.randrange(10**16):016d}",
    "sbi": lambda r: str(r.randrange(10, 10 ** r.randint(2, 6))).zfill(2),
    "postcode": lambda r: (
        f"{r.randint(1000, 9999)}{r.choice('ABCDEFGHJKLMNPRTVWXZ')}{r.choice('ABCDEFGHJKLMNPRTVWXZ')}"
    ),
    "int": lambda r: str(r.randrange(10 ** r.randint(1, 18))),
    "float": lambda r: f"{r.choice(['', '-'])}{r.randrange(10**6)}.{r.randrange(10**4)}",
    "text": lambda r: " ".join(
        r.choice(["Café", "De", "Vries", "ß", "Øst", "12", "B.V.", "'t"]) for _ in range(3)
    ),
    "prefix": lambda r: r.choice(["van", "van der", "de", "van 't", "in 't"]),
    "date": lambda r: date(1900, 1, 1).toordinal() + r.randrange(70000),
}


@pytest.mark.parametrize("ftype", sorted(CANONICAL))
def test_the_fast_path_takes_only_what_the_parser_leaves_unchanged(ftype):
    r = random.Random(ftype)
    con = duckdb.connect()
    from doorbraak_analysis.registers.extracts import _fast

    values = []
    for _ in range(300):
        value = CANONICAL[ftype](r)
        values.append(date.fromordinal(value).isoformat() if ftype == "date" else value)
    # and some near misses that must NOT take the fast path
    values += [
        " 12345678",
        "1234567",
        "1234 AB",
        "3511 SA",
        "000000000",
        "12,5",
        "a  b",
        "2024-02-30",
        "Van",
    ]
    cond, value_sql = _fast(ftype, "x")
    for value in values:
        taken, fast_value = con.execute(
            f"SELECT coalesce({cond}, false), {value_sql} FROM (SELECT ? AS x)", [value]
        ).fetchall()[0]
        if taken:
            assert _PARSERS[ftype](value) == fast_value, (ftype, value)


def test_bsn_fast_path_is_the_eleven_test():
    con = duckdb.connect()
    from doorbraak_analysis.registers.extracts import _fast

    cond, _ = _fast("bsn", "x")
    for n in range(100000000, 100100000, 37):
        text = str(n)
        taken = con.execute(
            f"SELECT coalesce({cond}, false) FROM (SELECT ? AS x)", [text]
        ).fetchall()[0][0]
        try:
            ok = v.parse_bsn(text) == text
        except v.Invalid:
            ok = False
        assert taken == ok, text


MESSY = [
    ("kvk_nummer", ["12345678", "1234567", "1234.5678", " 12345678 ", "ABC", "123456789", ""]),
    ("postcode", ["3511AB", "3511 ab", "3511-AB", "NL-3511AB", "3511SA", "0511AB", ""]),
    ("huisnummer", ["12", "12a", "12 A", "12-bis", "12A-2", "0", "x12", "012", ""]),
    (
        "datum_inschrijving",
        [
            "2024-05-01",
            "20240501",
            "1-5-2024",
            "01/05/2024",
            "2024-02-30",
            "1799-01-01",
            "2024-05-01T00:00:00",
            "",
        ],
    ),
    ("sbi_code", ["45111", "45.11.1", "4", "1234567", ""]),
]


def test_messy_values_give_the_importers_values_and_reasons(tmp_path):
    """Every value read through the extract reader equals what the importer's parser makes of it."""
    path = tmp_path / "kvk_companies.csv"
    width = max(len(vals) for _c, vals in MESSY)
    header = [
        "kvk_nummer",
        "statutaire_naam",
        "rechtsvorm",
        "sbi_code",
        "datum_inschrijving",
        "postcode",
        "huisnummer",
    ]
    rows = []
    for i in range(width):
        cells = {c: vals[i % len(vals)] for c, vals in MESSY}
        rows.append(
            [
                cells["kvk_nummer"],
                "X",
                "BV",
                cells["sbi_code"],
                cells["datum_inschrijving"],
                cells["postcode"],
                cells["huisnummer"],
            ]
        )
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    con = duckdb.connect()
    problems, n = validate_extract(con, path, "kvk_companies", "x")
    assert n == width
    got = {
        r[0]: r
        for r in con.execute(
            "SELECT _row, kvk_number, sbi_code, registered_on, postcode, house_number, "
            "house_letter, house_number_addition FROM x"
        ).fetchall()
    }
    reasons = {(p.row, p.field): p.reason for p in problems}
    fields = [
        ("kvk_number", 0, v.parse_kvk, 1),
        ("sbi_code", 3, v.parse_sbi, 2),
        ("registered_on", 4, v.parse_date, 3),
        ("postcode", 5, v.parse_postcode, 4),
    ]
    for i, row in enumerate(rows, 1):
        for name, col, parser, at in fields:
            raw = row[col]
            if not raw.strip():
                assert got[i][at] in ("", None)
                if name in ("kvk_number", "sbi_code", "registered_on"):
                    assert reasons[(i, name)] == "verplicht veld is leeg"
                continue
            try:
                expected = parser(raw)
            except v.Invalid as exc:
                assert reasons[(i, name)] == str(exc), (name, raw)
                continue
            assert got[i][at] == expected and (i, name) not in reasons, (name, raw)
        raw = row[6]
        if raw.strip():
            try:
                hn = v.parse_house_number(raw)
                assert got[i][5:8] == (hn.number, hn.letter, hn.addition), raw
            except v.Invalid as exc:
                assert reasons[(i, "house_number")] == str(exc), raw
