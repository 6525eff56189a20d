"""Helpers shared by the sync tests and their child processes.

Central databases are cloned from a template migrated once per module (``CREATE DATABASE …
TEMPLATE``), and kiosk stores are copies of one migrated SQLite file, so a test pays for
neither Alembic run.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import psycopg
from sqlalchemy import Connection, Table, func, insert, select

from core.secrets.keys import DeploymentKeys
from core.secrets.sealed import seal_photo, seal_template
from core.store.database import Store
from core.store.deployment import claim_deployment
from core.store.migrate import migrate
from core.store.person_keys import add_key
from core.store.tables import EMPLOYEES, EVENTS
from core.store.tables import FACE_TEMPLATES as TEMPLATES
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.ratchet import central_deployment
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres

_templates: dict[str, Path] = {}  # one migrated SQLite file per process


def kiosk_store(path: Path) -> Store:
    """A migrated, empty kiosk store at ``path`` (a copy of one migrated file)."""
    template = _templates.get("sqlite")
    if template is None or not template.exists():
        folder = Path(tempfile.mkdtemp(prefix="asistencia-sqlite-template-"))
        template = folder / "template.db"
        store = Store.open_sqlite(template, TEST_KEYS)
        migrate(store.engine, keys=TEST_KEYS)
        claim_deployment(store)
        store.dispose()
        _templates["sqlite"] = template
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return Store.open_sqlite(path, TEST_KEYS)


@contextmanager
def template_database(server: TestPostgres) -> Iterator[str]:
    """A migrated central database to clone; yields its name."""
    url = server.create_database()
    central = CentralDatabase(url)
    try:
        central.migrate(TEST_KEYS)
    finally:
        central.dispose()
    name = urlsplit(url).path.lstrip("/")
    try:
        yield name
    finally:
        server.drop_database(url)


@contextmanager
def central_from_template(server: TestPostgres, template: str) -> Iterator[str]:
    name = f"asistencia_sync_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = server.url_for(name)
    try:
        yield url
    finally:
        server.drop_database(url)


@contextmanager
def kiosk_role(central_url: str, password: str, kiosk_id: str = "k1") -> Iterator[str]:
    """A least-privilege kiosk role made by the product's own `create-kiosk-role --apply`
    code, registered for ``kiosk_id``; dropped afterwards."""
    import pytest

    from core.sync.roles import apply_role

    role = f"kiosk_{uuid.uuid4().hex[:8]}"
    owner = CentralDatabase(central_url)
    try:
        try:
            assert apply_role(owner, role, password, kiosk_id) is True
        except Exception as exc:
            if "permission denied" in str(exc):
                pytest.skip("the test server's user may not create roles")
            raise
        yield role
    finally:
        with psycopg.connect(central_url, autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())
        owner.dispose()


def with_password(url: str, password: str) -> str:
    """The same URL with a password (the test server trusts local connections)."""
    parts = urlsplit(url)
    user = parts.username or "postgres"
    host = parts.netloc.split("@", 1)[1] if "@" in parts.netloc else parts.netloc
    return parts._replace(netloc=f"{user}:{password}@{host}").geturl()


# --- data ----------------------------------------------------------------------------------


def vector(seed: int, dim: int = 128) -> bytes:
    rng = np.random.default_rng(seed)
    return rng.standard_normal(dim).astype(np.float32).tobytes()


def add_employee_centrally(
    central: CentralDatabase,
    code: str,
    name: str = "",
    *,
    templates: int = 0,
    seed: int = 0,
    employee_id: uuid.UUID | None = None,
) -> uuid.UUID:
    employee_id = employee_id or uuid.uuid4()
    now = datetime.now(UTC)
    with central.begin() as connection:
        lock_revisions(connection)
        person = add_key(connection, central_keys(connection), employee_id, pending=False)
        connection.execute(
            insert(EMPLOYEES).values(
                id=employee_id,
                code=code,
                name=name or f"Employee {code}",
                active=True,
                pin_failed_attempts=0,
                pin_lockout_level=0,
                consent_at=now - timedelta(days=1),
                photo_jpeg=seal_photo(person, employee_id, b"\xff\xd8jpeg"),
                created_at=now,
                updated_at=now,
                sync_pending=False,
            )
        )
        if templates:
            connection.execute(
                insert(TEMPLATES),
                [
                    {
                        "id": (template_id := uuid.uuid4()),
                        "employee_id": employee_id,
                        "model_name": "Dlib",
                        "vector": seal_template(
                            person, template_id, employee_id, vector(seed * 1000 + i)
                        ),
                        "dim": 128,
                        "quality": 0.9,
                        "source": "photo",
                        "created_at": now - timedelta(hours=1),
                        "sync_pending": False,
                    }
                    for i in range(templates)
                ],
            )
    return employee_id


def central_keys(connection: Connection) -> DeploymentKeys:
    """The test keys at the central database's current epoch (erasures move it on)."""
    found = central_deployment(connection)
    return TEST_KEYS.at_epoch(0 if found is None else found[2])


def event_row(employee_id: uuid.UUID, kiosk_id: str, at: datetime | None = None) -> dict[str, Any]:
    at = at or datetime.now(UTC)
    return {
        "id": uuid.uuid4(),
        "employee_id": employee_id,
        "kiosk_id": kiosk_id,
        "kind": "in",
        "occurred_at": at,
        "timezone": "UTC",
        "shift_day": at.date(),
        "late_minutes": 0,
        "early_leave_minutes": 0,
        "overtime_minutes": 0,
        "method": "pin",
        "created_at": at,
    }


def record_events(
    store: Store, employee_id: uuid.UUID, count: int, kiosk_id: str
) -> list[uuid.UUID]:
    """Write ``count`` events in one local transaction (as the attendance service would)."""
    rows = [event_row(employee_id, kiosk_id) for _ in range(count)]
    with store.write() as session:
        session.execute(insert(EVENTS), rows)
    return [row["id"] for row in rows]


def local_ids(store: Store, table: Table) -> set[uuid.UUID]:
    with store.read() as session:
        return set(session.scalars(select(table.c.id)))


def central_ids(central: CentralDatabase, table: Table) -> set[uuid.UUID]:
    with central.connect() as connection:
        return set(connection.scalars(select(table.c.id)))


def central_count(central: CentralDatabase, table: Table) -> int:
    with central.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def unsynced(store: Store, table: Table = EVENTS) -> int:
    with store.read() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(table).where(table.c.synced_at.is_(None))
            )
            or 0
        )
