-- Privileges of the application's database user (docs/deploy.md, "Database users").
--
-- Two users: the OWNER of the tables (runs `doorbraak migrate`; only the database administrator
-- has its password) and the APPLICATION user `doorbraak_app` (the web and worker containers'
-- DATABASE_URL). Run this as the owner after every `doorbraak migrate`:
--
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/postgres-grants.sql
--
-- The application user may read and write the application's tables, but
--   * the audit log only grows: it may insert entries and fill in the three chain fields of an
--     entry once (the sequencer), never change or delete one (the triggers refuse that too);
--   * it cannot open the audit maintenance window (a row in audit_maintenance_window switches the
--     append-only triggers off): it may only read that table, as the triggers do;
--   * it owns nothing, so it can neither drop nor disable a trigger, nor alter a table.

GRANT USAGE ON SCHEMA public TO doorbraak_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO doorbraak_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO doorbraak_app;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM doorbraak_app;

REVOKE UPDATE, DELETE ON audit_auditentry FROM doorbraak_app;
GRANT UPDATE (chain_seq, prev_hash, entry_hash) ON audit_auditentry TO doorbraak_app;
REVOKE INSERT, UPDATE, DELETE ON audit_maintenance_window FROM doorbraak_app;
GRANT SELECT ON audit_maintenance_window TO doorbraak_app;
