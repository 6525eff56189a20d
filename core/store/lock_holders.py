"""A database locked by someone else, in one sentence that says who (``explain_locks``).

After its busy timeout SQLite only says "database is locked", and that came out as a
traceback. The processes holding the file (or its -wal/-shm) are found the way ``fuser``
finds them, through ``/proc/PID/fd``; other users' processes cannot be looked into, and a
system without /proc finds none (the sentence then says so).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from core.errors import StoreError
from core.i18n import Message

__all__ = ["DatabaseInUseError", "describe_holders", "explain_locks", "holders"]

_SQLITE_BUSY = 5


class DatabaseInUseError(StoreError):
    """The database stayed locked by another connection for the whole busy timeout."""


def explain_locks(engine: Engine, timeout_s: float) -> None:
    """Raise ``DatabaseInUseError`` instead of the driver's "database is locked"."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        original = context.original_exception
        if not (isinstance(original, sqlite3.OperationalError) and _is_lock(original)):
            return
        path = Path(engine.url.database or "")
        raise DatabaseInUseError(
            Message("store.in_use", path=path, holders=describe_holders(path), seconds=timeout_s)
        ) from original


def _is_lock(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF == _SQLITE_BUSY
    return "database is locked" in str(error)


_MAX_LISTED = 3


def holders(database: Path) -> list[tuple[int, str]]:
    """(pid, command line) of the other processes with ``database`` or its journals open."""
    try:
        base = database.resolve()
    except OSError:
        base = database
    wanted = {str(base), f"{base}-wal", f"{base}-shm", f"{base}-journal"}
    me = os.getpid()
    found: list[tuple[int, str]] = []
    try:
        entries = [e for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return []
    for entry in entries:
        pid = int(entry.name)
        if pid == me or not _has_open(Path(entry.path) / "fd", wanted):
            continue
        found.append((pid, _command(Path(entry.path) / "cmdline")))
    return sorted(found)


def describe_holders(database: Path) -> Message:
    """'another process (pid 12: python main.py headless)', or a guess when none is seen."""
    found = holders(database)
    if not found:
        return Message("store.holder.unseen")
    listed = ", ".join(
        f"pid {pid}: {command}" if command else f"pid {pid}" for pid, command in found[:_MAX_LISTED]
    )
    more = (
        Message("store.holder.more", n=len(found) - _MAX_LISTED) if len(found) > _MAX_LISTED else ""
    )
    key = "store.holder.one" if len(found) == 1 else "store.holder.many"
    return Message(key, listed=listed, more=more)


def _has_open(fd_dir: Path, wanted: set[str]) -> bool:
    try:
        descriptors = list(os.scandir(fd_dir))
    except OSError:  # gone, or another user's
        return False
    for descriptor in descriptors:
        try:
            if str(Path(descriptor.path).readlink()) in wanted:
                return True
        except OSError:
            continue
    return False


def _command(cmdline: Path) -> str:
    """The program's name and its script's ('python3 main.py'): never the arguments,
    which may hold a PIN or a password (``punch --pin``)."""
    try:
        raw = cmdline.read_bytes()
    except OSError:
        return ""
    words = [w.decode("utf-8", "replace") for w in raw.split(b"\0") if w]
    if not words:
        return ""
    script = ""
    rest = iter(words[1:])
    for word in rest:
        if word == "-c":  # the code itself is an argument too
            break
        if word == "-m":
            script = next(rest, "")
            break
        if not word.startswith("-"):
            script = word
            break
    return " ".join(Path(w).name for w in (words[0], script) if w)[:80]
