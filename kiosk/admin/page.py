"""What every settings page shares: the services it may use and how it shows work and errors.

``AdminContext`` is what a page gets: the application context, the runtime, the task
runners, the runtime feed and the signed-in administrator (the actor in the audit log).
``AdminPage`` is a titled, scrollable page with a busy line and a notice line; its
``run`` puts store work on the worker thread and shows the result or the error in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.config import Settings, save_settings
from core.context import AppContext
from core.people.users import SignedIn
from core.runtime.api import KioskRuntime
from kiosk import theme
from kiosk.feed import RuntimeFeed
from kiosk.join_flow import JoinFunction, core_join
from kiosk.messages import describe_error
from kiosk.workers import TaskRunner

T = TypeVar("T")
FIELD_HEIGHT = 44  # a line edit or combo box in kiosk.qss


class SettingsHub(QObject):
    """Saves settings off the GUI thread and tells the window what changed."""

    changed = Signal(object, object)  # new Settings, the changed keys (set[str])

    def __init__(self, ctx: AppContext, runtime: KioskRuntime, tasks: TaskRunner) -> None:
        super().__init__()
        self.ctx = ctx
        self.runtime = runtime
        self.tasks = tasks

    def save(
        self,
        changes: Mapping[str, Any],
        on_saved: Callable[[Settings, list[str]], None],
        on_error: Callable[[BaseException], None],
        *,
        owner: QObject | None = None,
    ) -> None:
        """Write ``changes`` to the settings file, then apply them without a restart.

        ``on_saved`` gets the settings now in force and the keys an environment variable
        overrides (the file changed, but the environment still wins, as at start-up).
        """
        path = self.ctx.config_path
        wanted = dict(changes)

        def done(settings: Settings) -> None:
            self.adopt(settings, self.ctx.settings)
            overridden = [
                key
                for key, value in wanted.items()
                if value is not None and _plain(getattr(settings, key)) != _plain(value)
            ]
            on_saved(settings, overridden)

        self.tasks.submit(lambda: save_settings(path, wanted), done, on_error, owner=owner)

    def adopt(self, settings: Settings, before: Settings) -> None:
        """Put ``settings`` in force; ``before`` is what was in force until now.

        The one place the running kiosk's settings change: the context, then the runtime's
        parts (a new model, camera or central database), then the window. A join writes
        the file itself and comes here with what was in force before it started.
        """
        self.ctx.settings = settings
        self.runtime.apply(settings, before)
        changed = {k for k in Settings.model_fields if getattr(before, k) != getattr(settings, k)}
        self.changed.emit(settings, changed)


def _plain(value: object) -> object:
    secret = getattr(value, "get_secret_value", None)
    return secret() if callable(secret) else value


@dataclass
class AdminContext:
    ctx: AppContext
    runtime: KioskRuntime
    tasks: TaskRunner  # the store: one task at a time
    net_tasks: TaskRunner  # network checks, so a timeout never delays a save
    feed: RuntimeFeed
    settings: SettingsHub
    session: SignedIn
    join: JoinFunction = core_join  # joining a central database (Settings → Sync)

    @property
    def actor(self) -> str:
        return self.session.actor


class AdminPage(QWidget):
    """A settings page. Subclasses fill ``self.body`` and may override ``activate``."""

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = admin
        self.ctx = admin.ctx
        self._busy_count = 0
        self.heading = QLabel(self.title())
        self.heading.setObjectName("PageTitle")
        self.intro = QLabel()
        self.intro.setObjectName("PageIntro")
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.busy = QLabel(self.tr("Working…"))
        self.busy.setObjectName("Busy")
        self.busy.hide()
        self.notice = QLabel()
        self.notice.setObjectName("Notice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()

        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(12)
        # The notice sits beside the title, in room the title's height already takes: a
        # line or two there moves nothing. Under the intro, "Saved." pushed every page's
        # bottom buttons off a 1024×768 screen. Its room is kept while it is hidden, so
        # the busy line stays at the right.
        keep = self.notice.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.notice.setSizePolicy(keep)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.notice, 1)
        top.addWidget(self.busy)
        column.addLayout(top)
        column.addWidget(self.intro)
        column.addLayout(self.body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Pages wrap their text to the window; they never scroll sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- for subclasses ---------------------------------------------------------------
    def title(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """The page was opened: reload what it shows."""

    def deactivate(self) -> None:
        """The page was left (another page, back to the kiosk, signed out)."""

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run store work off the GUI thread; the page shows it is busy meanwhile."""
        self._set_busy(self._busy_count + 1)

        def done(result: T) -> None:
            self._set_busy(self._busy_count - 1)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(self._busy_count - 1)
            (on_error or self.show_error)(exc)

        self.admin.tasks.submit(work, done, failed, owner=self)

    def save_settings(
        self, changes: Mapping[str, Any], on_saved: Callable[[Settings], None] | None = None
    ) -> None:
        self._set_busy(self._busy_count + 1)

        def saved(settings: Settings, overridden: list[str]) -> None:
            self._set_busy(self._busy_count - 1)
            if overridden:
                names = ", ".join(f"ASISTENCIA_{k.upper()}" for k in overridden)
                self.show_notice(
                    self.tr(
                        "Saved, but an environment variable still decides: {names}. "
                        "Remove it from the kiosk's environment for this setting to apply."
                    ).format(names=names),
                    "warn",
                )
            else:
                self.show_notice(self.tr("Saved. The change is in force now."), "ok")
            if on_saved is not None:
                on_saved(settings)

        def failed(exc: BaseException) -> None:
            self._set_busy(self._busy_count - 1)
            self.show_error(exc)

        self.admin.settings.save(changes, saved, failed, owner=self)

    def show_notice(self, text: str, tone: str = "ok") -> None:
        self.notice.setText(text)
        self.notice.setProperty("tone", tone)
        theme.repolish(self.notice)
        self.notice.setVisible(bool(text))

    def show_error(self, exc: BaseException) -> None:
        message = describe_error(exc)
        text = message.text + (f"\n{message.details}" if message.details else "")
        self.show_notice(text, "bad")

    def clear_notice(self) -> None:
        self.notice.hide()

    def _set_busy(self, count: int) -> None:
        self._busy_count = max(count, 0)
        self.busy.setVisible(self._busy_count > 0)
        self.setCursor(
            Qt.CursorShape.BusyCursor if self._busy_count else Qt.CursorShape.ArrowCursor
        )


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form whose fields keep their natural width and whose labels sit level with them."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setSpacing(12)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return form


def add_row(
    form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget | None = None
) -> QLabel:
    """A labelled row; the label's &-key focuses ``buddy`` (or the field itself)."""
    label = QLabel(text)
    # Level with the field's text: a form label sits at the top of its row otherwise.
    label.setMinimumHeight(FIELD_HEIGHT)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    target = buddy if buddy is not None else (field if isinstance(field, QWidget) else None)
    if target is not None:
        label.setBuddy(target)
    form.addRow(label, field)
    return label


def button(text: str, role: str = "") -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    return widget


def row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(10)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return layout
