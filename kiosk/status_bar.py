"""The status strip along the bottom of the kiosk screen.

Left: the clock (in the kiosk's time zone, like the records), the date and the kiosk's
name. Then three chips: the recognition model, the camera and sync, each a symbol, a few
words and a detail line, coloured by health. Right: the button to the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.camera import CameraState, CameraStatus
from core.runtime.api import ModelState
from core.states import ModelStatus
from core.sync.status import SyncStatus
from kiosk import theme
from kiosk.camera_text import camera_text

OK, WARN, BAD, IDLE = "ok", "warn", "bad", "idle"
WHERE_MIN_WIDTH = 150  # below this the date reads "Lun…"
_SYMBOL_COLORS = {OK: "greenText", WARN: "amber", BAD: "redText", IDLE: "muted"}


class ElidedLabel(QLabel):
    """A one-line label that shortens itself instead of widening the strip: first to its
    ``short`` form (the subject without its details), then with "…". The tooltip always
    holds the whole text (the ``elide`` property tells the layout check so)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setProperty("elide", True)
        self.short = ""
        self.setToolTip(text)

    def set_texts(self, text: str, short: str = "") -> None:
        if short != self.short:
            self.short = short
            self.updateGeometry()  # its minimum width follows the short form
        self.setText(text)
        self.setToolTip(text)

    @override
    def minimumSizeHint(self) -> QSize:
        # Room for the short form at least ("Recognition", not "Recog…"); without one, the
        # label gives way to a few letters.
        short = self.fontMetrics().horizontalAdvance(self.short) + 2 if self.short else 40
        return QSize(short, super().minimumSizeHint().height())

    @override
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 220), hint.height())

    @override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        room, metrics = self.contentsRect().width(), self.fontMetrics()
        text = self.text()
        if self.short and metrics.horizontalAdvance(text) > room:
            text = self.short
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        painter.drawText(self.contentsRect(), int(self.alignment()), text)
        painter.end()


class StatusChip(QFrame):
    """A coloured symbol, a small caption (what and details) and the state in a few words.

    The state line is never shortened; the caption is, and the tooltip holds it whole (a
    failed model load explains its fix there).
    """

    def __init__(self, parent: QWidget | None = None, *, with_progress: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("StatusChip")
        self.symbol = QLabel("●")
        self.symbol.setObjectName("ChipSymbol")
        self.symbol.setFixedWidth(30)
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = ElidedLabel()
        self.caption.setObjectName("ChipCaption")
        self.headline = QLabel()
        self.headline.setObjectName("ChipHeadline")
        self.progress: QProgressBar | None = None
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.caption)
        text.addWidget(self.headline)
        if with_progress:
            self.progress = QProgressBar()
            self.progress.setObjectName("ChipProgress")
            self.progress.setTextVisible(False)
            self.progress.hide()
            text.addWidget(self.progress)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 14, 6)
        layout.setSpacing(6)
        layout.addWidget(self.symbol)
        layout.addLayout(text, 1)
        self.health = IDLE

    @property
    def detail(self) -> str:
        return self.caption.text()

    def show_state(self, health: str, symbol: str, headline: str, caption: str) -> None:
        self.health = health
        self.symbol.setText(symbol)
        self.symbol.setStyleSheet(
            f"color: {theme.PALETTE[_SYMBOL_COLORS[health]]}; font-size: 24px; font-weight: bold;"
        )
        self.headline.setText(headline)
        # "Sync · local only" shortens to "Sync" before it is cut.
        self.caption.set_texts(caption, caption.split(" · ", maxsplit=1)[0])
        self.setToolTip(f"{caption}\n{headline}")
        self.setAccessibleName(f"{caption}: {headline}")


