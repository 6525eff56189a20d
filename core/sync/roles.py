"""The least-privilege role a kiosk connects as.

A kiosk writes only through ``asistencia_push(kind, rows)`` (migration 0003), a SECURITY
DEFINER function that inserts attendance events and corrections, audit lines and inbox rows
on the owner's behalf, stamps the role that sent each one and when it arrived, and holds for
review what does not add up (another kiosk's id, a time outside the kiosk's window). So the
role needs no INSERT on any table and no SELECT of what it pushes, not even of ids: it
cannot count or read attendance, the audit log or the inbox. It SELECTs what it pulls
(employees, face templates, shifts, assignments, tombstones), the schema version and the
deployment's key ids. With a site (``kiosk_roles.site_id``, migration 0004), row-level
security shows it only its site's members' rows. What it reads of people is sealed
(core/secrets/keys.py): photos and templates are AES-GCM ciphertext, PIN hashes need the
deployment's pepper. Kiosk-made employee and enrollment changes travel through the inbox
and the headless server applies them, refusing a row whose kiosk id is not the sender's
(and, from a kiosk with a site, a change to someone of another site).

Each role is registered in ``kiosk_roles`` with the one kiosk id it may claim.

The password is never printed or logged: printed SQL leaves it out (set it with psql's
``\\password``, which hashes it on the client), and ``--apply`` sends a SCRAM-SHA-256 verifier
computed by libpq, so not even the server's statement log sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import text

from core.errors import UsageError
from core.i18n import Message
from core.people.identifiers import unprintable
from core.sync.central import CentralDatabase

log = logging.getLogger(__name__)

PUSH_FUNCTION = "asistencia_push(text, jsonb)"
SELECT_TABLES = (
    "employees",
    "face_templates",
    "person_keys",
    "shifts",
    "shift_assignments",
    "tombstones",
    "alembic_version",
    "deployment",
    "sites",
    "site_employees",
)
# Which of a kiosk's records' employees exist centrally, whatever its site (migration 0004).
KNOWN_FUNCTION = "asistencia_known_employees(uuid[])"
# How far a pull that came back short may move its cursor (migration 0005).
HORIZON_FUNCTION = "asistencia_pull_horizon(text)"
# What a kiosk says of itself with each sync, and its one-time password change (0009).
HEARTBEAT_FUNCTION = "asistencia_heartbeat(jsonb)"
JOIN_FUNCTION = "asistencia_join(text)"
# What an older create-kiosk-role granted; taken away when a role is (re)applied.
PUSHED_TABLES = ("attendance_events", "attendance_corrections", "audit_log", "sync_inbox")
# Kept in step with migration 0003.
DEFAULT_MAX_OFFLINE_DAYS = 14
# Bounds of a kiosk's login (issue 22): a kiosk's engine holds at most 5 connections
# (core/sync/central.py), a command on the same kiosk a few more.
CONNECTION_LIMIT = 8
STATEMENT_TIMEOUT = "30s"
IDLE_IN_TRANSACTION_TIMEOUT = "60s"
# What a kiosk never needs and a stolen login could fill the disk with: large objects are
# created by these functions (libpq's client-side lo_import too), which PUBLIC may run.
LARGE_OBJECT_FUNCTIONS = (
    "lo_create(oid)",
    "lo_creat(integer)",
    "lo_from_bytea(oid, bytea)",
    "lo_import(text)",
    "lo_import(text, oid)",
)
KIOSK_ID = re.compile(r"^[^\x00-\x1f'\\]{1,64}$")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise UsageError(Message("central.bad_role_name"))
    return name


def quote_ident(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def check_kiosk_id(kiosk_id: str) -> str:
    kiosk_id = kiosk_id.strip()
    if not KIOSK_ID.match(kiosk_id) or unprintable(kiosk_id) is not None:
        raise UsageError(Message("central.bad_kiosk_id"))
    return kiosk_id


def grant_statements(role: str, database: str) -> list[str]:
    """GRANTs (after REVOKEs, so re-running it also takes away anything granted by hand)."""
    who = quote_ident(check_role_name(role))
    selects = ", ".join(quote_ident(t) for t in SELECT_TABLES)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}",
        f"GRANT CONNECT ON DATABASE {quote_ident(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT ON {selects} TO {who}",
        f"GRANT EXECUTE ON FUNCTION {PUSH_FUNCTION} TO {who}",
        f"GRANT EXECUTE ON FUNCTION {KNOWN_FUNCTION} TO {who}",
        f"GRANT EXECUTE ON FUNCTION {HORIZON_FUNCTION} TO {who}",
        f"GRANT EXECUTE ON FUNCTION {HEARTBEAT_FUNCTION} TO {who}",
        f"GRANT EXECUTE ON FUNCTION {JOIN_FUNCTION} TO {who}",
        f"ALTER ROLE {who} CONNECTION LIMIT {CONNECTION_LIMIT}",
        f"ALTER ROLE {who} SET statement_timeout = '{STATEMENT_TIMEOUT}'",
        f"ALTER ROLE {who} SET idle_in_transaction_session_timeout = "
        f"'{IDLE_IN_TRANSACTION_TIMEOUT}'",
        # Temporary tables are granted to PUBLIC by default; the owner keeps them as owner.
        f"REVOKE TEMPORARY ON DATABASE {quote_ident(database)} FROM PUBLIC",
    ]


def superuser_statements() -> list[str]:
    """What only a superuser may change (pg_catalog's functions): no large objects."""
    return [f"REVOKE EXECUTE ON FUNCTION {f} FROM PUBLIC" for f in LARGE_OBJECT_FUNCTIONS]


def register_statement(role: str, kiosk_id: str, max_offline_days: int) -> str:
    role, kiosk_id = check_role_name(role), check_kiosk_id(kiosk_id)
    # Both values were checked above (no quotes, no backslashes): safe to print as literals.
    return (
        "INSERT INTO kiosk_roles (role_name, kiosk_id, max_offline_days, created_at) "  # noqa: S608
        f"VALUES ('{role}', '{kiosk_id}', {int(max_offline_days)}, now()) "
        "ON CONFLICT (role_name) DO UPDATE SET kiosk_id = EXCLUDED.kiosk_id, "
        "max_offline_days = EXCLUDED.max_offline_days"
    )


def role_sql(
    role: str, database: str, kiosk_id: str, max_offline_days: int = DEFAULT_MAX_OFFLINE_DAYS
) -> str:
    """The script an administrator can read and run with psql (no password in it)."""
    role = check_role_name(role)
    lines = [
        f"-- Least-privilege role for the Asistencia kiosk '{check_kiosk_id(kiosk_id)}', "
        f"database {database}.",
        "-- Run as the database owner, after the headless server has migrated the schema.",
        "DO $$ BEGIN",
        f"  CREATE ROLE {quote_ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;",
        "EXCEPTION WHEN duplicate_object THEN NULL;",
        "END $$;",
    ]
    lines += [statement + ";" for statement in grant_statements(role, database)]
    lines.append(register_statement(role, kiosk_id, max_offline_days) + ";")
    lines.append("-- As a superuser (once per database): no large objects for any login but them.")
    lines += [statement + ";" for statement in superuser_statements()]
    lines += [
        "-- On PostgreSQL 14 or older, also stop every role creating tables in public:",
        "--   REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        "-- Then set its password without it appearing anywhere (psql asks for it, hashes it",
        f"-- on your side and sends only the verifier):  \\password {role}",
        "-- The kiosk's URL: postgresql://"
        + role
        + "@HOST:5432/"
        + database
        + "?sslmode=verify-full&sslrootcert=/path/ca.pem (its password goes in the kiosk's "
        "secrets file when saved from Settings)",
    ]
    return "\n".join(lines) + "\n"


def _forbid_large_objects(connection: psycopg.Connection[Any]) -> None:
    """Needs a superuser; an owner that is not one is told what to run (doctor says so too:
    ``large_objects_forbidden``)."""
    try:
        with connection.transaction():
            for statement in superuser_statements():
                connection.execute(statement.encode())
    except psycopg.errors.InsufficientPrivilege:
        log.warning(
            "kiosk roles may still create large objects: as a superuser, run %s",
            "; ".join(superuser_statements()),
        )


def _may_cancel(connection: psycopg.Connection[Any], role: sql.Identifier) -> None:
    """The owner becomes a member of the kiosk role, which is what lets the headless server
    cancel a statement of that role that runs too long (``cancel_overlong``): a role can
    lift its own statement_timeout, not the server's watch."""
    if connection.execute(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone() == (True,):
        return
    try:
        with connection.transaction():
            connection.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(role))
    except psycopg.errors.InsufficientPrivilege:
        log.warning("the owner cannot cancel this kiosk role's statements (not a member)")


def large_objects_forbidden(connection: Any) -> bool:
    """Whether PUBLIC lost lo_create (doctor and ``central status`` say when it did not)."""
    return not bool(
        connection.execute(
            text("SELECT has_function_privilege('public', 'lo_create(oid)', 'EXECUTE')")
        ).scalar()
    )


def cancel_overlong(central: CentralDatabase, limit_s: float) -> int:
    """Cancel kiosk roles' statements running longer than ``limit_s`` (the server's watch
    behind each role's statement_timeout, which the role itself could lift)."""
    with central.connect() as connection:
        cancelled = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_cancel_backend(a.pid)) FROM pg_stat_activity a "
                "JOIN kiosk_roles k ON k.role_name = a.usename "
                "WHERE a.datname = current_database() AND a.state = 'active' "
                "AND a.query_start < now() - make_interval(secs => :limit)"
            ),
            {"limit": limit_s},
        ).scalar()
    if cancelled:
        log.warning("cancelled %d kiosk statement(s) running over %.0f s", cancelled, limit_s)
    return int(cancelled or 0)


