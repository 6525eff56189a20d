"""``GET /health``: 200 only when everything the server needs is ready, else 503 and why.

Read from the server's parts at each request: the model (when a camera is configured), the
local store, the central database (a ping on the probe connection, at most every
``PROBE_TTL_S``; its set-up) and the sync's counters. ``status`` is ``ok``, ``starting``
(still coming up, or waiting for something that may come back) or ``unhealthy`` (the model
failed, the store is broken, or the central database refuses, cannot be reached or cannot be
set up).

Anyone who reaches the port reads the answer (the image listens on 0.0.0.0), so it holds fixed
words only: ``model`` is ``not needed``, ``loading``, ``ready`` or ``failed``; ``store`` is
``ok``, ``opening``, ``disk full``, ``not writable`` or ``failed``; ``database`` is ``not
configured``, ``ok``, ``setting up``, ``unreachable``, ``refused`` or ``failed``; ``sync``
holds counts, times and ``last_error`` as ``unreachable`` or ``failed``. The driver's sentence
(it names socket paths, hosts, roles and databases) and the store's path go to the server's
log once per change, masked, and ``main.py doctor`` shows them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import text

from core.context import AppContext
from core.host.redact import mask_secrets
from core.server.central_link import CentralLink
from core.server.metrics import ServerMetrics
from core.sync.errors import describe_error
from core.sync.status import NOT_CONFIGURED, UNREACHABLE_PREFIX, SyncSnapshot

if TYPE_CHECKING:
    from core.states import ModelStatus

log = logging.getLogger(__name__)

Phase = Literal["created", "starting", "running", "stopping", "stopped"]
PROBE_TTL_S = 2.0
STORE_BAD = frozenset({"failed", "disk full", "not writable"})


class Readiness:
    def __init__(
        self,
        ctx: AppContext,
        metrics: ServerMetrics,
        *,
        phase: Callable[[], Phase],
        model: Callable[[], ModelStatus] | None,
        link: Callable[[], CentralLink | None],
        store_error: Callable[[], str | None],
        on_reachable_again: Callable[[], None],
    ) -> None:
        self.ctx = ctx
        self.metrics = metrics
        self._phase = phase
        self._model_status = model
        self._link = link
        self._store_error = store_error
        self._on_reachable_again = on_reachable_again
        self._lock = threading.Lock()
        self._probe_cache: tuple[float, str | None] = (0.0, None)
        self._details = _Details()

    def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body): fixed words only, the details go to the log (see the module)."""
        model_state, model = self._model()
        self.metrics.set_model_state(model_state)
        store = self._store()
        database, database_bad = self._database()
        link = self._link()
        snapshot = link.engine.snapshot() if link is not None else NOT_CONFIGURED
        phase = self._phase()
        reasons = []
        if phase in {"created", "starting"}:
            reasons.append("starting up")
        if model_state in {"loading", "failed"}:
            reasons.append(f"model {model}")
        if store != "ok":
            reasons.append(f"local store {store}")
        if database not in {"ok", "not configured"}:
            reasons.append(f"central database {database}")
        if phase in {"stopping", "stopped"}:
            reasons.append("stopping")
        if not reasons:
            status = "ok"
        elif model_state == "failed" or store in STORE_BAD or database_bad:
            status = "unhealthy"
        else:
            status = "starting"
        body: dict[str, Any] = {
            "status": status,
            "phase": phase,
            "model": model,
            "database": database,
            "store": store,
            "sync": _sync_words(snapshot),
        }
        if reasons:
            body["reason"] = "; ".join(reasons)
        return (200 if status == "ok" else 503), body

    def _model(self) -> tuple[str, str]:
        """(state key for the metrics, word)."""
        if self._model_status is None:
            return "not_needed", "not needed"
        try:
            status = self._model_status()
        except Exception as exc:
            self._details.note("model", "failed", f"cannot read the model status: {exc}")
            return "failed", "failed"
        state = status.state.value
        self._details.note("model", state, status.detail)
        return state, state

    def _database(self) -> tuple[str, bool]:
        """(word, unhealthy): unreachable or refused, or reachable but its set-up failed."""
        link = self._link()
        if link is None:
            return "not configured", False
        with self._lock:
            checked, problem = self._probe_cache
            if time.monotonic() - checked > PROBE_TTL_S:
                problem = link.ping()
                self._probe_cache = (time.monotonic(), problem)
                if problem is None and not link.ready:
                    # It answers again: set up now rather than after the back-off delay.
                    self._on_reachable_again()
        if problem is not None:
            # libpq quotes the server's own refusal as "FATAL:" (a role or database that does
            # not exist, a wrong password); anything else did not reach it.
            word = "refused" if "FATAL:" in problem else "unreachable"
            self._details.note("central database", word, problem)
            return word, True
        if not link.ready:
            if link.error is None:
                self._details.note("central database", "setting up", "")
                return "setting up", False
            self._details.note("central database", "failed", link.error)
            return "failed", True
        self._details.note("central database", "ok", "")
        return "ok", False

    def _store(self) -> str:
        error = self._store_error()
        if error is not None:
            self._details.note("local store", "failed", error)
            return "failed"
        if not self.ctx.store_open:  # opened in start-up step 3
            return "opening"
        if (problem := self.ctx.store.write_problem) is not None:
            # Until a change is kept again (a full disk): reads may still work.
            word = "disk full" if problem.disk_full else "not writable"
            self._details.note("local store", word, problem.message)
            return word
        try:
            with self.ctx.store.read() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:
            self._details.note("local store", "failed", describe_error(exc))
            return "failed"
        self._details.note("local store", "ok", "")
        return "ok"


def _sync_words(snapshot: SyncSnapshot) -> dict[str, Any]:
    """Counts, times and a word; the error's sentence (it names hosts and sockets) and the
    site's name stay in the log and the kiosk's own screen."""
    error = snapshot.last_error
    if error is not None:
        error = "unreachable" if error.startswith(UNREACHABLE_PREFIX) else "failed"
    return {
        "configured": snapshot.configured,
        "pending": snapshot.pending,
        "held_back": snapshot.held_back,
        "failures": snapshot.failures,
        "running": snapshot.running,
        "last_success": _iso(snapshot.last_success),
        "last_attempt": _iso(snapshot.last_attempt),
        "last_error": error,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


class _Details:
    """Logs what each part's word stands for when it changes (once, not at every probe):
    the server's log keeps what /health no longer tells an anonymous caller."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def note(self, part: str, word: str, detail: str) -> None:
        with self._lock:
            if self._last.get(part) == (word, detail):
                return
            first = part not in self._last
            self._last[part] = (word, detail)
        if first and word in {"ok", "setting up"}:
            return  # nothing worth a line
        # Redacted by core/host/redact.py's filter too; describe_error already masked passwords.
        log.info("health: %s %s%s", part, word, f" ({mask_secrets(detail)})" if detail else "")
