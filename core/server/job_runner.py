"""The headless server's scheduled work: sync, the daily close and the retention purge.

One APScheduler background scheduler in the kiosk's time zone: the sync every
``sync_interval_seconds`` (one at a time, backing off while the central database is down),
the daily close at 00:30 and the purge at 01:00. Both daily jobs also run after start-up
and after any sync that follows a failed or skipped run (the "catch-up"), so a server that
was down at 00:30 still closes the day. Missed runs coalesce into one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from core.context import AppContext
from core.server.central_link import CentralLink
from core.server.daily_jobs import daily_close, purge_biometrics
from core.server.metrics import ServerMetrics
from core.sync.engine import CycleResult
from core.sync.errors import describe_error
from core.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)


class ServerJobs:
    def __init__(
        self,
        ctx: AppContext,
        link: CentralLink | None,
        metrics: ServerMetrics,
        *,
        clock: Callable[[], datetime],
        retention_days: int | None,
        daily_close_at: time,
        purge_at: time,
    ) -> None:
        self.ctx = ctx
        self.link = link
        self.metrics = metrics
        self.clock = clock
        self.retention_days = retention_days
        self.daily_close_at = daily_close_at
        self.purge_at = purge_at
        self.scheduler: BackgroundScheduler | None = None
        self.sync: SyncScheduler | None = None
        self._catch_up = threading.Event()
        if link is not None:
            self._catch_up.set()  # the daily jobs run once the first sync succeeded

    def start(self, sync_interval_s: float, max_backoff_s: float) -> None:
        zone = self.ctx.settings.zone
        scheduler = BackgroundScheduler(
            timezone=zone, job_defaults={"misfire_grace_time": 3600, "coalesce": True}
        )
        self.scheduler = scheduler
        if self.link is not None:
            self.sync = SyncScheduler(
                self.link.engine,
                sync_interval_s,
                scheduler=scheduler,
                before_cycle=self.link.prepare,
                after_cycle=self.after_sync,
                max_backoff_s=max_backoff_s,
            )
            self.sync.start()
            for job_id, at, job in (
                ("daily-close", self.daily_close_at, self.run_daily_close),
                ("retention-purge", self.purge_at, self.run_purge),
            ):
                scheduler.add_job(
                    job,
                    CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
                    id=job_id,
                    max_instances=1,
                )
        scheduler.start()

    def stop(self) -> None:
        """Joins the job in flight (a sync batch commits before this returns)."""
        if self.sync is not None:
            self.sync.engine.request_stop()
            self.sync.wait_idle()  # before the shutdown: see SyncScheduler._in_flight
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def after_sync(self, result: CycleResult) -> None:
        if result.ok and self._catch_up.is_set():
            self._catch_up.clear()
            self.run_daily_close()
            self.run_purge()

    def run_daily_close(self) -> bool:
        def close(link: CentralLink) -> None:
            zone, rules = self.ctx.settings.zone, self.ctx.rules
            daily_close(link.central, zone=zone, rules=rules, now=self.clock())

        return self._run("daily_close", "daily close", close)

    def run_purge(self) -> bool:
        def purge(link: CentralLink) -> None:
            purge_biometrics(
                link.central,
                now=self.clock(),
                retention_days=self.retention_days,
                keys=link.engine.store.keys,
            )

        return self._run("retention_purge", "retention purge", purge)

    def _run(self, job: str, label: str, work: Callable[[CentralLink], None]) -> bool:
        link = self.link
        if link is None or not link.ready:
            self._catch_up.set()
            return False
        try:
            work(link)
        except Exception as exc:
            log.warning(
                "%s failed (tried again after the next sync): %s", label, describe_error(exc)
            )
            self._catch_up.set()
            self.metrics.observe_job(job, ok=False)
            return False
        self.metrics.observe_job(job, ok=True)
        return True
