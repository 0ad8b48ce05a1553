"""The command-line contract: `doorbraak monitoring report --from --to [--area] --out DIR`
writes report.pdf and one CSV per table; each CSV has the row label first, the figure columns,
a last row and column `Totaal` where totals are published, and `<5` / `x` for hidden cells."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from doorbraak.audit.models import AuditEntry
from tests import factories as f


@pytest.fixture
def cases(db, areas):
    """Q1 2026: 3 in the business park Nieuw Overvecht, 6 West, 7 Oost, 8 Zuid (24); Q2: 6 West,
    5 Oost, 5 Zuid (16). All individual cases."""
    plan = {
        ("overvecht", "nieuw_overvecht"): (3, 0),
        ("west", ""): (6, 6),
        ("oost", ""): (7, 5),
        ("zuid", ""): (8, 5),
    }
    for (wijk, area), (q1, q2) in plan.items():
        for i in range(q1 + q2):
            home = f.PremisesFactory(wijk=wijk, area=area)
            opened = date(2026, 1 + i % 3, 3) if i < q1 else date(2026, 4 + i % 3, 3)
            f.CaseFactory(subject=f.PersonFactory(residence=home), opened_on=opened)


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_report_writes_the_pdf_and_one_csv_per_table(cases, tmp_path):
    call_command(
        "monitoring", "report", "--from", "2026-01-01", "--to", "2026-06-30", "--out", str(tmp_path)
    )
    assert (tmp_path / "report.pdf").read_bytes()[:4] == b"%PDF"
    inclusions = _read(tmp_path / "inclusions.csv")
    assert inclusions[0] == ["Kwartaal", "Individuele casus", "Gezinscasus", "Totaal"]
    assert [r[0] for r in inclusions[1:]] == ["2026-K1", "2026-K2", "Totaal"]
    # the city: 24 in Q1 and 16 in Q2, shown as they are
    assert inclusions[1][1] == "24" and inclusions[2][1] == "16" and inclusions[3][1] == "40"
    assert inclusions[1][-1] == "24" and inclusions[3][-1] == "40"
    assert inclusions[1][2] == "0"
    # stock figure: no Totaal row over quarters
    in_approach = _read(tmp_path / "in_approach.csv")
    assert in_approach[-1][0] == "2026-K2" and in_approach[0][-1] == "Totaal"
    for name in ("exits", "reviews", "enrolments", "zrm_change", "prevention_reach"):
        assert (tmp_path / f"{name}.csv").exists()
    assert AuditEntry.objects.filter(action="export", object_id="report (command line)").exists()


def test_area_takes_the_application_codes_and_hides_small_counts(cases, tmp_path):
    call_command(
        "monitoring",
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--area",
        "nieuw_overvecht",
        "--out",
        str(tmp_path),
    )
    rows = _read(tmp_path / "inclusions.csv")
    # the three cases in the business park in Q1 -> "<5"
    assert rows[1][1] == "<5"
    assert all(cell in ("<5", "x", "0") or int(cell) >= 5 for r in rows[1:] for cell in r[1:])
    with pytest.raises(CommandError):
        call_command(
            "monitoring",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--area",
            "atlantis",
            "--out",
            str(tmp_path),
        )
