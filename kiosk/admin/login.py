"""The administrator's sign-in, in front of the settings.

The password check (argon2, ~120 ms) and the lockout live in core's ``AuthService``; it runs
on the store worker, and its refusal is shown in words: one sentence for a wrong name, a
wrong password and a locked account alike, so the screen never tells which names exist. A
first administrator whose password was generated must choose a new one before going on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.context import AppContext
from core.errors import UsageError
from core.people.first_password import first_password_user
from core.people.users import SignedIn
from core.secrets.passwords import password_problem
from kiosk import theme
from kiosk.admin.page import FIELD_HEIGHT
from kiosk.messages import describe_error
from kiosk.onscreen_keyboard import OnscreenKeyboard
from kiosk.workers import TaskRunner

PANEL_WIDTH = 560
IDLE_BACK_MS = 60_000  # an open sign-in with nobody typing goes back to the kiosk


def _field(name: str, *, secret: bool = False) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _primary(text: str) -> QPushButton:
    widget = QPushButton(text)
    widget.setProperty("role", "primary")
    return widget


def _form(*rows: tuple[str, QWidget]) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    form.setSpacing(12)
    for text, widget in rows:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setMinimumHeight(FIELD_HEIGHT)  # level with the field's text
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(label, widget)
    return page


class LoginScreen(QWidget):
    signed_in = Signal(object)  # SignedIn
    back = Signal()

    def __init__(self, ctx: AppContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.panel = QFrame()
        self.panel.setObjectName("LoginPanel")
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.panel.setFixedWidth(PANEL_WIDTH)
        self.title = QLabel(self.tr("Settings"))
        self.title.setObjectName("LoginTitle")
        self.subtitle = QLabel(self.tr("For administrators. Sign in to continue."))
        self.subtitle.setObjectName("PageIntro")
        self.subtitle.setWordWrap(True)

        self.username = _field(self.tr("User name"))
        self.username.setMaxLength(64)
        self.password = _field(self.tr("Password"), secret=True)
        self.sign_in_button = _primary(self.tr("&Sign in"))
        self.sign_in_button.setDefault(True)
        self.new_password = _field(self.tr("New password"), secret=True)
        self.repeat_password = _field(self.tr("Repeat the new password"), secret=True)
        self.change_button = _primary(self.tr("&Save and continue"))
        sign_in_page = _form(
            (self.tr("&User"), self.username),
            (self.tr("&Password"), self.password),
            ("", self.sign_in_button),
        )
        change_page = _form(
            (self.tr("&New password"), self.new_password),
            (self.tr("&Repeat it"), self.repeat_password),
            ("", self.change_button),
        )

        self.forms = QStackedWidget()
        self.forms.addWidget(sign_in_page)
        self.forms.addWidget(change_page)
        self.message = QLabel()
        self.message.setObjectName("Notice")
        self.message.setWordWrap(True)
        self.message.hide()
        self.back_button = QPushButton(self.tr("← Back to the kiosk (Esc)"))
        # A touch kiosk has no keyboard: one on the screen, under the panel (never over it).
        self.keyboard = OnscreenKeyboard(self, ctx.settings.onscreen_keyboard)

        self._lay_out()

        self.sign_in_button.clicked.connect(self.sign_in)
        self.password.returnPressed.connect(self.sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        self.change_button.clicked.connect(self.change_password)
        self.repeat_password.returnPressed.connect(self.change_password)
        self.new_password.returnPressed.connect(self.repeat_password.setFocus)
        self.back_button.clicked.connect(self.back)
        self._session: SignedIn | None = None
        self.busy = False
        # Left open, the sign-in goes back to the kiosk screen: the next person at the door
        # finds the kiosk, not a form that their key presses would fill.
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_BACK_MS)
        self._idle.timeout.connect(self._idle_back)
        for field in (self.username, self.password, self.new_password, self.repeat_password):
            field.textEdited.connect(lambda _text: self._idle.start())

    def _lay_out(self) -> None:
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(40, 36, 40, 36)
        panel_layout.setSpacing(16)
        for widget in (self.title, self.subtitle, self.forms, self.message):
            panel_layout.addWidget(widget)
        panel_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        outer.addWidget(self.keyboard)

    def reset(self) -> None:
        """Ready for the next person: empty password, sign-in form, no old message."""
        self._session = None
        # No user name stays on screen: it would tell passers-by an account to try, and
        # their key presses would count against that account's lockout.
        self.username.clear()
        self.password.clear()
        self.new_password.clear()
        self.repeat_password.clear()
        self.message.hide()
        self.forms.setCurrentIndex(0)
        self.subtitle.setText(self.tr("For administrators. Sign in to continue."))
        first = self.ctx.paths.first_password
        if (user := first_password_user(first)) is not None:
            # The first start: where the one-time password is, not the password itself.
            self.subtitle.setText(
                self.tr(
                    "First start: sign in as “{user}” with the one-time password in {file} "
                    "(readable only by this computer's kiosk account), then choose your own."
                ).format(user=user, file=str(first))
            )
        self._set_busy(False)
        self._fit_panel()
        self.username.setFocus()
        self._idle.start()

    def _idle_back(self) -> None:
        # Not while a check is running or a first password is being changed.
        if self.isVisible() and not self.busy and self.forms.currentIndex() == 0:
            self.back.emit()

    def sign_in(self) -> None:
        if self.busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._say(self.tr("Write your user name and password."), "bad")
            (self.username if not username else self.password).setFocus()
            return
        self._set_busy(True)
        self._say(self.tr("Checking…"), "info")
        ctx = self.ctx
        self.tasks.submit(
            lambda: ctx.auth().sign_in(username, password),
            self._signed_in,
            self._refused,
            owner=self,
        )

    def _signed_in(self, session: SignedIn) -> None:
        self._set_busy(False)
        self.password.clear()
        if session.must_change_password:
            self._session = session
            self.forms.setCurrentIndex(1)
            self._fit_panel()
            self.subtitle.setText(
                self.tr("Your password was generated at installation. Choose your own now.")
            )
            self.message.hide()
            self.new_password.setFocus()
            return
        self.message.hide()
        self.signed_in.emit(session)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        message = describe_error(exc)
        self._say(message.text + (f"\n{message.details}" if message.details else ""), "bad")

    def change_password(self) -> None:
        session = self._session
        if session is None or self.busy:
            return
        new = self.new_password.text()
        if new != self.repeat_password.text():
            self._say(self.tr("The two passwords differ. Type the same one twice."), "bad")
            return
        if problem := password_problem(new):
            self._say(describe_error(UsageError(problem)).text, "bad")
            return
        self._set_busy(True)
        ctx = self.ctx

        def done(_none: None) -> None:
            self._set_busy(False)
            self.signed_in.emit(session)

        self.tasks.submit(
            lambda: ctx.auth().change_password(session.actor, session.username, new),
            done,
            self._refused,
            owner=self,
        )

    def _say(self, text: str, tone: str) -> None:
        self.message.setText(text)
        self.message.setProperty("tone", tone)
        theme.repolish(self.message)
        self.message.show()
        self._fit_panel()

    def _fit_panel(self) -> None:
        """The panel's height for its wrapped lines now (a refusal's message, the first-start
        note): a layout alone sizes it by its unwrapped height and squeezes the form."""
        layout = self.panel.layout()
        if layout is None:
            return
        needed = max(layout.totalHeightForWidth(PANEL_WIDTH), layout.totalMinimumSize().height())
        self.panel.setFixedHeight(needed)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_panel()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (
            self.username,
            self.password,
            self.sign_in_button,
            self.new_password,
            self.repeat_password,
            self.change_button,
        ):
            widget.setEnabled(not busy)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
            return
        super().keyPressEvent(event)
