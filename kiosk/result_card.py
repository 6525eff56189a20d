"""The result card: who was recorded, which record (in, out, a break), the time, a notice.

Green for a check-in, blue for a check-out, violet for a break, grey when the rules refused
(recorded a moment ago) or the disk did not keep the record. It stays about 3 s (longer
when there is a notice to read, or a "Not right? Change" to tap: the kiosk guessed the
kind, ``punch_mode = shift``) and a newer record replaces it at once.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.attendance.outcomes import NotRecorded, NotSaved, Recorded
from core.attendance.rules import IgnoreReason, Kind
from kiosk import theme
from kiosk.durations import duration_text
from kiosk.kinds import kind_text, kind_tone
from kiosk.messages import not_recorded_text, not_saved_text

SHOW_MS = 3_200
SHOW_LATE_MS = 5_000  # a late notice is one more line to read
SHOW_REFUSED_MS = 4_500
SHOW_CHANGEABLE_MS = 7_000  # time to read the guess, reach the button and tap it
COUNTDOWN_TICK_MS = 250  # a cooldown's "try again in 27 s" follows the clock


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


class Avatar(QWidget):
    """The enrollment photo in a circle, or the person's initials."""

    def __init__(self, size: int = 150, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(size, size)
        self._photo: QImage | None = None
        self._initials = ""

    @override
    def sizeHint(self) -> QSize:
        return self.size()

    def set_person(self, name: str, photo_jpeg: bytes | None) -> None:
        self._initials = initials(name)
        image = QImage.fromData(photo_jpeg) if photo_jpeg else QImage()
        self._photo = None if image.isNull() else image
        self.update()

    @property
    def has_photo(self) -> bool:
        return self._photo is not None

    @override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        circle = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        path = QPainterPath()
        path.addEllipse(circle)
        if self._photo is not None:
            painter.setClipPath(path)
            # Fill the circle: crop the photo's longer side around its centre.
            side = min(self._photo.width(), self._photo.height())
            source = QRectF(
                (self._photo.width() - side) / 2, (self._photo.height() - side) / 2, side, side
            )
            painter.drawImage(circle, self._photo, source)
            painter.setClipping(False)
        else:
            painter.fillPath(path, QColor(255, 255, 255, 46))
            font = QFont(self.font())
            font.setPixelSize(int(self.height() * 0.38))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self._initials)
        painter.setPen(QColor(255, 255, 255, 200))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle)
        painter.end()


