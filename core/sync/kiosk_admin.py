"""Kiosks added, given a new join file, and removed: the owner's side of joining.

``add_kiosk`` makes the kiosk's least-privilege role (core/sync/roles.py) with a random
password that is ``VALID UNTIL`` the join file's expiry, registered with
``join_expires_at`` and no ``joined_at``; at its first connection the kiosk replaces that
password with one of its own through ``asistencia_join`` (migration 0009), so the join
file's password opens nothing after use. ``rotate_kiosk`` does the same again for a kiosk
already added (a lost file, an expired one, a reinstalled kiosk). ``remove_kiosk`` takes
the login, its grants and its registration away and ends its open connections; what the
kiosk already sent stays (records carry the role that sent them), and its heartbeat row
goes, so the fleet no longer lists a door that is gone. Each is one transaction with its
audit line (kiosk id ``central``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from psycopg import sql
from sqlalchemy import Connection, delete, select, text, update

from core.errors import NotFoundError, UsageError
from core.i18n import Message
from core.secrets.keys import DeploymentKeys
from core.store.tables import KIOSK_HEARTBEATS, KIOSK_ROLES
from core.sync.central import CentralDatabase
from core.sync.join_file import CentralAccess, JoinPayload
from core.sync.ratchet import central_deployment
from core.sync.roles import (
    DEFAULT_MAX_OFFLINE_DAYS,
    apply_role,
    check_kiosk_id,
    quote_ident,
)
from core.sync.site_admin import central_audit, check_site_code, site_id_of

DEFAULT_EXPIRY_HOURS = 72
MAX_EXPIRY_HOURS = 24 * 30
PASSWORD_BYTES = 32  # token_urlsafe: 43 characters, 256 bits
CA_LIMIT = 64 * 2**10
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def role_for(kiosk_id: str) -> str:
    """``kiosk_`` and the kiosk id in the characters a role name may have, with a short hash
    of the id, so two ids that read alike ("Entrada", "entrada!") get two roles."""
    readable = re.sub(r"[^a-z0-9_]+", "_", kiosk_id.lower()).strip("_")[:40]
    digest = hashlib.sha256(kiosk_id.encode("utf-8")).hexdigest()[:6]
    return f"kiosk_{readable}_{digest}" if readable else f"kiosk_{digest}"


def check_expiry_hours(hours: float) -> float:
    if not 0 < hours <= MAX_EXPIRY_HOURS:
        raise UsageError(Message("join.bad_expiry", most=MAX_EXPIRY_HOURS))
    return hours


def access_from_url(
    url: str,
    *,
    host: str | None = None,
    port: int | None = None,
    sslmode: str | None = None,
    ca_file: Path | None = None,
) -> CentralAccess:
    """Where kiosks reach the central database: the owner's URL's host, port, database and
    TLS settings, each replaced by what was given (the owner often connects on localhost,
    the kiosks by the server's name)."""
    parts = urlsplit(url)
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    found_host = host or parts.hostname or query.get("host") or "localhost"
    try:
        found_port = port or parts.port or int(query.get("port", "5432"))
    except ValueError:
        raise UsageError(Message("join.bad_port")) from None
    if not 1 <= found_port <= 65535:
        raise UsageError(Message("join.bad_port"))
    mode = sslmode or query.get("sslmode")
    if mode is not None and mode not in SSLMODES:
        raise UsageError(Message("join.bad_sslmode", mode=mode, modes=", ".join(SSLMODES)))
    ca_path = ca_file or (Path(query["sslrootcert"]) if "sslrootcert" in query else None)
    ca_pem = None
    if ca_path is not None:
        from core.host.bounded_read import FileKind, FileRefusedError, read_bounded

        try:
            ca_pem = read_bounded(ca_path, FileKind("read.kind.ca", CA_LIMIT)).decode("ascii")
        except FileRefusedError as exc:
            raise UsageError(exc.message) from None
        except UnicodeDecodeError:
            raise UsageError(Message("join.bad_ca", path=ca_path)) from None
        if "-----BEGIN CERTIFICATE-----" not in ca_pem:
            raise UsageError(Message("join.bad_ca", path=ca_path))
        mode = mode or "verify-full"
    database = unquote(parts.path.lstrip("/")) or "asistencia"
    return CentralAccess(found_host, found_port, database, mode, ca_pem)


@dataclass(frozen=True)
class Removed:
    role: str
    connections_ended: int
    last_seen: datetime | None


def _registered(connection: Connection, kiosk_id: str) -> Any:
    return connection.execute(
        select(KIOSK_ROLES.c.role_name, KIOSK_ROLES.c.joined_at, KIOSK_ROLES.c.site_id).where(
            KIOSK_ROLES.c.kiosk_id == kiosk_id
        )
    ).first()


def _deployment_keys(central: CentralDatabase, keys: DeploymentKeys) -> DeploymentKeys:
    """These keys at the central database's epoch; refused when they are not its keys."""
    central.check_schema()
    central.check_deployment(keys)
    with central.connect() as connection:
        found = central_deployment(connection)
    assert found is not None  # check_deployment said so
    return keys.at_epoch(found[2])


def _open_for_join(connection: Connection, role: str, password: str, until: datetime) -> None:
    """The role may log in with ``password`` until ``until``, and not after."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    verifier = raw.pgconn.encrypt_password(
        password.encode(), role.encode(), b"scram-sha-256"
    ).decode("ascii")
    raw.execute(
        sql.SQL("ALTER ROLE {} LOGIN PASSWORD {} VALID UNTIL {}").format(
            sql.Identifier(role), sql.Literal(verifier), sql.Literal(until.isoformat())
        )
    )


def _issue(
    central: CentralDatabase,
    keys: DeploymentKeys,
    kiosk_id: str,
    *,
    site: str | None,
    change_site: bool,
    hours: float,
    access: CentralAccess,
    action: str,
    actor: str,
    now: datetime,
) -> JoinPayload:
    until = now + timedelta(hours=hours)
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    with central.begin() as connection:
        row = _registered(connection, kiosk_id)
        assert row is not None
        values: dict[str, Any] = {"join_expires_at": until, "joined_at": None}
        if change_site:
            values["site_id"] = None if site is None else site_id_of(connection, site)
        _open_for_join(connection, row.role_name, password, until)
        connection.execute(
            update(KIOSK_ROLES).where(KIOSK_ROLES.c.kiosk_id == kiosk_id).values(**values)
        )
        if not change_site and row.site_id is not None:
            site = connection.scalar(
                text("SELECT code FROM sites WHERE id = :id"), {"id": row.site_id}
            )
        central_audit(
            connection,
            action=action,
            target=kiosk_id,
            target_type="kiosk",
            details={"role": row.role_name, "site": site, "expires_at": until},
            reason="",
            actor=actor,
            now=now,
        )
    return JoinPayload(access, row.role_name, password, kiosk_id, site, until, keys)


def add_kiosk(
    central: CentralDatabase,
    keys: DeploymentKeys,
    kiosk_id: str,
    *,
    site: str | None,
    hours: float,
    access: CentralAccess,
    actor: str,
    now: datetime,
) -> JoinPayload:
    """A new kiosk's role, registered and open for its join file until ``now + hours``."""
    kiosk_id = check_kiosk_id(kiosk_id)
    site = None if site is None else check_site_code(site)
    check_expiry_hours(hours)
    keys = _deployment_keys(central, keys)
    with central.connect() as connection:
        if _registered(connection, kiosk_id) is not None:
            raise UsageError(Message("join.kiosk_exists", kiosk_id=kiosk_id))
        if site is not None:
            site_id_of(connection, site)  # an unknown site is said before anything is made
    apply_role(central, role_for(kiosk_id), None, kiosk_id, DEFAULT_MAX_OFFLINE_DAYS)
    return _issue(
        central,
        keys,
        kiosk_id,
        site=site,
        change_site=True,
        hours=hours,
        access=access,
        action="kiosk.add",
        actor=actor,
        now=now,
    )


def rotate_kiosk(
    central: CentralDatabase,
    keys: DeploymentKeys,
    kiosk_id: str,
    *,
    hours: float,
    access: CentralAccess,
    actor: str,
    now: datetime,
) -> JoinPayload:
    """A new password and expiry for a registered kiosk: its old join file and the password
    it chose at its join both stop working, and it must join again with the new file."""
    kiosk_id = check_kiosk_id(kiosk_id)
    check_expiry_hours(hours)
    keys = _deployment_keys(central, keys)
    with central.connect() as connection:
        if _registered(connection, kiosk_id) is None:
            raise NotFoundError(Message("join.unknown_kiosk", kiosk_id=kiosk_id))
    return _issue(
        central,
        keys,
        kiosk_id,
        site=None,
        change_site=False,
        hours=hours,
        access=access,
        action="kiosk.rotate",
        actor=actor,
        now=now,
    )


def _revoke_statements(role: str, database: str) -> list[str]:
    who = quote_ident(role)
    return [
        f"ALTER ROLE {who} NOLOGIN PASSWORD NULL",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON SCHEMA public FROM {who}",
        f"REVOKE ALL ON DATABASE {quote_ident(database)} FROM {who}",
    ]


def remove_kiosk(
    central: CentralDatabase, kiosk_id: str, *, reason: str, actor: str, now: datetime
) -> Removed:
    """Revoke a kiosk: no login, no grants, not registered, its connections ended.

    The role itself stays (NOLOGIN): records it sent name it, and a later ``add-kiosk``
    with the same id opens it again."""
    kiosk_id = check_kiosk_id(kiosk_id)
    with central.begin() as connection:
        row = _registered(connection, kiosk_id)
        if row is None:
            raise NotFoundError(Message("join.unknown_kiosk", kiosk_id=kiosk_id))
        role = str(row.role_name)
        database = str(connection.scalar(text("SELECT current_database()")))
        for statement in _revoke_statements(role, database):
            connection.exec_driver_sql(statement)
        last_seen = connection.scalar(
            select(KIOSK_HEARTBEATS.c.received_at).where(KIOSK_HEARTBEATS.c.kiosk_id == kiosk_id)
        )
        connection.execute(delete(KIOSK_HEARTBEATS).where(KIOSK_HEARTBEATS.c.kiosk_id == kiosk_id))
        connection.execute(delete(KIOSK_ROLES).where(KIOSK_ROLES.c.role_name == role))
        central_audit(
            connection,
            action="kiosk.remove",
            target=kiosk_id,
            target_type="kiosk",
            details={"role": role, "last_seen": last_seen, "joined_at": row.joined_at},
            reason=reason,
            actor=actor,
            now=now,
        )
    # After the commit: a connection ended now cannot log in again.
    with central.begin() as connection:
        ended = connection.scalar(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE usename = :role"
            ),
            {"role": role},
        )
    return Removed(role, int(ended or 0), last_seen)
