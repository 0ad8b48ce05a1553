"""Imports stream: files larger than the batch size are read, validated and written batch by
batch, and stay all-or-nothing with a report per rejected row; imports of one source are
serialised; a process killed mid-import leaves nothing behind; linkage runs never overlap."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.db import connection

from doorbraak.registers import importers
from doorbraak.registers.models import (
    Company,
    ImportBatch,
    ImportRejection,
    Officer,
    Person,
    Premises,
    RecordVersion,
)
from tests.registers.conftest import FIXTURES

BAG_HEADER = (
    "verblijfsobject_id;openbare_ruimte;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaats;"
    "wijk;gebruiksdoel;oppervlakte;lat;lon"
)
ROOT = Path(__file__).resolve().parents[2]


def bag_row(i: int, use: str = "woonfunctie", postcode: str | None = None) -> str:
    return (
        f"03440100002{i:05d};Teststraat;{i};;;{postcode or '3534AM'};Utrecht;Overvecht;{use};"
        f"{50 + i % 40};52.1{i % 1000:03d};5.1{i % 1000:03d}"
    )


def bag_file(tmp_path: Path, n: int, name: str = "bag_groot.csv", extra: list[str] = ()) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([BAG_HEADER, *(bag_row(i) for i in range(1, n + 1)), *extra]) + "\n")
    return path


@pytest.fixture
def batches(monkeypatch):
    """The sizes of the batches the importer validated."""
    seen: list[int] = []
    validate, validate_columns = importers.validate, importers.Validator.validate_columns

    def spy(mapping, table, *args, **kwargs):
        seen.append(len(table))
        return validate(mapping, table, *args, **kwargs)

    def columns_spy(self, table, *args, **kwargs):
        seen.append(len(table))
        return validate_columns(self, table, *args, **kwargs)

    monkeypatch.setattr(importers, "validate", spy)
    monkeypatch.setattr(importers.Validator, "validate_columns", columns_spy)
    return seen


# --- streaming ---------------------------------------------------------------------------


def test_a_file_larger_than_the_batch_size_is_imported_batch_by_batch(
    run, sources, tmp_path, batches
):
    path = bag_file(tmp_path, 250)
    result = run("bag", path, batch_size=100)
    assert result.ok, result.report()
    assert batches == [100, 100, 50]  # never the whole file at once
    assert result.batch.row_count == 250 and result.batch.counts == {"premises": {"created": 250}}
    assert (
        Premises.objects.count() == 250
        and RecordVersion.objects.filter(batch=result.batch).count() == 250
    )
    last = Premises.objects.get(bag_id="0344010000200250")
    assert (last.source, last.source_file, last.source_row, last.received_on) == (
        sources["bag"],
        "bag_groot.csv",
        250,
        date(2026, 10, 1),
    )
    # a newer extract, again in batches: changes and history as with one batch
    newer = tmp_path / "bag_nieuw.csv"
    newer.write_text(path.read_text().replace(bag_row(150), bag_row(150, use="winkelfunctie")))
    again = run("bag", newer, received_on=date(2026, 11, 1), batch_size=100)
    assert again.batch.counts == {"premises": {"updated": 1, "confirmed": 249}}
    changed = Premises.objects.get(bag_id="0344010000200150")
    assert [
        v.valid_to
        for v in RecordVersion.objects.filter(model="premises", object_id=changed.pk).order_by(
            "valid_from"
        )
    ] == [date(2026, 11, 1), None]


def test_a_bad_row_in_a_later_batch_rejects_the_whole_file(run, tmp_path, batches):
    # rows 1-200 are fine and would have been written batch by batch; rows 230 and 260 are not
    lines = [BAG_HEADER, *(bag_row(i) for i in range(1, 301))]
    lines[230] = bag_row(230, postcode="3551 SA")
    lines[260] = bag_row(260).replace(";Overvecht;", ";Atlantis;")
    path = tmp_path / "bag_fout.csv"
    path.write_text("\n".join(lines) + "\n")
    result = run("bag", path, batch_size=100)
    assert not result.ok and len(batches) == 3
    assert (
        Premises.objects.count() == 0 and RecordVersion.objects.count() == 0
    )  # earlier batches rolled back
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and batch.row_count == 300
    assert [
        (r.row, r.line, r.field, r.value) for r in ImportRejection.objects.filter(batch=batch)
    ] == [(230, 231, "postcode", "3551 SA"), (260, 261, "wijk", "Atlantis")]
    assert "rij 230 (regel 231): postcode" in result.report()


def test_a_key_repeated_in_a_later_batch_is_a_duplicate(run, tmp_path):
    path = bag_file(tmp_path, 120, extra=[bag_row(7), bag_row(7)])  # rows 121 and 122 repeat row 7
    result = run("bag", path, batch_size=50)
    assert not result.ok and Premises.objects.count() == 0
    assert [(r.row, r.field, r.value, r.reason) for r in result.batch.rejections.all()] == [
        (121, "sleutel", "0344010000200007", "dubbel in dit bestand (ook rij 7)"),
        (122, "sleutel", "0344010000200007", "dubbel in dit bestand (ook rij 7)"),
    ]


def test_references_and_persons_are_resolved_per_batch(run, tmp_path):
    run("bag", "bag_v1.csv")
    result = run(
        "kvk", "kvk_companies.csv", batch_size=1
    )  # one establishment by BAG-id, two by address
    assert result.ok, result.report()
    assert dict(Company.objects.values_list("kvk_number", "establishment__bag_id")) == {
        "12345678": "0344010000100001",
        "23456789": "0344010000100003",
        "34567890": "0344010000100002",
    }
    # Jan Pieter holds two functions, in two batches: one person, as when read at once
    officers = run("kvk", "kvk_officers.csv", source_type="kvk_officers", batch_size=1)
    assert officers.ok, officers.report()
    assert officers.batch.counts == {"person": {"created": 2}, "officer": {"created": 3}}
    assert Person.objects.count() == 2 and Officer.objects.count() == 3


def test_parquet_is_read_in_batches(run, tmp_path, batches):
    n = 230
    table = pa.table(
        {
            "verblijfsobject_id": [
                3440100002_00000 + i for i in range(1, n + 1)
            ],  # typed, leading zero lost
            "openbare_ruimte": ["Teststraat"] * n,
            "huisnummer": list(range(1, n + 1)),
            "postcode": ["3534 am"] * n,
            "wijk": ["Overvecht"] * n,
            "gebruiksdoel": ["woonfunctie"] * n,
            "oppervlakte": [60] * n,
            "lat": [52.1] * n,
            "lon": [5.1] * n,
        }
    )
    path = tmp_path / "bag.parquet"
    pq.write_table(table, path, row_group_size=64)
    result = run("bag", path, batch_size=100)
    assert result.ok, result.report()
    assert max(batches) <= 100 and sum(batches) == n
    assert Premises.objects.get(bag_id="0344010000200230").source_row == 230


def test_progress_is_reported_per_batch(run, tmp_path):
    calls = []
    run(
        "bag",
        bag_file(tmp_path, 250),
        batch_size=100,
        on_progress=lambda rows, fraction: calls.append((rows, fraction)),
    )
    assert [rows for rows, _ in calls] == [100, 200, 250]
    assert calls[-1][1] == 1.0 and all(0 < f <= 1 for _, f in calls)


def test_a_large_rejection_report_keeps_the_first_problems_and_counts_all(
    run, tmp_path, monkeypatch
):
    monkeypatch.setattr(importers, "MAX_PROBLEMS", 5)
    lines = [BAG_HEADER, *(bag_row(i, postcode="0000XX") for i in range(1, 41))]
    path = tmp_path / "bag_slecht.csv"
    path.write_text("\n".join(lines) + "\n")
    result = run("bag", path, batch_size=10)
    assert result.problem_count == 40 and [p.row for p in result.problems] == [1, 2, 3, 4, 5]
    assert result.batch.rejections.count() == 5 and "… en nog 35" in result.report()


# --- concurrency ---------------------------------------------------------------------------


def _in_threads(n: int, work):
    results, errors = [None] * n, []

    def target(i):
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_source_are_serialised(sources, tmp_path, monkeypatch):
    """Both threads have hashed the file before either writes; the second waits for the first
    and then sees its result: the same file, unchanged."""
    path = bag_file(tmp_path, 120)
    both_hashed = threading.Barrier(2, timeout=20)
    file_hash = importers.file_hash

    def hash_then_wait(p):
        digest = file_hash(p)
        both_hashed.wait()
        return digest

    monkeypatch.setattr(importers, "file_hash", hash_then_wait)
    source = sources["bag"]
    results = _in_threads(
        2,
        lambda i: importers.import_file(
            source, path, received_on=date(2026, 10, 1), username=f"test:{i}", batch_size=50
        ),
    )
    assert sorted(r.batch.status for r in results) == ["accepted", "unchanged"]
    assert Premises.objects.count() == 120 and RecordVersion.objects.count() == 120
    first = next(r.batch for r in results if r.batch.status == "accepted")
    second = next(r.batch for r in results if r.batch.status == "unchanged")
    assert f"#{first.pk}" in second.note and second.started_at >= first.finished_at


@pytest.mark.django_db(transaction=True)
def test_two_linkage_runs_cannot_overlap(world, monkeypatch):
    from doorbraak.entities import services
    from doorbraak.entities.models import LinkageRun

    register_table = services.register_table
    inside, overlap = [0], [False]
    lock = threading.Lock()

    def slow_table(entity):
        with lock:
            inside[0] += 1
            overlap[0] |= inside[0] > 1
        time.sleep(0.4)
        with lock:
            inside[0] -= 1
        return register_table(entity)

    monkeypatch.setattr(services, "register_table", slow_table)
    services.run_register_linkage("company")
    runs = _in_threads(
        2,
        lambda i: (
            services.run_incremental_linkage("company", changed=["company-1"])
            if i
            else services.run_register_linkage("company")
        ),
    )
    assert not overlap[0]
    stored = list(LinkageRun.objects.filter(entity_type="company").order_by("started_at"))
    assert len(stored) == 1 + sum(r is not None for r in runs)
    for earlier, later in zip(stored, stored[1:], strict=False):
        assert later.started_at >= earlier.finished_at


# --- a process killed mid-import -------------------------------------------------------------

KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import django
    django.setup()
    from doorbraak.privacy.models import ProcessingActivity
    from doorbraak.registers.importers import import_file
    from doorbraak.registers.models import Premises

    def killed_after_second_batch(rows, fraction):
        if rows < 100:
            return
        # inside the import's transaction; the second batch may still be in flight (the
        # writer's thread on PostgreSQL), the first is written
        print("written", Premises.objects.count(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    import_file(ProcessingActivity.objects.get(code="bron-bag"), sys.argv[1], username="test:kill",
                batch_size=50, on_progress=killed_after_second_batch)
""")


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_mid_import_leaves_nothing_half_imported(sources, tmp_path):
    path = bag_file(tmp_path, 200)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "doorbraak.settings_test",
        "DOORBRAAK_DEBUG": "1",
    }
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/"
            f"{settings['NAME']}"
        )
        count = lambda sql: _count(sql)  # noqa: E731
    else:  # the in-memory test database, copied to a file the other process can open
        import sqlite3

        db_file = tmp_path / "kill.sqlite3"
        target = sqlite3.connect(db_file)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env["DATABASE_URL"] = f"sqlite:///{db_file}"

        def count(sql):
            with sqlite3.connect(db_file) as db:
                return db.execute(sql).fetchone()[0]

    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr[-2000:]
    assert proc.stdout.strip() in ("written 50", "written 100")  # written when the process died
    assert count("SELECT COUNT(*) FROM registers_premises") == 0
    assert count("SELECT COUNT(*) FROM registers_recordversion") == 0
    # The attempt itself is on record, still marked running (committed before the import began)
    assert (
        count("SELECT status || ' ' || imported_by FROM registers_importbatch")
        == "running test:kill"
    )
    assert count("SELECT COUNT(*) FROM registers_importbatch") == 1
    # and the source can be imported again at once: no lock was left behind; that import records
    # the killed one as failed, with who started it and when.
    if connection.vendor == "postgresql":
        from tests.registers.conftest import FIXTURES as _  # noqa: F401

        again = importers.import_file(sources["bag"], path, username="test:again", batch_size=50)
        assert again.ok and Premises.objects.count() == 200
        killed = ImportBatch.objects.get(imported_by="test:kill")
        assert killed.status == "failed" and killed.finished_at is not None
        assert "nooit afgerond" in killed.note and "test:kill" in killed.note


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_read_table_still_reads_a_whole_small_file():
    table = importers.read_table(FIXTURES / "bag_v1.csv", "csv")
    assert (
        len(table.rows) == 4
        and table.lines == [2, 3, 4, 5]
        and table.columns[0] == "verblijfsobject_id"
    )


def test_a_file_in_no_known_encoding_is_rejected_with_a_reason(run, tmp_path):
    path = tmp_path / "kapot.csv"
    path.write_bytes(
        (BAG_HEADER + "\n" + bag_row(1) + "\n").encode() + b"\x81\x8d\n"
    )  # not UTF-8, not cp1252
    result = run("bag", path)
    assert (
        not result.ok
        and "Windows-1252" in result.problems[0].reason
        and Premises.objects.count() == 0
    )
