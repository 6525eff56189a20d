"""Prometheus metrics of the sync and the server, on a registry of our own.

A registry per server (not the global one) keeps tests and several servers in one process
from sharing counters, and keeps the Python process collectors out unless asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Enum,
    Gauge,
    Histogram,
    generate_latest,
)

from core.server.fleet_metrics import FleetCollector, FleetReader
from core.sync.engine import CycleResult

MODEL_STATES = ["not_needed", "loading", "ready", "failed"]


class ServerMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        self.pushed = Counter(
            "asistencia_sync_pushed_rows",
            "Rows pushed to the central database",
            ["table"],
            registry=r,
        )
        self.pulled = Counter(
            "asistencia_sync_pulled_rows",
            "Rows pulled from the central database",
            ["table"],
            registry=r,
        )
        self.inbox = Counter(
            "asistencia_sync_inbox_changes",
            "Kiosk changes applied from the inbox, by outcome",
            ["outcome"],
            registry=r,
        )
        self.pending = Gauge(
            "asistencia_sync_pending_rows", "Local rows waiting to be pushed", registry=r
        )
        self.held_back = Gauge(
            "asistencia_sync_held_back_records",
            "Records waiting for the server to accept their employee",
            registry=r,
        )
        self.duration = Histogram(
            "asistencia_sync_duration_seconds",
            "Duration of a sync cycle",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
            registry=r,
        )
        self.failures = Counter(
            "asistencia_sync_failures", "Failed sync cycles", ["reason"], registry=r
        )
        self.last_success = Gauge(
            "asistencia_sync_last_success_timestamp_seconds",
            "Unix time of the last successful sync cycle",
            registry=r,
        )
        self.central_up = Gauge(
            "asistencia_central_database_up", "1 when the central database answered", registry=r
        )
        self.model_state = Enum(
            "asistencia_model_state", "Face model loader state", states=MODEL_STATES, registry=r
        )
        self.model_state.state("not_needed")
        self.job_runs = Counter(
            "asistencia_job_runs", "Scheduled job runs", ["job", "result"], registry=r
        )

    def observe_cycle(self, result: CycleResult) -> None:
        if result.skipped:
            return
        for table, count in result.pushed.items():
            self.pushed.labels(table).inc(count)
        for table, count in result.pulled.items():
            self.pulled.labels(table).inc(count)
        for outcome, count in result.inbox.items():
            self.inbox.labels(outcome).inc(count)
        self.duration.observe(result.duration_s)
        self.pending.set(result.pending)
        self.held_back.set(result.held_back)
        if result.ok:
            self.last_success.set(result.started_at.timestamp() + result.duration_s)
            self.central_up.set(1)
        else:
            self.failures.labels("unreachable" if result.unreachable else "error").inc()
            self.central_up.set(0 if result.unreachable else 1)

    def set_model_state(self, state: str) -> None:
        if state in MODEL_STATES:
            self.model_state.state(state)

    def observe_job(self, job: str, ok: bool) -> None:
        self.job_runs.labels(job, "ok" if ok else "failed").inc()

    def track_pending(self, read: Callable[[], float]) -> None:
        """Read the pending count at scrape time (records made since the last cycle)."""
        self.pending.set_function(read)

    def track_fleet(self, read: FleetReader) -> None:
        """Every registered kiosk's heartbeat, read from the central database at scrape
        time (core/server/fleet_metrics.py)."""
        self.registry.register(FleetCollector(read))

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
