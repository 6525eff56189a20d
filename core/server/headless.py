"""The headless server: ``main.py headless`` without a window, e.g. in the sync container.

Start-up order (docs/DESIGN.md, the lesson of the old server's ``free(): invalid pointer``):

1. the model loader, first, when a camera is configured (main.py starts it and builds the
   kiosk core it drives before it builds this server; nothing here imports the models);
2. /health and /metrics, so the orchestrator sees "starting" and why, not a closed port;
3. the local store, its migrations and seeds (they use the database, never the models);
4. the central database: migrations when ``AUTO_MIGRATE=true`` (else a schema check) and
   its seeds — retried by the sync job while the database is unreachable;
5. the scheduler: sync every ``sync_interval_seconds`` (with the inbox), the daily close at
   00:30 and the retention purge at 01:00 local time, both also once after start-up;
6. recognition (camera → attendance), when configured.

SIGTERM/SIGINT (``request_stop``) stop recognition, let the sync batch in flight commit,
shut the scheduler and the HTTP server down, and ``run`` returns 0.
"""

from __future__ import annotations

import logging
import threading
import time as monotonic_time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, Literal, Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.app import AppContext
from core.server.health import HealthServer
from core.server.jobs import daily_close, purge_biometrics
from core.server.metrics import ServerMetrics
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.engine import CycleResult, SyncEngine
from core.sync.errors import describe_error
from core.sync.scheduler import SyncScheduler
from core.sync.status import NOT_CONFIGURED

if TYPE_CHECKING:
    from core.runtime_api import ModelStatus

log = logging.getLogger(__name__)

Phase = Literal["created", "starting", "running", "stopping", "stopped"]
PROBE_TTL_S = 2.0
PROBE_TIMEOUT_S = 2


class Recognition(Protocol):
    """The kiosk core for ``--camera`` (core.runtime.Runtime, built by main.py with its model
    loader already started: step 1): ``start`` opens the camera and begins recognising
    (step 6); ``finished`` is True once a finite source (a video file) has ended, for
    ``--exit-at-end``."""

    def model_status(self) -> ModelStatus: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    @property
    def finished(self) -> bool: ...


@dataclass(frozen=True)
class ServerOptions:
    exit_at_end: bool = False
    daily_close_at: time = time(0, 30)
    purge_at: time = time(1, 0)
    retention_days: int | None = None  # erase biometrics of people deactivated longer
    sync_interval_s: float | None = None  # default: settings.sync_interval_seconds
    max_backoff_s: float = 15 * 60
    health_host: str | None = None  # default: settings.health_host
    health_port: int | None = None  # default: settings.health_port (0 = any free port)


