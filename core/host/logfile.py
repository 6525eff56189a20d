"""The log file on a full or failing disk: one sentence on the console, never a traceback per line.

logging's own ``handleError`` prints "--- Logging error ---" and a traceback to stderr for
every line a handler cannot write. On a full disk every line failed, and the tracebacks
buried the one error that mattered (records not saved) in noise nobody could read. Here the
first failure says once, on stderr, that the log file cannot be written and why; the lines
still reach the console through its own handler; the file is reopened at the next line,
and when writing works again that is said once too. Other errors (a bad format string, a
bug) keep logging's usual report.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from typing import TextIO

from typing_extensions import override


def _say(text: str) -> None:
    stream: TextIO | None = sys.stderr
    if stream is None:  # no console at all (a windowed program)
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):  # the console itself is gone: nowhere left to say it
        pass


class DiskSafeFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that survives its disk filling up (see the module docstring)."""

    failing = False  # the last line could not be written (the notice was given)

    @override
    def emit(self, record: logging.LogRecord) -> None:
        self._failed_now = False
        super().emit(record)  # its errors come to handleError below
        if self.failing and not self._failed_now:
            self.failing = False
            _say(f"asistencia: the log file {self.baseFilename} can be written again")

    @override
    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self._failed_now = True
        self._drop_stream()
        if not self.failing:
            self.failing = True
            why = error.strerror or str(error)
            _say(
                f"asistencia: cannot write the log file {self.baseFilename} ({why}); "
                "its lines go only to the console until it can be written again"
            )

    def _drop_stream(self) -> None:
        """Forget the open file and what it still buffers (it would fail again at every
        flush); the next line reopens it."""
        stream, self.stream = self.stream, None
        if stream is not None:
            # The buffered lines are lost; they went to the console too.
            with contextlib.suppress(OSError):
                stream.close()
