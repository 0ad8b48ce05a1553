"""A risk run: snapshot of the registers, evaluation by doorbraak_analysis.risk, stored results
with the source records behind each indicator; reproducible exactly; retention of snapshots."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs.models import Job, JobStatus
from doorbraak.registers.models import Officer
from doorbraak.risk import actions, selectors, services
from doorbraak.risk.models import RiskRun, RuleSet, RuleSetStatus, RunStatus

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _scores(run, object_type):
    return {
        r.object_id: (r.score, sorted(r.indicator_ids))
        for r in selectors.results(run, object_type=object_type)
    }


def test_run_stores_the_hand_made_picture(run, register):
    assert run.status == RunStatus.DONE, run.error
    premises = _scores(run, "premises")
    assert premises == {
        register["hub"].bag_id: (
            3.5,
            ["many_businesses_at_address", "officer_churn", "vulnerable_sector"],
        ),
        register["closed"].bag_id: (3.0, ["earlier_closure", "occupancy_mismatch"]),
        register["cafe_premises"].bag_id: (
            2.5,
            ["permit_missing_or_expired", "vulnerable_sector"],
        ),
    }
    companies = _scores(run, "company")
    assert companies[register["cafe"].kvk_number] == (
        2.5,
        ["permit_missing_or_expired", "vulnerable_sector"],
    )
    assert companies[register["car"].kvk_number] == (2.0, ["officer_churn", "vulnerable_sector"])
    assert sorted(s for s, _ in companies.values()).count(1.0) == 4  # the four holdings
    assert register["quiet"].bag_id not in premises  # nothing fires at the office
    assert run.counts["premises"] == 3 and run.counts["company"] == 6
    assert set(run.not_evaluated) == {"dor_irregularity", "bank_sector_vulnerability"}


def test_each_indicator_keeps_value_weight_and_source_records(run, register):
    hub = selectors.result_for(run, "premises", register["hub"].bag_id)
    items = {i["id"]: i for i in hub.indicators}
    assert items["many_businesses_at_address"]["value"] == 5.0
    assert items["many_businesses_at_address"]["weight"] == 1.5
    assert {s["record"] for s in items["many_businesses_at_address"]["sources"]} == {
        c.kvk_number for c in register["shells"]
    }
    # a company indicator at the premises, through the company it fired on
    assert items["officer_churn"]["via"] == [register["car"].kvk_number]
    assert items["officer_churn"]["value"] == 3.0
    closed = selectors.result_for(run, "premises", register["closed"].bag_id)
    closure = next(i for i in closed.indicators if i["id"] == "earlier_closure")
    assert closure["sources"] == [{"source": "closures", "record": "13B-2024-007", "row": 1}]
    occupancy = next(i for i in closed.indicators if i["id"] == "occupancy_mismatch")
    assert occupancy["value"] == 2.0
    assert [s["record"] for s in occupancy["sources"]].count("inschrijving") == 2


def test_snapshot_is_hashed_and_holds_no_names(run, register):
    import pyarrow.parquet as pq

    directory = services.snapshot_dir(run)
    assert set(run.snapshot) == {
        "bag_premises",
        "kvk_companies",
        "kvk_officers",
        "brp_occupancy",
        "closures",
        "permits",
    }
    for info in run.snapshot.values():
        assert services.file_sha256(directory / info["file"]) == info["sha256"]
    officers = pq.read_table(directory / "kvk_officers.parquet").to_pydict()
    persons = {o.person.surname for o in register["car"].officers.all()}
    assert not persons & set(officers["geslachtsnaam"])
    assert set(officers["voornamen"]) == {o.person.pseudonym for o in Officer.objects.all()}
    residents = pq.read_table(directory / "brp_occupancy.parquet").to_pydict()
    assert set(residents["geslachtsnaam"]) == {services.PSEUDONYM_SURNAME}


def test_reproducing_a_run_gives_identical_results(run, register):
    # the registers change after the run: the stored snapshot still gives the same picture
    register["hub"].companies.first().delete()
    same, digest = actions.reproduce(run)
    assert same and digest == run.results_sha256
    call_command("risk_run", "--reproduce", str(run.pk))


def test_a_changed_snapshot_is_refused(run):
    path = services.snapshot_dir(run) / run.snapshot["closures"]["file"]
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(services.SnapshotError, match="gewijzigd"):
        actions.reproduce(run)
    with pytest.raises(CommandError):
        call_command("risk_run", "--reproduce", str(run.pk))


def test_run_is_a_recorded_background_job_and_audited(run):
    job = Job.objects.get(pk=run.job_id)
    assert job.kind == "risk_run" and job.status == JobStatus.DONE
    assert job.params == {"run": run.pk}
    assert "panden" in job.summary
    entries = AuditEntry.objects.filter(object_type="risk_run", object_id=str(run.pk))
    assert {e.action for e in entries} >= {"create", "update"}


def test_the_shipped_rule_set_is_adopted_once(run):
    live = RuleSet.objects.get(status=RuleSetStatus.ADOPTED)
    assert run.rule_set == live and run.rules_sha256 == live.sha256
    assert live.created_by == actions.SHIPPED
    actions.start_run(requested_by="test", as_of=AS_OF)
    assert RuleSet.objects.count() == 1


def test_changes_since_the_previous_run(run, register):
    from tests import factories as f

    # a sixth company at the hub and a new closure elsewhere: scores change
    f.CompanyFactory(kvk_number="91000020", sbi_code="45111", establishment=register["quiet"])
    register["cafe"].deregistered_on = date(2026, 11, 1)
    register["cafe"].save()
    second = actions.start_run(requested_by="test", as_of=AS_OF)
    assert selectors.previous_run(second) == run
    assert selectors.latest_run() == second
    ch = selectors.changes(second)
    new = {(r.object_type, r.object_id) for r in ch["new"]}
    gone = {(r.object_type, r.object_id) for r in ch["gone"]}
    assert ("premises", register["quiet"].bag_id) in new
    assert ("company", "91000020") in new
    assert ("company", register["cafe"].kvk_number) in gone
    assert ("premises", register["cafe_premises"].bag_id) in gone


def test_a_failed_run_keeps_its_reason_and_no_half_snapshot(register, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(services, "evaluate_dir", broken)
    with pytest.raises(RuntimeError):
        actions.start_run(requested_by="test", as_of=AS_OF, now=True)
    run = RiskRun.objects.get()
    assert run.status == RunStatus.FAILED and "kapot" in run.error
    assert run.snapshot_path == "" and not run.results.exists()
    assert not list((services.snapshot_root()).glob("run-*"))


def test_management_command_runs_now(register, capsys):
    call_command("risk_run", "--as-of", AS_OF.isoformat())
    run = selectors.latest_run()
    assert run.status == RunStatus.DONE and run.as_of == AS_OF
    assert "3 van" in capsys.readouterr().out


def test_retention_removes_old_snapshots_and_keeps_results(run, settings):
    from doorbraak.privacy.retention import run_retention

    settings.RISK_SNAPSHOT_RETENTION_DAYS = 30
    directory = services.snapshot_dir(run)
    run_retention(timezone.localdate())
    assert directory.exists()  # not yet expired
    RiskRun.objects.filter(pk=run.pk).update(created_at=run.created_at - timedelta(days=31))
    summary = run_retention(timezone.localdate())
    assert summary["counts"]["risk_snapshot:delete"] == 1
    run.refresh_from_db()
    assert run.snapshot_removed_at is not None and not directory.exists()
    assert run.results.count() == 9
    with pytest.raises(services.SnapshotError, match="bewaartermijn"):
        actions.reproduce(run)
