"""systemd's watchdog: a frozen kiosk is restarted, not only a dead one.

Under a unit with ``Type=notify`` and ``WatchdogSec=``, systemd gives the process
``NOTIFY_SOCKET`` and ``WATCHDOG_USEC`` and kills it (then ``Restart=`` starts it again) when
no ``WATCHDOG=1`` arrives in time. A thread that merely pings would keep a frozen window
alive, so the ping is sent only while every part that must be alive has beaten recently:
the GUI thread (from its 10 ms heartbeat timer) and the recognition worker (each turn of its
loop). The protocol is one datagram per message on a Unix socket (``sd_notify(3)``), so no
library is needed. Without ``NOTIFY_SOCKET`` nothing here runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class Watchdog:
    def __init__(
        self,
        address: str,
        interval_s: float,
        parts: Iterable[str],
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        # An address starting with '@' is in Linux's abstract namespace.
        self.address = "\0" + address[1:] if address.startswith("@") else address
        self.interval_s = interval_s
        self.clock = clock
        started = clock()
        self._last: dict[str, float] = dict.fromkeys(parts, started)
        self._stale: str | None = None  # the part last reported stale (said once)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

    @classmethod
    def from_environment(
        cls, parts: Iterable[str], environ: Mapping[str, str] = os.environ
    ) -> Watchdog | None:
        """The watchdog systemd asked for, or None (not under systemd, or no WatchdogSec)."""
        address = environ.get("NOTIFY_SOCKET")
        if not address:
            return None
        pid = environ.get("WATCHDOG_PID")
        # Under a compositor (cage -- asistencia) the unit's main process is our parent and
        # the unit says NotifyAccess=all: its watchdog is ours to keep.
        if pid and pid not in (str(os.getpid()), str(os.getppid())):
            return None  # meant for another process
        try:
            interval_s = int(environ.get("WATCHDOG_USEC", "0")) / 1_000_000
        except ValueError:
            interval_s = 0.0
        return cls(address, interval_s, parts)

    # --- what the parts call --------------------------------------------------------------
    def beat(self, part: str) -> None:
        """Cheap enough for a 10 ms timer: one clock read, one dict store."""
        self._last[part] = self.clock()

    def ready(self) -> None:
        self.notify("READY=1")

    def stopping(self) -> None:
        self.notify("STOPPING=1")

    # --- the check ------------------------------------------------------------------------
    def stale_part(self) -> str | None:
        """The first part that has not beaten for half the watchdog interval, or None."""
        if self.interval_s <= 0:
            return None
        now = self.clock()
        limit = self.interval_s / 2
        return next((part for part, at in self._last.items() if now - at > limit), None)

    def check(self) -> bool:
        """Ping systemd when every part is alive; True when it pinged."""
        stale = self.stale_part()
        if stale is not None:
            if stale != self._stale:
                age = self.clock() - self._last[stale]
                log.error(
                    "the %s has not answered for %.0f s: no watchdog ping, so systemd restarts "
                    "the kiosk",
                    stale,
                    age,
                )
            self._stale = stale
            return False
        if self._stale is not None:
            log.warning("the %s answers again", self._stale)
            self._stale = None
        return self.notify("WATCHDOG=1")

    def notify(self, message: str) -> bool:
        try:
            self._socket.sendto(message.encode(), self.address)
        except OSError as exc:
            log.warning("cannot tell systemd %s: %s", message.split("=", maxsplit=1)[0], exc)
            return False
        return True

    # --- the thread -----------------------------------------------------------------------
    def start(self) -> None:
        if self.interval_s <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # systemd's advice: ping at least twice per interval.
        while not self._stop.wait(self.interval_s / 3):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._socket.close()
