"""The sync scheduler: one cycle at a time, back-off with jitter, failure and recovery logged
once each."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from core.host.backoff import backoff_delay
from core.store.models import Employee
from core.store.tables import EVENTS
from core.sync.central import CentralDatabase
from core.sync.engine import CycleResult, SyncEngine
from core.sync.scheduler import JOB_ID, SyncScheduler
from tests.support.pg import TestPostgres
from tests.support.sync_support import (
    add_employee_centrally,
    central_count,
    central_from_template,
    kiosk_store,
    record_events,
    unsynced,
    with_password,
)

SECRET = "hunter2-secret"
UNREACHABLE = f"postgresql://asistencia:{SECRET}@127.0.0.1:1/asistencia"


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    low, high = (lambda: 0.0), (lambda: 1.0)
    cap = 15 * 60
    assert backoff_delay(1, 60, cap=cap, rand=low) == pytest.approx(48)
    assert backoff_delay(1, 60, cap=cap, rand=high) == pytest.approx(72)
    assert backoff_delay(3, 60, cap=cap, rand=lambda: 0.5) == pytest.approx(240)
    assert backoff_delay(6, 60, cap=cap, rand=lambda: 0.5) == pytest.approx(900)  # 15 min cap
    assert backoff_delay(50, 60, cap=cap, rand=high) == pytest.approx(900)  # never past it
    assert backoff_delay(50, 60, cap=cap, rand=low) == pytest.approx(720)  # spread below it
    assert backoff_delay(2, 10, cap=15, rand=lambda: 0.5) == pytest.approx(15)


def test_the_sync_job_never_runs_twice_at_once_and_coalesces(tmp_path: Path) -> None:
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(UNREACHABLE), kiosk_id="k1")
    scheduler = SyncScheduler(engine, 60, first_run_delay_s=3600)
    scheduler.start()
    try:
        job = scheduler.scheduler.get_job(JOB_ID)
        assert job is not None and job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval.total_seconds() == 60
    finally:
        scheduler.stop()
        engine.close()
        store.dispose()


@pytest.mark.postgres
def test_failure_is_logged_once_recovery_once_and_records_keep_being_made(
    tmp_path: Path,
    postgres_server: TestPostgres,
    template: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store = kiosk_store(tmp_path / "k.db")
    person = uuid.uuid4()
    with store.write() as session:
        session.add(Employee(id=person, code="E1", name="Ana", sync_pending=False))
    engine = SyncEngine(store, CentralDatabase(UNREACHABLE), kiosk_id="k1", batch_size=50)

    lock = threading.Lock()
    running = [0, 0]  # now, most at once
    real_run = engine.run_once

    def counted() -> CycleResult:
        with lock:
            running[0] += 1
            running[1] = max(running)
        try:
            time.sleep(0.05)  # longer than the interval: the next run is due while this one runs
            return real_run()
        finally:
            with lock:
                running[0] -= 1

    engine.run_once = counted  # type: ignore[method-assign]
    scheduler = SyncScheduler(engine, 0.04, max_backoff_s=0.25)
    with central_from_template(postgres_server, template) as url:
        good = CentralDatabase(with_password(url, SECRET))
        add_employee_centrally(good, "E1", employee_id=person)
        scheduler.start()
        try:
            made = 0
            while engine.tracker.failures < 4:  # the kiosk keeps recording meanwhile
                made += len(record_events(store, person, 5, "k1"))
                time.sleep(0.05)
            assert engine.status().last_error is not None
            assert SECRET not in str(engine.status())
            bad, engine.central = engine.central, good  # the server is back
            bad.dispose()
            wait_for(lambda: engine.tracker.failures == 0 and unsynced(store) == 0)
        finally:
            scheduler.stop()
        assert central_count(good, EVENTS) == made and made >= 20
        engine.close()
    store.dispose()

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    recoveries = [r for r in caplog.records if "reachable again after" in r.getMessage()]
    assert len(warnings) == 1, [w.getMessage() for w in warnings]
    assert warnings[0].getMessage().startswith("central database unreachable: ")
    assert len(recoveries) == 1 and recoveries[0].levelno == logging.INFO
    assert SECRET not in caplog.text
    assert running[1] == 1
    assert scheduler.next_delays and all(0.03 <= d <= 0.3 for d in scheduler.next_delays)
    assert max(scheduler.next_delays) > min(scheduler.next_delays)  # it grew (or jittered)


@pytest.mark.parametrize("owned", [True, False], ids=["kiosk", "headless"])
def test_stopping_while_a_failed_run_backs_off_never_hangs(tmp_path: Path, owned: bool) -> None:
    """APScheduler's shutdown joins its workers holding the job-store lock; a run backing off
    asks the scheduler for its job under that lock. Stopping then hung the kiosk's close
    and the headless server's SIGTERM for good (seen in CI)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from core.server.job_runner import ServerJobs

    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(UNREACHABLE), kiosk_id="k1")
    entered, stopping = threading.Event(), threading.Event()

    def failing_set_up() -> None:  # like the headless server's migrations on a dead database
        entered.set()
        stopping.wait(5)
        time.sleep(0.3)  # the stop below is inside the scheduler's shutdown by now
        raise ConnectionError("central database unreachable")

    shared = None if owned else BackgroundScheduler()
    scheduler = SyncScheduler(engine, 60, scheduler=shared, before_cycle=failing_set_up)
    scheduler.start()
    if shared is not None:
        shared.start()
    assert entered.wait(10)

    def stop() -> None:
        stopping.set()
        if shared is None:
            scheduler.stop()
        else:  # as ServerJobs.stop does it for the headless server
            ServerJobs.stop(type("Jobs", (), {"sync": scheduler, "scheduler": shared})())

    stopper = threading.Thread(target=stop)
    stopper.start()
    stopper.join(15)
    try:
        assert not stopper.is_alive(), "stopping hung"
    finally:
        store.dispose()
