"""The first-run assistant: a new kiosk set up from the window, without a terminal.

Shown instead of the kiosk screen while no administrator has been set up by a person
(``core.people.users.first_run_pending``). Five steps: language (applied at once), time zone, the
administrator's own user name and password (the seed's generated account becomes theirs;
no password file to read), the first shift (may be skipped), and what next: enrol the first
employee, join a central database (its join file, in ``kiosk.first_run_join``, then back
here), or go to the kiosk, signed in as that administrator.

Each choice is saved when its step is left, through the same services as the settings
pages (``SettingsHub`` for settings, ``core.attendance.shifts`` for the shift,
``core.people.users`` for the
account), and written to the audit log. What the person chose lives in ``FirstRunState``,
which the window keeps: choosing a language rebuilds every screen in it, this one included,
at the step it was on.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.attendance.shifts import list_shifts, save_shift
from core.config import Settings
from core.context import AppContext
from core.errors import RefusedError
from core.people.first_admin import claim_first_admin
from core.people.users import SignedIn
from core.runtime.setup import record_settings_change
from kiosk import theme
from kiosk.admin.page import SettingsHub
from kiosk.first_run_join import JoinStep
from kiosk.first_run_steps import AdminStep, DoneStep, LanguageStep, ShiftStep, Step, ZoneStep
from kiosk.join_flow import JoinService
from kiosk.messages import describe_error
from kiosk.onscreen_keyboard import OnscreenKeyboard
from kiosk.workers import TaskRunner

SETUP_ACTOR = "setup:first-run"  # the audit log's actor until the administrator exists
LANGUAGE, ZONE, ADMIN, SHIFT, DONE, JOIN = range(6)
STEP_COUNT = 5  # joining is a choice on the last step, not a step of its own


@dataclass
class FirstRunState:
    """What has been chosen so far; outlives a rebuild of the screen (a language change)."""

    language: str
    zone: str
    step: int = LANGUAGE
    session: SignedIn | None = None
    note: str = ""  # a warning to show on the next step (an environment variable decides)


class FirstRunScreen(QWidget):
    finished = Signal(object, str)  # the administrator's SignedIn; "employees", "sync" or ""
    taken = Signal()  # someone else set the kiosk up meanwhile: their sign-in, not this

    def __init__(
        self,
        ctx: AppContext,
        tasks: TaskRunner,
        hub: SettingsHub,
        state: FirstRunState,
        *,
        join: JoinService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRun")
        self.ctx, self.tasks, self.hub, self.state = ctx, tasks, hub, state
        self.join = join
        self.busy = False
        header = self._header()
        self.steps, content = self._content(state)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(content)
        footer = self._footer()
        self.keyboard = OnscreenKeyboard(self, ctx.settings.onscreen_keyboard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(footer)
        layout.addWidget(self.keyboard)
        self._connect()
        self.go(state.step)
        if state.note:
            self.say(state.note, "warn")
            state.note = ""

    def _header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("FirstRunHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        title = QLabel(self.tr("Setting up Asistencia"))
        title.setObjectName("FirstRunTitle")
        self.step_label = QLabel()
        self.step_label.setObjectName("FirstRunStep")
        top = QHBoxLayout(header)
        top.setContentsMargins(32, 12, 32, 12)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.step_label)
        return header

    def _content(self, state: FirstRunState) -> tuple[QStackedWidget, QWidget]:
        self.language_step = LanguageStep(state.language)
        self.zone_step = ZoneStep(state.zone)
        self.admin_step = AdminStep()
        self.shift_step = ShiftStep()
        self.done_step = DoneStep(state.session.username if state.session else "")
        actor = state.session.actor if state.session is not None else SETUP_ACTOR
        self.join_step = JoinStep(self.join, actor)
        steps = QStackedWidget()
        for step in (
            self.language_step,
            self.zone_step,
            self.admin_step,
            self.shift_step,
            self.done_step,
            self.join_step,
        ):
            steps.addWidget(step)
        self.message = QLabel()
        self.message.setObjectName("Notice")
        self.message.setWordWrap(True)
        self.message.hide()
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(32, 20, 32, 12)
        column.setSpacing(12)
        column.addWidget(steps, 1)
        return steps, content

    def _footer(self) -> QHBoxLayout:
        self.back_button = QPushButton(self.tr("← &Back"))
        self.skip_button = QPushButton(self.tr("S&kip this step"))
        self.next_button = QPushButton(self.tr("&Next →"))
        self.next_button.setProperty("role", "primary")
        footer = QHBoxLayout()
        footer.setContentsMargins(32, 8, 32, 12)
        footer.setSpacing(12)
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.skip_button)
        footer.addWidget(self.next_button)
        return footer

    def _connect(self) -> None:
        for code, button in self.language_step.buttons.items():
            button.clicked.connect(lambda _checked=False, c=code: self.choose_language(c))
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(self.skip)
        self.next_button.clicked.connect(self.next)
        self.zone_step.search.returnPressed.connect(self.next)
        self.admin_step.repeat.returnPressed.connect(self.next)
        self.shift_step.name.returnPressed.connect(self.next)
        self.done_step.enrol.clicked.connect(lambda: self._finish("employees"))
        self.done_step.central.clicked.connect(lambda: self.go(JOIN))
        self.join_step.by_hand.clicked.connect(lambda: self._finish("sync"))
        self.join_step.panel.busy_changed.connect(self._busy)
        self.join_step.panel.joined.connect(self._joined)
        self.done_step.kiosk.clicked.connect(lambda: self._finish(""))
        self.keyboard.shown.connect(self._show_focused)

    # --- moving between steps ---------------------------------------------------------
    def go(self, step: int) -> None:
        self.state.step = step
        if step == SHIFT:
            self._load_shifts()
        self.steps.setCurrentIndex(step)
        shown = min(step, DONE) + 1
        self.step_label.setText(self.tr("Step {n} of {total}").format(n=shown, total=STEP_COUNT))
        self.back_button.setVisible(step in (ZONE, ADMIN, JOIN))  # an account made stays made
        if step == JOIN and self.state.session is not None:
            self.join_step.panel.actor = self.state.session.actor
        self.skip_button.setVisible(step == SHIFT)
        self.next_button.setVisible(step not in (DONE, JOIN))
        self.message.hide()
        self._focus_first()
        self.scroller.ensureVisible(0, 0)

    def back(self) -> None:
        if not self.busy and self.state.step in (ZONE, ADMIN):
            self.go(self.state.step - 1)
        elif not self.busy and self.state.step == JOIN:
            self.go(DONE)

    def skip(self) -> None:
        if not self.busy and self.state.step == SHIFT:
            self.go(DONE)

    def next(self) -> None:
        if self.busy:
            return
        step = self.state.step
        if step == LANGUAGE:
            self._save_language()
        elif step == ZONE:
            self._save_zone()
        elif step == ADMIN:
            self._make_admin()
        elif step == SHIFT:
            self._save_shift()

    # --- step by step -----------------------------------------------------------------
    def choose_language(self, code: str) -> None:
        """Applied at once: the window is rebuilt in it, this screen at the same step."""
        self.state.language = code
        if self.ctx.settings.language != code:
            self._save({"language": code}, lambda: None)

    def _save_language(self) -> None:
        self.state.step = ZONE  # a rebuild for the language opens the next step
        if self.ctx.settings.language != self.state.language:
            self._save({"language": self.state.language}, lambda: self.go(ZONE))
        else:
            self.go(ZONE)

    def _save_zone(self) -> None:
        if problem := self.zone_step.problem():
            self.say(problem, "bad")
            self.zone_step.search.setFocus()
            return
        zone = self.zone_step.zone()
        self.state.zone = zone
        self._save({"timezone": zone}, lambda: self.go(ADMIN))

    def _make_admin(self) -> None:
        problem, field = self.admin_step.problem()
        if problem:
            self.say(problem, "bad")
            if field is not None:
                field.setFocus()
            return
        username = self.admin_step.username.text().strip()
        password = self.admin_step.password.text()
        ctx = self.ctx
        self._busy(True)
        self.say(self.tr("Creating your account…"), "info")

        def done(session: SignedIn) -> None:
            self._busy(False)
            self.state.session = session
            self.admin_step.password.clear()
            self.admin_step.repeat.clear()
            self.done_step.set_user(session.username)
            self.go(SHIFT)

        self.tasks.submit(
            lambda: claim_first_admin(
                ctx.store,
                username,
                password,
                ctx.settings.kiosk_id,
                first_password=ctx.paths.first_password,
            ),
            done,
            self._failed,
            owner=self,
        )

    def _save_shift(self) -> None:
        session = self.state.session
        if problem := self.shift_step.problem():
            self.say(problem, "bad")
            self.shift_step.name.setFocus()
            return
        if session is None:
            return
        value, ctx = self.shift_step.value(), self.ctx
        self._busy(True)

        def done(_none: None) -> None:
            self._busy(False)
            self.go(DONE)

        self.tasks.submit(
            lambda: save_shift(ctx.store, session.actor, ctx.settings.kiosk_id, None, value),
            done,
            self._failed,
            owner=self,
        )

    def _load_shifts(self) -> None:
        ctx = self.ctx
        self.tasks.submit(
            lambda: [row.name for row in list_shifts(ctx.store) if row.active],
            self.shift_step.set_existing,
            owner=self,
        )

    def _joined(self, _outcome: object) -> None:
        """Joined: back to what next, with what the join did said there."""
        result = self.join_step.panel.outcome.text()
        self.go(DONE)
        self.say(result, "ok")

    def _finish(self, page: str) -> None:
        if self.state.session is not None:
            self.finished.emit(self.state.session, page)

    # --- saving -----------------------------------------------------------------------
    def _save(self, changes: dict[str, object], then: object) -> None:
        """Save settings as the settings pages do, audit them, then go on (``then``)."""
        ctx, state = self.ctx, self.state
        actor = state.session.actor if state.session is not None else SETUP_ACTOR
        self._busy(True)

        def saved(settings: Settings, overridden: list[str]) -> None:
            self._busy(False)
            self.tasks.submit(
                lambda: record_settings_change(ctx.store, actor, settings.kiosk_id, changes),
                lambda _none: None,
            )
            if overridden:
                names = ", ".join(f"ASISTENCIA_{key.upper()}" for key in overridden)
                state.note = self.tr(
                    "Saved, but an environment variable still decides: {names}. Remove it "
                    "from the kiosk's environment for your choice to apply."
                ).format(names=names)
            if callable(then):
                then()
            if state.note and self.isVisible():
                self.say(state.note, "warn")
                state.note = ""

        self.hub.save(changes, saved, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, RefusedError) and exc.key == "user.admin_exists":
            self.taken.emit()  # the window opens the sign-in
            return
        message = describe_error(exc)
        self.say(message.text + (f"\n{message.details}" if message.details else ""), "bad")

    def say(self, text: str, tone: str) -> None:
        step = self.steps.currentWidget()
        if isinstance(step, Step) and not step.isAncestorOf(self.message):
            step.hold_message(self.message)
        self.message.setText(text)
        self.message.setProperty("tone", tone)
        theme.repolish(self.message)
        self.message.setVisible(bool(text))
        self.scroller.ensureWidgetVisible(self.message)

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.next_button, self.back_button, self.skip_button, self.steps):
            widget.setEnabled(not busy)

    def _show_focused(self) -> None:
        """With the keyboard up, the field being typed in stays in sight."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            self.scroller.ensureWidgetVisible(focused, 20, 20)

    def _focus_first(self) -> None:
        step = self.steps.currentWidget()
        first = step.first_field() if isinstance(step, Step) else None
        (first or self.next_button).setFocus()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._focus_first()
