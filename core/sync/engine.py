"""One sync cycle: stage → push (outbox, events, corrections, audit) → [apply inbox] → pull
→ heartbeat (a kiosk's: core/sync/heartbeat.py).

The engine is the same on a kiosk and in the headless server; only the server applies the
inbox (``apply_inbox=True``, owner role). It knows nothing of schedulers, HTTP or Qt: the
kiosk runtime and the headless server drive it and read its status.

Threads: ``run_once`` runs on whichever thread calls it (the scheduler's, or the command
line's), one cycle at a time per engine; ``status()``/``snapshot()`` are cheap from any
thread. ``request_stop()`` makes a cycle in flight end after its current batch — a batch is
one central transaction, so stopping never leaves half of one behind.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from core.attendance.rules import RulesConfig
from core.store.backups import forget
from core.store.database import Store
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.errors import describe_error, is_connectivity_error
from core.sync.heartbeat import ReportProvider, heartbeat_payload, send_heartbeat
from core.sync.inbox import InboxReport, apply_inbox
from core.sync.outbox import stage_changes
from core.sync.pull import PullReport, pull_all
from core.sync.push import APPEND_ONLY, PushReport, pending_counts, push_all, push_events
from core.sync.ratchet import catch_up
from core.sync.roles import cancel_overlong
from core.sync.sites import local_site, members_here
from core.sync.status import SyncSnapshot, SyncTracker
from core.sync.verify import verify_arrivals

if TYPE_CHECKING:
    from core.config import Settings
    from core.sync.status import SyncStatus

log = logging.getLogger(__name__)

_T = TypeVar("_T")
# A kiosk statement running this long is cancelled by the server (twice the statement_timeout
# every kiosk role gets, which a role could lift for itself: core/sync/roles.py).
OVERLONG_S = 60.0


@dataclass(frozen=True)
class CycleResult:
    ok: bool
    started_at: datetime
    duration_s: float = 0.0
    pushed: Mapping[str, int] = field(default_factory=dict)  # rows per table
    pulled: Mapping[str, int] = field(default_factory=dict)
    inbox: Mapping[str, int] = field(default_factory=dict)  # server only: changes per outcome
    held_back: int = 0
    pending: int = 0
    changed_employees: frozenset[uuid.UUID] = frozenset()
    erased_employees: frozenset[uuid.UUID] = frozenset()
    error: str | None = None
    unreachable: bool = False
    stopped: bool = False  # ended early because a stop was requested
    skipped: bool = False  # another cycle was running
    blocked: Mapping[str, str] = field(default_factory=dict)

    @property
    def records_pushed(self) -> int:
        """Attendance events, corrections and audit lines sent."""
        return sum(self.pushed.get(table.name, 0) for table in APPEND_ONLY)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        central: CentralDatabase,
        *,
        kiosk_id: str,
        batch_size: int = 500,
        apply_inbox: bool = False,
        rules: RulesConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
        report: ReportProvider | None = None,
    ) -> None:
        self.store = store
        self.central = central
        self.kiosk_id = kiosk_id
        self.batch_size = batch_size
        self.apply_inbox = apply_inbox
        self.rules = rules or RulesConfig()
        self.clock = clock
        self.tracker = SyncTracker(clock)
        # What the kiosk says of itself after each cycle; None (the headless server, a
        # command): no heartbeat.
        self.report = report
        self._heartbeat_failing = False
        self._run_lock = threading.Lock()
        self._stop = threading.Event()
        self._schema_ok = False
        self._observers_lock = threading.Lock()
        self._cycle: list[Callable[[CycleResult], None]] = []
        self._show_site()

    def _show_site(self) -> None:
        """The site as last pulled, for the settings (the central database decides it)."""
        try:
            with self.store.read() as session:
                known, site = local_site(session)
                members = 0 if site is None else members_here(session, site.id)
        except Exception as exc:  # the store in trouble: the status says so elsewhere
            log.debug("cannot read this kiosk's site: %s", describe_error(exc))
            return
        self.tracker.site_seen(known, None if site is None else (site.code, site.name, members))

    @classmethod
    def from_settings(
        cls,
        store: Store,
        settings: Settings,
        *,
        apply_inbox: bool = False,
        report: ReportProvider | None = None,
    ) -> SyncEngine | None:
        """The engine for these settings, or None when no central database is configured."""
        url = settings.central_url()
        if url is None:
            return None
        central = CentralDatabase(url, application_name=f"asistencia {settings.kiosk_id}")
        return cls(
            store,
            central,
            kiosk_id=settings.kiosk_id,
            batch_size=settings.sync_batch_size,
            apply_inbox=apply_inbox,
            report=report,
        )

    # --- observers -------------------------------------------------------------------

    def on_cycle(self, callback: Callable[[CycleResult], None]) -> Callable[[], None]:
        """``callback(result)`` after every cycle (metrics, the status bar)."""
        return self._subscribe(self._cycle, callback)

    def _subscribe(self, registry: list[_T], callback: _T) -> Callable[[], None]:
        with self._observers_lock:
            registry.append(callback)

        def unsubscribe() -> None:
            with self._observers_lock:
                if callback in registry:
                    registry.remove(callback)

        return unsubscribe

    # --- status ----------------------------------------------------------------------

    def snapshot(self) -> SyncSnapshot:
        return self.tracker.snapshot()

    def status(self) -> SyncStatus:
        return self.tracker.snapshot().to_runtime()

    def pending_count(self) -> int:
        """Local rows still to push (events, corrections, audit lines, outbox, marked rows)."""
        counts = pending_counts(self.store)
        return sum(counts.values())

    # --- stopping --------------------------------------------------------------------

    def request_stop(self) -> None:
        self._stop.set()

    def clear_stop(self) -> None:
        self._stop.clear()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # --- the cycle -------------------------------------------------------------------

    def run_once(self) -> CycleResult:
        """One cycle; never raises for a database problem (the result says what happened)."""
        started = self.clock()
        if not self._run_lock.acquire(blocking=False):
            return CycleResult(ok=True, started_at=started, skipped=True)
        try:
            return self._run(started)
        finally:
            self._release_connections()
            self._run_lock.release()

    def _release_connections(self) -> None:
        # Between cycles the central server should not hold a backend for this kiosk
        # (CentralDatabase.release); the next cycle connects again (a few ms).
        try:
            self.central.release()
        except Exception as exc:  # closing can only fail on a connection already broken
            log.debug("closing idle central connections: %s", describe_error(exc))

    def _run(self, started: datetime) -> CycleResult:
        t0 = time.monotonic()
        self.tracker.started()
        push = PushReport()
        pull = PullReport()
        inbox = InboxReport()
        try:
            if not self._schema_ok:
                self.central.check_schema()
                self._schema_ok = True
            # Every cycle: this deployment's database, and an erasure elsewhere moved the data
            # key on (core/sync/ratchet.py): take the same step before sending any key.
            catch_up(self.store, self.central)
            stage_changes(self.store, self.kiosk_id, self.clock())
            push = push_all(self.store, self.central, self.batch_size, self.clock, self._stop)
            if self.apply_inbox and not push.stopped:
                inbox = apply_inbox(
                    self.central,
                    batch=self.batch_size,
                    clock=self.clock,
                    keys=self.store.keys,
                    stop=self._stop,
                )
                # What kiosks reported counts once the server has derived it.
                verify_arrivals(self.central, rules=self.rules, now=self.clock())
                cancel_overlong(self.central, OVERLONG_S)
                if inbox.applied and push.held_back:
                    # The server's own records of people it just accepted can go now.
                    again = push_events(
                        self.store, self.central, self.batch_size, self.clock, self._stop
                    )
                    for table, count in again.pushed.items():
                        push.add(table, count)
                    push.held_back = again.held_back
            if not (push.stopped or inbox.stopped):
                pull = pull_all(
                    self.store, self.central, self.batch_size, self.kiosk_id, self._stop
                )
                forget(self.store, pull.erased_employees)
                self._show_site()
                if inbox.applied or pull.pulled.get("person_keys"):
                    catch_up(self.store, self.central)  # an erasure this cycle applied or met
        except Exception as exc:
            self._schema_ok = False  # after an outage or an upgrade, check again
            pending = self._pending_or_none()
            sentence = self.tracker.failed(exc, pending)
            result = CycleResult(
                ok=False,
                pending=pending or 0,
                error=sentence,
                unreachable=is_connectivity_error(exc),
                **self._counts(started, t0, push, pull, inbox),
            )
        else:
            pending = self._pending_or_none() or 0
            self.tracker.succeeded(pending, push.held_back)
            result = CycleResult(
                ok=True,
                held_back=push.held_back,
                pending=pending,
                changed_employees=frozenset(pull.changed_employees - pull.erased_employees),
                erased_employees=frozenset(pull.erased_employees),
                stopped=push.stopped or inbox.stopped or pull.stopped,
                blocked=dict(pull.blocked),
                **self._counts(started, t0, push, pull, inbox),
            )
        self._heartbeat(result)
        self._notify_cycle(result)
        return result

    def _heartbeat(self, result: CycleResult) -> None:
        """Tell the central database how this kiosk is, through the sync's own pool.

        Not when the server is unreachable (it would only wait out the connect timeout
        again) nor when a stop was asked for. A failure is logged, once per streak, and
        the cycle's result stays what it was."""
        if self.report is None or result.unreachable or self._stop.is_set():
            return
        try:
            payload = heartbeat_payload(
                self.report(),
                kiosk_clock=self.clock(),
                last_sync_at=self.tracker.snapshot().last_success,
                records_waiting=result.pending,
            )
            send_heartbeat(self.central, payload)
        except Exception as exc:
            level = logging.DEBUG if self._heartbeat_failing else logging.WARNING
            log.log(
                level, "the heartbeat did not reach the central database: %s", describe_error(exc)
            )
            self._heartbeat_failing = True
        else:
            if self._heartbeat_failing:
                log.info("the heartbeat reaches the central database again")
            self._heartbeat_failing = False

    @staticmethod
    def _counts(
        started: datetime, t0: float, push: PushReport, pull: PullReport, inbox: InboxReport
    ) -> dict[str, Any]:
        """What a cycle did so far: the same whether it ended well or not."""
        return {
            "started_at": started,
            "duration_s": time.monotonic() - t0,
            "pushed": dict(push.pushed),
            "pulled": dict(pull.pulled),
            "inbox": dict(inbox.outcomes),
        }

    def _pending_or_none(self) -> int | None:
        try:
            return self.pending_count()
        except Exception as exc:  # the local store itself is in trouble: say so, go on
            log.warning("cannot count the records waiting to sync: %s", describe_error(exc))
            return None

    def _notify_cycle(self, result: CycleResult) -> None:
        with self._observers_lock:
            callbacks = list(self._cycle)
        for callback in callbacks:
            try:
                callback(result)
            except Exception:
                log.exception("a sync on_cycle observer failed")

    def close(self) -> None:
        self.request_stop()
        with self._run_lock:  # wait for a cycle in flight to end its batch
            self.central.dispose()
