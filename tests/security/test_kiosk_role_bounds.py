"""A kiosk's login is bounded (issue 22, item 3), against a real PostgreSQL: what a stolen
login could use to fill the server's disk or hold its connections and CPU is refused or
cut short. Each bound is tried as the attacker would, with the role `create-kiosk-role
--apply` made."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import func, select, text

from core.store.models import AttendanceEvent
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.roles import CONNECTION_LIMIT, STATEMENT_TIMEOUT, cancel_overlong
from tests.support.sync_support import (
    add_employee_centrally,
    event_row,
    kiosk_role,
    kiosk_store,
    record_events,
)

pytestmark = pytest.mark.postgres
PASSWORD = "bounded-Passw0rd-1"


@pytest.fixture
def role(central_url: str) -> Iterator[str]:
    with kiosk_role(central_url, PASSWORD, "k1") as name:
        yield name


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


def _refused(url: str, statement: str) -> str:
    with (
        psycopg.connect(url, autocommit=True) as connection,
        pytest.raises(psycopg.Error) as caught,
    ):
        connection.execute(statement)
    return str(caught.value)


def test_no_temporary_tables_and_no_large_objects(central_url: str, role: str) -> None:
    login = _login(central_url, role)
    assert "permission denied" in _refused(login, "CREATE TEMP TABLE t (b bytea)")
    assert "permission denied" in _refused(login, "SELECT lo_from_bytea(0, 'x')")
    assert "permission denied" in _refused(login, "SELECT lo_create(0)")
    # The owner (the headless server) is not bounded by it.
    with psycopg.connect(central_url, autocommit=True) as connection:
        connection.execute("CREATE TEMP TABLE mine (b bytea)")


def test_a_connection_limit_and_statement_timeouts(central_url: str, role: str) -> None:
    login = _login(central_url, role)
    held = [psycopg.connect(login, autocommit=True) for _ in range(CONNECTION_LIMIT)]
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections"):
            psycopg.connect(login)
        settings = held[0].execute("SHOW statement_timeout").fetchone()
        assert settings == (STATEMENT_TIMEOUT,)
        idle = held[0].execute("SHOW idle_in_transaction_session_timeout").fetchone()
        assert idle is not None and idle[0] != "0"
    finally:
        for connection in held:
            connection.close()


def test_a_role_that_lifts_its_own_timeout_is_still_cut_short(central_url: str, role: str) -> None:
    outcome: list[str] = []

    def attacker() -> None:
        with psycopg.connect(_login(central_url, role), autocommit=True) as connection:
            connection.execute("SET statement_timeout = 0")
            try:
                connection.execute("SELECT pg_sleep(60)")
                outcome.append("finished")
            except psycopg.errors.QueryCanceled:
                outcome.append("cancelled")

    thread = threading.Thread(target=attacker)
    started = time.monotonic()
    thread.start()
    owner = CentralDatabase(central_url)
    try:
        cancelled = 0
        while not cancelled and time.monotonic() - started < 30:
            time.sleep(0.5)
            cancelled = cancel_overlong(owner, limit_s=1.0)
        thread.join(timeout=30)
    finally:
        owner.dispose()
    assert outcome == ["cancelled"]
    assert time.monotonic() - started < 30


def _push(url: str, rows: list[dict[str, Any]]) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT asistencia_push('attendance_events', %s::jsonb)",
            (json.dumps(rows, default=str),),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _stored(central_url: str) -> int:
    owner = CentralDatabase(central_url)
    try:
        with owner.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(AttendanceEvent)) or 0)
    finally:
        owner.dispose()


def test_pushes_are_bounded_per_call_and_per_hour(
    central_url: str, role: str, tmp_path: Path
) -> None:
    owner = CentralDatabase(central_url)
    person = add_employee_centrally(owner, "E1")
    login = _login(central_url, role)
    with pytest.raises(psycopg.Error, match="at most 1000 rows"):
        _push(login, [event_row(person, "k1") for _ in range(1001)])
    assert _stored(central_url) == 0
    with owner.begin() as connection:
        connection.execute(text("UPDATE kiosk_roles SET max_rows_per_hour = 3"))
    assert _push(login, [event_row(person, "k1") for _ in range(2)]) == 2
    with pytest.raises(psycopg.Error, match="may send 3 records an hour"):
        _push(login, [event_row(person, "k1") for _ in range(2)])
    assert _stored(central_url) == 2  # the refused push left nothing, not even its count
    assert _push(login, [event_row(person, "k1")]) == 1
    # An honest kiosk over its quota loses nothing: its records wait for a later sync.
    with owner.begin() as connection:
        connection.execute(text("UPDATE push_quota SET rows = 0"))
        connection.execute(text("UPDATE kiosk_roles SET max_rows_per_hour = 2"))
    store = kiosk_store(tmp_path / "k1.db")
    engine = SyncEngine(store, CentralDatabase(login), kiosk_id="k1", batch_size=2)
    try:
        assert engine.run_once().ok  # the kiosk learns its people
        record_events(store, person, 5, "k1")
        result = engine.run_once()
        assert not result.ok and "records an hour" in (result.error or "")
        assert engine.pending_count() == 3
        with owner.begin() as connection:
            connection.execute(text("UPDATE kiosk_roles SET max_rows_per_hour = 100"))
        assert engine.run_once().ok
        assert engine.pending_count() == 0
        assert _stored(central_url) == 3 + 5
    finally:
        engine.close()
        store.dispose()
        owner.dispose()
