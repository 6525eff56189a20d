"""How every command ends when it cannot go on: one sentence on stderr and an exit code.

main.py runs each command (and the window) inside ``reported``. An expected failure is said
as one sentence in the command's language, never as a traceback: an ``AsistenciaError`` (a
refusal, a bad file, a database of another deployment), a settings error, Ctrl+C, standard
input that ended before an answer, an output closed by its reader (``| head``), and an
``OSError`` about a file (its name and the system's reason). Anything else is a bug: its
traceback goes to the log file only, and the console gets one line that points at it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from core.config import SettingsError
from core.errors import AsistenciaError
from core.host.logs import FILE_ONLY
from core.i18n import Message, say

log = logging.getLogger("asistencia")

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


def tell(sentence: str) -> None:
    """One line on stderr, ``asistencia: `` first; nothing when stderr is closed too.

    A sentence may quote what was typed ("no shift named '…'"): a newline or an escape
    character in it is shown as ``\\n`` or ``\\x1b``, so the line stays one line and the
    terminal's state stays as it was."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in sentence)
    with contextlib.suppress(OSError, ValueError):
        print(f"asistencia: {shown}", file=sys.stderr, flush=True)


# Expected ends that need no more than a sentence: (kind, catalogue key, exit code).
_PLAIN_ENDS: tuple[tuple[type[BaseException], str, int], ...] = (
    (KeyboardInterrupt, "cli.interrupted", INTERRUPTED),
    (BrokenPipeError, "cli.output_closed", 1),
    (EOFError, "cli.input_ended", 1),
)


def failed(exc: BaseException, command: str | None, log_file: Path | None) -> int:
    """Say ``exc`` (raised by ``command``; None: the window) and return the exit code;
    ``log_file`` is where an unexpected error's traceback went."""
    if isinstance(exc, AsistenciaError):
        tell(exc.localized())
        return exc.exit_code
    if isinstance(exc, SettingsError):
        for line in exc.lines:
            tell(line)
        return 2
    for kind, key, code in _PLAIN_ENDS:
        if isinstance(exc, kind):
            if kind is BrokenPipeError:
                quiet_stdout()
            tell(say(Message(key)))
            return code
    what = command or "the window"
    if isinstance(exc, UnicodeEncodeError) and "surrogates" in exc.reason:
        # Bytes that are not UTF-8 on the command line (Python keeps them as surrogates),
        # refused by the first thing that must store or send them.
        tell(say(Message("cli.not_utf8", text=exc.object)))
        return 2
    if isinstance(exc, OSError):
        # Expected (a full disk, a folder without permission); the details go to the log.
        log.info("'%s' stopped: %s", what, exc, exc_info=exc, extra=FILE_ONLY)
        why = exc.strerror or str(exc)
        if exc.filename is not None:
            tell(say(Message("cli.os_error", path=exc.filename, why=why)))
        else:
            tell(say(Message("cli.system_error", why=why)))
        return 1
    log.error("unexpected error in '%s'", what, exc_info=exc, extra=FILE_ONLY)
    tell(say(Message("cli.unexpected", command=what, log=log_file or "asistencia.log")))
    return 1


def quiet_stdout() -> None:
    """Standard output's reader has gone: what is still buffered for it is dropped, so
    the interpreter's last flush at exit cannot fail with a traceback of its own."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def flush_stdout(code: int) -> int:
    """Flush standard output before the interpreter does (``main.py``'s last act): a reader
    that closed it early (``| head``) ends the command with ``code`` and no traceback."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except (OSError, ValueError):
        pass
    return code
