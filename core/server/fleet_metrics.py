"""The fleet on ``/metrics``: per kiosk, read from the central database at scrape time.

A collector rather than gauges set by a job: what Prometheus sees is the fleet as it is at
the scrape (two queries, core/sync/fleet.py), and a kiosk removed centrally disappears from
the next scrape instead of lingering with its last values. When the central database
cannot be read, only ``asistencia_fleet_up 0`` is shown; the rest of /metrics is unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from core.sync.errors import describe_error
from core.sync.fleet import KioskHealth

log = logging.getLogger(__name__)

FleetReader = Callable[[], tuple[datetime, list[KioskHealth]]]

# (name, help, value of a kiosk or None when it has none)
SERIES: tuple[tuple[str, str, Callable[[KioskHealth, datetime], float | None]], ...] = (
    (
        "asistencia_kiosk_last_seen_seconds",
        "Seconds since the kiosk's last heartbeat arrived (absent: never)",
        lambda k, now: None if k.last_seen is None else (now - k.last_seen).total_seconds(),
    ),
    (
        "asistencia_kiosk_records_waiting",
        "Records the kiosk had still to send at its last heartbeat",
        lambda k, _now: None if k.last_seen is None else float(k.records_waiting),
    ),
    (
        "asistencia_kiosk_clock_offset_seconds",
        "The kiosk's clock minus the server's at its last heartbeat",
        lambda k, _now: k.clock_offset_s,
    ),
    (
        "asistencia_kiosk_disk_free_bytes",
        "Free bytes on the kiosk's data disk at its last heartbeat",
        lambda k, _now: None if k.disk_free_bytes is None else float(k.disk_free_bytes),
    ),
    (
        "asistencia_kiosk_camera_up",
        "1 when the kiosk's camera was streaming at its last heartbeat",
        lambda k, _now: None if k.last_seen is None else float(k.camera_up),
    ),
    (
        "asistencia_kiosk_held_records",
        "Records the kiosk sent that are held for review",
        lambda k, _now: float(k.held_records),
    ),
    (
        "asistencia_kiosk_needs_attention",
        "1 when `central fleet` lists a problem for the kiosk",
        lambda k, _now: float(k.needs_attention),
    ),
)


class FleetCollector(Collector):
    def __init__(self, read: FleetReader) -> None:
        self._read = read
        self._failing = False

    def describe(self) -> Iterator[Metric]:
        # Registering must not query the database: the families without samples.
        yield GaugeMetricFamily("asistencia_fleet_up", "1 when the fleet could be read")
        for name, helptext, _value in SERIES:
            yield GaugeMetricFamily(name, helptext, labels=["kiosk"])

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("asistencia_fleet_up", "1 when the fleet could be read")
        try:
            now, kiosks = self._read()
        except Exception as exc:
            # Unreachable or not migrated yet: /health says why; one line per streak here.
            level = logging.DEBUG if self._failing else logging.INFO
            log.log(level, "the fleet's metrics cannot be read: %s", describe_error(exc))
            self._failing = True
            up.add_metric([], 0.0)
            yield up
            return
        self._failing = False
        up.add_metric([], 1.0)
        yield up
        for name, helptext, value in SERIES:
            family = GaugeMetricFamily(name, helptext, labels=["kiosk"])
            for kiosk in kiosks:
                number = value(kiosk, now)
                if number is not None:
                    family.add_metric([kiosk.kiosk_id], number)
            yield family
