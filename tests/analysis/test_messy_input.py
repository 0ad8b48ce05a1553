"""Messy and bad input on the Django-free readers (issue 14): `doorbraak link`, `doorbraak flows`
and the register extracts of `doorbraak risk`.

Windows-1252 / Latin-1 files are read as their text; bytes no encoding explains and binary
content are refused naming the file and line (exit 2, no traceback); a header without rows is an
empty result; `flows train` needs both labels; `flows score` names an unconvertible currency and
a missing or corrupt model; names with letters decomposition does not fold match plain spellings.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from doorbraak_analysis.linkage import cli as link_cli
from doorbraak_analysis.linkage.normalise import (
    ascii_fold,
    clean_text,
    parse_full_name,
    surname_core,
)
from doorbraak_analysis.moneyflows import cli as flows_cli
from doorbraak_analysis.moneyflows.io import read_accounts, read_transactions
from doorbraak_analysis.moneyflows.synth import generate
from doorbraak_analysis.risk import cli as risk_cli
from doorbraak_analysis.textfiles import TextFileError, detect_encoding

FIXTURES = Path(__file__).parent / "linkage_fixtures"
AML = (
    "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,"
    "Payment Currency,Payment Format,Is Laundering"
)


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Error:" not in err.replace("error:", "")


# ------------------------------------------------------------------ the shared helper


@pytest.mark.parametrize(
    "data, expected",
    [
        ("naam;plaats\nJosé Müller;Zoë €\n".encode("utf-8"), "utf-8-sig"),
        (b"\xef\xbb\xbfnaam\nJos\xc3\xa9\n", "utf-8-sig"),
        ("naam;plaats\nJosé Müller;’s-Hertogenbosch €\n".encode("cp1252"), "cp1252"),
        ("naam\nFrançois Ñúñez\n".encode("latin-1"), "cp1252"),
        (b"a,b\n", "utf-8-sig"),
    ],
)
def test_encodings_are_detected(tmp_path, data, expected):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == expected
    assert data.decode(expected) == data.decode(expected)  # and it decodes


@pytest.mark.parametrize(
    "data, kind, line",
    [
        (b"naam\nab\ncd\x81ef\n", "encoding", 3),
        ("naam\nJosé\n".encode() + b"M\xfcller\n", "encoding", 3),  # UTF-8 with one Latin-1 line
        (b"naam\nab\x00cd\n", "binary", 2),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary", 1),  # an .xlsx renamed to .csv
    ],
)
def test_unexplained_bytes_and_binary_are_refused_with_the_line(tmp_path, data, kind, line):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    with pytest.raises(TextFileError) as exc:
        detect_encoding(path)
    assert (exc.value.kind, exc.value.line) == (kind, line)
    assert str(path) in str(exc.value) and f"line {line}" in str(exc.value)


# ------------------------------------------------------------------ doorbraak link


def _link(tmp_path, left, right=None, mapping=FIXTURES / "mapping_personen.yaml"):
    out = tmp_path / "out.csv"
    argv = [
        "--left",
        str(left),
        "--mapping",
        str(mapping),
        "--entity",
        "person",
        "--out",
        str(out),
        "--quiet",
    ]
    if right:
        argv[2:2] = ["--right", str(right)]
    return link_cli.main(argv), out


def test_link_reads_a_windows_1252_file_as_its_text(tmp_path):
    text = (FIXTURES / "huurders.csv").read_text(encoding="utf-8").replace("Meer", "Méer")
    (tmp_path / "utf8.csv").write_text(text, encoding="utf-8")
    (tmp_path / "cp1252.csv").write_bytes(text.encode("cp1252"))
    rc, out = _link(tmp_path, FIXTURES / "brp_personen.csv", tmp_path / "utf8.csv")
    assert rc == 0
    expected = _rows(out)
    rc, out = _link(tmp_path, FIXTURES / "brp_personen.csv", tmp_path / "cp1252.csv")
    assert rc == 0
    assert _rows(out) == expected and len(expected) > 1


@pytest.mark.parametrize("bad, words", [(b"\x81", "line 3"), (b"\x00", "binary")])
def test_link_refuses_bad_bytes_naming_file_and_line(tmp_path, capsys, bad, words):
    lines = (FIXTURES / "huurders.csv").read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Amrani", b"Amr" + bad + b"ani")
    (tmp_path / "bad.csv").write_bytes(b"\n".join(lines))
    rc, out = _link(tmp_path, FIXTURES / "brp_personen.csv", tmp_path / "bad.csv")
    err = capsys.readouterr().err
    assert rc == 2 and not out.exists()
    assert "bad.csv" in err and words in err and "line 3" in err
    _no_traceback(err)


def test_link_header_without_rows_is_an_empty_result(tmp_path):
    header = (FIXTURES / "huurders.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "empty.csv").write_text(header + "\n", encoding="utf-8")
    rc, out = _link(tmp_path, FIXTURES / "brp_personen.csv", tmp_path / "empty.csv")
    assert rc == 0 and _rows(out) == [["left_id", "right_id", "match_probability", "decision"]]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "left:\n  id: nr\n  full_name: naam\n  birth_date: geb_datum\n  address: adres\n"
    )
    rc, out = _link(tmp_path, tmp_path / "empty.csv", mapping=mapping)
    assert rc == 0 and _rows(out) == [["record_id", "entity_id"]]


@pytest.mark.parametrize(
    "plain, foreign",
    [
        ("Lukasz Oster", "Łukasz Øster"),
        ("Yildiz", "Yıldız"),
        ("Strasse", "Straße"),
        ("Aerobics Paedagogiek", "Æróbics Pædagogiek"),
    ],
)
def test_letters_decomposition_does_not_fold_match_plain_spellings(plain, foreign):
    assert ascii_fold(foreign).lower() == plain.lower()
    assert clean_text(foreign) == clean_text(plain)


def test_polish_and_turkish_names_parse_alike():
    assert parse_full_name("Łukasz Øster") == parse_full_name("Lukasz Oster")
    assert parse_full_name("Ayşe Yıldız") == parse_full_name("Ayse Yildiz")
    assert surname_core("Großmann") == surname_core("Grossmann")


# ------------------------------------------------------------------ doorbraak flows


@pytest.fixture(scope="module")
def flows_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("flows_messy")
    paths = generate(4000, seed=3, out_dir=d, laundering_rate=0.03)
    assert (
        flows_cli.main(
            [
                "train",
                "--input",
                str(paths["transactions"]),
                "--model",
                str(d / "model"),
                "--max-rounds",
                "20",
            ]
        )
        == 0
    )
    return d, paths


def _aml(rows: list[str]) -> str:
    return "\n".join([AML, *rows]) + "\n"


ROW = "2023/01/29 15:36,012,8000019F9,070,8000023C2,3312.82,Euro,3312.82,Euro,{fmt},0"


def test_flows_reads_windows_1252_transactions_and_accounts(tmp_path):
    (tmp_path / "tx.csv").write_bytes(
        _aml([ROW.format(fmt="Chèque"), ROW.format(fmt="ACH")]).encode("cp1252")
    )
    assert read_transactions(tmp_path / "tx.csv")["fmt"].to_pylist() == ["Chèque", "ACH"]
    (tmp_path / "acc.csv").write_bytes(
        "account,sbi,area\n012:8000019F9,5630,Oudwijk-Château\n".encode("latin-1")
    )
    assert read_accounts(tmp_path / "acc.csv")["area"].to_pylist() == ["Oudwijk-Château"]
    assert (
        flows_cli.main(
            ["detect", "--input", str(tmp_path / "tx.csv"), "--out", str(tmp_path / "p.csv")]
        )
        == 0
    )


@pytest.mark.parametrize("bad, words", [(b"\x81", "is not a character"), (b"\x00", "binary")])
def test_flows_refuses_bad_bytes_naming_file_and_line(tmp_path, capsys, bad, words):
    data = _aml([ROW.format(fmt="ACH"), ROW.format(fmt="AC@H")]).encode("cp1252").replace(b"@", bad)
    (tmp_path / "tx.csv").write_bytes(data)
    out = tmp_path / "p.csv"
    assert flows_cli.main(["detect", "--input", str(tmp_path / "tx.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tx.csv" in err and "line 3" in err and words in err and not out.exists()
    _no_traceback(err)


def test_flows_header_without_rows_is_an_empty_result(tmp_path, flows_data):
    d, _paths = flows_data
    (tmp_path / "tx.csv").write_text(AML + "\n")
    (tmp_path / "acc.csv").write_text("account,sbi,area\n")
    assert (
        flows_cli.main(
            ["detect", "--input", str(tmp_path / "tx.csv"), "--out", str(tmp_path / "p.csv")]
        )
        == 0
    )
    assert _rows(tmp_path / "p.csv")[1:] == []
    assert (
        flows_cli.main(
            [
                "score",
                "--input",
                str(tmp_path / "tx.csv"),
                "--model",
                str(d / "model"),
                "--out",
                str(tmp_path / "s.csv"),
            ]
        )
        == 0
    )
    assert _rows(tmp_path / "s.csv") == [["row", "score", "flagged"]]
    assert (
        flows_cli.main(
            [
                "sectors",
                "--input",
                str(tmp_path / "tx.csv"),
                "--accounts",
                str(tmp_path / "acc.csv"),
                "--out",
                str(tmp_path / "v.csv"),
            ]
        )
        == 0
    )
    assert _rows(tmp_path / "v.csv")[1:] == []


@pytest.mark.parametrize("label, has", [("0", "0 labelled 1"), ("1", "0 labelled 0")])
def test_train_refuses_data_with_one_label_only(tmp_path, capsys, label, has):
    rows = [ROW.format(fmt="ACH")[:-1] + label] * 50
    (tmp_path / "tx.csv").write_text(_aml(rows))
    assert (
        flows_cli.main(
            ["train", "--input", str(tmp_path / "tx.csv"), "--model", str(tmp_path / "m")]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "training needs rows labelled 1 (laundering) and rows labelled 0" in err and has in err
    assert not (tmp_path / "m").exists()
    _no_traceback(err)


def test_score_refuses_a_currency_it_cannot_convert_and_names_it(tmp_path, capsys, flows_data):
    d, _paths = flows_data
    (tmp_path / "tx.csv").write_text(
        _aml([ROW.format(fmt="ACH"), ROW.format(fmt="ACH").replace("Euro,ACH", "Dogecoin,ACH")])
    )
    out = tmp_path / "s.csv"
    assert (
        flows_cli.main(
            [
                "score",
                "--input",
                str(tmp_path / "tx.csv"),
                "--model",
                str(d / "model"),
                "--out",
                str(out),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "'Dogecoin' cannot be converted" in err and "line 3" in err and not out.exists()


def test_score_names_a_missing_or_corrupt_model(tmp_path, capsys, flows_data):
    d, _paths = flows_data
    (tmp_path / "tx.csv").write_text(_aml([ROW.format(fmt="ACH")]))

    def score(model) -> str:
        assert (
            flows_cli.main(
                [
                    "score",
                    "--input",
                    str(tmp_path / "tx.csv"),
                    "--model",
                    str(model),
                    "--out",
                    str(tmp_path / "s.csv"),
                ]
            )
            == 2
        )
        err = capsys.readouterr().err
        _no_traceback(err)
        assert not (tmp_path / "s.csv").exists()
        return err

    assert f"model {tmp_path / 'nope'} is missing" in score(tmp_path / "nope")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "meta.json").write_text("{not json")
    (bad / "model.txt").write_text("garbage")
    assert f"model {bad} is not a Doorbraak model" in score(bad)
    (bad / "meta.json").write_text('{"hello": "world"}')
    assert "is not a Doorbraak model" in score(bad)
    (bad / "meta.json").write_bytes((d / "model" / "meta.json").read_bytes())
    assert "is not a Doorbraak model" in score(bad)  # model.txt still garbage
    (bad / "model.txt").unlink()
    assert f"model {bad} is missing" in score(bad)


# ------------------------------------------------------------------ doorbraak risk (extracts)

KVK_HEADER = "kvk_nummer;statutaire_naam;rechtsvorm;sbi_code;datum_inschrijving;datum_uitschrijving;vestiging_bag_id"
KVK_ROW = "{kvk};{name};BV;62010;2015-01-01;;0344010000000001"


def _risk(tmp_path, data: bytes):
    d = tmp_path / "x"
    d.mkdir(exist_ok=True)
    (d / "kvk_companies.csv").write_bytes(data)
    out = tmp_path / "o.csv"
    return risk_cli.main(
        ["evaluate", "--extracts", str(d), "--out", str(out), "--as-of", "2026-12-01"]
    ), out


@pytest.mark.parametrize(
    "bad, words",
    [(b"\x81", "geen tekst in UTF-8, Windows-1252 of Latin-1"), (b"\x00", "binaire inhoud")],
)
def test_risk_refuses_bad_bytes_in_an_extract_naming_file_and_line(tmp_path, capsys, bad, words):
    text = (
        "\n".join(
            [
                KVK_HEADER,
                KVK_ROW.format(kvk="10000001", name="Café"),
                KVK_ROW.format(kvk="10000002", name="Bak@ker"),
            ]
        )
        + "\n"
    )
    rc, out = _risk(tmp_path, text.encode("cp1252").replace(b"@", bad))
    err = capsys.readouterr().err
    assert rc == 2 and not out.exists()
    assert "kvk_companies.csv" in err and "regel 3" in err and words in err
    _no_traceback(err)


def test_risk_latin_1_extract_is_read(tmp_path):
    text = "\n".join([KVK_HEADER, KVK_ROW.format(kvk="10000001", name="Crêperie Ærø")]) + "\n"
    rc, out = _risk(tmp_path, text.encode("latin-1"))
    assert rc == 0 and out.exists()


def test_risk_extract_with_a_header_and_no_rows_is_an_empty_result(tmp_path):
    rc, out = _risk(tmp_path, (KVK_HEADER + "\n").encode())
    assert rc == 0
    assert _rows(out)[1:] == []


@pytest.mark.parametrize("chunk", [3, 5, 7, 1 << 22])
def test_lines_are_counted_right_across_read_chunks(tmp_path, monkeypatch, chunk):
    from doorbraak_analysis import textfiles

    monkeypatch.setattr(textfiles, "CHUNK", chunk)
    path = tmp_path / "f.csv"
    path.write_bytes("naam\nJosé Müller\nZoë €\n".encode())
    assert detect_encoding(path) == "utf-8-sig"  # multi-byte characters split across chunks
    path.write_bytes("naam\nJosé Müller\nZoë\n".encode() + b"ab\xe9\n")
    with pytest.raises(TextFileError, match="line 4: byte 0xE9 is not UTF-8, while the rest"):
        detect_encoding(path)
    path.write_bytes("naam\nJosé\nZoë\n".encode("cp1252") + b"a\x9db\n")
    with pytest.raises(TextFileError, match="line 4: byte 0x9D is not"):
        detect_encoding(path)
    path.write_bytes(b"naam\nab\ncd\n\x00")
    with pytest.raises(TextFileError, match="line 4: NUL byte"):
        detect_encoding(path)


def test_noise_that_is_no_language_in_any_candidate_is_refused(tmp_path):
    """Every byte is defined in Windows-1252, but charset-normalizer finds no text in it."""
    import random

    rnd = random.Random(1)
    pool = [
        b
        for b in [*range(0x21, 0x7F), *range(0x80, 0xC2)]
        if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    ]
    path = tmp_path / "noise.csv"
    path.write_bytes(b"naam\n" + bytes(rnd.choice(pool) for _ in range(400)) + b"\n")
    with pytest.raises(
        TextFileError, match="line 2: byte 0x.. is not text in UTF-8, Windows-1252 or Latin-1"
    ):
        detect_encoding(path)
