"""Sync in the background: APScheduler, one cycle at a time, backing off while the server is away.

- ``IntervalTrigger(sync_interval_seconds)`` with ``max_instances=1`` (never two at once) and
  ``coalesce=True`` (runs missed while the machine slept become one).
- After a failed cycle the next run moves to ``interval·2^(n-1)`` ± 20 %, at most
  ``max_backoff`` (core/host/backoff.py: the jitter keeps a fleet of kiosks from knocking on a
  recovering server in step). The first
  success puts the job back on its interval. Records keep being made locally throughout:
  the scheduler only ever touches the sync thread.
- The kiosk runtime owns its scheduler; the headless server passes its own so the daily
  jobs share it.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.host.backoff import backoff_delay
from core.sync.engine import CycleResult, SyncEngine

if TYPE_CHECKING:
    from core.sync.status import SyncStatus

log = logging.getLogger(__name__)

JOB_ID = "asistencia-sync"
MAX_BACKOFF_S = 15 * 60
JITTER = 0.2


def _not_an_overlap(record: logging.LogRecord) -> bool:
    # A run skipped because the previous one is still going is what max_instances=1 is for
    # (a week-long catch-up outlasts many intervals); not worth a WARNING each interval.
    return "maximum number of running instances reached" not in record.getMessage()


# APScheduler logs every run at INFO ("Running job…", "…executed successfully"): a line a
# minute that tells an operator nothing. Failures still come through at WARNING and above.
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
logging.getLogger("apscheduler.scheduler").addFilter(_not_an_overlap)


class SyncScheduler:
    def __init__(
        self,
        engine: SyncEngine,
        interval_s: float,
        *,
        scheduler: BackgroundScheduler | None = None,
        before_cycle: Callable[[], None] | None = None,
        after_cycle: Callable[[CycleResult], None] | None = None,
        max_backoff_s: float = MAX_BACKOFF_S,
        jitter: float = JITTER,
        rand: Callable[[], float] = random.random,
        first_run_delay_s: float = 0.0,
    ) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.max_backoff_s = max_backoff_s
        self.jitter = jitter
        self._rand = rand
        self._before = before_cycle
        self._after = after_cycle
        self._first_delay = first_run_delay_s
        self._owned = scheduler is None
        self.scheduler = scheduler or BackgroundScheduler(
            timezone=UTC, job_defaults={"misfire_grace_time": None}
        )
        self.next_delays: list[float] = []  # backoff delays chosen (tests, diagnostics)
        # Held while a run is in flight. APScheduler's shutdown(wait=True) joins its workers
        # while holding the job-store lock, and a run that backs off asks the scheduler for
        # its job under that same lock: shutting down during a back-off hung for good. So a
        # stop first waits for the run in flight here, then shuts the scheduler down.
        self._in_flight = threading.Lock()

    def start(self) -> None:
        """Add the sync job (first run at once, or after ``first_run_delay_s``) and start."""
        self.engine.clear_stop()
        self.scheduler.add_job(
            self._job,
            IntervalTrigger(seconds=self.interval_s, timezone=UTC),
            id=JOB_ID,
            name="sync with the central database",
            max_instances=1,
            coalesce=True,
            replace_existing=True,
            next_run_time=datetime.now(UTC) + timedelta(seconds=self._first_delay),
        )
        if self._owned and not self.scheduler.running:
            self.scheduler.start()

    def stop(self, wait: bool = True) -> None:
        """Let a cycle in flight finish its batch, then stop (and join) the scheduler's job."""
        self.engine.request_stop()
        if wait:
            self.wait_idle()
        if self._owned:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=wait)
        else:
            job = self.scheduler.get_job(JOB_ID)
            if job is not None:
                job.remove()

    def wait_idle(self) -> None:
        """Return once no run is in flight (after ``request_stop`` none starts again: a run
        that finds the stop asked returns at once)."""
        with self._in_flight:
            pass

    def run_soon(self) -> None:
        """Ask for a cycle now (e.g. after an administrator's change); coalesced if one runs."""
        job = self.scheduler.get_job(JOB_ID)
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    def status(self) -> SyncStatus:
        return self.engine.status()

    def _job(self) -> None:
        with self._in_flight:
            self._run_job()

    def _run_job(self) -> None:
        if self.engine.stop_requested:
            return
        if self._before is not None:
            try:
                self._before()
            except Exception as exc:
                # The headless server's set-up (migrations) failed: same back-off as a cycle.
                self.engine.tracker.failed(exc, None)
                self._back_off()
                return
        result = self.engine.run_once()
        if self._after is not None:
            try:
                self._after(result)
            except Exception:
                log.exception("after-sync step failed")
        if not result.ok:
            self._back_off()

    def _back_off(self) -> None:
        delay = backoff_delay(
            max(self.engine.tracker.failures, 1),
            self.interval_s,
            cap=self.max_backoff_s,
            jitter=self.jitter,
            rand=self._rand,
        )
        self.next_delays.append(delay)
        if self.engine.stop_requested:
            return
        job: Any = self.scheduler.get_job(JOB_ID)
        if job is not None and not self.engine.stop_requested:
            job.modify(next_run_time=datetime.now(UTC) + timedelta(seconds=delay))
            log.debug("next sync attempt in %.0f s", delay)
