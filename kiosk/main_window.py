"""The kiosk window: the employee screen, the sign-in and the settings, one at a time.

The window owns the polling of the runtime (``RuntimeFeed``), the worker threads for store
and network work (``TaskRunner``) and a heartbeat that measures GUI stalls. Closing it
stops all of them; the runtime itself is stopped by whoever started it (``run_kiosk``).
A language change rebuilds the screens in the new language, keeping the admin session.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget
from typing_extensions import override

from core.config import Settings
from core.context import AppContext
from core.people.users import SignedIn
from core.runtime.api import KioskRuntime
from kiosk.admin.page import AdminContext, SettingsHub
from kiosk.feed import RuntimeFeed
from kiosk.heartbeat import Heartbeat
from kiosk.i18n import resolve_language, translators
from kiosk.join_flow import JoinFunction, JoinOutcome, JoinService, core_join
from kiosk.kiosk_screen import KioskScreen
from kiosk.sounds import Sounds, Tone
from kiosk.workers import TaskRunner

if TYPE_CHECKING:
    from kiosk.admin.login import LoginScreen
    from kiosk.admin.shell import AdminScreen
    from kiosk.first_run import FirstRunScreen, FirstRunState

log = logging.getLogger(__name__)

WINDOW_SIZE = (1280, 800)
HEARTBEAT_DELAY_MS = 500  # after the first show and layout
FRAME_SETTLE_MS = 300  # the window manager has framed the window by then


class KioskWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        runtime: KioskRuntime,
        *,
        fullscreen: bool = False,
        start_feed: bool = True,
        join: JoinFunction = core_join,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.runtime = runtime
        self.join = join  # joining a central database: Settings → Sync and the first run
        self.fullscreen = fullscreen
        self.setObjectName("KioskWindow")
        self.resize(*WINDOW_SIZE)
        self.tasks = TaskRunner("kiosk-store", parent=self)
        self.net_tasks = TaskRunner("kiosk-net", parent=self)
        self.feed = RuntimeFeed(runtime, self)
        self.heartbeat = Heartbeat(self)
        self.settings_hub = SettingsHub(ctx, runtime, self.tasks)
        self.settings_hub.changed.connect(self._settings_changed)
        self.sounds = Sounds(ctx.settings.sounds)
        self.session: SignedIn | None = None
        self.admin: AdminScreen | None = None  # while signed in
        self._admin_context: AdminContext | None = None
        self._shut_down = False
        self.first_run_state: FirstRunState | None = None  # while the assistant runs
        self._build()
        # F2 and Ctrl+, open the settings without a mouse (the kiosk screen has no menu).
        for keys in ("F2", "Ctrl+,"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.open_admin)
        # Ctrl+Q, the desktop's "quit", is a passer-by's too: like Alt+F4 it opens the
        # sign-in on the page whose "Close Asistencia" an administrator confirms.
        QShortcut(QKeySequence("Ctrl+Q"), self).activated.connect(self._close_asked)
        if start_feed:
            self.feed.start()
        self.heartbeat.start(delay_ms=HEARTBEAT_DELAY_MS)
        self._check_setup()

    # --- screens ----------------------------------------------------------------------
    def _build(self) -> None:
        settings = self.ctx.settings
        self.setWindowTitle(self.tr("Asistencia — {name}").format(name=settings.kiosk_name))
        self.stack = QStackedWidget()
        self.stack.setObjectName("Screens")
        self.kiosk = KioskScreen(
            self.runtime,
            self.tasks,
            kiosk_name=settings.kiosk_name,
            zone=settings.zone,
            sounds=self.sounds,
        )
        self._login: LoginScreen | None = None  # built when first asked for (start-up time)
        self.first_run: FirstRunScreen | None = None
        self.stack.addWidget(self.kiosk)
        self.setCentralWidget(self.stack)  # deletes the previous one (language change)
        feed = self.feed
        feed.frame.connect(self.kiosk.on_frame)
        feed.observation.connect(self.kiosk.on_observation)
        feed.model_status.connect(self.kiosk.on_model)
        feed.camera_status.connect(self.kiosk.on_camera)
        feed.sync_status.connect(self.kiosk.on_sync)
        feed.store_status.connect(self.kiosk.on_store)
        feed.record.connect(self.kiosk.on_record)
        self.kiosk.admin_requested.connect(self.open_admin)
        self.kiosk.choose_camera_requested.connect(lambda: self.open_admin("camera"))
        self._after_login = "employees"
        self.admin = None
        self.kiosk.setFocus()

    @property
    def login(self) -> LoginScreen:
        if self._login is None:
            from kiosk.admin.login import LoginScreen

            self._login = LoginScreen(self.ctx, self.tasks)
            self._login.back.connect(self.show_kiosk)
            self._login.signed_in.connect(self._signed_in)
            self.stack.addWidget(self._login)
        return self._login

    def show_kiosk(self) -> None:
        if self.admin is not None:
            self._drop_admin()
        self.session = None
        self.stack.setCurrentWidget(self.kiosk)
        self.runtime.pause_recognition(False)
        self.kiosk.setFocus()
        self._check_setup()

    # --- the first run (kiosk/first_run.py) -------------------------------------------
    def _check_setup(self) -> None:
        """Open the first-run assistant while nobody has set the kiosk up, and tell the
        kiosk screen whether anyone is enrolled (an empty kiosk says what to do)."""
        from core.people.first_admin import first_run_pending
        from core.runtime.setup import anyone_enrolled

        if self._shut_down:
            return  # closing: the settings screen's close brings us here one last time
        ctx = self.ctx

        def check() -> tuple[bool, bool]:
            return first_run_pending(ctx.store), anyone_enrolled(ctx.store)

        def checked(result: tuple[bool, bool]) -> None:
            pending, enrolled = result
            self.kiosk.set_nobody_enrolled(not enrolled)
            if pending and self.first_run is None and self.admin is None:
                self.show_first_run()

        self.tasks.submit(check, checked, lambda exc: log.warning("setup check: %s", exc))

    def show_first_run(self) -> None:
        from kiosk.first_run import FirstRunScreen, FirstRunState

        settings = self.ctx.settings
        if self.first_run_state is None:
            language = resolve_language(settings.language)
            self.first_run_state = FirstRunState(language=language, zone=settings.timezone)
        screen = FirstRunScreen(
            self.ctx,
            self.tasks,
            self.settings_hub,
            self.first_run_state,
            join=JoinService(self.ctx, self.settings_hub, self.net_tasks, self._join),
        )
        screen.finished.connect(self._first_run_done)
        screen.taken.connect(lambda: self._first_run_done(None, ""))
        self.first_run = screen
        self.runtime.pause_recognition(True)
        self.kiosk.set_aside()
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)

    def _first_run_done(self, session: SignedIn | None, page: str) -> None:
        screen, self.first_run, self.first_run_state = self.first_run, None, None
        if screen is not None:
            self.stack.removeWidget(screen)
            screen.deleteLater()
        if session is None:
            self.show_kiosk()
            self.open_admin()  # set up by someone else meanwhile: their sign-in
        elif page:
            self.session = session
            self._open_admin_screen(page)
        else:
            self.show_kiosk()

    def open_admin(self, page: str = "employees") -> None:
        if self.admin is not None or self.first_run is not None:
            return
        if self._login is not None and self.stack.currentWidget() is self._login:
            return
        self._after_login = page if isinstance(page, str) else "employees"
        # No recognition behind the settings: nobody is at the kiosk screen to see it.
        self.runtime.pause_recognition(True)
        self.kiosk.set_aside()
        self.login.reset()
        self.stack.setCurrentWidget(self.login)

    def _join(self, ctx: AppContext, path: Path, passphrase: str, actor: str) -> JoinOutcome:
        # Looked up when used: the screens built before a test gives its stand-in use it.
        return self.join(ctx, path, passphrase, actor)

    def _close_asked(self) -> None:
        log.info("close asked from the keyboard: an administrator closes the kiosk")
        self.open_admin("kiosk")

    def _signed_in(self, session: SignedIn) -> None:
        self.session = session
        self._open_admin_screen(self._after_login)

    def _open_admin_screen(self, page: str) -> None:
        from kiosk.admin.shell import AdminScreen  # built on first sign-in only

        assert self.session is not None
        self._admin_context = AdminContext(
            ctx=self.ctx,
            runtime=self.runtime,
            tasks=self.tasks,
            net_tasks=self.net_tasks,
            feed=self.feed,
            settings=self.settings_hub,
            session=self.session,
            join=self._join,
        )
        admin = AdminScreen(self._admin_context)
        admin.closed.connect(self.show_kiosk)
        admin.quit_requested.connect(self.close)  # confirmed and audited by the Kiosk page
        admin.test_sound.connect(lambda: Sounds(True).play(Tone.RECORDED))
        self.stack.addWidget(admin)
        self.stack.setCurrentWidget(admin)
        self.admin = admin
        admin.start(page)
        self.feed.refresh()

    def _drop_admin(self) -> None:
        admin = self.admin
        self.admin = None
        if admin is not None:
            self.stack.removeWidget(admin)
            admin.deleteLater()

    # --- settings that change the window ----------------------------------------------
    def _settings_changed(self, settings: Settings, changed: set[str]) -> None:
        self.sounds.enabled = settings.sounds
        self.kiosk.set_kiosk(settings.kiosk_name, settings.zone)
        self.setWindowTitle(self.tr("Asistencia — {name}").format(name=settings.kiosk_name))
        if "fullscreen" in changed:
            self.fullscreen = settings.fullscreen
            self.show_in_mode()
        if "language" in changed:
            self.set_language(settings.language)

    def set_language(self, setting: str) -> None:
        """Switch language now: install the translators and rebuild every screen."""
        app = QApplication.instance()
        if app is None:
            return
        translators.install(app, resolve_language(setting))
        session = self.session
        page = self.admin.current_name if self.admin is not None else None
        if self.admin is not None:
            self.admin.close_admin()  # back on the kiosk screen, signed out for a moment
        self._drop_admin()
        self._build()
        self.feed.refresh()
        self._check_setup()
        if self.first_run_state is not None:  # the assistant, at the step it was on
            self.show_first_run()
            return
        if session is not None and page is not None:
            self.session = session
            self.runtime.pause_recognition(True)
            self._open_admin_screen(page)

    def show_in_mode(self) -> None:
        screen = self.screen()
        if self.fullscreen:
            # Without a window manager nobody applies "full screen": the window kept its
            # 1280x800 and a 1024x768 screen cut off the ⚙ button. Take the screen ourselves.
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            room = screen.availableGeometry()
            width, height = min(WINDOW_SIZE[0], room.width()), min(WINDOW_SIZE[1], room.height())
            if self.width() > room.width() or self.height() > room.height():
                self.resize(width, height)
            self.showNormal()
            QTimer.singleShot(FRAME_SETTLE_MS, self, self._fit_frame)
        # Ask for the keyboard: with no window manager (a kiosk session on a bare X server)
        # nobody else gives the window the focus, and F2 or a typed code would go nowhere.
        self.raise_()
        self.activateWindow()

    def _fit_frame(self) -> None:
        """With its title bar the window may be taller than the screen (1280x800 on a
        1280x800 screen cut the status strip's bottom): shrink it into the free area."""
        if self.isFullScreen() or not self.isVisible():
            return
        room, frame = self.screen().availableGeometry(), self.frameGeometry()
        extra_w, extra_h = frame.width() - room.width(), frame.height() - room.height()
        if extra_w > 0 or extra_h > 0:
            self.resize(self.width() - max(extra_w, 0), self.height() - max(extra_h, 0))
            self.move(room.topLeft())

    # --- closing ----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop polling and every worker thread of the window; safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.feed.stop()
        self.heartbeat.stop()
        if self.admin is not None:
            self.admin.close_admin()  # cancels a capture in progress
        self.tasks.shutdown(wait=True)
        self.net_tasks.shutdown(wait=True)
        log.info("kiosk window closed (longest GUI stall %.0f ms)", self.heartbeat.max_gap_ms)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        # A close from the window system (Alt+F4, a title bar's ×) is a passer-by's: the
        # kiosk stays, and the sign-in opens on the page whose "Close Asistencia" an
        # administrator confirms. Closes from the program itself (that button, SIGTERM,
        # Ctrl+C) are not spontaneous and go through.
        if event.spontaneous() and not self._shut_down:
            event.ignore()
            log.info("close from the window system refused: an administrator closes the kiosk")
            if self.admin is None:
                self.open_admin("kiosk")
            return
        self.shutdown()
        self.closed.emit()
        event.accept()
