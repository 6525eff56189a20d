"""The headless server: /health and /metrics, start-up, SIGTERM, and its command lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select

import main
from core.config import load_settings
from core.context import AppContext
from core.doctor.central import check_central_database
from core.host.paths import DataPaths
from core.runtime.api import ModelState
from core.server.headless import HeadlessServer, ServerOptions
from core.states import ModelStatus
from core.store.migrate import SCHEMA_HEAD
from core.store.models import AuditEntry, Role, Shift
from core.store.tables import EMPLOYEES, EVENTS
from core.store.tables import FACE_TEMPLATES as TEMPLATES
from core.sync import push as push_module
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from tests.support.cli import run_main
from tests.support.paths import ROOT
from tests.support.pg import TestPostgres
from tests.support.sync_support import (
    add_employee_centrally,
    central_count,
    kiosk_store,
    record_events,
    unsynced,
    with_password,
)

pytestmark = pytest.mark.postgres
SECRET = "hunter2-Headless"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local test URL)
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def make_ctx(data_dir: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> AppContext:
    monkeypatch.setenv("CENTRAL_DATABASE_URL", url)
    monkeypatch.setenv("ASISTENCIA_HEALTH_PORT", "0")
    paths = DataPaths(data_dir)
    return AppContext(paths, load_settings(paths.settings_file))


class FakeRecognition:
    """The runtime's hook, with a model that loads when the test says so."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.loaded = threading.Event()

    def model_status(self) -> ModelStatus:
        if self.loaded.is_set():
            return ModelStatus(ModelState.READY, "Dlib", elapsed_s=2.0)
        return ModelStatus(ModelState.LOADING, "Dlib", detail="loading the face models")

    def start(self) -> None:
        self.calls.append("start")

    def stop(self) -> None:
        self.calls.append("stop")

    @property
    def finished(self) -> bool:
        return False

    @property
    def records_not_saved(self) -> int:
        return 0


def test_health_is_503_while_the_model_loads_and_the_database_is_down_then_200(
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    postgres_server: TestPostgres,
    postgres_url: str,
) -> None:
    if not postgres_server.can_restart:
        pytest.skip("ASISTENCIA_TEST_DATABASE_URL names an external server the tests cannot stop")
    ctx = make_ctx(isolated_environment, monkeypatch, with_password(postgres_url, SECRET))
    recognition = FakeRecognition()
    server = HeadlessServer(
        ctx, recognition, ServerOptions(sync_interval_s=0.3, max_backoff_s=1.0, health_port=0)
    )
    postgres_server.stop()
    try:
        main.start_headless(server)  # the start-up order main.py runs
        assert recognition.calls == ["start"]  # recognition starts last (main.py starts the loader)
        assert server.health is not None
        url = server.health.url
        health = f"{url}/health"
        code, text = get(health)
        body = json.loads(text)
        assert code == 503 and body["status"] in {"starting", "unhealthy"}
        assert body["model"].startswith("loading") and "loading" in body["reason"]
        assert body["database"].startswith("unreachable") and "central database" in body["reason"]
        assert SECRET not in text

        recognition.loaded.set()
        code, text = get(health)
        body = json.loads(text)
        assert code == 503 and body["model"] == "ready"
        assert body["status"] == "unhealthy" and "central database" in body["reason"]
    finally:
        postgres_server.start()
    try:
        wait_for(lambda: get(health)[0] == 200)
        body = json.loads(get(health)[1])
        assert body == {**body, "status": "ok", "model": "ready", "database": "ok", "store": "ok"}
        wait_for(
            lambda: (
                server.link is not None and server.link.engine.snapshot().last_success is not None
            )
        )
        code, metrics = get(f"{url}/metrics")
        assert code == 200
        assert 'asistencia_model_state{asistencia_model_state="ready"} 1.0' in metrics
        assert "asistencia_sync_duration_seconds_count" in metrics
        assert "asistencia_sync_last_success_timestamp_seconds" in metrics
        assert SECRET not in metrics
        assert get(f"{url}/nope")[0] == 404
    finally:
        server.request_stop()
        server.stop()
        ctx.close()
    assert recognition.calls[-1] == "stop"
    central = CentralDatabase(postgres_url)
    with central.connect() as connection:  # migrated and seeded by the server
        assert connection.scalar(select(func.count()).select_from(Shift)) == 4
        assert connection.scalar(select(func.count()).select_from(Role)) == 2
    central.dispose()