class HeadlessServer:
    def __init__(
        self,
        ctx: AppContext,
        recognition: Recognition | None = None,
        options: ServerOptions | None = None,
        *,
        metrics: ServerMetrics | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.ctx = ctx
        self.recognition = recognition
        self.options = options or ServerOptions()
        self.metrics = metrics or ServerMetrics()
        self.clock = clock
        settings = ctx.settings
        self.health = HealthServer(
            self.options.health_host or settings.health_host,
            settings.health_port if self.options.health_port is None else self.options.health_port,
            self.readiness,
            self.metrics.render,
        )
        self.central: CentralDatabase | None = None
        self.engine: SyncEngine | None = None
        self.sync: SyncScheduler | None = None
        self.scheduler: BackgroundScheduler | None = None
        self._probe: CentralDatabase | None = None
        self._probe_cache: tuple[float, str | None] = (0.0, None)
        self._probe_lock = threading.Lock()
        self._prepare_lock = threading.Lock()
        self._central_ready = False
        self._central_error: str | None = None
        self._store_error: str | None = None
        self._catch_up = threading.Event()
        self._stop = threading.Event()
        self._phase: Phase = "created"
        self.exit_code = 0

    # --- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        self._phase = "starting"
        self.health.start()  # 2. (1, the model loader, was started by main.py)
        try:
            store = self.ctx.store  # 3. migrations and seeds of the local store
        except Exception as exc:
            self._store_error = describe_error(exc)
            raise
        url = self.ctx.settings.central_url()
        if url is not None:  # 4.
            name = f"asistencia server {self.ctx.settings.kiosk_id}"
            self.central = CentralDatabase(url, application_name=name)
            self._probe = CentralDatabase(
                url, application_name=f"{name} health", connect_timeout_s=PROBE_TIMEOUT_S
            )
            self.engine = SyncEngine(
                store,
                self.central,
                kiosk_id=self.ctx.settings.kiosk_id,
                batch_size=self.ctx.settings.sync_batch_size,
                apply_inbox=True,
                clock=self.clock,
            )
            self.engine.on_cycle(self.metrics.observe_cycle)
            self.metrics.track_pending(lambda: float(self._engine().snapshot().pending))
            try:
                self.prepare_central()
            except Exception as exc:  # retried by every sync run until it works
                # Logged once, as the first failure of the sync's streak.
                self.engine.tracker.failed(exc, None)
            self._catch_up.set()
        if not self.options.exit_at_end or self.recognition is not None:
            self._start_scheduler()  # 5.
        if self.recognition is not None:
            self.recognition.start()  # 6.
        self._phase = "running"
        log.info(
            "headless server running (health on port %d, central database %s)",
            self.health.port,
            "configured" if self.central else "not configured",
        )

    def _engine(self) -> SyncEngine:
        assert self.engine is not None
        return self.engine

    def _start_scheduler(self) -> None:
        zone = self.ctx.settings.zone
        self.scheduler = BackgroundScheduler(
            timezone=zone, job_defaults={"misfire_grace_time": 3600, "coalesce": True}
        )
        if self.engine is not None:
            self.sync = SyncScheduler(
                self.engine,
                self.options.sync_interval_s or self.ctx.settings.sync_interval_seconds,
                scheduler=self.scheduler,
                before_cycle=self.prepare_central,
                after_cycle=self._after_sync,
                max_backoff_s=self.options.max_backoff_s,
            )
            self.sync.start()
            for job_id, at, job in (
                ("daily-close", self.options.daily_close_at, self.run_daily_close),
                ("retention-purge", self.options.purge_at, self.run_purge),
            ):
                self.scheduler.add_job(
                    job,
                    CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
                    id=job_id,
                    max_instances=1,
                )
        self.scheduler.start()

    def request_stop(self) -> None:
        """Safe from a signal handler: only sets flags."""
        self._stop.set()
        if self.engine is not None:
            self.engine.request_stop()

    def stop(self) -> None:
        if self._phase in {"stopping", "stopped"}:
            return
        self._phase = "stopping"
        log.info("stopping: finishing the sync batch in flight")
        if self.recognition is not None:
            try:
                self.recognition.stop()
            except Exception:
                log.exception("recognition did not stop cleanly")
        if self.engine is not None:
            self.engine.request_stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)  # joins the job in flight
        self.health.stop()
        if self.engine is not None:
            self.engine.close()
        if self._probe is not None:
            self._probe.dispose()
        self._phase = "stopped"
        log.info("headless server stopped")

    def run(self) -> int:
        """Start, serve until asked to stop (or, with exit_at_end, until done), stop."""
        try:
            self.start()
            if self.options.exit_at_end and self.recognition is None:
                self.exit_code = self.run_once()
            else:
                while not self._stop.wait(0.5):
                    if self._source_ended():
                        self.exit_code = self._final_sync()
                        break
        finally:
            self.stop()
        return self.exit_code

    def _source_ended(self) -> bool:
        return (
            self.options.exit_at_end and self.recognition is not None and self.recognition.finished
        )

    def run_once(self) -> int:
        """One sync, then the daily jobs (``--exit-at-end`` without a camera)."""
        if self.engine is None:
            return 0
        try:
            self.prepare_central()
        except Exception as exc:
            log.error("central database not ready: %s", describe_error(exc))
            return 1
        result = self.engine.run_once()
        self._after_sync(result)
        return 0 if result.ok else 1

    def _final_sync(self) -> int:
        if self.engine is None:
            return 0
        return 0 if self.engine.run_once().ok else 1

    # --- central set-up and jobs -------------------------------------------------------

    def prepare_central(self) -> None:
        """Migrate (AUTO_MIGRATE) or check the central schema, then seed it; once."""
        if self.central is None:
            return
        with self._prepare_lock:  # the sync job and run_once may both get here
            if self._central_ready:
                return
            try:
                if self.ctx.settings.auto_migrate:
                    self.central.migrate()
                else:
                    self.central.check_schema()
                self._seed_central()
            except Exception as exc:
                self._central_error = describe_error(exc)  # /health says why
                raise
            self._central_ready = True
            self._central_error = None
            log.info("central database ready (schema %s)", self.central.schema_revision())

    def _seed_central(self) -> None:
        from seeds.seed_roles import seed_roles
        from seeds.seed_turnos import seed_turnos

        assert self.central is not None
        with Session(self.central.engine) as session, session.begin():
            lock_revisions(session.connection())
            created = seed_roles(session) + seed_turnos(session)
        for line in created:
            log.info("seeded centrally: %s", line)

    def _after_sync(self, result: CycleResult) -> None:
        if result.ok and self._catch_up.is_set():
            self._catch_up.clear()
            self.run_daily_close()
            self.run_purge()

    def run_daily_close(self) -> bool:
        if self.central is None or not self._central_ready:
            self._catch_up.set()
            return False
        try:
            daily_close(
                self.central,
                zone=self.ctx.settings.zone,
                rules=self.ctx.rules,
                now=self.clock(),
            )
        except Exception as exc:
            log.warning(
                "daily close failed (tried again after the next sync): %s", describe_error(exc)
            )
            self._catch_up.set()
            self.metrics.observe_job("daily_close", ok=False)
            return False
        self.metrics.observe_job("daily_close", ok=True)
        return True

    def run_purge(self) -> bool:
        if self.central is None or not self._central_ready:
            self._catch_up.set()
            return False
        try:
            purge_biometrics(
                self.central, now=self.clock(), retention_days=self.options.retention_days
            )
        except Exception as exc:
            log.warning(
                "retention purge failed (tried again after the next sync): %s", describe_error(exc)
            )
            self._catch_up.set()
            self.metrics.observe_job("retention_purge", ok=False)
            return False
        self.metrics.observe_job("retention_purge", ok=True)
        return True

    # --- health --------------------------------------------------------------------------

    def _model(self) -> tuple[str, str]:
        """(state key, sentence)."""
        if self.recognition is None:
            return "not_needed", "not needed (no camera)"
        try:
            status = self.recognition.model_status()
        except Exception as exc:
            return "failed", f"failed: cannot read the model status: {exc}"
        state = status.state.value
        return state, f"{state}: {status.detail}" if status.detail else state

    def _database(self) -> tuple[str, bool]:
        """(sentence, unhealthy): unreachable, or reachable but its set-up failed."""
        if self.central is None:
            return "not configured", False
        now = monotonic_time.monotonic()
        with self._probe_lock:
            checked, problem = self._probe_cache
            if now - checked > PROBE_TTL_S:
                problem = self._probe_once()
                self._probe_cache = (monotonic_time.monotonic(), problem)
                if problem is None and not self._central_ready and self.sync is not None:
                    # It answers again: set up now rather than after the back-off delay.
                    self.sync.run_soon()
        if problem is not None:
            return f"unreachable: {problem}", True
        if not self._central_ready:
            error = self._central_error
            return f"not ready: {error or 'setting up'}", error is not None
        return "ok", False

    def _probe_once(self) -> str | None:
        assert self._probe is not None
        try:
            self._probe.ping()
        except Exception as exc:
            return describe_error(exc)
        return None

    def _store(self) -> str:
        if self._store_error is not None:
            return f"error: {self._store_error}"
        if self.ctx._store is None:  # opened in start-up step 3
            return "not open yet"
        try:
            with self.ctx.store.read() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:
            return f"error: {describe_error(exc)}"
        return "ok"

    def readiness(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body) for /health: 200 only when everything needed is ready."""
        model_state, model = self._model()
        self.metrics.set_model_state(model_state)
        store = self._store()
        database, database_bad = self._database()
        snapshot = self.engine.snapshot() if self.engine is not None else NOT_CONFIGURED
        reasons = []
        if self._phase in {"created", "starting"}:
            reasons.append("starting up")
        if model_state in {"loading", "failed"}:
            reasons.append(f"model {model}")
        if store != "ok":
            reasons.append(f"local store {store}")
        if database not in {"ok", "not configured"}:
            reasons.append(f"central database {database}")
        if self._phase in {"stopping", "stopped"}:
            reasons.append("stopping")
        if not reasons:
            status = "ok"
        elif model_state == "failed" or store.startswith("error") or database_bad:
            status = "unhealthy"
        else:
            status = "starting"
        body: dict[str, Any] = {
            "status": status,
            "model": model,
            "database": database,
            "store": store,
            "sync": {
                key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in asdict(snapshot).items()
            },
        }
        if reasons:
            body["reason"] = "; ".join(reasons)
        return (200 if status == "ok" else 503), body


__all__ = ["HeadlessServer", "Recognition", "ServerOptions"]
