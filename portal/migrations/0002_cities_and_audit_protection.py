"""Reference data (Anhui's divisions, GB/T 2260) and database-level protection of the audit log."""

import json
from pathlib import Path

from django.db import migrations

CITIES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "cities.json"

PROTECT_SQL = """
CREATE OR REPLACE FUNCTION portal_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计日志只可追加，不可修改或删除 (audit log is append-only)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditlog_no_update BEFORE UPDATE OR DELETE ON portal_auditlog
    FOR EACH ROW EXECUTE FUNCTION portal_auditlog_append_only();
"""
# SQLite (the laptop demo) refuses updates only: Django's test flush empties tables with DELETE there,
# while PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
SQLITE_PROTECT_SQL = [
    "CREATE TRIGGER portal_auditlog_no_update BEFORE UPDATE ON portal_auditlog "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
]
UNPROTECT_SQL = """
DROP TRIGGER IF EXISTS portal_auditlog_no_update ON portal_auditlog;
DROP FUNCTION IF EXISTS portal_auditlog_append_only();
"""


def load_cities(apps, schema_editor):
    City = apps.get_model("portal", "City")
    for row in json.loads(CITIES.read_text(encoding="utf-8")):
        City.objects.update_or_create(code=row["pk"], defaults=row["fields"])


def protect_audit_log(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_SQL)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_PROTECT_SQL:
            schema_editor.execute(statement)


def unprotect_audit_log(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_SQL)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_auditlog_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_auditlog_no_delete")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.RunPython(load_cities, migrations.RunPython.noop),
        migrations.RunPython(protect_audit_log, unprotect_audit_log),
    ]
