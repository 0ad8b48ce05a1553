"""Subject-access export (AVG art. 15)."""

from __future__ import annotations

import io
import json
import zipfile

from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs.models import Job
from tests.conftest import login


def test_export_holds_everything_on_the_person_with_sources_and_legal_bases(client, world):
    person = world.persons["subject_a"]
    login(client, world.users["partner_professional"])
    client.get(reverse("case_detail", kwargs={"pk": world.cases["a"].pk}))  # a recipient to report
    client.logout()

    login(client, world.users["privacy_officer"])
    found = client.get(reverse("subject_access"), {"q": "Testpersoon"}).content.decode()
    assert "Mo Testpersoon" in found
    confirm = client.get(reverse("subject_access_export", kwargs={"pk": person.pk}))
    assert confirm.status_code == 200 and not AuditEntry.objects.filter(action="export").exists()
    # The export is a background job (run at once here); its page offers the archive.
    started = client.post(reverse("subject_access_export", kwargs={"pk": person.pk}))
    job = Job.objects.get(kind="subject_access_export")
    assert (
        started["Location"] == reverse("job_detail", kwargs={"pk": job.pk}) and job.status == "done"
    )
    assert (
        reverse("job_result", kwargs={"pk": job.pk})
        in client.get(started["Location"]).content.decode()
    )
    response = client.get(reverse("job_result", kwargs={"pk": job.pk}))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["inzage.json", "inzage.pdf"]
    data = json.loads(archive.read("inzage.json"))
    assert data["betrokkene"]["achternaam"] == "Testpersoon"
    assert data["betrokkene"]["bron"]["grondslag"]
    [case] = data["casussen"]
    assert case["zaaknummer"] == "DB-A"
    assert case["verwerking"]["grondslag"].startswith("AVG")
    assert {g["onderwerp"] for g in case["gegevens"]} == {
        "Aanhouding winkeldiefstal",
        "Verzuim gemeld bij leerplicht",
    }
    assert any(
        a["organisatie"] == "Politie Midden-Nederland" for a in data["inzage_door"]
    )  # the name, not the code
    assert archive.read("inzage.pdf").startswith(b"%PDF")
    export = AuditEntry.objects.get(action="export", object_type="person")
    assert export.object_id == str(person.pk) and export.purpose == "inzageverzoek"
    download = AuditEntry.objects.get(action="export", object_type="job")
    assert download.object_id == str(job.pk) and download.username == "privacy"
    # Only the privacy officer who asked downloads it.
    client.logout()
    login(client, world.users["administrator"])
    assert client.get(reverse("job_result", kwargs={"pk": job.pk})).status_code == 403


def test_other_roles_cannot_export(client, world):
    for role in ("case_director", "analyst", "administrator"):
        login(client, world.users[role])
        response = client.post(
            reverse("subject_access_export", kwargs={"pk": world.persons["subject_a"].pk})
        )
        assert response.status_code == 403
        client.logout()
    assert not AuditEntry.objects.filter(action="export").exists() and not Job.objects.exists()