class StatusStrip(QFrame):
    admin_requested = Signal()

    def __init__(self, kiosk_name: str, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusStrip")
        self.zone = zone
        # Replaceable so screenshots show the same time on every run.
        self.now: Callable[[ZoneInfo], datetime] = datetime.now
        self.clock = QLabel()
        self.clock.setObjectName("Clock")
        # The date and the kiosk's name give way first on a narrow screen (1024 px).
        self.date = ElidedLabel()
        self.date.setObjectName("ClockDate")
        self.kiosk_name = ElidedLabel(kiosk_name)
        self.kiosk_name.setObjectName("KioskName")
        self.model_chip = StatusChip(with_progress=True)
        self.camera_chip = StatusChip()
        self.sync_chip = StatusChip()
        self.admin_button = QPushButton("⚙")
        self.admin_button.setObjectName("AdminButton")
        self.admin_button.setToolTip(self.tr("Settings (administrators) — F2"))
        self.admin_button.setAccessibleName(self.tr("Settings"))
        self.admin_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.admin_button.clicked.connect(self.admin_requested)

        self.where = QWidget()
        where = QVBoxLayout(self.where)
        where.setContentsMargins(0, 0, 0, 0)
        where.setSpacing(0)
        where.addWidget(self.date)
        where.addWidget(self.kiosk_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 14, 10)
        layout.setSpacing(12)
        layout.addWidget(self.clock)
        layout.addWidget(self.where, 1)  # the spare width: a long date stays whole
        for chip in (self.model_chip, self.camera_chip, self.sync_chip):
            layout.addWidget(chip)
        layout.addWidget(self.admin_button)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()
        self.sync_chip.show_state(IDLE, "○", "…", self.tr("Sync"))

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_where()

    def _fit_where(self) -> None:
        """The date and the kiosk's name go when they would show only a letter or two (a
        1024 px screen): the clock and the three states matter more at a door."""
        layout = self.layout()
        if layout is None:
            return
        others = layout.contentsMargins().left() + layout.contentsMargins().right()
        shown: list[QWidget] = [self.clock, self.model_chip, self.camera_chip, self.sync_chip]
        shown.append(self.admin_button)
        others += sum(w.minimumSizeHint().width() for w in shown)
        others += layout.spacing() * len(shown)
        self.where.setVisible(self.width() - others >= WHERE_MIN_WIDTH)

    def set_kiosk(self, name: str, zone: ZoneInfo) -> None:
        self.kiosk_name.set_texts(name)
        self.zone = zone
        self.tick()

    def tick(self) -> None:
        now = self.now(self.zone)
        text = f"{now:%H:%M}"
        if self.clock.text() != text:
            self.clock.setText(text)
        day = QDate(now.year, now.month, now.day)
        # The format is translatable: "Monday, 28 November" reads differently in Spanish.
        date = QLocale().toString(day, self.tr("dddd, MMMM d"))
        date = date[:1].upper() + date[1:]
        if self.date.text() != date:
            self.date.set_texts(date)

    # --- the three chips ------------------------------------------------------------
    def set_model(self, status: ModelStatus) -> None:
        QTimer.singleShot(0, self, self._fit_where)  # its words change a chip's width
        chip = self.model_chip
        subject = self.tr("Recognition")
        if status.state is ModelState.LOADING:
            detail = self.tr("{seconds} s").format(seconds=round(status.elapsed_s))
            chip.show_state(WARN, "◐", self.tr("Loading…"), f"{subject} · {detail}")
            if chip.progress is not None:
                # The loader knows no fraction done: a busy bar, and the seconds so far.
                chip.progress.setRange(0, 0)
                chip.progress.show()
            return
        if chip.progress is not None:
            chip.progress.hide()
        if status.state is ModelState.READY:
            chip.show_state(OK, "●", self.tr("Ready"), f"{subject} · {status.model_name}")
        else:
            # The reason (with its fix) is on the screen's banner and in the tooltip.
            chip.show_state(BAD, "✕", self.tr("Failed"), f"{subject} · {status.model_name}")
            chip.setToolTip(f"{chip.toolTip()}\n{status.detail}")

    def set_camera(self, status: CameraStatus, fps: float | None = None) -> None:
        QTimer.singleShot(0, self, self._fit_where)  # its words change a chip's width
        state, subject = status.state, self.tr("Camera")
        if state is CameraState.STREAMING:
            detail = self.tr("{fps} frames/s").format(fps=round(fps)) if fps else ""
            caption = f"{subject} · {detail}" if detail else subject
            self.camera_chip.show_state(OK, "●", self.tr("On"), caption)
        elif state is CameraState.STARTING:
            self.camera_chip.show_state(WARN, "◐", self.tr("Opening…"), subject)
        elif state is CameraState.RECONNECTING:
            detail = self.tr("attempt {n}").format(n=status.attempt)
            self.camera_chip.show_state(WARN, "⟳", self.tr("Reconnecting"), f"{subject} · {detail}")
        else:
            self.camera_chip.show_state(BAD, "✕", self.tr("No camera"), subject)
        self.camera_chip.setToolTip(f"{self.camera_chip.toolTip()}\n{camera_text(status.message)}")

    def set_sync(self, status: SyncStatus) -> None:
        QTimer.singleShot(0, self, self._fit_where)  # its words change a chip's width
        subject = self.tr("Sync")
        if not status.configured:
            here = self.tr("local only")
            self.sync_chip.show_state(IDLE, "○", self.tr("Not configured"), f"{subject} · {here}")
            return
        last = (
            self.tr("last {time}").format(time=f"{status.last_success.astimezone(self.zone):%H:%M}")
            if status.last_success is not None
            else self.tr("never synced")
        )
        waiting = self.tr("%n waiting", "", status.pending)
        if status.last_error:
            self.sync_chip.show_state(WARN, "⚠", self.tr("Offline"), f"{subject} · {waiting}")
            self.sync_chip.setToolTip(f"{last}\n{status.last_error}")
        elif status.pending:
            self.sync_chip.show_state(OK, "●", waiting, f"{subject} · {last}")
        else:
            self.sync_chip.show_state(OK, "●", self.tr("Up to date"), f"{subject} · {last}")
