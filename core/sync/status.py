"""What the kiosk's status bar and /health show of sync: a snapshot, cheap from any thread.

The tracker also keeps the Home Assistant habit: the first failure of a streak is logged
once at WARNING ("central database unreachable: <reason>"), the recovery once at INFO, and
everything in between at DEBUG, so an outage of a week does not fill the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from core.errors import AsistenciaError
from core.store.types import utcnow
from core.sync.errors import describe_error, is_connectivity_error

log = logging.getLogger("core.sync")

UNREACHABLE_PREFIX = "central database unreachable"  # how last_error starts for an outage


@dataclass(frozen=True)
class SiteView:
    """The site the central database gives this kiosk (read-only on the kiosk)."""

    code: str
    name: str
    employees: int  # its members this kiosk holds


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    pending: int = 0  # records waiting to be pushed
    last_success: datetime | None = None
    last_error: str | None = None  # a sentence, password-free
    note: str | None = None  # e.g. "5 records wait for the server to accept new employees"
    site: SiteView | None = None  # None: no site (every employee), or not known yet
    site_known: bool = False  # a pull has asked the central database at least once


@dataclass(frozen=True)
class SyncSnapshot:
    configured: bool
    pending: int = 0  # local rows still to push
    held_back: int = 0  # of those, records waiting for their employee to be accepted
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str | None = None  # a sentence, password-free; None after a success
    failures: int = 0  # consecutive failed cycles
    running: bool = False
    note: str | None = None  # e.g. "12 records wait for the server to accept new employees"
    site_known: bool = False  # a pull asked the central database which site this kiosk is in
    site: tuple[str, str, int] | None = None  # code, name, members held here

    def to_runtime(self) -> SyncStatus:
        """What the window and /health show (``SyncStatus``)."""
        return SyncStatus(
            configured=self.configured,
            pending=self.pending,
            last_success=self.last_success,
            last_error=self.last_error,
            note=self.note,
            site=None if self.site is None else SiteView(*self.site),
            site_known=self.site_known,
        )


NOT_CONFIGURED = SyncSnapshot(configured=False)


def held_back_note(count: int) -> str | None:
    if count <= 0:
        return None
    noun = "record waits" if count == 1 else "records wait"
    return f"{count} {noun} for the server to accept new employees"


class SyncTracker:
    """Thread-safe record of sync outcomes; readers get an immutable snapshot."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot = SyncSnapshot(configured=True)
        # True when whoever runs the cycle says its failure itself (``sync --once``): the
        # failure is then a line of the log file, not a second sentence on the console.
        self.caller_reports = False

    def snapshot(self) -> SyncSnapshot:
        with self._lock:
            return self._snapshot

    @property
    def failures(self) -> int:
        return self.snapshot().failures

    def site_seen(self, known: bool, site: tuple[str, str, int] | None) -> None:
        with self._lock:
            self._snapshot = replace(self._snapshot, site_known=known, site=site)

    def started(self) -> None:
        with self._lock:
            self._snapshot = replace(self._snapshot, running=True, last_attempt=self._clock())

    def succeeded(self, pending: int, held_back: int) -> None:
        with self._lock:
            failures = self._snapshot.failures
            self._snapshot = replace(
                self._snapshot,
                running=False,
                pending=pending,
                held_back=held_back,
                last_success=self._clock(),
                last_error=None,
                failures=0,
                note=held_back_note(held_back),
            )
        if failures:
            log.info("central database reachable again after %d failures", failures)

    def failed(self, exc: BaseException, pending: int | None) -> str:
        """Record a failed cycle; returns the sentence shown to people."""
        reason = describe_error(exc)
        unreachable = is_connectivity_error(exc)
        sentence = f"{UNREACHABLE_PREFIX}: {reason}" if unreachable else reason
        with self._lock:
            first = self._snapshot.failures == 0
            self._snapshot = replace(
                self._snapshot,
                running=False,
                pending=self._snapshot.pending if pending is None else pending,
                last_error=sentence,
                failures=self._snapshot.failures + 1,
            )
        level = logging.INFO if self.caller_reports else logging.WARNING
        if first and unreachable:
            log.log(level, "%s; records are kept here and sent when it is back", sentence)
        elif first:
            # Not a network problem: a refusal (another deployment's database, an old
            # schema) is its sentence; anything else is a bug worth a traceback, once.
            expected = isinstance(exc, AsistenciaError)
            log.log(level, "sync failed: %s", sentence, exc_info=None if expected else exc)
        else:
            log.debug("sync still failing: %s", sentence)
        return sentence
