# SPDX-License-Identifier: EUPL-1.2
"""On PostgreSQL the database itself refuses to change or delete audit rows.

UPDATE and DELETE on audit rows are refused for every role. TRUNCATE is refused for every role
but a superuser (who could drop the trigger anyway; the test suite's flush runs as one). The
chain head may only move forward one row at a time and is never deleted. On SQLite the hash chain
is the only protection; `weerbaar audit verify` detects any change.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION weerbaar_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END; $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION weerbaar_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'audit log is append-only: TRUNCATE refused on %', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END; $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION weerbaar_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF NEW.last_id <> OLD.last_id + 1 THEN
        RAISE EXCEPTION 'audit chain head may only move forward by one row';
    END IF;
    RETURN NEW;
END; $$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION weerbaar_audit_refuse();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION weerbaar_audit_refuse_truncate();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION weerbaar_audit_refuse();
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION weerbaar_audit_head_forward();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION weerbaar_audit_refuse_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_immutable ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_head_forward ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