def test_a_stop_request_lets_the_batch_in_flight_commit_and_stops_between_batches(
    tmp_path: Path, central_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    central = CentralDatabase(central_url)
    person = add_employee_centrally(central, "E1")
    engine = SyncEngine(kiosk_store(tmp_path / "k.db"), central, kiosk_id="k1", batch_size=100)
    assert engine.run_once().ok
    record_events(engine.store, person, 2000, "k1")
    started = threading.Event()
    real_insert = push_module._insert_central

    def slow_insert(*args: Any) -> None:
        started.set()
        time.sleep(0.05)
        real_insert(*args)

    monkeypatch.setattr(push_module, "_insert_central", slow_insert)
    results = []
    worker = threading.Thread(target=lambda: results.append(engine.run_once()))
    worker.start()
    assert started.wait(10)
    time.sleep(0.2)
    engine.request_stop()  # what SIGTERM does
    worker.join(20)
    result = results[0]
    assert result.ok and result.stopped
    sent = result.pushed["attendance_events"]
    assert 0 < sent < 2000 and sent % 100 == 0  # whole batches only
    assert central_count(central, EVENTS) == sent == 2000 - unsynced(engine.store)
    engine.clear_stop()
    assert engine.run_once().ok and central_count(central, EVENTS) == 2000
    engine.close()
    engine.store.dispose()


# --- command lines -------------------------------------------------------------------------


NO_QT = (
    "import runpy, sys; sys.modules['PySide6'] = None; sys.modules['kiosk'] = None; "
    "sys.argv = ['main.py', *sys.argv[1:]]; runpy.run_path('main.py', run_name='__main__')"
)


def test_headless_exit_at_end_migrates_seeds_syncs_and_never_imports_qt(
    postgres_url: str, isolated_environment: Path
) -> None:
    env = {
        "CENTRAL_DATABASE_URL": with_password(postgres_url, SECRET),
        "ASISTENCIA_HEALTH_PORT": "0",
        "ASISTENCIA_DATA_DIR": str(isolated_environment),
    }
    done = subprocess.run(
        [sys.executable, "-c", NO_QT, "headless", "--exit-at-end"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert f"central database ready (schema {SCHEMA_HEAD})" in done.stderr
    central = CentralDatabase(postgres_url)
    assert central.schema_revision() == SCHEMA_HEAD
    with central.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Shift)) == 4
    central.dispose()


def test_sync_once_reports_and_fails_with_a_password_free_sentence(central_url: str) -> None:
    central = CentralDatabase(central_url)
    add_employee_centrally(central, "E1", templates=2)
    url = with_password(central_url, SECRET)
    done = run_main("sync", "--once", env={"CENTRAL_DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "pulled" in done.stdout and SECRET not in done.stdout + done.stderr

    bad = f"postgresql://asistencia:{SECRET}@127.0.0.1:1/asistencia"
    done = run_main("sync", "--once", env={"CENTRAL_DATABASE_URL": bad})
    assert done.returncode == 1
    assert "sync failed: central database unreachable:" in done.stderr
    assert SECRET not in done.stdout + done.stderr

    done = run_main("sync", "--once")
    assert done.returncode == 2 and "CENTRAL_DATABASE_URL" in done.stderr
    central.dispose()


def test_central_commands_erase_report_and_make_roles(
    central_url: str, isolated_environment: Path
) -> None:
    central = CentralDatabase(central_url)
    add_employee_centrally(central, "E1", templates=3)
    env = {"CENTRAL_DATABASE_URL": with_password(central_url, SECRET)}

    done = run_main("central", "erase-biometrics", "--code", "E1", "--reason", "asked", env=env)
    assert done.returncode == 0, done.stderr
    assert "erased 3 face template(s)" in done.stdout
    assert central_count(central, TEMPLATES) == 0
    with central.connect() as connection:
        assert connection.scalar(select(AuditEntry.reason)) == "asked"
        erased = connection.scalar(select(EMPLOYEES.c.biometrics_erased_at))
    assert erased is not None
    # The data key moved on, and this installation forgot the old one (core/sync/ratchet.py).
    from core.secrets.secrets_file import read_secrets
    from tests.support.keys import TEST_KEYS

    assert read_secrets(isolated_environment / "secrets.toml").keys == TEST_KEYS.at_epoch(1)

    done = run_main("central", "status", env=env)
    assert done.returncode == 0 and f"schema {SCHEMA_HEAD}" in done.stdout
    assert SECRET not in done.stdout and "***" in done.stdout

    done = run_main(
        "central", "create-kiosk-role", "--name", "kiosk_entrada", "--kiosk-id", "entrada",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0 and "GRANT EXECUTE ON FUNCTION asistencia_push" in done.stdout
    assert "GRANT INSERT" not in done.stdout

    role = f"kiosk_{uuid.uuid4().hex[:8]}"
    password = "Role-Passw0rd-xyz"
    done = run_main(
        "central", "create-kiosk-role", "--name", role, "--kiosk-id", "k-cli", "--apply",
        "--password", "-", env=env, stdin=password + "\n",
    )  # fmt: skip
    try:
        assert done.returncode == 0, done.stderr
        assert f"role {role} created" in done.stdout
        assert password not in done.stdout + done.stderr
    finally:
        with psycopg.connect(central_url, autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())
    central.dispose()


def test_doctor_reports_the_central_database(
    central_url: str, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_ctx(isolated_environment, monkeypatch, with_password(central_url, SECRET))
    check = check_central_database(ctx)
    assert (
        check.status == "ok"
        and f"schema {SCHEMA_HEAD}" in check.detail
        and SECRET not in check.detail
    )
    monkeypatch.setenv("CENTRAL_DATABASE_URL", f"postgresql://u:{SECRET}@127.0.0.1:1/x")
    bad = AppContext(ctx.paths, load_settings(ctx.paths.settings_file))
    check = check_central_database(bad)
    assert check.status == "warn" and SECRET not in check.detail and "sslmode" in check.fix
    ctx.close()


@pytest.mark.slow
def test_headless_with_a_camera_loads_the_model_first_and_exits_when_the_source_ends(
    postgres_url: str, isolated_environment: Path, tmp_path: Path
) -> None:
    import cv2
    import numpy as np

    frames = tmp_path / "camera"
    frames.mkdir()
    for n in range(3):
        cv2.imwrite(str(frames / f"{n:03}.jpg"), np.full((480, 640, 3), 120, np.uint8))
    env = {
        "CENTRAL_DATABASE_URL": with_password(postgres_url, SECRET),
        "ASISTENCIA_HEALTH_PORT": "0",
        "ASISTENCIA_LIVENESS": "off",
    }
    done = run_main("headless", "--camera", str(frames), "--exit-at-end", env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    log = done.stderr
    assert "Face models ready" in log and "headless server stopped" in log
    assert log.index("health and metrics on") < log.index("central database ready")
    assert SECRET not in log + done.stdout
