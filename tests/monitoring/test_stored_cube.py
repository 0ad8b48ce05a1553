"""The protected cube is computed in advance and stored: every reader (dashboard, CSV, PDF,
API, `doorbraak monitoring report`) takes the stored one; only when none fits (none at all, an
earlier quarter's, other figure definitions) is it computed on the spot. The job that makes it
runs daily, on request of policy staff and after a prevention registration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs import actions as jobs
from doorbraak.jobs.models import Job
from doorbraak.monitoring import figures as F
from doorbraak.monitoring.models import PreventionActivity, PreventionKind, StoredCube
from tests.conftest import login


@pytest.fixture
def reach(world):
    """Prevention reach with small and large counts, in this quarter and the one before."""
    today = timezone.localdate()
    q = F.quarter_start(today)
    prev = F.quarter_start(q - timedelta(days=1))
    rows = [
        ("overvecht", "nieuw_overvecht", q, PreventionKind.KAPOT_STERK, 60),
        ("overvecht", "", q, PreventionKind.KAPOT_STERK, 3),
        ("zuid", "", q, PreventionKind.YOUTH_WORK, 22),
        ("noordwest", "amsterdamsestraatweg", prev, PreventionKind.BUURTTEAM, 2),
        ("west", "", prev, PreventionKind.KAPOT_STERK, 41),
    ]
    for wijk, area, start, kind, n in rows:
        PreventionActivity.objects.create(
            kind=kind,
            location=f"School {wijk}",
            wijk=wijk,
            area=area,
            period_start=start,
            period_end=start + timedelta(days=20),
            sessions=2,
            participants=n,
        )
    return world


def _no_computing(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("computed although a stored cube fits")

    monkeypatch.setattr(F, "compute_cube", refuse)


def _same(a: F.Cube, b: F.Cube) -> None:
    assert a.quarters == b.quarters
    assert a.protected.keys() == b.protected.keys()
    for key in a.protected:
        assert a.protected[key].values == b.protected[key].values, key
        assert a.protected[key].status == b.protected[key].status, key


def test_absent_cube_is_computed_once_then_read(reach, monkeypatch):
    assert not StoredCube.objects.exists()
    first = F.current_cube()
    stored = StoredCube.objects.get()
    assert first.stored_id == stored.pk and stored.made_by == "synchroon bij opvragen"
    assert stored.sources["counts_sha256"] and stored.sources["quarters"]
    _no_computing(monkeypatch)
    again = F.current_cube()
    assert again.stored_id == stored.pk and again.made_at == stored.made_at
    _same(first, again)


def test_the_stored_cube_equals_a_fresh_computation(reach):
    made = F.refresh_cube(made_by="test")
    read = F.stored_cube()
    F._CACHE.clear()  # no protection reused from this process
    fresh = F.compute_cube()
    _same(read, fresh)
    _same(made, read)
    # and there is something protected in it (the 3 and the 2 above)
    statuses = {s for p in read.protected.values() for s in p.status.values()}
    assert {"ok", "small", "hidden"} <= statuses


def test_a_cube_of_an_earlier_quarter_is_stale(reach):
    today = timezone.localdate()
    old = F.refresh_cube(F.quarter_start(today) - timedelta(days=1), made_by="vorig kwartaal")
    assert F.stored_cube(today) is None, "another quarter grid: not used"
    now = F.current_cube(today)
    assert now.stored_id != old.stored_id and now.quarters == F.history(today)


def test_a_cube_for_other_figure_definitions_is_stale(reach, monkeypatch):
    F.refresh_cube(made_by="test")
    assert F.stored_cube() is not None
    monkeypatch.setattr(F, "signature", lambda: "0" * 64)
    assert F.stored_cube() is None


def test_only_the_last_few_cubes_are_kept(reach):
    for _i in range(5):
        F.refresh_cube(made_by="test")
    assert StoredCube.objects.count() == 3


def test_the_job_computes_and_stores_the_cube(reach):
    job = jobs.start_job("monitoring_cube", requested_by="systeem:planner", params={})
    job.refresh_from_db()
    assert job.status == "done", job.error
    stored = StoredCube.objects.get()
    assert job.result["stored_cube"] == stored.pk
    assert job.result["current"] is True
    assert stored.made_by == f"taak {job.pk}" and stored.seconds is not None
    assert "Monitoringcijfers berekend" in job.summary


def test_a_failing_job_leaves_the_last_cube_in_use(reach, monkeypatch):
    good = F.refresh_cube(made_by="test")

    def broken(*a, **k):
        raise RuntimeError("kapot")

    monkeypatch.setattr(F, "compute_cube", broken)
    job = jobs.start_job("monitoring_cube", requested_by="systeem:planner", params={})
    job.refresh_from_db()
    assert job.status == "failed"
    assert F.current_cube().stored_id == good.stored_id


def test_the_monitoring_job_is_a_daily_one():
    from doorbraak.jobs import registry

    assert "monitoring_cube" in {k.name for k in registry.daily_kinds()}


def test_every_reader_takes_the_stored_cube(reach, client, monkeypatch, tmp_path):
    from django.core.management import call_command

    cube = F.refresh_cube(made_by="test")
    _no_computing(monkeypatch)
    login(client, reach.users["policy_staff"])
    page = client.get(reverse("monitoring"))
    assert page.status_code == 200
    at = f"{timezone.localtime(cube.made_at):%Y-%m-%d %H:%M}"
    assert at in page.content.decode()
    assert client.get(reverse("monitoring_export")).status_code == 200
    assert (
        client.get(reverse("monitoring_report_csv", args=["prevention_reach"])).status_code == 200
    )
    api = client.get(reverse("api_monitoring"))
    assert api.status_code == 200
    from datetime import datetime

    assert datetime.fromisoformat(api.json()["made_at"]) == cube.made_at
    today = timezone.localdate()
    q = F.quarter_start(today)
    call_command(
        "monitoring", "report", "--from", q.isoformat(), "--to", today.isoformat(),
        "--out", str(tmp_path),
    )  # fmt: skip
    assert (tmp_path / "prevention_reach.csv").exists()
    text = (tmp_path / "report.pdf").read_bytes()
    assert text.startswith(b"%PDF")


def test_the_report_says_when_and_from_what_the_figures_were_made(reach):
    from doorbraak.monitoring import report as R

    cube = F.refresh_cube(made_by="test")
    rep = R.build()
    made = next(s for s in rep.sources if s["name"] == "Berekening van de cijfers")
    assert f"{timezone.localtime(cube.made_at):%Y-%m-%d %H:%M}" in made["detail"]
    assert "test" in made["detail"] and cube.sources["counts_sha256"][:12] in made["detail"]
    prevention = next(s for s in rep.sources if s["name"] == str(F.PREVENTION_SOURCE))
    assert "128 geteld" in prevention["detail"]  # 60 + 3 + 22 + 2 + 41 participants


def test_policy_staff_ask_for_a_new_computation(reach, client):
    user = reach.users["policy_staff"]
    login(client, user)
    response = client.post(reverse("monitoring_refresh"))
    assert response.status_code == 302
    job = Job.objects.get(kind="monitoring_cube")
    assert job.user == user and job.status == "done"
    assert AuditEntry.objects.filter(
        username=user.username, object_type="job", object_id=str(job.pk)
    ).exists()
    assert client.get(reverse("monitoring_refresh")).status_code == 405


@pytest.mark.parametrize("role", ["programme_owner", "area_manager", "case_director"])
def test_others_may_not_ask_for_it(reach, client, role):
    login(client, reach.users[role])
    assert client.post(reverse("monitoring_refresh")).status_code == 403
    assert not Job.objects.filter(kind="monitoring_cube").exists()


def test_a_prevention_registration_queues_the_cube(reach, django_capture_on_commit_callbacks):
    from doorbraak.monitoring import actions

    owner = reach.users["programme_owner"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_register_prevention(
            owner,
            kind=PreventionKind.KAPOT_STERK,
            location="Basisschool De Wissel",
            wijk="overvecht",
            area="nieuw_overvecht",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            sessions=4,
            participants=90,
        )
    job = Job.objects.get(kind="monitoring_cube")
    assert job.requested_by == "na registratie preventiebereik"
