"""The fleet on the headless server's /metrics: per kiosk, read at scrape time, beside what
/metrics already showed; a fleet that cannot be read leaves the rest of /metrics alone."""

from __future__ import annotations

import re
import urllib.request
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import main
from core.config import load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.server.headless import HeadlessServer, ServerOptions
from core.server.metrics import ServerMetrics
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.heartbeat import KioskReport
from tests.support.sync_support import kiosk_role, kiosk_store

pytestmark = pytest.mark.postgres
PASSWORD = "metrics-Passw0rd-1"


def _scrape(url: str) -> str:
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:  # noqa: S310
        return str(response.read().decode())


def _value(metrics: str, name: str, kiosk: str) -> float:
    found = re.search(rf'^{name}{{kiosk="{kiosk}"}} (\S+)$', metrics, re.MULTILINE)
    assert found, f"{name} for {kiosk} not in /metrics"
    return float(found.group(1))


def _serve_after_a_kiosk_synced(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, central_url: str, folder: Path, role: str
) -> str:
    """Kiosk 'entrada' syncs as its role (camera reconnecting), then the headless server
    starts on the owner's URL and /metrics is scraped once."""
    parts = urlsplit(central_url)
    login = parts._replace(netloc=f"{role}:{PASSWORD}@{parts.netloc.split('@', 1)[1]}").geturl()
    store = kiosk_store(folder / "entrada.db")
    report = KioskReport(
        version="0.1.0",
        camera="reconnecting",
        model="Dlib",
        liveness="both",
        sync_interval_s=60,
        disk_free_bytes=123_456_789_012,
        disk_total_bytes=256_000_000_000,
    )
    engine = SyncEngine(store, CentralDatabase(login), kiosk_id="entrada", report=lambda: report)
    try:
        assert engine.run_once().ok
    finally:
        engine.close()
        store.dispose()
    monkeypatch.setenv("CENTRAL_DATABASE_URL", central_url)
    monkeypatch.setenv("ASISTENCIA_HEALTH_PORT", "0")
    paths = DataPaths(data_dir)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    server = HeadlessServer(ctx, None, ServerOptions(sync_interval_s=30, health_port=0))
    try:
        main.start_headless(server)
        assert server.health is not None
        return _scrape(server.health.url)
    finally:
        server.request_stop()
        server.stop()
        ctx.close()


def test_metrics_show_each_kiosk_beside_the_servers_own(
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    central_url: str,
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        role = stack.enter_context(kiosk_role(central_url, PASSWORD, "entrada"))
        stack.enter_context(kiosk_role(central_url, PASSWORD, "salida"))  # never reported
        metrics = _serve_after_a_kiosk_synced(
            isolated_environment, monkeypatch, central_url, tmp_path, role
        )
    assert "asistencia_fleet_up 1.0" in metrics
    assert 0 <= _value(metrics, "asistencia_kiosk_last_seen_seconds", "entrada") < 60
    assert _value(metrics, "asistencia_kiosk_records_waiting", "entrada") == 0
    assert abs(_value(metrics, "asistencia_kiosk_clock_offset_seconds", "entrada")) < 5
    assert _value(metrics, "asistencia_kiosk_disk_free_bytes", "entrada") == 123_456_789_012
    assert _value(metrics, "asistencia_kiosk_camera_up", "entrada") == 0
    assert _value(metrics, "asistencia_kiosk_held_records", "entrada") == 0
    assert _value(metrics, "asistencia_kiosk_needs_attention", "entrada") == 1  # camera down
    # A kiosk never heard from: no "seconds since", but it needs attention.
    assert 'asistencia_kiosk_last_seen_seconds{kiosk="salida"}' not in metrics
    assert _value(metrics, "asistencia_kiosk_needs_attention", "salida") == 1
    # What /metrics showed before is still there.
    assert "asistencia_sync_duration_seconds_count" in metrics
    assert "asistencia_central_database_up" in metrics
    assert PASSWORD not in metrics


def test_a_fleet_that_cannot_be_read_leaves_the_rest_of_the_metrics() -> None:
    metrics = ServerMetrics()

    def unreachable() -> tuple[datetime, list[object]]:
        raise ConnectionError("connection refused")

    metrics.track_fleet(unreachable)  # type: ignore[arg-type]
    body = metrics.render()[0].decode()
    assert "asistencia_fleet_up 0.0" in body
    assert "asistencia_kiosk_last_seen_seconds{" not in body
    assert "asistencia_sync_pending_rows" in body and "asistencia_model_state" in body
