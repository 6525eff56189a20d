"""Sync under crashes, outages and concurrency (issue #5, item 8), against a real PostgreSQL."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.store.database import Store
from core.store.models import Employee
from core.store.tables import EVENTS
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.scheduler import SyncScheduler
from tests.support.keys import TEST_KEYS
from tests.support.paths import ROOT
from tests.support.pg import TestPostgres
from tests.support.sync_support import (
    add_employee_centrally,
    central_count,
    central_ids,
    kiosk_store,
    local_ids,
    record_events,
    unsynced,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

KILLS = 20


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.sync_kiosk", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _local_employee(store_path: Path, person: uuid.UUID) -> None:
    store = kiosk_store(store_path)
    with store.write() as session:
        session.add(Employee(id=person, code="CRASH", name="Crash Test", sync_pending=False))
    store.dispose()


def test_sync_killed_with_sigkill_at_random_moments_loses_and_doubles_nothing(
    tmp_path: Path, central_url: str
) -> None:
    central = CentralDatabase(central_url)
    person = add_employee_centrally(central, "CRASH")
    database = tmp_path / "kiosk.db"
    _local_employee(database, person)
    rng = random.Random(5)
    cycles_seen = 0
    for _ in range(KILLS):
        child = _child("loop", str(database), central_url, "crash", str(person), "7")
        try:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            assert line == "ready", child.stderr.read() if child.stderr else line
            time.sleep(rng.uniform(0.02, 0.4))
        finally:
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate(timeout=30)
        cycles_seen += out.count("cycle ok=True")
    assert cycles_seen > 0  # the kills landed while it was syncing, not only at start-up

    kiosk = Store.open_sqlite(database, TEST_KEYS)
    engine = SyncEngine(kiosk, central, kiosk_id="crash", batch_size=7)
    try:
        result = engine.run_once()  # the survivor's first cycle drains what is left
        assert result.ok, result.error
        made = local_ids(kiosk, EVENTS)
        assert len(made) >= KILLS * 5
        assert central_ids(central, EVENTS) == made  # none lost
        assert central_count(central, EVENTS) == len(made)  # none doubled
        assert unsynced(kiosk) == 0
    finally:
        engine.close()
        kiosk.dispose()


def test_ten_kiosks_pushing_a_thousand_records_each_at_once(
    tmp_path: Path, central_url: str
) -> None:
    central = CentralDatabase(central_url)
    add_employee_centrally(central, "E0001")
    children = []
    for n in range(10):
        database = tmp_path / f"kiosk{n}.db"
        kiosk_store(database).dispose()
        children.append(_child("burst", str(database), central_url, f"kiosk-{n}", "1000"))
    try:
        for child in children:
            assert child.stdout is not None and child.stdin is not None
            line = child.stdout.readline().strip()
            assert line == "ready", line + (child.stderr.read() if child.stderr else "")
        for child in children:  # release them together
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=120) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert out.strip().endswith("done 1000"), out
    assert central_count(central, EVENTS) == 10_000
    with central.connect() as connection:
        per_kiosk: dict[str, int] = dict(
            connection.execute(
                select(EVENTS.c.kiosk_id, func.count()).group_by(EVENTS.c.kiosk_id)
            ).all()
        )
    assert per_kiosk == {f"kiosk-{n}": 1000 for n in range(10)}
    central.dispose()


def test_the_central_server_stopped_mid_run_then_the_queue_drains_by_itself(
    tmp_path: Path, postgres_server: TestPostgres, central_url: str
) -> None:
    if not postgres_server.can_restart:
        pytest.skip("ASISTENCIA_TEST_DATABASE_URL names an external server the tests cannot stop")
    central = CentralDatabase(central_url)
    person = add_employee_centrally(central, "E1")
    store_path = tmp_path / "k.db"
    _local_employee(store_path, person)
    store = Store.open_sqlite(store_path, TEST_KEYS)
    engine = SyncEngine(store, CentralDatabase(central_url), kiosk_id="k1", batch_size=20)
    scheduler = SyncScheduler(engine, 0.1, max_backoff_s=0.5)
    stop_recording = threading.Event()
    made_during_outage: list[uuid.UUID] = []
    outage = threading.Event()

    def recorder() -> None:
        while not stop_recording.is_set():
            ids = record_events(store, person, 3, "k1")
            if outage.is_set():
                made_during_outage.extend(ids)
            time.sleep(0.02)

    thread = threading.Thread(target=recorder)
    thread.start()
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while central_count(central, EVENTS) < 30:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        outage.set()
        postgres_server.stop()
        try:
            deadline = time.monotonic() + 20
            while engine.tracker.failures < 2:
                assert time.monotonic() < deadline, "no failure seen while the server was down"
                time.sleep(0.05)
            time.sleep(0.5)
        finally:
            postgres_server.start()
        outage.clear()
        time.sleep(0.3)
        stop_recording.set()
        thread.join()
        deadline = time.monotonic() + 30
        while unsynced(store) or engine.tracker.failures:
            assert time.monotonic() < deadline, engine.snapshot()
            time.sleep(0.05)
    finally:
        stop_recording.set()
        thread.join()
        scheduler.stop()
        engine.close()
    assert made_during_outage, "no records were made while the server was down"
    assert central_ids(central, EVENTS) == local_ids(store, EVENTS)
    assert set(made_during_outage) <= central_ids(central, EVENTS)
    store.dispose()
    central.dispose()
