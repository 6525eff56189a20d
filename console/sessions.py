"""Server-side sessions of signed-in administrators, kept in the server's memory.

The browser holds only a random id (256 bits) in a cookie; the server keeps its SHA-256, so
a copy of the server's memory or a log names no usable cookie. A session ends when its user
signs out (the id is forgotten: the same cookie replayed is refused), after
``idle`` without a request, after ``lifetime`` however busy, and when the server restarts.
Each holds its own CSRF token for the forms it is shown.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION_COOKIE = "asistencia_session"
# Beyond this many open sessions the oldest goes: memory a stream of sign-ins cannot grow.
MOST_SESSIONS = 1000


@dataclass
class Session:
    username: str
    display_name: str
    csrf: str
    created: float
    last_seen: float

    @property
    def actor(self) -> str:
        """Who the audit log says did what (as the kiosk's sign-in names its users)."""
        return f"user:{self.username}"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


class Sessions:
    def __init__(
        self,
        *,
        idle_s: float,
        lifetime_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle_s = idle_s
        self.lifetime_s = lifetime_s
        self.clock = clock
        self._lock = threading.Lock()
        self._open: dict[str, Session] = {}

    def create(self, username: str, display_name: str) -> tuple[str, Session]:
        """A new session: (the cookie's value, the session)."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        session = Session(username, display_name, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._forget_expired(now)
            while len(self._open) >= MOST_SESSIONS:
                oldest = min(self._open, key=lambda key: self._open[key].last_seen)
                del self._open[oldest]
            self._open[_digest(session_id)] = session
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        """The open session of this cookie, its idle clock restarted; None when there is
        none (never was, signed out, expired)."""
        if not session_id:
            return None
        now = self.clock()
        key = _digest(session_id)
        with self._lock:
            session = self._open.get(key)
            if session is None:
                return None
            if self._expired(session, now):
                del self._open[key]
                return None
            session.last_seen = now
            return session

    def end(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            return self._open.pop(_digest(session_id), None)

    def end_user(self, username: str) -> None:
        """Every session of ``username`` (an account disabled meanwhile)."""
        with self._lock:
            for key in [k for k, s in self._open.items() if s.username == username]:
                del self._open[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.last_seen > self.idle_s or now - session.created > self.lifetime_s

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, s in self._open.items() if self._expired(s, now)]:
            del self._open[key]
