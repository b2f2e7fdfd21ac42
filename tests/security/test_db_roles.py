"""Issue 14, finding 6: the app's own database user could truncate the audit table or drop its trigger.

``manage.py db_roles`` creates an owner role (migrations) and an app role that owns nothing and has only
INSERT and SELECT on the audit table. This test connects as the app role and tries every way to erase it."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from portal import audit
from portal.models import AuditLog

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles: PostgreSQL only")

TABLE = AuditLog._meta.db_table
ATTACKS = {
    "TRUNCATE": f"TRUNCATE {TABLE}",
    "DELETE": f"DELETE FROM {TABLE}",
    "UPDATE": f"UPDATE {TABLE} SET action = 'forged'",
    "ALTER TABLE": f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
    "DROP TRIGGER": f"DROP TRIGGER portal_auditlog_no_update ON {TABLE}",
    "DROP TABLE": f"DROP TABLE {TABLE}",
}


@pytest.fixture
def roles(transactional_db):
    suffix = uuid.uuid4().hex[:8]
    owner, app, password = f"t_owner_{suffix}", f"t_app_{suffix}", uuid.uuid4().hex
    call_command("db_roles", owner=owner, app=app, owner_password=password, app_password=password)
    yield owner, app, password
    with connection.cursor() as cursor:  # give everything back to the test's superuser and drop the roles
        me = connection.settings_dict["USER"] or "postgres"
        for role in (owner, app):
            cursor.execute(f'REASSIGN OWNED BY "{role}" TO "{me}"')
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def connect_as(role, password):
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, dbname=s["NAME"], user=role,
                           password=password, autocommit=True)


def test_the_app_role_cannot_erase_or_alter_the_audit_log(roles):
    owner, app, password = roles
    audit.record(actor=None, actor_name="before", action="evidence")
    with connect_as(app, password) as conn:
        refused = []
        for what, statement in ATTACKS.items():
            try:
                conn.execute(statement)
            except psycopg.errors.InsufficientPrivilege:  # refused for lack of privilege, not for another reason
                refused.append(what)
        assert refused == list(ATTACKS)
        # What the portal needs still works: append and read the log, write ordinary tables.
        conn.execute(f"INSERT INTO {TABLE} (at, actor_name, role, action, object_type, object_id, object_repr, "
                     "changes, outcome) VALUES (now(), 'app', '', 'login', '', '', '', '{}', 'ok')")
        assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] >= 2
        conn.execute("UPDATE django_session SET expire_date = expire_date")
    assert AuditLog.objects.filter(actor_name="before").exists()


def test_the_owner_role_owns_the_tables_and_the_app_role_owns_nothing(roles):
    owner, app, _password = roles
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert [r[0] for r in cursor.fetchall()] == [owner]
        cursor.execute("SELECT privilege_type FROM information_schema.role_table_grants "
                       "WHERE grantee = %s AND table_name = %s ORDER BY 1", [app, TABLE])
        assert [r[0] for r in cursor.fetchall()] == ["INSERT", "SELECT"]


def test_running_it_again_changes_nothing(roles):
    owner, app, password = roles
    call_command("db_roles", owner=owner, app=app)
    with connect_as(app, password) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(ATTACKS["TRUNCATE"])
