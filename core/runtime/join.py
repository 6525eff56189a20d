"""Joining a deployment with a join file (``main.py join``, the kiosk window's join screen).

Everything that can refuse is checked before anything is written: the passphrase, the
file's expiry, this kiosk's own keys against the deployment's (a kiosk with faces or
records sealed under keys of its own cannot take another deployment's: ``secrets import``
is the way for it), a setting the environment pins, and a connection with the file's
password (the server refuses a used, revoked or expired one). Then:

1. a new random password is kept in a staging file beside the secrets file
   (``secrets.toml.join``, 0600);
2. ``asistencia_join`` gets its SCRAM verifier (computed here: the password never travels)
   and makes it the role's password, once;
3. the secrets file (the deployment's keys and the new password), the CA certificate, and
   the settings (the URL without its password, the kiosk id) are written, the staging file
   removed;
4. the first sync runs; whatever it does, the join stays done.

A stop between 2 and 3 (a crash, the network lost with the answer) leaves the file's
password dead and the new one in the staging file only: joining again with the same file
finds that the file's password is refused, tries the staged one, and finishes the job.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from pydantic import SecretStr
from sqlalchemy import func, inspect, select

from core.config import env_name, save_settings
from core.context import AppContext
from core.errors import AsistenciaError, RefusedError
from core.i18n import Message
from core.secrets.keys import DeploymentKeys
from core.secrets.secrets_file import Secrets, read_secrets, write_secrets
from core.store import audit
from core.store.database import Store
from core.store.models import AttendanceEvent, Employee, FaceTemplate
from core.sync.errors import describe_error
from core.sync.join_file import JoinPayload, kiosk_url, open_join_file

log = logging.getLogger(__name__)

CA_FILE_NAME = "central-ca.pem"
CONNECT_TIMEOUT_S = 10
PASSWORD_BYTES = 32
# What the server says when a login's password is refused, expired, or the login is gone.
_REFUSED_STATES = {"28P01", "28000"}
_REFUSED_WORDS = ("password authentication failed", "not permitted to log in", "does not exist")


@dataclass(frozen=True)
class JoinResult:
    kiosk_id: str
    site: str | None
    central: str  # host:port/db as shown to a person
    synced: Message  # what the first sync did (or why it failed: the join itself stays done)


def join_deployment(
    ctx: AppContext,
    path: Path,
    passphrase: str,
    *,
    now: datetime | None = None,
    actor: str | None = None,
) -> JoinResult:
    """Join the deployment of the join file at ``path``; an ``AsistenciaError`` with one
    sentence, and nothing changed, when it is refused."""
    now = now or datetime.now(UTC)
    payload = open_join_file(path, passphrase)
    _check_environment(payload)
    if payload.expires_at <= now:
        raise RefusedError(
            Message(
                "join.expired",
                until=f"{payload.expires_at.astimezone(ctx.settings.zone):%Y-%m-%d %H:%M}",
                kiosk_id=payload.kiosk_id,
            )
        )
    keys = _keys_to_keep(ctx, payload)
    staged = staging_path(ctx)
    with _ca_file(payload) as ca_now:
        login = kiosk_url(payload.central, payload.role, ca_now)
        try:
            connection = _connect(login, payload.password, payload.central.host)
        except _RefusedLoginError:
            # A join that got through before its end was lost: the password is kept here.
            password = _earlier_password(ctx, login, staged, payload.central.host)
            if password is None:
                raise RefusedError(
                    Message(
                        "join.refused", central=payload.central.shown, kiosk_id=payload.kiosk_id
                    )
                ) from None
        else:
            with connection:
                try:
                    _check_central_keys(connection, payload)
                    password = secrets.token_urlsafe(PASSWORD_BYTES)
                    write_secrets(staged, Secrets(keys, password))
                    _take_password(connection, payload, password, staged)
                except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedFunction):
                    staged.unlink(missing_ok=True)  # the server took nothing
                    old = Message("join.central_too_old", central=payload.central.shown)
                    raise RefusedError(old) from None
    settings_url = kiosk_url(payload.central, payload.role, _save_ca(ctx, payload))
    _save(ctx, payload, keys, url=settings_url, password=password, actor=actor or audit.cli_actor())
    staged.unlink(missing_ok=True)
    return JoinResult(payload.kiosk_id, payload.site, payload.central.shown, _first_sync(ctx))


def staging_path(ctx: AppContext) -> Path:
    secrets_file = ctx.paths.secrets_file
    return secrets_file.with_name(secrets_file.name + ".join")


# --- what is checked before anything is written ---------------------------------------


def _check_environment(payload: JoinPayload) -> None:
    """A setting the environment pins wins over the settings file: the join would not take."""
    for field, wanted in (("kiosk_id", payload.kiosk_id), ("central_database_url", None)):
        for name in {env_name(field), "ASISTENCIA_" + field.upper()}:
            value = os.environ.get(name)
            if value and value != wanted:
                raise RefusedError(Message("join.environment_pins", variable=name))


def _same_deployment(own: DeploymentKeys, theirs: DeploymentKeys) -> DeploymentKeys | None:
    """The newer of two sets of one deployment's keys; None for two deployments."""
    if own.pepper_id != theirs.pepper_id:
        return None
    older, newer = (own, theirs) if own.epoch <= theirs.epoch else (theirs, own)
    return newer if older.at_epoch(newer.epoch).key_id == newer.key_id else None


