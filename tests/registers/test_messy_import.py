"""Register extracts as they really come, through `doorbraak import` and the upload page:
Windows-1252 and Latin-1 read correctly; undecodable bytes and binary content refused with the
file and the line, and a rejected batch on record (never a 500); an import that never finished
recorded as failed, with who started it and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from doorbraak.audit.models import AuditEntry
from doorbraak.jobs.models import Job
from doorbraak.registers import importers
from doorbraak.registers.models import BatchStatus, ImportBatch, Premises
from tests.conftest import login
from tests.registers.test_streaming import BAG_HEADER, bag_row


def _bag(street: str) -> str:
    row = bag_row(1).replace("Teststraat", street)
    return f"{BAG_HEADER}\n{row}\n{bag_row(2)}\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8", "utf-8-sig"])
def test_command_reads_every_encoding_municipal_systems_write(sources, tmp_path, encoding):
    path = tmp_path / f"bag-{encoding}.csv"
    path.write_bytes(_bag("Fräuleinstraße é").encode(encoding))
    call_command(
        "import", "--source", "bron-bag", "--file", str(path), "--received-on", "2026-11-30"
    )
    assert Premises.objects.filter(street="Fräuleinstraße é").count() == 1


def test_windows_1252_only_characters_are_read(sources, tmp_path):
    """€, „ and ’ exist in Windows-1252 (0x80, 0x84, 0x92), not in Latin-1."""
    path = tmp_path / "bag.csv"
    path.write_bytes(_bag("’t Hoogt „€“").encode("cp1252"))
    result = importers.import_file(sources["bag"], path, username="test")
    assert result.ok, result.report()
    assert Premises.objects.filter(street="’t Hoogt „€“").exists()


def _rejection(result) -> str:
    assert not result.ok and result.batch.pk is not None
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.status == BatchStatus.REJECTED
    return " ".join(r.reason for r in batch.rejections.all())


def test_undecodable_bytes_name_the_file_and_line(sources, tmp_path):
    path = tmp_path / "kapot.csv"
    path.write_bytes((BAG_HEADER + "\n" + bag_row(1) + "\n").encode() + b"Zo\x81e;\x8d\n")
    reason = _rejection(importers.import_file(sources["bag"], path, file_name="bag-nov.csv"))
    assert "bag-nov.csv, regel 3" in reason and "0x81" in reason


def test_mixed_encodings_are_refused_with_the_line(sources, tmp_path):
    path = tmp_path / "gemengd.csv"
    path.write_bytes(
        (BAG_HEADER + "\n" + bag_row(1).replace("Teststraat", "Zoë") + "\n").encode()
        + bag_row(2).replace("Teststraat", "Zoë").encode("cp1252")
        + b"\n"
    )
    reason = _rejection(importers.import_file(sources["bag"], path))
    assert "gemengd.csv, regel 3" in reason and "gemengde tekensets" in reason


def test_binary_content_is_refused_saying_so(sources, tmp_path):
    path = tmp_path / "bag.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64)  # a zip (xlsx) renamed to .csv
    reason = _rejection(importers.import_file(sources["bag"], path))
    assert "regel 1" in reason and "binaire inhoud" in reason
    assert Premises.objects.count() == 0


def _upload(client, name: str, content: bytes):
    return client.post(
        reverse("import_list"),
        {
            "source": "bron-bag",
            "received_on": "2026-11-30",
            "source_type": "",
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def test_upload_of_undecodable_bytes_is_a_clear_rejection_not_a_500(client, world, sources):
    login(client, world.users["analyst"])
    content = (BAG_HEADER + "\n" + bag_row(1) + "\n" + bag_row(2) + "\n").encode() + b"\x90\x9d\n"
    response = _upload(client, "bag-oktober.csv", content)
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == "failed"
    batch = ImportBatch.objects.get(status=BatchStatus.REJECTED)
    assert batch.file_name == "bag-oktober.csv" and batch.imported_by == "analist"
    page = client.get(reverse("import_detail", args=[batch.pk]))
    assert page.status_code == 200
    assert "bag-oktober.csv, regel 4" in page.content.decode()


def test_upload_in_latin_1_is_read(client, world, sources):
    login(client, world.users["analyst"])
    response = _upload(client, "bag.csv", _bag("Rue de l'Église").encode("latin-1"))
    assert response.status_code == 302
    assert ImportBatch.objects.get().status == BatchStatus.ACCEPTED
    assert Premises.objects.filter(street="Rue de l'Église").exists()


# --- an import that never finished -----------------------------------------------------------


def test_an_import_left_running_is_recorded_failed_by_the_next(sources, tmp_path):
    """As a killed process leaves it (see test_streaming's kill test for the real thing)."""
    stale = ImportBatch.objects.create(
        source=sources["bag"],
        source_type="bag",
        file_name="bag-groot.csv",
        file_format="csv",
        file_hash="0" * 64,
        received_on=timezone.localdate(),
        imported_by="cli:jansen",
        status=BatchStatus.RUNNING,
    )
    ImportBatch.objects.filter(pk=stale.pk).update(started_at=timezone.now() - timedelta(hours=3))
    path = tmp_path / "bag.csv"
    path.write_text(_bag("Nieuwstraat"))
    result = importers.import_file(sources["bag"], path, username="cli:pietersen")
    assert result.ok
    stale.refresh_from_db()
    assert stale.status == BatchStatus.FAILED and stale.finished_at is not None
    assert "nooit afgerond" in stale.note and "cli:jansen" in stale.note
    assert f"{timezone.localtime(stale.started_at):%d-%m-%Y %H:%M}" in stale.note
    entry = AuditEntry.objects.get(object_type="import_batch", object_id=str(stale.pk))
    assert entry.detail["status"] == "failed" and entry.detail["imported_by"] == "cli:jansen"
    # the import itself leaves its own record only, no marker behind
    assert not ImportBatch.objects.filter(status=BatchStatus.RUNNING).exists()


def test_an_import_that_crashes_is_recorded_failed(sources, tmp_path, monkeypatch):
    path = tmp_path / "bag.csv"
    path.write_text(_bag("Crashstraat"))

    def boom(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(importers.Validator, "validate", boom)
    monkeypatch.setattr(importers.Validator, "validate_columns", boom)  # the column-wise path
    with pytest.raises(MemoryError):
        importers.import_file(sources["bag"], path, username="cli:jansen")
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "MemoryError" in batch.note
    assert "cli:jansen" in batch.note
