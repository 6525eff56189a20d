"""``main.main()`` in this process, with a driver ticking on the GUI thread every 100 ms.

For the programs that run the kiosk exactly as ``main.py`` does and act on its window from
inside: tools/harness/live_child.py (screenshots, real input) and
tests/support/exit_driver.py (the ways it is closed). It prints ``EXIT <code>`` with main's
return value before the interpreter exits, so an abort after that line is an abort in
Python's or Qt's teardown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TICK_MS = 100


def kiosk_window() -> Any:
    """The KioskWindow once main.py has made it, else None."""
    from PySide6.QtWidgets import QApplication

    from kiosk.main_window import KioskWindow

    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
    return windows[0] if windows else None


def run_driven(tick: Callable[[], None], kiosk_args: list[str]) -> int:
    from PySide6.QtCore import QTimer

    from kiosk.app import application

    app = application()
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    import main as kiosk_main

    code = kiosk_main.main(kiosk_args)
    timer.stop()
    del app
    print(f"EXIT {code}", flush=True)
    return code