def _keys_to_keep(ctx: AppContext, payload: JoinPayload) -> DeploymentKeys:
    """The deployment's keys this kiosk will hold, or a refusal when it holds data sealed
    under keys of its own."""
    own = _own_keys(ctx)
    if own is None:
        return payload.keys
    if _same_deployment(own, payload.keys) is not None:
        return own  # the first sync moves it to the central epoch, as any sync does
    if _has_data(ctx):
        raise RefusedError(
            Message(
                "join.other_deployment",
                own_key_id=own.key_id,
                key_id=payload.key_id,
            )
        )
    return payload.keys


def _own_keys(ctx: AppContext) -> DeploymentKeys | None:
    if ctx.store_open:
        return ctx.store.keys
    if ctx.paths.secrets_file.exists():
        return read_secrets(ctx.paths.secrets_file).keys
    return None


def _has_data(ctx: AppContext) -> bool:
    """Whether this kiosk's store holds anyone or any record (what the keys seal or sign)."""
    if not ctx.store_open and not ctx.paths.database.exists():
        return False
    opened_here = not ctx.store_open
    store = Store.open_sqlite(ctx.paths.database) if opened_here else ctx.store
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            for model in (Employee, FaceTemplate, AttendanceEvent):
                if model.__tablename__ in tables and connection.scalar(
                    select(func.count()).select_from(model)
                ):
                    return True
        return False
    finally:
        if opened_here:
            store.dispose()


@contextmanager
def _ca_file(payload: JoinPayload) -> Iterator[Path | None]:
    """The CA certificate in a temporary file while nothing may be written to the data dir."""
    if payload.central.ca_pem is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="asistencia-join-") as folder:
        path = Path(folder) / CA_FILE_NAME
        path.write_text(payload.central.ca_pem, encoding="ascii")
        yield path


class _RefusedLoginError(Exception):
    """The server refused the login (wrong, expired or changed password, or no login)."""