def apply_role(
    central: CentralDatabase,
    role: str,
    password: str | None,
    kiosk_id: str,
    max_offline_days: int = DEFAULT_MAX_OFFLINE_DAYS,
) -> bool:
    """Create (or update) ``role`` with its grants, registered for ``kiosk_id``; True when it
    was created."""
    role, kiosk_id = check_role_name(role), check_kiosk_id(kiosk_id)
    raw = central.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert isinstance(connection, psycopg.Connection)
        with connection.transaction():
            database = str(connection.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
            exists = connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)
            ).fetchone()
            taken = connection.execute(
                "SELECT role_name FROM kiosk_roles WHERE kiosk_id = %s AND role_name <> %s",
                (kiosk_id, role),
            ).fetchone()
            if taken is not None:
                raise UsageError(
                    Message("central.kiosk_has_role", kiosk_id=kiosk_id, role=taken[0])
                )
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
            _forbid_large_objects(connection)
            _may_cancel(connection, ident)
            connection.execute(
                "INSERT INTO kiosk_roles (role_name, kiosk_id, max_offline_days, created_at) "
                "VALUES (%s, %s, %s, now()) ON CONFLICT (role_name) DO UPDATE SET "
                "kiosk_id = EXCLUDED.kiosk_id, max_offline_days = EXCLUDED.max_offline_days",
                (role, kiosk_id, int(max_offline_days)),
            )
        return exists is None
    finally:
        raw.close()
