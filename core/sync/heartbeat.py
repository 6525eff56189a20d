"""A kiosk's heartbeat: what it says of itself with each sync (migration 0009).

The kiosk knows its program version, its camera, model, liveness mode, disk and sync
interval (``KioskReport``, from a provider the composition root hands the engine: core/sync
never imports the runtime); the engine adds what only it knows (the last successful sync,
the records still waiting, its clock). The report goes up through the sync's own connection
as one call of ``asistencia_heartbeat(jsonb)``, which takes the kiosk id from the sending
role and the arrival time from the server's clock: a kiosk can neither speak for another
nor date its own report. A heartbeat that fails is a log line, never a failed sync.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from core.host.version import PROGRAM_VERSION
from core.sync.central import CentralDatabase

if TYPE_CHECKING:
    from core.config import Settings

log = logging.getLogger(__name__)

HEARTBEAT_SQL = "SELECT asistencia_heartbeat(CAST(:report AS jsonb))"


@dataclass(frozen=True)
class KioskReport:
    """What the kiosk itself knows, read when a sync cycle ends."""

    version: str
    camera: str  # a CameraState value ("streaming", "reconnecting", …), "" when unknown
    model: str  # the recognition model's name
    liveness: str  # the liveness setting: off, blink, passive, both
    sync_interval_s: int
    disk_free_bytes: int | None = None  # of the data dir's file system
    disk_total_bytes: int | None = None


ReportProvider = Callable[[], KioskReport]


def disk_of(path: Path) -> tuple[int | None, int | None]:
    """Free and total bytes of the file system holding ``path`` (None, None if unknown)."""
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None, None
    return usage.free, usage.total


def settings_report(
    settings: Settings, data_dir: Path, *, camera: str = "", model: str | None = None
) -> KioskReport:
    """A report from the settings and the data dir's disk; ``camera`` and ``model`` as the
    running kiosk knows them ("" and the model setting where nothing runs: a command)."""
    free, total = disk_of(data_dir)
    return KioskReport(
        version=PROGRAM_VERSION,
        camera=camera,
        model=settings.model_name if model is None else model,
        liveness=settings.liveness,
        sync_interval_s=settings.sync_interval_seconds,
        disk_free_bytes=free,
        disk_total_bytes=total,
    )


def heartbeat_payload(
    report: KioskReport,
    *,
    kiosk_clock: datetime,
    last_sync_at: datetime | None,
    records_waiting: int,
) -> dict[str, Any]:
    """The JSON object ``asistencia_heartbeat`` reads (its field names)."""
    payload: dict[str, Any] = asdict(report)
    payload.update(
        kiosk_clock=kiosk_clock.isoformat(),
        last_sync_at=None if last_sync_at is None else last_sync_at.isoformat(),
        records_waiting=max(int(records_waiting), 0),
    )
    return payload


def send_heartbeat(central: CentralDatabase, payload: dict[str, Any]) -> datetime | None:
    """One central transaction; the server's arrival time (None: not a kiosk's login)."""
    with central.begin() as connection:
        received: datetime | None = connection.scalar(
            text(HEARTBEAT_SQL), {"report": json.dumps(payload)}
        )
    return received
