"""``manage.py db_roles``: run the portal as a database role that owns nothing (issue 14 #6).

Run once as a PostgreSQL superuser (``DATABASE_URL`` of an administrator), after the first ``migrate`` and again
whenever you like (idempotent). It creates or updates two login roles:

- the **owner** (``--owner``, default ``portal_owner``): owns the database, the schema, every table, sequence
  and function; ``manage.py migrate`` runs as this role;
- the **app** (``--app``, default ``portal_app``): what gunicorn and the Celery workers connect as. It may
  read and write rows (SELECT, INSERT, UPDATE, DELETE), but owns nothing — so it cannot ALTER or DROP a table
  or drop a trigger — and on the audit table it has only INSERT and SELECT: no UPDATE, DELETE or TRUNCATE.

Tables created by later migrations (run as the owner) get the same grants through default privileges; the audit
table's restriction is re-applied by running this command again (``docs/security.md``).
Passwords come from ``--owner-password``/``--app-password`` or ``DB_OWNER_PASSWORD``/``DB_APP_PASSWORD``.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from portal import audit
from portal.models import AuditLog

APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


class Command(BaseCommand):
    help = "Creates the owner and app database roles and grants the app role only what the portal needs."

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="portal_owner")
        parser.add_argument("--app", default="portal_app")
        parser.add_argument("--owner-password", default=os.environ.get("DB_OWNER_PASSWORD"))
        parser.add_argument("--app-password", default=os.environ.get("DB_APP_PASSWORD"))
        parser.add_argument("--schema", default="public")

    def handle(self, *args, owner, app, owner_password, app_password, schema, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_roles needs PostgreSQL (DATABASE_URL=postgres://…).")
        if owner == app:
            raise CommandError("the owner and the app role must differ")
        database = connection.settings_dict["NAME"]
        audit_table = AuditLog._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            def run(query, *params):
                cursor.execute(query.as_string(cursor.connection) if isinstance(query, sql.Composable) else query,
                               params or None)

            for role, password in ((owner, owner_password), (app, app_password)):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                run(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
                    .format(sql.Identifier(role)))
                if password:
                    run(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
            OWNER, APP, SCHEMA, DB = (sql.Identifier(x) for x in (owner, app, schema, database))
            # Everything is the owner's: the database, the schema, tables, sequences, views, functions.
            run(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(DB, OWNER))
            run(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(SCHEMA, OWNER))
            cursor.execute("""SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')""", [schema])
            for name, kind in cursor.fetchall():
                if kind == "S":
                    cursor.execute("SELECT 1 FROM pg_depend d JOIN pg_class c ON c.oid = d.objid "
                                   "WHERE c.relname = %s AND d.deptype IN ('a', 'i')", [name])
                    if cursor.fetchone():
                        continue  # owned by its table's column: moves with the table
                run(sql.SQL("ALTER TABLE {}.{} OWNER TO {}").format(SCHEMA, sql.Identifier(name), OWNER))
            cursor.execute("""SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n
                              ON n.oid = p.pronamespace WHERE n.nspname = %s""", [schema])
            for (signature,) in cursor.fetchall():
                run(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(signature), OWNER))
            # The app role: connect, use the schema, read and write rows — nothing more.
            run(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(DB))
            run(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}, {}").format(DB, OWNER, APP))
            run(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(SCHEMA))
            run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(SCHEMA, APP))
            run(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(SCHEMA, APP))
            run(sql.SQL("GRANT " + APP_TABLE_PRIVILEGES + " ON ALL TABLES IN SCHEMA {} TO {}").format(SCHEMA, APP))
            run(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(SCHEMA, APP))
            run(sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT " + APP_TABLE_PRIVILEGES
                        + " ON TABLES TO {}").format(OWNER, SCHEMA, APP))
            run(sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}")
                .format(OWNER, SCHEMA, APP))
            # The audit log: append and read only (the trigger also refuses UPDATE and DELETE, even to the owner).
            cursor.execute("SELECT to_regclass(%s)", [f"{schema}.{audit_table}"])
            audit_exists = cursor.fetchone()[0] is not None
            if audit_exists:
                run(sql.SQL("REVOKE ALL ON TABLE {}.{} FROM {}").format(SCHEMA, sql.Identifier(audit_table), APP))
                run(sql.SQL("GRANT SELECT, INSERT ON TABLE {}.{} TO {}").format(
                    SCHEMA, sql.Identifier(audit_table), APP))
                audit.record(actor=None, actor_name="manage.py db_roles", action="db_roles",
                             changes={"owner": owner, "app": app, "database": database})
        if not audit_exists:
            self.stdout.write(f"{audit_table} does not exist yet: run `migrate` as {owner}, then this command "
                              "again to restrict the app role on the audit table.")
        self.stdout.write(f"owner role {owner}: owns {database}; run migrations as it.\n"
                          f"app role {app}: {APP_TABLE_PRIVILEGES} on the tables, only SELECT, INSERT on "
                          f"{audit_table}; run gunicorn and Celery as it.")
