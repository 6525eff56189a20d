"""The kiosk window exactly as ``main.py`` runs it, closed one way once recognition has run.

``python -m tests.support.exit_driver HOW -- MAIN_ARGS...`` runs ``main.main(MAIN_ARGS)`` in this
process, with a 100 ms timer that waits until the recognition worker has followed a face
through the whole pipeline (a "please blink" observation: detection, face mesh, embedding,
match, votes and the iris model of blink liveness), prints ``READY <pids>`` (the pids of
any child processes it has, which the test checks are gone afterwards), and then, for HOW:

- ``sigterm`` / ``sigint``: nothing more; the test sends the signal from outside;
- ``close``: the close request a window manager sends when its close button is pressed
  (a QCloseEvent to the window's QWindow, the path Qt's xcb plugin takes for
  WM_DELETE_WINDOW); the kiosk must refuse it and show the sign-in, and prints
  ``CLOSE REFUSED`` when it did: the test then stops it with SIGTERM;
- ``admin``: what an administrator does: clicks ⚙, types the user name and password,
  presses Enter, clicks "Kiosk" in the list of pages, then "Close Asistencia", types a
  reason in the confirmation and clicks its "Close Asistencia".

It prints ``EXIT <code>`` with main's return value before the interpreter exits: an abort
after that line is an abort in Python's or Qt's teardown.
"""

from __future__ import annotations

from core.host.env import prepare_environment

prepare_environment()

import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

HOWS = ("sigterm", "sigint", "close", "admin")


class Driver:
    def __init__(self, how: str) -> None:
        self.how = how
        self.step = "wait"

    def window(self) -> Any:
        from tools.harness.driven_kiosk import kiosk_window

        return kiosk_window()

    def tick(self) -> None:
        window = self.window()
        if window is not None:
            getattr(self, f"_{self.step}")(window)

    def _wait(self, window: Any) -> None:
        import psutil

        from core.runtime.api import FaceState

        observation = window.kiosk.observation
        children = psutil.Process().children(recursive=True)
        if observation is None or observation.state is not FaceState.BLINK:
            return
        print("READY", *(child.pid for child in children), flush=True)
        self.step = {"close": "close", "admin": "open_settings"}.get(self.how, "done")

    def _close(self, window: Any) -> None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtGui import QCloseEvent

        QCoreApplication.postEvent(window.windowHandle(), QCloseEvent())
        self.step = "refused"

    def _refused(self, window: Any) -> None:
        if window.isVisible() and window.stack.currentWidget() is window.login:
            print("CLOSE REFUSED", flush=True)
            self.step = "done"

    def _open_settings(self, window: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(window.kiosk.strip.admin_button, Qt.MouseButton.LeftButton)
        self.step = "sign_in"

    def _sign_in(self, window: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        login = window.login
        if window.stack.currentWidget() is not login:
            return
        QTest.mouseClick(login.username, Qt.MouseButton.LeftButton)
        QTest.keyClicks(login.username, "admin")
        QTest.mouseClick(login.password, Qt.MouseButton.LeftButton)
        QTest.keyClicks(login.password, os.environ["ASISTENCIA_ADMIN_PASSWORD"])
        QTest.keyClick(login.password, Qt.Key.Key_Return)
        self.step = "choose_page"

    def _choose_page(self, window: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from kiosk.admin.shell import PAGE_NAMES

        admin = window.admin
        if admin is None or not admin.isVisible():
            return
        nav = admin.nav
        place = nav.visualItemRect(nav.item(PAGE_NAMES.index("kiosk"))).center()
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=place)
        self.step = "quit"

    def _quit(self, window: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        page = window.admin.pages.get("kiosk") if window.admin is not None else None
        if page is None or not page.quit_button.isVisible():
            return
        QTest.mouseClick(page.quit_button, Qt.MouseButton.LeftButton)
        self.step = "confirm"

    def _confirm(self, window: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QDialogButtonBox

        dialog = window.admin.pages["kiosk"].dialog
        if dialog is None or not dialog.isVisible():
            return
        QTest.mouseClick(dialog.reason.viewport(), Qt.MouseButton.LeftButton)
        QTest.keyClicks(dialog.reason, "end of the test")
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
        self.step = "done"

    def _done(self, window: Any) -> None:
        pass


def main(argv: list[str]) -> int:
    how = argv[0]
    if how not in HOWS:
        print(f"exit_driver: HOW must be one of {', '.join(HOWS)}", file=sys.stderr)
        return 2
    kiosk_args = argv[argv.index("--") + 1 :]
    from tools.harness.driven_kiosk import run_driven

    return run_driven(Driver(how).tick, kiosk_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
