"""`doorbraak import`: exit code and report on bad input, idempotent, progress only when asked."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from doorbraak.registers.models import ImportBatch, Premises
from tests.registers.conftest import FIXTURES


def _import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_good_then_same_file(sources):
    out, _ = _import(
        "--source",
        "bron-bag",
        "--file",
        str(FIXTURES / "bag_v1.csv"),
        "--received-on",
        "2026-10-01",
    )
    assert "ingelezen" in out and "created 4" in out
    out, _ = _import(
        "--source", "bron-bag", "--file", str(FIXTURES / "bag_v1.csv"), "--format", "csv"
    )
    assert "ongewijzigd" in out
    assert Premises.objects.count() == 4
    assert ImportBatch.objects.first().imported_by.startswith("cli:")


def test_import_command_rejects_bad_file_with_report_and_exit_code(sources):
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import", "--source", "bron-bag", "--file", str(FIXTURES / "bag_bad.csv"), stderr=err
        )
    assert exc.value.returncode == 2
    report = err.getvalue()
    assert "afgewezen" in report and "rij 3 (regel 4): postcode = '3551 SA'" in report
    assert Premises.objects.count() == 0


def test_import_command_progress_flag(sources, capsys):
    _import("--source", "bron-bag", "--file", str(FIXTURES / "bag_v1.csv"), "--progress")
    assert "controleren" in capsys.readouterr().err  # tqdm writes to stderr
    assert Premises.objects.count() == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "bestaat-niet", "--file", "x.csv"], "unknown source"),
        (["--source", "bron-bag", "--file", "/nonexistent.csv"], "No such file"),
        (["--source", "bron-bag", "--file", "x.csv", "--received-on", "1-10-2026"], "YYYY-MM-DD"),
    ],
)
def test_import_command_bad_arguments(sources, args, message):
    with pytest.raises(CommandError, match=message):
        _import(*args)
