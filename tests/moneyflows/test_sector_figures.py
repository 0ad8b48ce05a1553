"""The bank pilot's sector figures: made by the pure analysis at the bank's side, loaded whole
into Doorbraak, shown to analysts only."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.moneyflows.models import SectorFigure, SectorFigureSet
from doorbraak.moneyflows.services import RejectedFile, load_sector_figures
from tests import factories as f
from tests.conftest import login


@pytest.fixture(scope="module")
def sectors_csv(tmp_path_factory):
    """Run the real pipeline on synthetic transactions: generate, detect, aggregate."""
    from doorbraak_analysis.moneyflows.cli import main as flows

    out = tmp_path_factory.mktemp("bank")
    from doorbraak_analysis.moneyflows.synth import generate

    paths = generate(40_000, seed=3, out_dir=out, name="tx")
    sectors = out / "sectors.csv"
    assert (
        flows(
            [
                "sectors",
                "--input",
                str(paths["transactions"]),
                "--accounts",
                str(paths["accounts"]),
                "--out",
                str(sectors),
            ]
        )
        == 0
    )
    return sectors


@pytest.fixture
def bank_source(world):
    return f.ActivityFactory(
        code="bron-bank-sectorinzichten",
        name="Sectorinzichten bankpilot",
        data_categories=["transactions"],
        controller=world.orgs["riec"],
    )


def test_load_is_whole_idempotent_and_audited(world, bank_source, sectors_csv):
    lines = sum(1 for _ in open(sectors_csv)) - 1
    figure_set, created = load_sector_figures(
        sectors_csv, source_code=bank_source.code, loaded_by="test"
    )
    assert created and figure_set.figures.count() == lines
    again, created = load_sector_figures(
        sectors_csv, source_code=bank_source.code, loaded_by="test"
    )
    assert not created and again.pk == figure_set.pk and SectorFigure.objects.count() == lines
    assert AuditEntry.objects.filter(object_type="sector_figure_set", action="create").count() == 1
    # Small counts never arrive unsuppressed.
    assert (
        not SectorFigure.objects.exclude(accounts="<5")
        .filter(accounts__in=[str(i) for i in range(5)])
        .exists()
    )


def test_a_file_with_an_unsuppressed_small_count_is_rejected_whole(
    world, bank_source, sectors_csv, tmp_path
):
    rows = list(csv.DictReader(open(sectors_csv)))
    rows[1]["accounts_in_patterns"] = "3"
    rows[2]["account_share"] = "veel"
    bad = tmp_path / "bad.csv"
    with open(bad, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RejectedFile) as exc:
        load_sector_figures(bad, source_code=bank_source.code, loaded_by="test")
    assert any(p.startswith("regel 3:") and "accounts_in_patterns" in p for p in exc.value.problems)
    assert any(p.startswith("regel 4:") and "account_share" in p for p in exc.value.problems)
    assert not SectorFigureSet.objects.exists() and not SectorFigure.objects.exists()
    with pytest.raises(CommandError, match="regel 3"):
        call_command("flows_load_sectors", "--file", str(bad), "--source", bank_source.code)


def test_unknown_source_is_refused(world, sectors_csv):
    with pytest.raises(RejectedFile, match="onbekende bron"):
        load_sector_figures(sectors_csv, source_code="bestaat-niet", loaded_by="test")


def test_analyst_sees_the_ranked_sector_view(client, world, bank_source, sectors_csv):
    load_sector_figures(sectors_csv, source_code=bank_source.code, loaded_by="test")
    login(client, world.users["analyst"])
    page = client.get(reverse("sector_view")).content.decode()
    assert "Kwetsbare sectoren" in page
    ranked = SectorFigure.objects.filter(rank=1, area="(alle wijken)").order_by("-period").first()
    assert ranked is not None and ranked.sbi in page
    for role in ("partner_professional", "policy_staff", "enforcement_officer"):
        client.logout()
        login(client, world.users[role])
        assert client.get(reverse("sector_view")).status_code == 403


def test_demo_bank_command_builds_analyses_and_loads(
    world, bank_source, demo_mode, settings, tmp_path
):
    from doorbraak.demo.models import DemoDatabase

    DemoDatabase.objects.create(seed=0)  # the demo bank data go only into a demo database
    settings.VAR_DIR = tmp_path
    call_command("demo_bank", "--transactions", "20000", "--seed", "5")
    header = (tmp_path / "demo-bank" / "transacties.csv").open().readline().strip()
    assert header == (
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
        "Amount Paid,Payment Currency,Payment Format,Is Laundering"
    )
    assert SectorFigureSet.objects.count() == 1 and SectorFigure.objects.exists()


def test_doorbraak_import_is_the_one_way_in_with_batch_report_and_dry_run(
    world, bank_source, sectors_csv, tmp_path
):
    """`doorbraak import` (the registers importer, source type bank_sectors by the source's
    default) stores the bank's file as a SectorFigureSet; flows_load_sectors goes the same way."""
    from doorbraak.registers.importers import import_file
    from doorbraak.registers.models import ImportBatch, RegisterEntry

    lines = sum(1 for _ in open(sectors_csv)) - 1
    trial = import_file(bank_source, sectors_csv, username="test", dry_run=True)
    assert trial.ok and trial.batch.pk is None and not SectorFigureSet.objects.exists()
    result = import_file(bank_source, sectors_csv, username="test")
    assert result.ok and result.batch.source_type == "bank_sectors"
    assert result.batch.row_count == lines
    assert result.batch.counts == {"sector_figure": {"created": lines}}
    figure_set = SectorFigureSet.objects.get()
    assert figure_set.figures.count() == lines and figure_set.loaded_by == "test"
    assert not RegisterEntry.objects.exists()  # not a second copy as register entries
    again = import_file(bank_source, sectors_csv, username="test")
    assert again.batch.status == "unchanged" and SectorFigureSet.objects.count() == 1
    assert load_sector_figures(sectors_csv, source_code=bank_source.code, loaded_by="x") == (
        figure_set,
        False,
    )

    rows = list(csv.DictReader(open(sectors_csv)))
    rows[0]["suppressed"] = "ja"
    bad = tmp_path / "bad.csv"
    with open(bad, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    refused = import_file(bank_source, bad, username="test")
    assert not refused.ok and "regel 2:" in refused.report() and "suppressed" in refused.report()
    assert ImportBatch.objects.filter(status="rejected").count() == 1
    assert SectorFigureSet.objects.count() == 1
    call_command("flows_load_sectors", "--file", str(sectors_csv), "--source", bank_source.code)
    assert ImportBatch.objects.filter(status="accepted").count() == 1


def test_the_stored_figures_come_back_in_the_risk_rules_shape(world, bank_source, sectors_csv):
    from doorbraak.moneyflows.selectors import BANK_SECTOR_FIELDS, bank_sector_rows
    from doorbraak_analysis.registers.mapping import load_mapping

    assert bank_sector_rows() == []
    figure_set, _ = load_sector_figures(sectors_csv, source_code=bank_source.code, loaded_by="t")
    rows = bank_sector_rows()
    assert rows and set(BANK_SECTOR_FIELDS) == set(load_mapping("bank_sectors").fields)
    assert all(set(r) == set(BANK_SECTOR_FIELDS) for r in rows)
    unsuppressed = figure_set.figures.filter(suppressed=False).exclude(accounts="<5")
    unsuppressed = unsuppressed.exclude(accounts_in_patterns="<5")
    assert len(rows) == unsuppressed.count()
    city = [r for r in rows if r["area"] == ""]
    assert city and all(r["accounts"] >= r["flagged"] >= 5 for r in rows)
