"""The headless server: ``main.py headless`` without a window, e.g. in the sync container.

main.py (``start_headless``) builds and starts its parts in this order, the lesson of the
old server's ``free(): invalid pointer``:

1. the model loader, first, when a camera is configured, and the kiosk core it drives
   (nothing here imports the models);
2. /health and /metrics, so the orchestrator sees "starting" and why, not a closed port;
3. the local store, its migrations and seeds (they use the database, never the models);
4. the central database (``CentralLink``): migrations when ``AUTO_MIGRATE=true`` (else a
   schema check) and its seeds, retried by the sync job while it is unreachable;
5. the scheduler (``ServerJobs``): sync, the daily close, the retention purge; then the web
   console (console/, ``console_listen``) on the central database, in its own thread;
6. recognition (camera → attendance), when configured.

``serve`` waits until ``request_stop`` (SIGTERM/SIGINT) or, with ``--exit-at-end``, until the
source has ended; ``stop`` undoes the parts in reverse: recognition, the sync batch in
flight commits, the console, the scheduler, the HTTP server, the connections.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from time import monotonic
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from core.context import AppContext
from core.errors import AsistenciaError
from core.i18n import Message
from core.server.central_link import CentralLink
from core.server.health import HealthServer
from core.server.job_runner import ServerJobs
from core.server.metrics import ServerMetrics
from core.server.readiness import Phase, Readiness
from core.store.database import Store
from core.store.types import utcnow
from core.sync.errors import describe_error
from core.sync.fleet import fleet_snapshot

if TYPE_CHECKING:
    from core.camera import CameraStatus
    from core.states import ModelStatus

log = logging.getLogger(__name__)


class Recognition(Protocol):
    """The kiosk core for ``--camera`` (core.runtime.Runtime, built by main.py with its model
    loader already started): ``start`` opens the camera and begins recognising;
    ``finished`` is True once a finite source (a video file) has ended."""

    def model_status(self) -> ModelStatus: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    @property
    def finished(self) -> bool: ...
    @property
    def records_not_saved(self) -> int: ...  # accepted, but the store could not keep them


class Part(Protocol):
    """A part main.py attaches that only needs stopping (the web console)."""

    def stop(self) -> None: ...


@runtime_checkable
class WatchedCamera(Recognition, Protocol):
    """A recognition that shows its camera's status (core.runtime.Runtime does): with
    ``--exit-at-end``, a camera that failed or never opened then ends the server."""

    def camera_status(self) -> CameraStatus: ...


class CameraSourceError(AsistenciaError):
    """``--exit-at-end`` with a camera source that gave nothing to recognise."""


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
    # --exit-at-end with a device or URL that has never sent a frame: the camera retries
    # forever, so the server gives up after this many failed attempts or this long.
    camera_open_attempts: int = 5
    camera_open_budget_s: float = 60.0


class HeadlessServer:
    """The parts main.py attaches (``health``, ``link``, ``jobs``) and what ties them."""

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
        self.phase: Phase = "created"
        self.exit_code = 0
        self.health: HealthServer | None = None
        self.link: CentralLink | None = None
        self.jobs: ServerJobs | None = None
        self.console: Part | None = None  # the web console (console/), when it listens
        self._store_error: str | None = None
        self._stop = threading.Event()
        self.readiness = Readiness(
            ctx,
            self.metrics,
            phase=lambda: self.phase,
            model=None if recognition is None else recognition.model_status,
            link=lambda: self.link,
            store_error=lambda: self._store_error,
            on_reachable_again=self._sync_soon,
        )

    # --- what main.py calls while it starts the parts -------------------------------------
    def open_store(self) -> Store:
        """Step 3: the local store, migrated and seeded; a failure is kept for /health."""
        try:
            return self.ctx.start_store()
        except Exception as exc:
            self._store_error = describe_error(exc)
            raise

    def connect(self, link: CentralLink) -> None:
        """Step 4: count the sync's work in /metrics and set the database up (a failure is
        logged once, as the first of the sync's streak, and retried by each sync)."""
        self.link = link
        link.engine.on_cycle(self.metrics.observe_cycle)
        self.metrics.track_pending(lambda: float(link.engine.snapshot().pending))
        interval = self.options.sync_interval_s or self.ctx.settings.sync_interval_seconds
        # On the probe's pool: its short connect timeout keeps a scrape short in an outage.
        self.metrics.track_fleet(
            lambda: fleet_snapshot(link.probe, default_interval_s=int(interval))
        )
        try:
            link.prepare()
        except Exception as exc:
            link.engine.tracker.failed(exc, None)

    def running(self) -> None:
        self.phase = "running"
        log.info(
            "headless server running (health on port %d, central database %s)",
            self.health.port if self.health is not None else 0,
            "configured" if self.link else "not configured",
        )

    # --- serving and stopping ----------------------------------------------------------------
    def serve(self) -> int:
        """Until asked to stop, or (``--exit-at-end``) until the source ended: a last sync.
        Without a camera, ``--exit-at-end`` syncs once, runs the daily jobs and returns.
        A source that gave nothing (it failed, or a device or URL never opened within
        ``camera_open_attempts`` / ``camera_open_budget_s``) raises CameraSourceError."""
        if self.options.exit_at_end and self.recognition is None:
            self.exit_code = self.run_once()
            return self.exit_code
        ends = self.options.exit_at_end and self.recognition is not None
        started = monotonic()
        problem: Message | None = None
        while not self._stop.wait(0.5):
            if not ends or self.recognition is None:
                continue
            if self.recognition.finished:
                problem = self._source_problem()
                self.exit_code = self._final_sync()
                break
            if (problem := self._never_opened(started)) is not None:
                self.exit_code = self._final_sync()
                break
        if problem is not None:
            # main.py says it in one line and exits 1: an exit 0 would read "all processed".
            raise CameraSourceError(problem)
        self.exit_code = self.exit_code or self._records_lost()
        return self.exit_code

    def _source_problem(self) -> Message | None:
        """Why a finished ``--exit-at-end`` run recognised nothing, or None when it ended
        as a file or folder ends."""
        from core.camera.status import CameraState
        from core.states import ModelState

        recognition = self.recognition
        if recognition is None:
            return None
        model = recognition.model_status()
        if model.state is ModelState.FAILED:
            detail = model.detail or Message("server.see_the_log")
            return Message("server.models_failed", detail=detail)
        if isinstance(recognition, WatchedCamera):
            status = recognition.camera_status()
            if status.state is CameraState.FAILED:
                said = status.said() or _sentence(status.message)
                return Message("server.camera_gave_nothing", status=said)
        return None

    def _never_opened(self, started: float) -> Message | None:
        """Why to give up on a live source that has never sent a frame, or None."""
        from core.camera.status import CameraState

        recognition = self.recognition
        if not isinstance(recognition, WatchedCamera):
            return None
        status = recognition.camera_status()
        if status.state is not CameraState.RECONNECTING or status.was_streaming:
            return None
        waited = monotonic() - started
        if (
            status.attempt < self.options.camera_open_attempts
            and waited < self.options.camera_open_budget_s
        ):
            return None
        cause = status.cause() or _sentence(status.message.split("; retrying", 1)[0])
        return Message(
            "server.camera_never_opened", attempts=status.attempt, seconds=waited, status=cause
        )

    def _records_lost(self) -> int:
        """1 when a record was accepted but not saved (a full disk): each was logged as
        "not recorded" with why; the exit must not say that all went well."""
        lost = self.recognition.records_not_saved if self.recognition is not None else 0
        if not lost:
            return 0
        log.error("%d record(s) could not be saved; see the lines above for why", lost)
        return 1

    def request_stop(self) -> None:
        """Safe from a signal handler: only sets flags."""
        self._stop.set()
        if self.link is not None:
            self.link.engine.request_stop()

    def stop(self) -> None:
        """The parts, in reverse of their start; safe to call after a failed start."""
        if self.phase in {"stopping", "stopped"}:
            return
        self.phase = "stopping"
        log.info("stopping: finishing the sync batch in flight")
        if self.recognition is not None:
            try:
                self.recognition.stop()
            except Exception:
                log.exception("recognition did not stop cleanly")
        if self.console is not None:
            try:
                self.console.stop()  # finishes the requests in flight
            except Exception:
                log.exception("the web console did not stop cleanly")
        if self.link is not None:
            self.link.engine.request_stop()
        if self.jobs is not None:
            self.jobs.stop()  # joins the job in flight
        if self.health is not None:
            self.health.stop()
        if self.link is not None:
            self.link.close()
        self.phase = "stopped"
        log.info("headless server stopped")

    def run_once(self) -> int:
        """One sync, then the daily jobs (``--exit-at-end`` without a camera)."""
        link = self.link
        if link is None:
            return 0
        try:
            link.prepare()
        except Exception as exc:
            log.error("central database not ready: %s", describe_error(exc))
            return 1
        result = link.engine.run_once()
        if self.jobs is not None:
            self.jobs.after_sync(result)
        return 0 if result.ok else 1

    def _final_sync(self) -> int:
        if self.link is None:
            return 0
        return 0 if self.link.engine.run_once().ok else 1

    def _sync_soon(self) -> None:
        sync = self.jobs.sync if self.jobs is not None else None
        if sync is not None:
            sync.run_soon()


def _sentence(message: str) -> str:
    """A camera status ("Camera 99 is not connected …") as the rest of a sentence."""
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


__all__ = [
    "CameraSourceError",
    "HeadlessServer",
    "Part",
    "Recognition",
    "ServerOptions",
    "WatchedCamera",
]
