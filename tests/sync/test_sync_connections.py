"""A kiosk holds no central connection between sync cycles (CentralDatabase.release).

Kept open, each kiosk's pooled connection was a backend on the central server all day: the
load test's 200 kiosks held 203 connections, twice PostgreSQL's default max_connections.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from tests.support.sync_support import add_employee_centrally, kiosk_store, record_events

pytestmark = pytest.mark.postgres
APP = "asistencia conn-test"


def _backends(central_url: str) -> int:
    with psycopg.connect(central_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (APP,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_cycle_leaves_no_connection_open(central_url: str, tmp_path: Path) -> None:
    owner = CentralDatabase(central_url)
    person = add_employee_centrally(owner, "C1", templates=1)
    owner.dispose()
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(central_url, application_name=APP), kiosk_id="k1")
    try:
        first = engine.run_once()
        assert first.ok and first.pulled.get("face_templates") == 1
        assert _backends(central_url) == 0
        assert engine.central.engine.pool.checkedin() == 0  # type: ignore[attr-defined]
        record_events(store, person, 3, "k1")
        second = engine.run_once()  # connects again as needed
        assert second.ok and second.pushed.get("attendance_events") == 3
        assert _backends(central_url) == 0
    finally:
        engine.close()
        store.dispose()
