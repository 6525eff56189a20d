"""The least-privilege role a kiosk connects as.

A kiosk may INSERT into the append-only tables (attendance events and corrections, audit
lines, the sync inbox) and SELECT what it pulls (employees, face templates, shifts,
assignments, tombstones) plus the schema version. Nothing else: it cannot read attendance
back, change or delete anything, or see another kiosk's inbox rows. Kiosk-made employee and
enrollment changes travel through ``sync_inbox`` and the headless server applies them.

``INSERT … ON CONFLICT (id) DO NOTHING`` needs SELECT on the conflict column, so the kiosk
also gets ``SELECT (id)`` on the tables it inserts into: it can learn which ids exist, not
what they hold.

The password is never printed or logged: printed SQL leaves it out (set it with psql's
``\\password``, which hashes it on the client), and ``--apply`` sends a SCRAM-SHA-256 verifier
computed by libpq, so not even the server's statement log sees it.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from core.errors import UsageError
from core.sync.central import CentralDatabase

INSERT_TABLES = ("attendance_events", "attendance_corrections", "audit_log", "sync_inbox")
SELECT_TABLES = (
    "employees",
    "face_templates",
    "shifts",
    "shift_assignments",
    "tombstones",
    "alembic_version",
)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise UsageError(
            "a role name is 1-63 lower-case letters, digits or underscores, not starting with "
            "a digit (e.g. kiosk_entrada)"
        )
    return name


def quote_ident(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def grant_statements(role: str, database: str) -> list[str]:
    """GRANTs (after REVOKEs, so re-running it also takes away anything granted by hand)."""
    who = quote_ident(check_role_name(role))
    inserts = ", ".join(quote_ident(t) for t in INSERT_TABLES)
    selects = ", ".join(quote_ident(t) for t in SELECT_TABLES)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}",
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT INSERT, SELECT (id) ON {inserts} TO {who}",
        f"GRANT SELECT ON {selects} TO {who}",
    ]


def role_sql(role: str, database: str) -> str:
    """The script an administrator can read and run with psql (no password in it)."""
    role = check_role_name(role)
    lines = [
        f"-- Least-privilege role for an Asistencia kiosk, database {database}.",
        "-- Run as the database owner, after the headless server has migrated the schema.",
        "DO $$ BEGIN",
        f"  CREATE ROLE {quote_ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;",
        "EXCEPTION WHEN duplicate_object THEN NULL;",
        "END $$;",
    ]
    lines += [statement + ";" for statement in grant_statements(role, database)]
    lines += [
        "-- On PostgreSQL 14 or older, also stop every role creating tables in public:",
        "--   REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        "-- Then set its password without it appearing anywhere (psql asks for it, hashes it",
        f"-- on your side and sends only the verifier):  \\password {role}",
        "-- The kiosk's URL: postgresql://"
        + role
        + ":PASSWORD@HOST:5432/"
        + database
        + "?sslmode=verify-full&sslrootcert=/path/ca.pem",
    ]
    return "\n".join(lines) + "\n"


def apply_role(central: CentralDatabase, role: str, password: str | None) -> bool:
    """Create (or update) ``role`` with its grants; True when it was created."""
    role = check_role_name(role)
    raw = central.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert isinstance(connection, psycopg.Connection)
        with connection.transaction():
            database = str(connection.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
            exists = connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)
            ).fetchone()
            ident = sql.Identifier(role)
            if exists is None:
                connection.execute(
                    sql.SQL(
                        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                    ).format(ident)
                )
            if password is not None:
                verifier = connection.pgconn.encrypt_password(
                    password.encode(), role.encode(), b"scram-sha-256"
                ).decode("ascii")
                connection.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(verifier))
                )
            for statement in grant_statements(role, database):
                connection.execute(statement.encode())
        return exists is None
    finally:
        raw.close()
