"""Backup and restore on PostgreSQL, as docs/deploy.md tells an IT department to do it:
pg_dump (custom format) of the database plus a tar of DOORBRAAK_VAR_DIR; restored into a new
database, the data and the audit chain are all there and `doorbraak verify_audit` passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile

import pytest
from django.db import connection
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.audit.services import chain_pending
from doorbraak.careers.models import Case, CaseRecord
from doorbraak.partners.models import User
from doorbraak.registers.models import Person
from tests.conftest import login

from .helpers import doorbraak, production_env

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="backup and restore with pg_dump/pg_restore: PostgreSQL only (DATABASE_URL)",
    ),
    pytest.mark.skipif(
        not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="no PostgreSQL client"
    ),
]


def _pg(settings_dict: dict) -> tuple[list[str], dict]:
    args = [
        "-h",
        settings_dict["HOST"] or "127.0.0.1",
        "-p",
        str(settings_dict["PORT"] or 5432),
        "-U",
        settings_dict["USER"] or "postgres",
    ]
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    return args, env


def _snapshot(cursor) -> dict:
    tables = {
        "persons": Person._meta.db_table,
        "cases": Case._meta.db_table,
        "records": CaseRecord._meta.db_table,
        "users": User._meta.db_table,
    }
    counts = {}
    for name, table in tables.items():
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (model table names)
        counts[name] = cursor.fetchone()[0]
    cursor.execute(
        f'SELECT id, chain_seq, prev_hash, entry_hash FROM "{AuditEntry._meta.db_table}" ORDER BY id'
    )  # noqa: S608
    counts["audit"] = cursor.fetchall()
    return counts


def test_backup_and_restore_keep_data_and_audit_chain(world, client, tmp_path):
    # Some work, audited: a case director reads cases, a lawyer the register of processing.
    login(client, world.users["case_director"])
    for case in world.cases.values():
        assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    chain_pending(wait=True)
    var_dir = tmp_path / "var"
    (var_dir / "exports").mkdir(parents=True)
    (var_dir / "exports" / "inzage-1.zip").write_bytes(b"subject access export")
    with connection.cursor() as cursor:
        before = _snapshot(cursor)
    assert before["audit"] and all(row[3] for row in before["audit"])  # every entry chained

    settings_dict = connection.settings_dict
    args, env = _pg(settings_dict)
    dump = tmp_path / "doorbraak.dump"
    subprocess.run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(dump),
            settings_dict["NAME"],
        ],
        env=env,
        check=True,
        timeout=300,
    )
    with tarfile.open(tmp_path / "var.tar.gz", "w:gz") as tar:
        tar.add(var_dir, arcname="var")

    restored = f"{settings_dict['NAME']}_restore"
    subprocess.run(["dropdb", *args, "--if-exists", restored], env=env, check=True, timeout=120)
    subprocess.run(["createdb", *args, restored], env=env, check=True, timeout=120)
    try:
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            env=env,
            check=True,
            timeout=300,
        )
        restore_dir = tmp_path / "restored"
        with tarfile.open(tmp_path / "var.tar.gz") as tar:
            tar.extractall(restore_dir, filter="data")
        assert (
            restore_dir / "var" / "exports" / "inzage-1.zip"
        ).read_bytes() == b"subject access export"

        import psycopg

        host, port, user = args[1], args[3], args[5]
        with psycopg.connect(
            host=host, port=port, user=user, password=env["PGPASSWORD"], dbname=restored
        ) as conn:
            with conn.cursor() as cursor:
                after = _snapshot(cursor)
        assert after == before

        # The restored installation verifies its own chain, with production settings.
        url = f"postgres://{user}@{host}:{port}/{restored}"
        result = doorbraak(
            production_env(restore_dir / "var", DATABASE_URL=url, PGPASSWORD=env["PGPASSWORD"]),
            "verify_audit",
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{len(before['audit'])} entries verified" in result.stdout
    finally:
        subprocess.run(
            ["dropdb", *args, "--if-exists", restored], env=env, check=False, timeout=120
        )