class ResultCard(QFrame):
    hidden_again = Signal()
    change_requested = Signal(object)  # the Recorded whose kind the person says is wrong

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResultCard")
        self.setProperty("tone", "in")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.avatar = Avatar(150)
        self.name = QLabel()
        self.name.setObjectName("CardName")
        self.kind = QLabel()
        self.kind.setObjectName("CardKind")
        self.message = QLabel()
        self.message.setObjectName("CardMessage")
        self.message.setWordWrap(True)
        self.late = QLabel()
        self.late.setObjectName("LateNotice")
        self.late.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.late.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.change_button = self._change_button()
        text = QVBoxLayout()
        text.setSpacing(6)
        text.addStretch(1)
        text.addWidget(self.name)
        text.addWidget(self.kind)
        text.addWidget(self.message)
        text.addWidget(self.late)
        text.addWidget(self.change_button)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 24, 36, 24)
        layout.setSpacing(28)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(text, 1)
        self.setMinimumWidth(620)
        self.setMaximumWidth(900)
        self.event_id: object = None
        self.recorded: Recorded | None = None  # the record on show, while it may change
        self.photo_jpeg: bytes | None = None  # its person's photo, for the chooser
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        # A cooldown refusal counts down while it is shown: a number that stands still
        # reads as a kiosk that hangs.
        self._refusal: NotRecorded | None = None
        self._refused_at = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_TICK_MS)
        self._countdown.timeout.connect(self._count_down)
        self.hide()

    def _change_button(self) -> QPushButton:
        """ "Not right? Change", for a record the kiosk guessed (hidden otherwise)."""
        change = QPushButton(self.tr("Not right? Change"))
        change.setObjectName("ChangeButton")
        change.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        change.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        change.setMinimumHeight(56)
        change.clicked.connect(self._change_asked)
        change.hide()
        return change

    def show_recorded(self, outcome: Recorded, photo_jpeg: bytes | None = None) -> None:
        self.event_id = outcome.event_id
        self.recorded = outcome
        self.photo_jpeg = photo_jpeg
        self._set_tone(kind_tone(outcome.kind))
        self.avatar.set_person(outcome.employee_name, photo_jpeg)
        self.name.setText(outcome.employee_name)
        self.kind.setText(f"{kind_text(outcome.kind)}  ·  {outcome.local_time:%H:%M}")
        method = {"pin": self.tr("Recorded with PIN"), "manual": self.tr("Recorded manually")}
        self.message.setText(method.get(outcome.method, ""))
        self.message.setVisible(outcome.method in method)
        notice = ""
        if outcome.kind is Kind.IN and outcome.late_minutes > 0:
            notice = self.tr("Late by {time}").format(time=duration_text(outcome.late_minutes))
        elif outcome.kind is Kind.OUT and outcome.early_leave_minutes > 0:
            notice = self.tr("Leaving {time} before the end of the shift").format(
                time=duration_text(outcome.early_leave_minutes)
            )
        self.late.setText(notice)
        self.late.setVisible(bool(notice))
        self.change_button.setVisible(bool(outcome.alternatives))
        if outcome.alternatives:
            self._show_for(SHOW_CHANGEABLE_MS)
        else:
            self._show_for(SHOW_LATE_MS if notice else SHOW_MS)

    def set_photo(self, photo_jpeg: bytes | None) -> None:
        """A photo that arrived after the card was shown (the runtime's RecordEvent)."""
        if photo_jpeg:
            self.photo_jpeg = photo_jpeg
            self.avatar.set_person(self.name.text(), photo_jpeg)

    def show_refused(self, outcome: NotRecorded, photo_jpeg: bytes | None = None) -> None:
        self.event_id = None
        self.recorded = None
        self.change_button.hide()
        self._set_tone("refused")
        self.avatar.set_person(outcome.employee_name, photo_jpeg)
        self.name.setText(outcome.employee_name)
        # A repeat within the cooldown was recorded a moment ago: say so, not "not recorded".
        already = outcome.reason is IgnoreReason.COOLDOWN and outcome.last_kind is not None
        self.kind.setText(self.tr("Already recorded") if already else self.tr("Not recorded"))
        self.message.setText(not_recorded_text(outcome))
        self.message.show()
        self.late.hide()
        self._show_for(SHOW_REFUSED_MS)
        if outcome.retry_after is not None:
            self._refusal, self._refused_at = outcome, time.monotonic()
            self._countdown.start()

    def show_not_saved(self, outcome: NotSaved, photo_jpeg: bytes | None = None) -> None:
        """The rules accepted the record but the disk did not keep it: never "recorded"."""
        self.event_id = None
        self.recorded = None
        self.change_button.hide()
        self._set_tone("refused")
        self.avatar.set_person(outcome.employee_name, photo_jpeg)
        self.name.setText(outcome.employee_name)
        self.kind.setText(self.tr("Not saved"))
        self.message.setText(not_saved_text(outcome))
        self.message.show()
        self.late.hide()
        self._show_for(SHOW_REFUSED_MS)

    def show_problem(self, name: str, text: str) -> None:
        """A choice or a change that could not be made (it expired, the disk refused)."""
        self.event_id = None
        self.recorded = None
        self.change_button.hide()
        self._set_tone("refused")
        self.avatar.set_person(name, None)
        self.name.setText(name)
        self.kind.setText(self.tr("Not recorded"))
        self.message.setText(text)
        self.message.show()
        self.late.hide()
        self._show_for(SHOW_REFUSED_MS)

    def _change_asked(self) -> None:
        recorded = self.recorded
        if recorded is None:
            return
        self._timer.stop()
        self.hide()  # the chooser takes its place; hidden_again would redraw the prompt
        self.change_requested.emit(recorded)

    def dismiss(self) -> None:
        self._timer.stop()
        self._countdown.stop()
        # isHidden, not isVisible: a card whose time runs out while its screen is hidden
        # (the settings are open) must still go, or it is back over the screen afterwards.
        if not self.isHidden():
            self.hide()
            self.hidden_again.emit()

    def _count_down(self) -> None:
        refusal = self._refusal
        if refusal is None or refusal.retry_after is None:
            self._countdown.stop()
            return
        gone = timedelta(seconds=time.monotonic() - self._refused_at)
        left = max(refusal.retry_after - gone, timedelta(0))
        text = not_recorded_text(replace(refusal, retry_after=left))
        if text != self.message.text():
            self.message.setText(text)

    @property
    def tone(self) -> str:
        return str(self.property("tone"))

    def _set_tone(self, tone: str) -> None:
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            theme.repolish(self)

    def _show_for(self, milliseconds: int) -> None:
        self._countdown.stop()
        self._refusal = None
        self.show()
        self.raise_()
        self._timer.start(milliseconds)
