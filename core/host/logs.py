"""Logging: one line per event to stderr and a rotating file in the data dir, secrets masked."""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TextIO, cast

from core.host.logfile import DiskSafeFileHandler
from core.host.redact import RedactingFilter

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# ``log.error(..., extra=FILE_ONLY)``: for the log file, not the console, where the caller
# says it in its own words (core/cli/outcome.py); on the console when there is no log file.
FILE_ONLY = {"file_only": True}
_configured: list[logging.Handler] = []


class ConsoleFormatter(logging.Formatter):
    """The console's line, without the traceback a record carries: that is for the log
    file, and the line says where it is. An operator's terminal (or journald, or docker
    logs) gets one line per event; ``debug = true`` shows tracebacks there too."""

    def __init__(self, log_file: Path) -> None:
        super().__init__(FORMAT, "%H:%M:%S")
        self.log_file = log_file

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        if not any(saved):
            return super().format(record)
        # The file handler may have formatted it first (exc_text is its cache).
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return f"{super().format(record)} (traceback in {self.log_file})"
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


class _Stderr(logging.StreamHandler[TextIO]):
    """The console: whatever ``sys.stderr`` is when a line is written, not the one at
    configuration. A program embedding ``main.main`` (or a test's capture) may replace
    stderr and close the one before; a later line then went nowhere but "Logging error"."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _stream: TextIO) -> None:
        """StreamHandler's own initialiser sets it: there is nothing to keep."""


def _not_file_only(record: logging.LogRecord) -> bool:
    return not getattr(record, "file_only", False)


class PrivateRotatingFileHandler(DiskSafeFileHandler):
    """Log files are 0600 (names, codes, decisions), whatever the umask: the first one,
    each one a rotation starts, and an older, looser one it appends to."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with contextlib.suppress(OSError):  # another user's file: the data dir check says so
            os.fchmod(fd, 0o600)
        # Text mode ("a"): the TextIOWrapper FileHandler's own open returns.
        handle = os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)
        return cast(io.TextIOWrapper, handle)


def configure_logging(log_dir: Path | None, console_level: str | int, debug: bool = False) -> None:
    """(Re)configure the root logger; safe to call more than once (tests, settings reload)."""
    root = logging.getLogger()
    for handler in _configured:
        root.removeHandler(handler)
        handler.close()
    _configured.clear()

    redact = RedactingFilter()
    console = _Stderr()
    console.setLevel(logging.DEBUG if debug else console_level)
    console.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))
    console.addFilter(redact)
    _configured.append(console)

    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            file_handler = PrivateRotatingFileHandler(
                log_dir / "asistencia.log", maxBytes=5 * 2**20, backupCount=5, encoding="utf-8"
            )
        except OSError as exc:
            # A read-only or full disk must not stop the kiosk; say so on the console.
            logging.getLogger(__name__).warning("cannot write log files in %s: %s", log_dir, exc)
        else:
            file_handler.setLevel(logging.DEBUG if debug else logging.INFO)
            file_handler.setFormatter(logging.Formatter(FORMAT))
            file_handler.addFilter(redact)
            _configured.append(file_handler)
            # With a log file to hold them, tracebacks and file-only lines stay off the console.
            console.addFilter(_not_file_only)
            if not debug:
                console.setFormatter(ConsoleFormatter(Path(file_handler.baseFilename)))

    for handler in _configured:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # Third-party chatter that says nothing to an operator.
    for noisy in ("alembic.runtime.migration", "PIL", "h5py", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
