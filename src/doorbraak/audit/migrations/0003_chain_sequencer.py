"""Entries are written unchained and chained afterwards by a single sequencer.

- `chain_seq` (the entry's place in the chain) is new; `prev_hash` and `entry_hash` may be empty
  while an entry waits for the sequencer. Existing entries were chained in id order: they get
  their `chain_seq` in that order, so the chain they form still verifies.
- The append-only triggers are replaced by ones that allow exactly one update: filling in the
  three chain fields of a row that has none of them yet, every other column unchanged. Any
  other update, every delete (and on PostgreSQL truncate) is still refused outside a
  maintenance window (see 0002)."""

from django.db import migrations, models

# Every column of audit_auditentry except the three the sequencer fills in. A test checks this
# list against the model, so a new column cannot slip past the SQLite trigger.
PROTECTED_COLUMNS = [
    "id",
    "occurred_at",
    "username",
    "organisation",
    "role",
    "purpose",
    "action",
    "object_type",
    "object_id",
    "data_categories",
    "request_id",
    "ip_address",
    "method",
    "path",
    "detail",
]
CHAIN_COLUMNS = ["chain_seq", "prev_hash", "entry_hash"]

_SQLITE_CHAINING = " AND ".join(
    [f"OLD.{c} IS NULL" for c in CHAIN_COLUMNS]
    + [f"NEW.{c} IS NOT NULL" for c in CHAIN_COLUMNS]
    + [f"NEW.{c} IS OLD.{c}" for c in PROTECTED_COLUMNS]
)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]
SQLITE_SEQUENCER = [
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance_window) AND NOT ({_SQLITE_CHAINING})
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance_window)
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_OLD = [
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance_window)
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    SQLITE_SEQUENCER[1],
]

_PG_CHAIN_ARRAY = "ARRAY[" + ",".join(f"'{c}'" for c in CHAIN_COLUMNS) + "]"
POSTGRES_SEQUENCER = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_maintenance_window) THEN
           IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
         END IF;
         IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE' THEN
           -- The sequencer chains a row once: the chain fields go from empty to filled, and
           -- every other column (whatever columns the table has) stays as it was.
           IF {" AND ".join(f"OLD.{c} IS NULL" for c in CHAIN_COLUMNS)}
              AND {" AND ".join(f"NEW.{c} IS NOT NULL" for c in CHAIN_COLUMNS)}
              AND (to_jsonb(NEW) - {_PG_CHAIN_ARRAY}) = (to_jsonb(OLD) - {_PG_CHAIN_ARRAY}) THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit log is append-only';
       END; $$ LANGUAGE plpgsql""",
]
POSTGRES_OLD = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_maintenance_window) THEN
           IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit log is append-only';
       END; $$ LANGUAGE plpgsql""",
]
POSTGRES_TRIGGERS = [
    """CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def number_existing_entries(apps, schema_editor):
    """Entries chained before this migration form the chain in id order: number them so."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    connection = schema_editor.connection
    ids = list(
        AuditEntry.objects.filter(entry_hash__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.executemany(
                "UPDATE audit_auditentry SET chain_seq = %s WHERE id = %s",
                [(start + i + 1, pk) for i, pk in enumerate(ids[start : start + 5000])],
            )
    if ids:
        head = ChainHead.objects.filter(pk=1).first()
        if head is not None:
            ChainHead.objects.filter(pk=1).update(last_seq=len(ids))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        # Triggers off during the schema change (SQLite rebuilds the table, which drops them).
        migrations.RunPython(
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            _run({"sqlite": SQLITE_OLD, "postgresql": POSTGRES_OLD + POSTGRES_TRIGGERS}),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_seq",
            field=models.BigIntegerField(
                blank=True, null=True, unique=True, verbose_name="plaats in de keten"
            ),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="last_seq",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("entry_hash__isnull", True)),
                fields=["id"],
                name="audit_entry_unchained",
            ),
        ),
        migrations.RunPython(number_existing_entries, migrations.RunPython.noop),
        migrations.RunPython(
            _run(
                {"sqlite": SQLITE_SEQUENCER, "postgresql": POSTGRES_SEQUENCER + POSTGRES_TRIGGERS}
            ),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
