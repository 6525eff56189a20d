"""A GUI-thread heartbeat: how long the event loop went without running a 10 ms timer.

The target is no stall longer than 50 ms (the bench reads ``max_gap_ms`` and
``stalls``); a stall is logged once with its length, so a slow call on the GUI thread
shows up in the kiosk's log instead of as a frozen picture nobody can explain.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 10
STALL_MS = 50.0
WARN_MS = 200.0


class Heartbeat(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._beat)
        self._last: float | None = None
        self._wanted = False
        self.max_gap_ms = 0.0
        self.stalls = 0
        self.beats = 0
        # Also told of every beat (systemd's watchdog: core/host/watchdog.py), if anyone asks.
        self.on_beat: Callable[[], None] | None = None

    def start(self, delay_ms: int = 0) -> None:
        """Start beating (after ``delay_ms``: the window's first layout is not a stall)."""
        self._last = None
        self._wanted = True
        if delay_ms:
            QTimer.singleShot(delay_ms, self, self._start_now)
        else:
            self._start_now()

    def _start_now(self) -> None:
        if self._wanted:  # not stopped while the delay ran
            self._timer.start()

    def stop(self) -> None:
        self._wanted = False
        self._timer.stop()

    def reset(self) -> None:
        self.max_gap_ms = 0.0
        self.stalls = 0
        self.beats = 0
        self._last = None

    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            # The timer itself accounts for INTERVAL_MS; the rest is time the loop was busy.
            gap = (now - self._last) * 1000.0 - INTERVAL_MS
            self.max_gap_ms = max(self.max_gap_ms, gap)
            if gap > STALL_MS:
                self.stalls += 1
                # Building a settings page costs ~100 ms once; only longer stalls warn.
                level = logging.WARNING if gap > WARN_MS else logging.INFO
                log.log(level, "the GUI thread stalled for %.0f ms", gap)
        self._last = now
        self.beats += 1
        if self.on_beat is not None:
            self.on_beat()
