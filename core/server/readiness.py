"""``GET /health``: 200 only when everything the server needs is ready, else 503 and why.

Read from the server's parts at each request: the model (when a camera is configured), the
local store, the central database (a ping on the probe connection, at most every
``PROBE_TTL_S``; its set-up) and the sync's counters. ``status`` is ``ok``, ``starting``
(still coming up, or waiting for something that may come back) or ``unhealthy`` (the model
failed, the store is broken, or the central database answers but cannot be set up).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import text

from core.app import AppContext
from core.server.central_link import CentralLink
from core.server.metrics import ServerMetrics
from core.sync.errors import describe_error
from core.sync.status import NOT_CONFIGURED

if TYPE_CHECKING:
    from core.runtime_api import ModelStatus

Phase = Literal["created", "starting", "running", "stopping", "stopped"]
PROBE_TTL_S = 2.0


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

    def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body)."""
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
        elif model_state == "failed" or store.startswith("error") or database_bad:
            status = "unhealthy"
        else:
            status = "starting"
        body: dict[str, Any] = {
            "status": status,
            "phase": phase,
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

    def _model(self) -> tuple[str, str]:
        """(state key, sentence)."""
        if self._model_status is None:
            return "not_needed", "not needed (no camera)"
        try:
            status = self._model_status()
        except Exception as exc:
            return "failed", f"failed: cannot read the model status: {exc}"
        state = status.state.value
        return state, f"{state}: {status.detail}" if status.detail else state

    def _database(self) -> tuple[str, bool]:
        """(sentence, unhealthy): unreachable, or reachable but its set-up failed."""
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
            return f"unreachable: {problem}", True
        if not link.ready:
            return f"not ready: {link.error or 'setting up'}", link.error is not None
        return "ok", False

    def _store(self) -> str:
        error = self._store_error()
        if error is not None:
            return f"error: {error}"
        if not self.ctx.store_open:  # opened in start-up step 3
            return "not open yet"
        if (problem := self.ctx.store.write_problem) is not None:
            # Until a change is kept again (a full disk): reads may still work.
            return f"error: {problem.message}"
        try:
            with self.ctx.store.read() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:
            return f"error: {describe_error(exc)}"
        return "ok"
