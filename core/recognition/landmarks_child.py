"""The landmark child's entry point (``core.recognition.landmarks_process`` serves it).

Its first act, before any import, is to ignore SIGINT and SIGTERM. Ctrl+C and
``systemctl stop`` signal the kiosk's whole process group; the child is ended by the kiosk
closing its input, in order (see ``landmarks_process``). That module set the signals only
once numpy and dlib were imported, about a second after the start: a kiosk stopped in its
first second lost the child mid-import and logged "the landmark process could not start" on
its way out. Here the unprotected span is the interpreter's own start-up.
"""

from __future__ import annotations

import signal
import sys


def main(argv: list[str]) -> int:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    from core.recognition.landmarks_process import serve

    return serve(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
