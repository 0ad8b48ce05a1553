"""Bulk writing (ADR 0008): a batch's new rows are written by ``BatchWriter`` (on PostgreSQL in a
thread of its own, while the next batch is read) inside the import's one transaction; a write
that fails there rejects the whole import; the premises an import resolves are locked until it
commits, and Django still refuses to delete a source or premises that records point at."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections
from django.db.models import ProtectedError

from doorbraak.registers import importers
from doorbraak.registers.models import Company, ImportBatch, Premises, RecordVersion
from tests.registers.test_columns import KVK_HEADER


def _kvk_file(tmp_path, n: int):
    bag = list(Premises.objects.values_list("bag_id", flat=True))
    rows = [
        f"{20_000_000 + i},Bedrijf {i},,Stichting,4711,Winkel,2001-01-01,{bag[i % len(bag)]},,,,"
        for i in range(n)
    ]
    path = tmp_path / "kvk_bulk.csv"
    path.write_text("\n".join([KVK_HEADER, *rows]) + "\n")
    return path


@pytest.mark.django_db(transaction=True)  # the import's own transaction the outermost: the
# reader connection on PostgreSQL (inside a caller's transaction the import does without)
def test_every_batch_is_written_with_its_versions_in_file_order(
    run, sources, tmp_path, monkeypatch
):
    asked = []
    present = importers.BatchWriter.present
    monkeypatch.setattr(
        importers.BatchWriter,
        "present",
        lambda self, *args: asked.append(len(args[-1])) or present(self, *args),
    )
    assert run("bag", "bag_v1.csv").ok
    result = run("kvk", _kvk_file(tmp_path, 230), batch_size=50)
    assert result.ok, result.report()
    if connection.vendor == "postgresql":  # which keys exist: asked over the reader, per batch
        assert asked == [4, 50, 50, 50, 50, 30]  # the BAG file, then the five batches
    assert result.batch.counts == {"company": {"created": 230}}
    rows = list(Company.objects.order_by("source_row").values_list("source_row", "kvk_number"))
    assert rows == [(i + 1, str(20_000_000 + i)) for i in range(230)]
    versions = dict(
        RecordVersion.objects.filter(batch=result.batch, model="company").values_list(
            "object_id", "key"
        )
    )
    assert versions == dict(Company.objects.values_list("pk", "kvk_number"))


def test_a_write_that_fails_in_the_writer_rejects_the_whole_import(
    run, sources, tmp_path, monkeypatch
):
    assert run("bag", "bag_v1.csv").ok
    calls = {"n": 0}
    write = importers.BatchWriter.write

    def failing_third_write(self, db_table, table):
        calls["n"] += 1
        if calls["n"] == 3:  # the second batch's companies, after the first batch was written
            if connection.vendor == "postgresql":
                import psycopg

                raise psycopg.errors.DiskFull("could not extend file: No space left on device")
            raise DatabaseError("database or disk is full")
        return write(self, db_table, table)

    monkeypatch.setattr(importers.BatchWriter, "write", failing_third_write)
    result = run("kvk", _kvk_file(tmp_path, 130), batch_size=50)
    assert not result.ok
    assert "databasefout, niets ingelezen" in result.report()
    assert "No space left on device" in result.report() or "disk is full" in result.report()
    assert Company.objects.count() == 0
    assert not RecordVersion.objects.filter(model="company").exists()
    assert ImportBatch.objects.filter(source=sources["kvk"]).get().status == "rejected"
    monkeypatch.setattr(importers.BatchWriter, "write", write)
    assert run("kvk", _kvk_file(tmp_path, 130), batch_size=50).ok  # nothing was left behind


def test_django_refuses_to_delete_premises_or_a_source_that_records_point_at(run, sources):
    assert run("bag", "bag_v1.csv").ok
    assert run("kvk", "kvk_companies.csv").ok
    company = Company.objects.select_related("establishment").first()
    with pytest.raises(ProtectedError):
        company.establishment.delete()
    with pytest.raises(ProtectedError):
        sources["kvk"].delete()
    assert Company.objects.filter(pk=company.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_premises_an_import_resolves_stay_locked_until_it_commits(run, sources, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite locks the whole database for a write)")
    assert run("bag", "bag_v1.csv").ok
    premises = Premises.objects.order_by("pk").first()
    seen: dict = {}
    in_import, checked = threading.Event(), threading.Event()

    def try_delete_while_importing():
        in_import.wait(30)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
                try:
                    cursor.execute("DELETE FROM registers_premises WHERE id = %s", [premises.pk])
                    seen["deleted"] = cursor.rowcount
                except DatabaseError as exc:
                    seen["error"] = str(exc)
        finally:
            other.close()
            checked.set()

    def after_first_batch(rows, fraction):
        if not in_import.is_set():
            in_import.set()
            checked.wait(30)

    worker = threading.Thread(target=try_delete_while_importing)
    worker.start()
    result = run("kvk", _kvk_file(tmp_path, 120), batch_size=50, on_progress=after_first_batch)
    worker.join(30)
    assert result.ok, result.report()
    assert "lock timeout" in seen.get("error", ""), seen
    assert Premises.objects.filter(pk=premises.pk).exists()
    assert Company.objects.filter(establishment=premises).exists()
