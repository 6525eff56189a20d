"""Starting the kiosk window: ``run_kiosk(ctx, runtime, fullscreen=...)``.

``main.py`` starts the runtime first (its model loader thread is step 2 of the start-up
order), then calls this; the window appears while the models still load. When the window
closes, its own threads stop before this returns the exit code; main.py then stops the
runtime.
Imports here stay light (Qt and the window only): no model, no OpenCV.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from core.context import AppContext
from core.host.env import process_age_s
from core.runtime.api import KioskRuntime
from kiosk import theme
from kiosk.i18n import resolve_language, translators
from kiosk.join_flow import JoinFunction, core_join
from kiosk.lockdown import ScreenAwake, apply_cursor
from kiosk.main_window import KioskWindow

log = logging.getLogger(__name__)

APP_NAME = "Asistencia"


def application() -> QApplication:
    """The process's QApplication (made once; tests and screenshots share theirs)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    return QApplication(sys.argv[:1])


def prepare(app: QApplication, language_setting: str) -> str:
    """Theme and translators; returns the language in use ('es' or 'en')."""
    theme.apply(app)
    return translators.install(app, resolve_language(language_setting))


def create_window(ctx: AppContext, runtime: KioskRuntime, *, fullscreen: bool) -> KioskWindow:
    app = application()
    prepare(app, ctx.settings.language)
    return KioskWindow(ctx, runtime, fullscreen=fullscreen)


def run_kiosk(
    ctx: AppContext,
    runtime: KioskRuntime,
    *,
    fullscreen: bool,
    on_shown: Callable[[], None] | None = None,
    on_beat: Callable[[], None] | None = None,
    restore_signals: bool = True,
    join: JoinFunction = core_join,
) -> int:
    """Show the kiosk window and run until it closes; the window's own threads and timers
    stop on the way out, the runtime is its starter's to stop (main.py).

    ``on_shown`` runs once the window has been painted (main.py lets the model loader go);
    ``on_beat`` at every beat of the GUI thread's heartbeat (systemd's watchdog).
    SIGINT and SIGTERM close the window; from the end of the event loop on they are
    ignored, and with ``restore_signals`` the previous handlers come back before this
    returns (main.py restores them itself once the runtime has stopped too).
    ``join`` joins a central database from a join file (core's, imported when first used).
    """
    app = application()
    restore = _nothing
    awake = ScreenAwake()
    cursor_hidden = False
    try:
        prepare(app, ctx.settings.language)
        # A door, not a desk: no cursor over a touch screen, no screen saver mid-shift.
        cursor_hidden = apply_cursor(app, ctx.settings.cursor)
        awake.hold()
        window = KioskWindow(
            ctx, runtime, fullscreen=fullscreen or ctx.settings.fullscreen, join=join
        )
        window.heartbeat.on_beat = on_beat
        window.show_in_mode()
        if on_shown is not None:
            QTimer.singleShot(0, on_shown)  # after the first paint
        log.info("window shown %.2f s after the process started", process_age_s())
        stopping, restore = _quit_on_signals(window)
        try:
            code = app.exec()
        finally:
            stopping()
        window.shutdown()  # already done by closeEvent unless the loop was quit otherwise
        dispose(window)
        return int(code)
    finally:
        awake.release()
        if cursor_hidden:
            app.restoreOverrideCursor()
        if restore_signals:
            restore()


def dispose(window: KioskWindow) -> None:
    """Delete the window's Qt objects now, while the application is alive.

    Left to the garbage collector they would be freed during interpreter shutdown, after
    Qt's own teardown, which crashes PySide ("bool_dealloc" at exit).
    """
    if shiboken6.isValid(window):
        shiboken6.delete(window)


def _nothing() -> None:
    pass


def _quit_on_signals(window: KioskWindow) -> tuple[Callable[[], None], Callable[[], None]]:
    """Ctrl+C and `systemctl stop` close the window like the close button: threads stop,
    every acknowledged record is already on disk.

    Returns two steps: ``stopping()`` once the event loop has ended (the kiosk now stops
    in order, and a second signal is ignored rather than cutting that short), and
    ``restore()`` once it has stopped (the previous handlers are back; this also drops the
    handlers' reference to the window).
    """
    if threading.current_thread() is not threading.main_thread():
        return _nothing, _nothing
    numbers = (signal.SIGINT, signal.SIGTERM)
    previous = {n: signal.getsignal(n) for n in numbers}
    for number in numbers:
        signal.signal(number, lambda _signum, _frame: QTimer.singleShot(0, window.close))

    def stopping() -> None:
        for number in numbers:
            signal.signal(number, signal.SIG_IGN)

    def restore() -> None:
        for number, handler in previous.items():
            if handler is not None:  # None: set outside Python, nothing to put back
                signal.signal(number, handler)

    return stopping, restore
