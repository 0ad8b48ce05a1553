"""`doorbraak link` on small files: exact output contracts and clear errors."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from doorbraak_analysis.linkage.cli import main

FIXTURES = Path(__file__).parent / "linkage_fixtures"
SRC = Path(__file__).resolve().parents[2] / "src"


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_link_writes_exact_header_and_true_pairs(tmp_path):
    out = tmp_path / "out.csv"
    rc = main(
        [
            "--left",
            str(FIXTURES / "brp_personen.csv"),
            "--right",
            str(FIXTURES / "huurders.csv"),
            "--mapping",
            str(FIXTURES / "mapping_personen.yaml"),
            "--entity",
            "person",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    rows = _rows(out)
    assert rows[0] == ["left_id", "right_id", "match_probability", "decision"]
    assert {r[3] for r in rows[1:]} <= {"link", "review"}
    assert all(0 <= float(r[2]) <= 1 for r in rows[1:])
    truth = {tuple(r) for r in _rows(FIXTURES / "truth_personen.csv")[1:]}
    assert {(r[0], r[1]) for r in rows[1:] if r[3] == "link"} == truth


def test_dedupe_writes_every_record_once(tmp_path):
    # the two person files stacked into one messy register
    combined = tmp_path / "combined.csv"
    lines = ["id,naam,geboortedatum,adres"]
    for r in _rows(FIXTURES / "huurders.csv")[1:]:
        lines.append(",".join([r[0], f'"{r[1]}"', r[2], f'"{r[3]}"']))
    for r in _rows(FIXTURES / "huurders.csv")[1:4]:  # three duplicates with other ids
        lines.append(",".join(["X" + r[0], f'"{r[1].upper()}"', r[2], f'"{r[3]}"']))
    combined.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "left:\n  id: id\n  full_name: naam\n  birth_date: geboortedatum\n  address: adres\n"
    )
    out = tmp_path / "entities.csv"
    rc = main(
        [
            "--left",
            str(combined),
            "--mapping",
            str(mapping),
            "--entity",
            "person",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    rows = _rows(out)
    assert rows[0] == ["record_id", "entity_id"]
    ids = [r[0] for r in rows[1:]]
    assert sorted(ids) == sorted(ln.split(",")[0] for ln in lines[1:])
    entity = dict((r[0], r[1]) for r in rows[1:])
    for original in ("H-01", "H-02", "H-03"):
        assert entity[original] == entity["X" + original]
    assert len(set(entity.values())) == 12


def test_company_link_via_cli(tmp_path):
    out = tmp_path / "out.csv"
    rc = main(
        [
            "--left",
            str(FIXTURES / "bedrijven_kvk.csv"),
            "--right",
            str(FIXTURES / "bedrijven_vergunningen.csv"),
            "--mapping",
            str(FIXTURES / "mapping_bedrijven.yaml"),
            "--entity",
            "company",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    links = {(r[0], r[1]) for r in _rows(out)[1:] if r[3] == "link"}
    assert links == {("01234567", "V1"), ("30123456", "V2"), ("30999888", "V3")}


@pytest.mark.parametrize(
    "mapping_text, message",
    [
        ("left:\n  id: anummer\n  surname: achternaam\n", "achternaam"),
        ("left:\n  id: anummer\n  nickname: voornamen\n", "unknown canonical field"),
        ("right:\n  id: nr\n", "no 'left:' section"),
        ("left: [1, 2\n", "not valid YAML"),
    ],
)
def test_bad_mapping_gives_clear_error_and_nonzero_exit(tmp_path, capsys, mapping_text, message):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(mapping_text)
    rc = main(
        [
            "--left",
            str(FIXTURES / "brp_personen.csv"),
            "--mapping",
            str(mapping),
            "--entity",
            "person",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert rc != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_missing_right_section_and_missing_file(tmp_path, capsys):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("left:\n  id: anummer\n  surname: geslachtsnaam\n")
    rc = main(
        [
            "--left",
            str(FIXTURES / "brp_personen.csv"),
            "--right",
            str(FIXTURES / "huurders.csv"),
            "--mapping",
            str(mapping),
            "--entity",
            "person",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert rc != 0 and "right:" in capsys.readouterr().err
    rc = main(
        [
            "--left",
            str(tmp_path / "nope.csv"),
            "--mapping",
            str(mapping),
            "--entity",
            "person",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert rc != 0 and "not found" in capsys.readouterr().err


def test_doorbraak_command_dispatches_link(tmp_path):
    out = tmp_path / "out.csv"
    exe = shutil.which("doorbraak")
    cmd = [exe] if exe else [sys.executable, "-m", "doorbraak.cli"]
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [
            *cmd,
            "link",
            "--left",
            str(FIXTURES / "bedrijven_kvk.csv"),
            "--right",
            str(FIXTURES / "bedrijven_vergunningen.csv"),
            "--mapping",
            str(FIXTURES / "mapping_bedrijven.yaml"),
            "--entity",
            "company",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert _rows(out)[0] == ["left_id", "right_id", "match_probability", "decision"]


def test_dedupe_keeps_entity_ids_with_previous_and_applies_judgements(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "left:\n  id: nr\n  full_name: naam\n  birth_date: geb_datum\n  address: adres\n"
    )
    first = tmp_path / "run1.csv"
    args = [
        "--left",
        str(FIXTURES / "huurders.csv"),
        "--mapping",
        str(mapping),
        "--entity",
        "person",
    ]
    assert main([*args, "--out", str(first)]) == 0
    judgements = tmp_path / "judgements.csv"
    judgements.write_text(
        "left_id,right_id,verdict,user,at\nH-01,H-11,same,analist,2026-01-05T09:00:00\n"
    )
    second = tmp_path / "run2.csv"
    assert (
        main(
            [*args, "--out", str(second), "--previous", str(first), "--judgements", str(judgements)]
        )
        == 0
    )
    before, after = dict(_rows(first)[1:]), dict(_rows(second)[1:])
    assert after["H-01"] == after["H-11"]
    assert after["H-01"] in (before["H-01"], before["H-11"])  # the merged entity keeps an old id
    assert all(after[r] == before[r] for r in before if r not in ("H-01", "H-11"))
