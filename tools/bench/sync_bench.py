"""Sync benchmarks for ``main.py bench``: push 10,000 records, pull 10,000 templates.

Each sets up its own data: by default a scratch database is created on the server that
``url`` names (its user needs CREATEDB) and dropped afterwards; with ``fresh=False`` the
database in ``url`` is used as it is (it should be empty). The kiosk side is a temporary
SQLite store. Only the sync cycle itself is timed, not the set-up.

Targets (issue #5): each ≤ 5 s against the embedded server on the project's machine.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import insert, text

from core.secrets.keys import DeploymentKeys
from core.secrets.sealed import seal_template
from core.store.database import Store, create_store_engine
from core.store.migrate import migrate
from core.store.tables import EMPLOYEES, EVENTS
from core.store.tables import FACE_TEMPLATES as TEMPLATES
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.engine import SyncEngine

# One throw-away deployment for the bench's scratch databases.
BENCH_KEYS = DeploymentKeys.generate()

BATCH = 500
TEMPLATES_PER_PERSON = 10


@contextmanager
def _database(url: str, fresh: bool) -> Iterator[str]:
    if not fresh:
        yield url
        return
    name = f"asistencia_bench_{uuid.uuid4().hex[:10]}"
    admin = create_store_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        parts = urlsplit(url)
        try:
            yield parts._replace(path=f"/{name}").geturl()
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def _kiosk(central: CentralDatabase, batch: int) -> Iterator[SyncEngine]:
    with tempfile.TemporaryDirectory(prefix="asistencia-bench-") as folder:
        store = Store.open_sqlite(Path(folder) / "kiosk.db", BENCH_KEYS)
        migrate(store.engine, keys=BENCH_KEYS)
        engine = SyncEngine(store, central, kiosk_id="bench", batch_size=batch)
        try:
            yield engine
        finally:
            engine.request_stop()
            store.dispose()


def _employees(central: CentralDatabase, count: int) -> list[uuid.UUID]:
    now = datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(count)]
    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            insert(EMPLOYEES),
            [
                {
                    "id": employee_id,
                    "code": f"B{i:06}",
                    "name": f"Bench {i}",
                    "active": True,
                    "pin_failed_attempts": 0,
                    "pin_lockout_level": 0,
                    "consent_at": now - timedelta(days=1),
                    "created_at": now,
                    "updated_at": now,
                    "sync_pending": False,
                }
                for i, employee_id in enumerate(ids)
            ],
        )
    return ids


def bench_push(url: str, n: int = 10_000, *, batch: int = BATCH, fresh: bool = True) -> float:
    """Seconds for one sync cycle that pushes ``n`` attendance records made on a kiosk."""
    with _database(url, fresh) as database:
        central = CentralDatabase(database, application_name="asistencia bench")
        try:
            central.migrate(BENCH_KEYS)
            (person,) = _employees(central, 1)
            with _kiosk(central, batch) as kiosk:
                if not kiosk.run_once().ok:  # pulls the employee
                    raise RuntimeError(kiosk.snapshot().last_error or "sync failed")
                now = datetime.now(UTC)
                rows = [
                    {
                        "id": uuid.uuid4(),
                        "employee_id": person,
                        "kiosk_id": "bench",
                        "kind": "in" if i % 2 == 0 else "out",
                        "occurred_at": now - timedelta(seconds=n - i),
                        "timezone": "UTC",
                        "shift_day": now.date(),
                        "late_minutes": 0,
                        "early_leave_minutes": 0,
                        "overtime_minutes": 0,
                        "method": "face",
                        "score": 0.03,
                        "created_at": now,
                    }
                    for i in range(n)
                ]
                with kiosk.store.write() as session:
                    session.execute(insert(EVENTS), rows)
                started = time.perf_counter()
                result = kiosk.run_once()
                elapsed = time.perf_counter() - started
                if not result.ok or result.pushed.get("attendance_events") != n:
                    raise RuntimeError(f"push bench failed: {result.error or result.pushed}")
                return elapsed
        finally:
            central.dispose()


def bench_pull_templates(
    url: str, n: int = 10_000, *, batch: int = BATCH, fresh: bool = True
) -> float:
    """Seconds for a new kiosk's sync cycle that pulls ``n`` face templates (and their
    ``n / 10`` employees) from the central database."""
    with _database(url, fresh) as database:
        central = CentralDatabase(database, application_name="asistencia bench")
        try:
            central.migrate(BENCH_KEYS)
            people = _employees(central, max(1, n // TEMPLATES_PER_PERSON))
            rng = np.random.default_rng(0)
            vectors = rng.standard_normal((n, 128)).astype(np.float32)
            created = datetime.now(UTC) - timedelta(hours=1)
            with central.begin() as connection:
                lock_revisions(connection)
                connection.execute(
                    insert(TEMPLATES),
                    [
                        {
                            "id": (template_id := uuid.uuid4()),
                            "employee_id": (owner := people[i % len(people)]),
                            "model_name": "Dlib",
                            "vector": seal_template(
                                BENCH_KEYS, template_id, owner, vectors[i].tobytes()
                            ),
                            "dim": 128,
                            "quality": 0.9,
                            "source": "photo",
                            "created_at": created,
                            "sync_pending": False,
                        }
                        for i in range(n)
                    ],
                )
            with _kiosk(central, batch) as kiosk:
                started = time.perf_counter()
                result = kiosk.run_once()
                elapsed = time.perf_counter() - started
                if not result.ok or result.pulled.get("face_templates") != n:
                    raise RuntimeError(f"pull bench failed: {result.error or result.pulled}")
                return elapsed
        finally:
            central.dispose()
