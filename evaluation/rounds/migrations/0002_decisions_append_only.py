"""Final decisions are immutable in the database too: a correction is a new row (see models/decisions.py)."""

from django.db import migrations

PROTECT_SQL = """
CREATE OR REPLACE FUNCTION rounds_decision_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '评审结果决定只可追加，不可修改或删除 (decisions are append-only; a correction is a new decision)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rounds_decision_no_update BEFORE UPDATE OR DELETE ON rounds_decision
    FOR EACH ROW EXECUTE FUNCTION rounds_decision_append_only();
"""
# SQLite (the laptop demo) refuses updates only: Django's test flush empties tables with DELETE there,
# while PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
SQLITE_PROTECT_SQL = ("CREATE TRIGGER rounds_decision_no_update BEFORE UPDATE ON rounds_decision "
                      "BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;")
UNPROTECT_SQL = """
DROP TRIGGER IF EXISTS rounds_decision_no_update ON rounds_decision;
DROP FUNCTION IF EXISTS rounds_decision_append_only();
"""


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_SQL)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_PROTECT_SQL)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_SQL)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS rounds_decision_no_update")


class Migration(migrations.Migration):
    dependencies = [("rounds", "0001_initial")]

    operations = [migrations.RunPython(protect, unprotect)]
