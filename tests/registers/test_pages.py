"""Source registry and import pages: analysts and administrators only; an upload queues a
background job (the same all-or-nothing service) and the page redirects to the job's status;
reading a rejection report is audited. Jobs run at once here (the immediate task backend)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs.models import Job
from doorbraak.registers.models import ImportBatch, Premises, SourceFeed
from tests.conftest import login
from tests.registers.conftest import FIXTURES


def _upload(client, name, source="bron-bag", **extra):
    data = {
        "source": source,
        "received_on": "2026-10-01",
        "source_type": "",
        "file": SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv"),
        **extra,
    }
    return client.post(reverse("import_list"), data)


def test_analyst_uploads_a_good_file(client, world, sources):
    login(client, world.users["analyst"])
    before = Premises.objects.count()
    response = _upload(client, "bag_v1.csv")
    batch = ImportBatch.objects.get()
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", kwargs={"pk": job.pk}
    )
    assert (
        job.kind == "register_import"
        and job.user == world.users["analyst"]
        and job.status == "done"
    )
    assert job.result_url == reverse("import_detail", kwargs={"pk": batch.pk})
    assert (
        batch.status == "accepted"
        and batch.imported_by == "analist"
        and batch.file_name == "bag_v1.csv"
    )
    assert Premises.objects.count() == before + 4
    entry = AuditEntry.objects.filter(object_type="import_batch").get()
    assert entry.username == "analist" and entry.organisation == "riec"
    status_page = client.get(response["Location"]).content.decode()
    assert "Klaar" in status_page and job.result_url in status_page
    page = client.get(job.result_url).content.decode()
    assert "premises" in page and "created: 4" in page
    assert not list((settings.JOBS_FILES_DIR / "uploads").glob("*")), (
        "the stored upload is removed after the import"
    )


def test_bad_upload_is_rejected_and_the_report_shown_and_audited(client, world, sources):
    login(client, world.users["administrator"])
    before = Premises.objects.count()
    response = _upload(client, "bag_bad.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and Premises.objects.count() == before
    job = Job.objects.get()
    assert job.status == "failed" and "afgewezen" in job.error
    status_page = client.get(response["Location"]).content.decode()
    assert "Mislukt" in status_page and "3551 SA" in status_page  # the owner sees the problems
    page = client.get(job.result_url).content.decode()
    assert "3551 SA" in page and "Afgewezen" in page
    read = AuditEntry.objects.filter(action="read", object_type="import_batch").get()
    assert read.object_id == str(batch.pk) and read.username == "beheer"


def test_dry_run_upload_stores_nothing(client, world, sources):
    login(client, world.users["analyst"])
    before = Premises.objects.count()
    response = _upload(client, "bag_v1.csv", dry_run="on")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", kwargs={"pk": job.pk}
    )
    assert ImportBatch.objects.count() == 0 and Premises.objects.count() == before
    page = client.get(response["Location"]).content.decode()
    assert "Controle geslaagd" in page


def test_source_list_shows_last_imports_and_what_is_missing(client, world, sources):
    from doorbraak.privacy.models import ActivityKind
    from tests import factories as f

    SourceFeed.objects.create(activity=sources["brp"], source_type="brp_occupancy", refresh_days=30)
    f.ActivityFactory(code="bron-nieuw", name="Nieuwe bron", kind=ActivityKind.SOURCE)
    login(client, world.users["analyst"])
    _upload(client, "bag_v1.csv")
    page = client.get(reverse("source_list")).content.decode()
    assert "bron-bag" in page and "BAG: verblijfsobjecten" in page and "nog nooit ingelezen" in page
    assert "geen brontype" in page  # bron-nieuw has no importer yet


def test_denied_roles_are_audited(client, world, sources):
    before_premises = Premises.objects.count()
    for role in ("enforcement_officer", "privacy_officer", "lawyer", "case_director"):
        login(client, world.users[role])
        before = AuditEntry.objects.filter(action="deny").count()
        response = _upload(client, "bag_v1.csv")
        assert response.status_code == 403
        assert AuditEntry.objects.filter(action="deny").count() == before + 1
        client.logout()
    assert ImportBatch.objects.count() == 0 and Premises.objects.count() == before_premises
