"""The landmark child's entry point (``core.recognition.landmarks_process`` serves it).

Its first act, before any import, is to ignore SIGINT and SIGTERM. Ctrl+C and
``systemctl stop`` signal the kiosk's whole process group; the child is ended by the kiosk
closing its input, in order (see ``landmarks_process``). That module set the signals only
once numpy and dlib were imported, about a second after the start: a kiosk stopped in its
first second lost the child mid-import and logged "the landmark process could not start" on
its way out. Here the unprotected span is the interpreter's own start-up.

A kiosk that stops while the child is still loading (a headless run whose camera never
opened) has closed the pipe the child answers on: the child then ends quietly, without the
``BrokenPipeError`` traceback it used to print on the kiosk's console.
"""

from __future__ import annotations

import os
import signal
import sys


def main(argv: list[str]) -> int:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    from core.recognition.landmarks_process import serve

    try:
        return serve(argv[1])
    except (BrokenPipeError, EOFError):
        # The kiosk went first (a camera that never opened ends a headless run before the
        # model has loaded): nobody reads the answer, and its console is no place for a
        # traceback about it. What is still buffered for the closed pipe is dropped, so the
        # interpreter's own last flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
