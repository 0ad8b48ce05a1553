"""Reading AMLworld and native transaction files, and accounts files: good and bad input."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from doorbraak_analysis.moneyflows.cli import main
from doorbraak_analysis.moneyflows.io import (
    AMLWORLD_HEADER,
    NATIVE_COLUMNS,
    InputError,
    read_accounts,
    read_transactions,
)

HEADER = ",".join(AMLWORLD_HEADER)
GOOD = [
    "2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0",
    "2022/09/01 00:20,03208,8000F4580,001,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0",
    "2022/09/01 00:00,03209,8000F4670,03209,8000F4670,14675.57,Euro,14675.57,Euro,Reinvestment,1",
]


def write(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def test_amlworld_file_read_as_published(tmp_path):
    tx = read_transactions(write(tmp_path / "tx.csv", [HEADER, *GOOD]))
    assert tx.num_rows == 3
    assert tx["rid"].to_pylist() == [0, 1, 2]
    assert (
        tx["src"].to_pylist()[1] == "03208:8000F4580"
        and tx["dst"].to_pylist()[1] == "001:8000F5340"
    )
    assert tx["label"].to_pylist() == [0, 0, 1]
    assert tx["t"].to_pylist()[0] - tx["t"].to_pylist()[2] == 20 * 60
    assert tx["amount"].to_pylist()[2] == pytest.approx(14675.57)  # euro stays euro
    assert tx["amount"].to_pylist()[0] == pytest.approx(3697.34 * 0.92)  # dollars converted


def test_amlworld_without_label_column(tmp_path):
    lines = [",".join(AMLWORLD_HEADER[:-1])] + [g.rsplit(",", 1)[0] for g in GOOD]
    tx = read_transactions(write(tmp_path / "tx.csv", lines))
    assert tx.num_rows == 3 and tx["label"].null_count == 3
    with pytest.raises(InputError, match="labelled data needed"):
        read_transactions(tmp_path / "tx.csv", require_label=True)


def test_bad_rows_each_reported_and_nothing_loaded(tmp_path):
    bad = [
        GOOD[0],
        "2022/13/45 00:20,010,8000EBD30,010,8000EBD31,10.00,Euro,10.00,Euro,ACH,0",  # row 1: date
        "2022/09/01 00:20,010,8000EBD30,010,8000EBD31,-5,Euro,abc,Euro,ACH,0",  # row 2: amounts
        "2022/09/01 00:20,010,8000EBD30,010,8000EBD31,5,Euro,5,Euro,ACH",  # row 3: short
        "2022/09/01 00:20,010,,010,8000EBD31,5,Euro,5,Euro,ACH,2",  # row 4: account, label
        GOOD[1],
    ]
    with pytest.raises(InputError) as err:
        read_transactions(write(tmp_path / "bad.csv", [HEADER, *bad]))
    problems = err.value.problems
    by_row = {}
    for p in problems:
        by_row.setdefault(p.row, []).append(p)
    assert set(by_row) == {1, 2, 3, 4}
    assert "not a timestamp" in by_row[1][0].reason
    assert {p.reason for p in by_row[2]} == {"negative amount", "not a number"}
    assert "expected 11 fields, found 10" in by_row[3][0].reason
    assert {p.column for p in by_row[4]} == {"Account", "Is Laundering"}
    report = err.value.report()
    assert "row 1 (line 3)" in report and "nothing loaded" in report


def test_cli_bad_input_exit_code_and_no_output(tmp_path, capsys):
    src = write(tmp_path / "bad.csv", [HEADER, GOOD[0], "nonsense,1,2"])
    out = tmp_path / "patterns.csv"
    assert main(["detect", "--input", str(src), "--out", str(out)]) == 2
    assert "row 1 (line 3)" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_header_rejected(tmp_path):
    with pytest.raises(InputError, match="header is neither"):
        read_transactions(write(tmp_path / "x.csv", ["a,b,c", "1,2,3"]))


def test_native_csv_and_parquet_match_amlworld(tmp_path):
    aml = read_transactions(write(tmp_path / "tx.csv", [HEADER, *GOOD]))
    native_lines = [",".join(NATIVE_COLUMNS)] + [
        g.replace("2022/09/01", "2022-09-01") for g in GOOD
    ]
    native = read_transactions(write(tmp_path / "native.csv", native_lines))
    assert native.equals(aml)
    cols = [c.split(",") for c in GOOD]
    table = pa.table({name: [c[i] for c in cols] for i, name in enumerate(NATIVE_COLUMNS)})
    table = table.set_column(
        0,
        "timestamp",
        pa.array([c[0].replace("/", "-") + ":00" for c in cols]).cast(pa.timestamp("s")),
    )
    table = table.set_column(5, "amount_received", table["amount_received"].cast(pa.float64()))
    table = table.set_column(7, "amount_paid", table["amount_paid"].cast(pa.float64()))
    table = table.set_column(10, "is_laundering", table["is_laundering"].cast(pa.int8()))
    pq.write_table(table, tmp_path / "tx.parquet")
    assert read_transactions(tmp_path / "tx.parquet").equals(aml)


def test_accounts_file_good_and_bad(tmp_path):
    good = write(
        tmp_path / "acc.csv",
        ["account,sbi,area", "010:8000EBD30,56.10,Overvecht", "001:8000F5340,,Zuid"],
    )
    acc = read_accounts(good)
    assert acc.to_pylist()[0] == {"account": "010:8000EBD30", "sbi": "5610", "area": "Overvecht"}
    split = write(tmp_path / "acc2.csv", ["bank,account,sbi,area", "010,8000EBD30,5610,Overvecht"])
    assert read_accounts(split)["account"].to_pylist() == ["010:8000EBD30"]
    bad = write(
        tmp_path / "bad.csv",
        ["account,sbi,area", "010:1,5610,West", "010:1,5610,West", ",abc,Oost"],
    )
    with pytest.raises(InputError) as err:
        read_accounts(bad)
    reasons = {(p.row, p.column) for p in err.value.problems}
    assert reasons == {(1, "account"), (2, "account"), (2, "sbi")}
