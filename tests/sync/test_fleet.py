"""Fleet status against a real PostgreSQL: kiosks log in as their own least-privilege roles,
sync real SQLite stores through the real engine, and say how they are with each sync; the
owner reads the fleet through ``core.sync.fleet`` and ``main.py central fleet``."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import select, text

from core.camera import CameraState, CameraStatus
from core.camera.reasons import CameraReason
from core.config import load_settings
from core.context import AppContext
from core.host.version import PROGRAM_VERSION
from core.i18n import Message, text_in
from core.runtime.kiosk_report import kiosk_report
from core.states import ModelState, ModelStatus
from core.store.models import Employee
from core.store.tables import KIOSK_HEARTBEATS
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.fleet import KioskHealth, fleet_status
from core.sync.heartbeat import KioskReport
from core.sync.site_admin import assign_kiosk, change_members, create_site
from tests.support.cli import run_main
from tests.support.sync_support import (
    add_employee_centrally,
    kiosk_role,
    kiosk_store,
    record_events,
    unsynced,
)

pytestmark = pytest.mark.postgres
PASSWORD = "fleet-Passw0rd-1"
GIB = 1024**3


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


def _report(**changes: object) -> KioskReport:
    well = KioskReport(
        version=PROGRAM_VERSION,
        camera="streaming",
        model="Dlib",
        liveness="both",
        sync_interval_s=60,
        disk_free_bytes=20 * GIB,
        disk_total_bytes=64 * GIB,
    )
    return replace(well, **changes)  # type: ignore[arg-type]


class Kiosk:
    """A kiosk: its role, its own SQLite store, its engine, and what it says of itself."""

    def __init__(self, engine: SyncEngine, role: str, login: str) -> None:
        self.engine, self.role, self.login = engine, role, login
        self.report = _report()

    def sync(self) -> None:
        result = self.engine.run_once()
        assert result.ok, result.error


class Fleet:
    def __init__(self, central_url: str, folder: Path, stack: ExitStack) -> None:
        self.central_url, self.folder, self.stack = central_url, folder, stack

    def add(
        self, kiosk_id: str, *, clock: Callable[[], datetime] = utcnow, **report: object
    ) -> Kiosk:
        role = self.stack.enter_context(kiosk_role(self.central_url, PASSWORD, kiosk_id))
        store = kiosk_store(self.folder / f"{kiosk_id}.db")
        login = _login(self.central_url, role)
        holder: list[Kiosk] = []
        engine = SyncEngine(
            store,
            CentralDatabase(login),
            kiosk_id=kiosk_id,
            clock=clock,
            report=lambda: holder[0].report,
        )
        self.stack.callback(store.dispose)
        self.stack.callback(engine.close)
        kiosk = Kiosk(engine, role, login)
        kiosk.report = _report(**report)
        holder.append(kiosk)
        return kiosk


@pytest.fixture
def owner(central_url: str) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    central.dispose()


@pytest.fixture
def fleet(central_url: str, tmp_path: Path) -> Iterator[Fleet]:
    with ExitStack() as stack:
        yield Fleet(central_url, tmp_path, stack)


def _by_id(owner: CentralDatabase, **kwargs: object) -> dict[str, KioskHealth]:
    return {k.kiosk_id: k for k in fleet_status(owner, **kwargs)}  # type: ignore[arg-type]


def _keys(kiosk: KioskHealth) -> list[str]:
    return [problem.key for problem in kiosk.problems]


def test_a_kiosks_sync_writes_its_heartbeat_and_the_fleet_shows_it(
    owner: CentralDatabase, fleet: Fleet, ctx: AppContext
) -> None:
    create_site(owner, "norte", "Planta Norte")
    entrada = fleet.add("entrada")
    assign_kiosk(owner, "entrada", "norte")
    # What the running kiosk core would say: its camera streaming, its model ready, its
    # data dir's disk (the real provider main.py hands the engine, minus the window).
    camera = CameraStatus.of(
        CameraState.STREAMING, CameraReason.STREAMING, "device", 0, details={"size": "640x480"}
    )
    model = ModelStatus(ModelState.READY, "Dlib")
    entrada.report = kiosk_report(ctx, camera, model)
    add_employee_centrally(owner, "E1")
    change_members(owner, "norte", ["E1"], add=True)
    entrada.sync()
    with entrada.engine.store.read() as session:
        employee = session.scalars(select(Employee.id)).one()
    record_events(entrada.engine.store, employee, 3, "entrada")
    before = datetime.now(UTC)
    entrada.sync()
    assert unsynced(entrada.engine.store) == 0

    kiosk = _by_id(owner)["entrada"]
    assert kiosk.problems == () and not kiosk.needs_attention
    assert (kiosk.site, kiosk.role_name, kiosk.joined) == ("norte", entrada.role, False)
    assert kiosk.version == PROGRAM_VERSION
    assert (kiosk.camera, kiosk.model, kiosk.liveness) == ("streaming", "Dlib", "both")
    assert kiosk.records_waiting == 0 and kiosk.held_records == 0
    assert kiosk.sync_interval_s == ctx.settings.sync_interval_seconds
    assert kiosk.last_seen is not None and kiosk.last_seen >= before - timedelta(seconds=1)
    assert kiosk.last_sync_at is not None and kiosk.last_sync_at >= before - timedelta(seconds=1)
    assert kiosk.clock_offset_s is not None and abs(kiosk.clock_offset_s) < 5
    assert kiosk.disk_total_bytes and kiosk.disk_free_bytes is not None
    assert 0 < kiosk.disk_free_bytes <= kiosk.disk_total_bytes


def test_central_fleet_flags_a_kiosk_stopped_for_longer_than_three_sync_intervals(
    owner: CentralDatabase, fleet: Fleet, central_url: str
) -> None:
    # The stopped kiosk syncs every second: three intervals pass in a test's time.
    stopped = fleet.add("salida", sync_interval_s=1)
    fresh = fleet.add("entrada")
    fleet.add("almacen")  # registered, never started
    stopped.sync()
    stopped.engine.close()  # switched off
    time.sleep(3.5)
    fresh.sync()

    env = {"CENTRAL_DATABASE_URL": central_url}
    shown = run_main("central", "fleet", env=env)
    assert shown.returncode == 3, shown.stderr
    rows = {line.split()[0]: line for line in shown.stdout.splitlines()[2:] if line.strip()}
    assert re.search(r"silent for \d+ s \(more than 3 sync intervals\)", rows["salida"])
    assert re.search(r"\d s ago", rows["salida"]) and re.search(r"\d s ago", rows["entrada"])
    assert "silent" not in rows["entrada"] and "never" not in rows["entrada"]
    assert rows["entrada"].rstrip().endswith("ok")  # camera ok, nothing to attend to
    assert "never reported" in rows["almacen"]
    assert "2 of 3 kiosks need attention" in shown.stdout

    as_json = run_main("central", "fleet", "--json", env=env)
    assert as_json.returncode == 3, as_json.stderr
    kiosks = {k["kiosk_id"]: k for k in json.loads(as_json.stdout)}
    assert [p["key"] for p in kiosks["salida"]["problems"]] == ["fleet.silent"]
    assert kiosks["salida"]["seconds_since_seen"] > 3
    assert kiosks["entrada"]["problems"] == [] and not kiosks["entrada"]["needs_attention"]
    assert kiosks["entrada"]["version"] == PROGRAM_VERSION

    # In the settings' language, and with a longer patience the stopped one is not flagged.
    spanish = run_main("central", "fleet", env={**env, "ASISTENCIA_LANGUAGE": "es"})
    assert re.search(r"hace \d+ s .*sin noticias desde hace \d+ s", spanish.stdout)
    assert "2 de 3 quioscos necesitan atención" in spanish.stdout
    patient = run_main("central", "fleet", "--intervals", "100", "--json", env=env)
    flagged = {k["kiosk_id"] for k in json.loads(patient.stdout) if k["needs_attention"]}
    assert flagged == {"almacen"}


def test_a_clock_off_a_camera_down_a_full_disk_and_held_records_are_flagged(
    owner: CentralDatabase, fleet: Fleet
) -> None:
    ahead = fleet.add("reloj", clock=lambda: utcnow() + timedelta(minutes=5))
    blind = fleet.add("ciega", camera="reconnecting")
    full = fleet.add("llena", disk_free_bytes=300 * 1000**2, disk_total_bytes=32 * GIB)
    stray = fleet.add("rara")
    fine = fleet.add("bien", disk_free_bytes=2 * GIB, disk_total_bytes=16 * GIB)
    add_employee_centrally(owner, "E1")
    for kiosk in (ahead, blind, full, stray, fine):
        kiosk.sync()
    with stray.engine.store.read() as session:
        employee = session.scalar(text("SELECT id FROM employees"))
    # Records claiming another kiosk's id are held for review.
    record_events(stray.engine.store, uuid.UUID(str(employee)), 2, "bien")
    stray.sync()

    kiosks = _by_id(owner)
    assert _keys(kiosks["reloj"]) == ["fleet.clock_ahead"]
    assert 290 < (kiosks["reloj"].clock_offset_s or 0) < 310
    assert _keys(kiosks["ciega"]) == ["fleet.camera_down"]
    assert kiosks["ciega"].problems[0] == Message(
        "fleet.camera_down", state=Message("fleet.camera_state.reconnecting")
    )
    assert _keys(kiosks["llena"]) == ["fleet.disk_full"]
    assert str(kiosks["llena"].problems[0]) == "disk nearly full: 300 MB free of 34.4 GB"
    disk_full = kiosks["llena"].problems[0]
    spanish = text_in("es", disk_full.key, **disk_full.params)
    assert spanish == "disco casi lleno: 300 MB libres de 34,4 GB"
    assert _keys(kiosks["rara"]) == ["fleet.held"] and kiosks["rara"].held_records == 2
    # The kiosk whose id was claimed did nothing wrong; 2 GiB free of 16 is not full.
    assert kiosks["bien"].problems == () and kiosks["bien"].held_records == 0


def test_a_kiosk_cannot_write_another_kiosks_heartbeat_nor_date_its_own(
    owner: CentralDatabase, fleet: Fleet
) -> None:
    mine = fleet.add("entrada")
    fleet.add("salida")
    forged = {
        "kiosk_id": "salida",
        "received_at": "2020-01-01T00:00:00+00:00",
        "kiosk_clock": datetime.now(UTC).isoformat(),
        "version": "9.9.9",
        "camera": "streaming",
    }
    with psycopg.connect(mine.login, autocommit=True) as connection:
        stamped = connection.execute(
            "SELECT asistencia_heartbeat(%s::jsonb)", (json.dumps(forged),)
        ).fetchone()
        for attempt in (
            "INSERT INTO kiosk_heartbeats (kiosk_id, role_name, received_at, version, "
            "records_waiting, camera, model, liveness) VALUES ('salida', 'x', now(), '', 0, "
            "'', '', '')",
            "UPDATE kiosk_heartbeats SET received_at = now() + interval '1 day'",
            "SELECT * FROM kiosk_heartbeats",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(attempt)
    assert stamped is not None and abs((stamped[0] - datetime.now(UTC)).total_seconds()) < 5
    with owner.connect() as connection:
        rows = {r.kiosk_id: r for r in connection.execute(select(KIOSK_HEARTBEATS)).mappings()}
    assert set(rows) == {"entrada"}  # written as the sender, whatever the report claims
    assert rows["entrada"]["role_name"] == mine.role and rows["entrada"]["version"] == "9.9.9"
    assert abs((rows["entrada"]["received_at"] - datetime.now(UTC)).total_seconds()) < 5
    kiosks = _by_id(owner)
    assert _keys(kiosks["salida"]) == ["fleet.never_reported"]
    # The owner's login is no kiosk: nothing recorded.
    with owner.begin() as connection:
        none = connection.scalar(
            text("SELECT asistencia_heartbeat(CAST(:r AS jsonb))"), {"r": json.dumps(forged)}
        )
    assert none is None
    with owner.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM kiosk_heartbeats")) == 1


def test_a_heartbeat_that_fails_never_fails_the_sync(
    owner: CentralDatabase, fleet: Fleet, central_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk = fleet.add("entrada")
    add_employee_centrally(owner, "E1")
    kiosk.sync()
    with kiosk.engine.store.read() as session:
        employee = uuid.UUID(str(session.scalar(text("SELECT id FROM employees"))))
    # The server refuses the call (its grant taken away, as an older schema would lack it).
    with psycopg.connect(central_url, autocommit=True) as connection:
        connection.execute(
            f'REVOKE EXECUTE ON FUNCTION asistencia_heartbeat(jsonb) FROM "{kiosk.role}"'.encode()
        )
    record_events(kiosk.engine.store, employee, 4, "entrada")
    with caplog.at_level(logging.WARNING, logger="core.sync.engine"):
        result = kiosk.engine.run_once()
    assert result.ok and result.records_pushed == 4 and unsynced(kiosk.engine.store) == 0
    assert "the heartbeat did not reach the central database" in caplog.text
    assert "permission denied" in caplog.text

    # A provider that breaks (a bug in reading the kiosk's state): the same.
    def broken() -> KioskReport:
        raise RuntimeError("no camera object")

    kiosk.engine.report = broken
    record_events(kiosk.engine.store, employee, 2, "entrada")
    assert kiosk.engine.run_once().ok and unsynced(kiosk.engine.store) == 0


def test_a_kiosk_that_reports_but_cannot_sync_and_an_expired_join_are_flagged(
    owner: CentralDatabase, fleet: Fleet
) -> None:
    kiosk = fleet.add("entrada")
    fleet.add("nueva")
    kiosk.sync()
    later = datetime.now(UTC) + timedelta(minutes=1)
    with owner.begin() as connection:
        # Its last success was an hour ago by its clock; a join file expired unused.
        connection.execute(
            text(
                "UPDATE kiosk_heartbeats SET last_sync_at = now() - interval '1 hour' "
                "WHERE kiosk_id = 'entrada'"
            )
        )
        connection.execute(
            text(
                "UPDATE kiosk_roles SET join_expires_at = now() - interval '1 day' "
                "WHERE kiosk_id = 'nueva'"
            )
        )
    kiosks = _by_id(owner, now=later)
    assert _keys(kiosks["entrada"]) == ["fleet.sync_failing"]
    assert "1 h ago" in str(kiosks["entrada"].problems[0])
    assert _keys(kiosks["nueva"]) == ["fleet.join_expired"]


def test_the_running_kiosk_reports_its_own_camera_and_model_with_each_sync(
    owner: CentralDatabase,
    central_url: str,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The composition main.py builds: the kiosk core with its sync, whose heartbeat reads
    the runtime's camera (a video that loops) and its model (not loaded in this test)."""
    import main
    from tests.support.kiosk_fakes import make_video

    with kiosk_role(central_url, PASSWORD, "kiosk-test") as role:
        video = make_video(tmp_path / "door.avi")
        monkeypatch.setenv("CENTRAL_DATABASE_URL", _login(central_url, role))
        monkeypatch.setenv("ASISTENCIA_CAMERA", str(video))
        monkeypatch.setenv("ASISTENCIA_CAMERA_LOOP", "true")
        ctx.settings = load_settings(ctx.paths.settings_file)
        ctx.start_store()
        runtime = main.build_runtime(ctx, ctx.model_loader(), with_sync=True)
        runtime.start()
        try:
            deadline = time.monotonic() + 30
            while True:
                kiosk = _by_id(owner)["kiosk-test"]
                if kiosk.last_seen is not None and kiosk.camera == "streaming":
                    break
                assert time.monotonic() < deadline, kiosk
                runtime.sync_now()
                time.sleep(0.2)
        finally:
            runtime.stop()
    assert kiosk.version == PROGRAM_VERSION and kiosk.liveness == ctx.settings.liveness
    assert kiosk.model.startswith(ctx.settings.model_name)
    assert kiosk.sync_interval_s == ctx.settings.sync_interval_seconds
