"""A change the local store could not keep, in words: a full disk, a failing or read-only one.

SQLite reports these while a transaction writes or at its commit (the WAL grows then); the
transaction is rolled back and nothing of it is kept. On a full disk some commits may still
succeed (a WAL rewound after a checkpoint reuses its space), so only the commit itself says
whether a change was kept. ``Store.write`` therefore:

- runs what must only be said once the change is kept (``after_commit``: "recorded" in the
  log) after the commit, never before it;
- turns these failures into :class:`StoreWriteError`, one sentence that says what to do;
- keeps the last one as the store's ``write_problem`` until a later change is committed:
  what the kiosk shows, ``/health`` reports and doctor names. :func:`check_writable` is
  that later change when nothing else writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.errors import StoreError
from core.i18n import Message

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.store.database import Store

AFTER_COMMIT = "asistencia_after_commit"
WRITE_CHECK_KEY = "store.write_check"

# SQLite's primary result codes (the extended ones keep them in their low byte).
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13


@dataclass(frozen=True)
class WriteProblem:
    """Why the store cannot keep changes now, as a sentence for people."""

    message: Message
    disk_full: bool
    since: datetime = field(default_factory=lambda: datetime.now(UTC))


class StoreWriteError(StoreError):
    """A change the store did not keep: nothing of its transaction was saved."""

    def __init__(self, problem: WriteProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem

    @property
    def disk_full(self) -> bool:
        return self.problem.disk_full


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once this write session's transaction is committed (not if it fails).

    For acknowledgements: a record is "recorded" only when the disk has it.
    """
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


def run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT, []):
        callback()


def _kind(exc: BaseException) -> str | None:
    """``full``, ``io`` or ``readonly`` when SQLite says the disk under the store failed
    (an OSError of the caller's own, inside the block, is the caller's to explain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if code is not None:
                primary = int(code) & 0xFF
                if primary == _SQLITE_FULL:
                    return "full"
                if primary == _SQLITE_IOERR:
                    return "io"
                if primary == _SQLITE_READONLY:
                    return "readonly"
        # The driver's error under SQLAlchemy's, or what an error was raised from; never the
        # one that happened to be handled meanwhile (a refusal raised in an except block).
        current = getattr(current, "orig", None) or current.__cause__
    return None


def write_problem(exc: BaseException, where: str | None) -> WriteProblem | None:
    """The problem ``exc`` means for the store at ``where`` (a path), or None for anything
    that is not the disk (a constraint, a refusal, a bug: those keep their own errors)."""
    kind = _kind(exc)
    if kind is None:
        return None
    place = f" ({where})" if where else ""
    key = {"full": "store.disk_full", "readonly": "store.read_only"}.get(kind, "store.io_error")
    return WriteProblem(Message(key, place=place), disk_full=kind == "full")


def check_writable(store: Store) -> WriteProblem | None:
    """Commit one tiny change, to learn whether the store can keep changes again; its
    ``write_problem`` is cleared or renewed either way. None when it can."""
    from core.store.models import SyncState

    try:
        with store.write() as session:
            session.merge(SyncState(key=WRITE_CHECK_KEY, value=datetime.now(UTC).isoformat()))
    except StoreWriteError as exc:
        return exc.problem
    return None


__all__ = [
    "StoreWriteError",
    "WriteProblem",
    "after_commit",
    "check_writable",
    "run_after_commit",
    "write_problem",
]
