"""The settings screen: a header, the list of pages on the left, the open page on the right.

Keyboard: arrows in the list choose a page, Ctrl+1…9 jump to one, Tab moves through a
page, Escape returns to the kiosk. A screen left alone signs itself out, so a kiosk in a
corridor is never left open on the settings.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from kiosk.admin.admins_page import AdminsPage
from kiosk.admin.attendance_page import AttendancePage
from kiosk.admin.camera_page import CameraPage
from kiosk.admin.employees_page import EmployeesPage
from kiosk.admin.enrollment_page import EnrollmentPage
from kiosk.admin.export_page import ExportPage
from kiosk.admin.kiosk_page import KioskPage
from kiosk.admin.page import AdminContext, AdminPage
from kiosk.admin.recognition_page import RecognitionPage
from kiosk.admin.shifts_page import ShiftsPage
from kiosk.admin.sync_page import SyncPage

IDLE_SIGN_OUT_MS = 180_000
PAGE_NAMES = (
    "employees",
    "enrollment",
    "shifts",
    "camera",
    "recognition",
    "attendance",
    "export",
    "sync",
    "kiosk",
    "admins",
)
PAGE_TYPES: dict[str, type[AdminPage]] = {
    "employees": EmployeesPage,
    "enrollment": EnrollmentPage,
    "shifts": ShiftsPage,
    "camera": CameraPage,
    "recognition": RecognitionPage,
    "attendance": AttendancePage,
    "export": ExportPage,
    "sync": SyncPage,
    "kiosk": KioskPage,
    "admins": AdminsPage,
}
_INPUT_EVENTS = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
)


class AdminScreen(QWidget):
    closed = Signal()  # back to the kiosk (signed out)
    quit_requested = Signal()
    test_sound = Signal()

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = admin
        # Pages are built when first opened: building all nine at sign-in held the GUI
        # thread for over half a second.
        self.pages: dict[str, AdminPage] = {}
        header = self._header(admin.session.username)
        self.nav = QListWidget()
        self.nav.setObjectName("AdminNav")
        self.nav.setFixedWidth(220)
        self.nav.setAccessibleName(self.tr("Settings pages"))
        self.stack = QStackedWidget()
        for index, title in enumerate(self._titles()):
            self.nav.addItem(title)
            if index >= 9:  # Ctrl+1…9: a tenth page is reached from the list
                continue
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.nav.setCurrentRow(i))
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(body, 1)

        self._current: AdminPage | None = None
        self.nav.currentRowChanged.connect(self._open_row)
        self.back_button.clicked.connect(self.close_admin)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close_admin)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SIGN_OUT_MS)
        self._idle.timeout.connect(self._idle_timeout)

    def _titles(self) -> list[str]:
        # In PAGE_NAMES order; each page shows the same words as its heading.
        return [
            self.tr("Employees"),
            self.tr("Face enrollment"),
            self.tr("Shifts"),
            self.tr("Camera"),
            self.tr("Recognition"),
            self.tr("Attendance"),
            self.tr("Export"),
            self.tr("Sync"),
            self.tr("Kiosk"),
            self.tr("Administrators"),
        ]

    def page(self, name: str) -> AdminPage:
        """The page called ``name`` (one of PAGE_NAMES), built on first use."""
        if name not in self.pages:
            page = PAGE_TYPES[name](self.admin)
            self.pages[name] = page
            self.stack.addWidget(page)
            if isinstance(page, EmployeesPage):
                page.enroll_requested.connect(self._enroll)
            if isinstance(page, KioskPage):
                page.quit_requested.connect(self.quit_requested)
                page.test_sound.connect(self.test_sound)
        return self.pages[name]

    # Typed shortcuts to the pages (tests and screenshots use them).
    @property
    def employees(self) -> EmployeesPage:
        return cast(EmployeesPage, self.page("employees"))

    @property
    def enrollment(self) -> EnrollmentPage:
        return cast(EnrollmentPage, self.page("enrollment"))

    @property
    def shifts(self) -> ShiftsPage:
        return cast(ShiftsPage, self.page("shifts"))

    @property
    def camera(self) -> CameraPage:
        return cast(CameraPage, self.page("camera"))

    @property
    def recognition(self) -> RecognitionPage:
        return cast(RecognitionPage, self.page("recognition"))

    @property
    def attendance(self) -> AttendancePage:
        return cast(AttendancePage, self.page("attendance"))

    @property
    def export(self) -> ExportPage:
        return cast(ExportPage, self.page("export"))

    @property
    def sync(self) -> SyncPage:
        return cast(SyncPage, self.page("sync"))

    @property
    def kiosk(self) -> KioskPage:
        return cast(KioskPage, self.page("kiosk"))

    @property
    def admins(self) -> AdminsPage:
        return cast(AdminsPage, self.page("admins"))

    def _header(self, username: str) -> QFrame:
        header = QFrame()
        header.setObjectName("AdminHeader")
        title = QLabel(self.tr("Settings"))
        title.setObjectName("AdminTitle")
        user = QLabel(self.tr("Signed in as {user}").format(user=username))
        user.setObjectName("AdminUser")
        # Said, so that nobody takes the quiet camera for a broken one (main_window pauses
        # recognition for as long as the settings are open).
        self.paused_note = QLabel(self.tr("Nobody is recorded while the settings are open"))
        self.paused_note.setObjectName("AdminUser")
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(user)
        who.addWidget(self.paused_note)
        self.back_button = QPushButton(self.tr("← Back to the kiosk (Esc)"))
        self.back_button.setProperty("role", "primary")
        top = QHBoxLayout(header)
        top.setContentsMargins(24, 12, 24, 12)
        top.addWidget(title)
        top.addSpacing(16)
        top.addLayout(who)
        top.addStretch(1)
        top.addWidget(self.back_button)
        return header

    def start(self, page: str = "employees") -> None:
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self._idle.start()
        self.open_page(page)

    def open_page(self, name: str) -> AdminPage:
        index = PAGE_NAMES.index(name)
        if self.nav.currentRow() == index:
            self._open_row(index)
        else:
            self.nav.setCurrentRow(index)
        return self.page(name)

    @property
    def current_name(self) -> str:
        return PAGE_NAMES[max(self.nav.currentRow(), 0)]

    def _open_row(self, index: int) -> None:
        if index < 0:
            return
        page = self.page(PAGE_NAMES[index])
        if self._current is not None and self._current is not page:
            self._current.deactivate()
        self._current = page
        self.stack.setCurrentWidget(page)
        page.clear_notice()
        page.activate()

    def _enroll(self, code: str) -> None:
        self.open_page("enrollment")
        self.enrollment.preselect(code)

    def close_admin(self) -> None:
        if self._current is not None:
            self._current.deactivate()
        self._current = None
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.closed.emit()

    def _idle_timeout(self) -> None:
        capture = self.pages.get("enrollment")
        if isinstance(capture, EnrollmentPage) and capture.running:  # a capture is activity
            self._idle.start()
            return
        self.close_admin()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._idle.start()
        return super().eventFilter(watched, event)