def _connect(url: str, password: str, host: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, password=password, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as exc:
        said = str(exc).lower()
        if getattr(exc, "sqlstate", None) in _REFUSED_STATES or any(
            w in said for w in _REFUSED_WORDS
        ):
            raise _RefusedLoginError() from exc
        raise RefusedError(
            Message("join.unreachable", host=host, reason=describe_error(exc))
        ) from None


def _earlier_password(ctx: AppContext, url: str, staged: Path, host: str) -> str | None:
    """A password of an earlier try at this join (staged, or already saved) that the server
    takes; None when there is none."""
    candidates = []
    for path in (staged, ctx.paths.secrets_file):
        try:
            candidates.append(read_secrets(path).central_password if path.exists() else None)
        except AsistenciaError:
            continue
    for password in candidates:
        if not password:
            continue
        try:
            _connect(url, password, host).close()
        except _RefusedLoginError:
            continue
        log.info("a join that got through before its end was lost: finishing it")
        return password
    return None


def _check_central_keys(connection: psycopg.Connection[Any], payload: JoinPayload) -> None:
    """The central database must be the deployment the file's keys say."""
    from core.store.deployment import mismatch

    row = connection.execute(
        "SELECT key_id, pepper_id, epoch FROM deployment WHERE id = 1"
    ).fetchone()
    found = None if row is None else (str(row[0]), str(row[1]), int(row[2]))
    if found is None or mismatch(found, payload.keys, Message("deployment.central_database")):
        raise RefusedError(Message("join.keys_not_central", central=payload.central.shown))


def _take_password(
    connection: psycopg.Connection[Any], payload: JoinPayload, password: str, staged: Path
) -> None:
    verifier = connection.pgconn.encrypt_password(
        password.encode(), payload.role.encode(), b"scram-sha-256"
    ).decode("ascii")
    try:
        connection.execute("SELECT asistencia_join(%s)", (verifier,))
        connection.commit()
    except psycopg.errors.ObjectNotInPrerequisiteState:
        staged.unlink(missing_ok=True)
        raise RefusedError(
            Message("join.refused", central=payload.central.shown, kiosk_id=payload.kiosk_id)
        ) from None
    except psycopg.OperationalError as exc:
        # The answer was lost: the server may or may not have taken the new password.
        raise AsistenciaError(
            Message("join.interrupted", reason=describe_error(exc), staged=staged)
        ) from None


# --- what is written once the server took the new password ----------------------------


def _save_ca(ctx: AppContext, payload: JoinPayload) -> Path | None:
    if payload.central.ca_pem is None:
        return None
    path = ctx.paths.root / CA_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload.central.ca_pem.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    partial.replace(path)
    return path


def _save(
    ctx: AppContext,
    payload: JoinPayload,
    keys: DeploymentKeys,
    *,
    url: str,
    password: str,
    actor: str,
) -> None:
    from core.secrets.secrets_file import with_password
    from core.store.rekey import adopt_secrets

    path = ctx.paths.secrets_file
    own = _own_keys(ctx)
    if own is not None and own.pepper_id != keys.pepper_id and ctx.paths.database.exists():
        # A kiosk with an empty store: its deployment row takes the deployment's ids.
        adopt_secrets(
            ctx.store,
            Secrets(keys, password),
            path,
            forget_pins=False,
            actor=actor,
            kiosk_id=payload.kiosk_id,
        )
    else:
        write_secrets(path, Secrets(keys, password))
    assert ctx.settings_file is not None
    ctx.settings = save_settings(
        ctx.settings_file,
        {
            "kiosk_id": payload.kiosk_id,
            "central_database_url": SecretStr(with_password(url, password)),
        },
        secrets_file=path,
    )
    with ctx.store.write() as session:
        audit.record(
            session,
            actor=actor,
            action="central.join",
            target_type="kiosk",
            target_id=payload.kiosk_id,
            kiosk_id=payload.kiosk_id,
            details={"central": payload.central.shown, "role": payload.role, "site": payload.site},
        )


def _first_sync(ctx: AppContext) -> Message:
    from core.sync.engine import SyncEngine
    from core.sync.heartbeat import settings_report

    try:
        # With a heartbeat, as `sync --once` sends: the fleet shows the kiosk and its first
        # sync at once, not "never" until the kiosk's own next sync.
        engine = SyncEngine.from_settings(
            ctx.store, ctx.settings, report=lambda: settings_report(ctx.settings, ctx.paths.root)
        )
    except AsistenciaError as exc:  # the local store in trouble: the join itself is done
        return Message("join.sync_failed", reason=exc.said())
    assert engine is not None  # the settings were just saved with a URL
    try:
        result = engine.run_once()
    finally:
        engine.close()
    if not result.ok:
        return Message("join.sync_failed", reason=result.error or "")
    return Message(
        "join.synced",
        pushed=sum(result.pushed.values()),
        pulled=sum(result.pulled.values()),
    )
