"""Which record is this? Four big buttons after a face or a PIN, for a thumb.

Two uses:
- **ask** (``punch_mode = ask``): the person was recognised and nothing is recorded yet.
  The likely kind is highlighted and taken by itself after ``ASK_TAKE_S`` seconds (a
  countdown says so), so walking away still records what the shift expects.
- **change** (``punch_mode = shift``, "Not right? Change" on the card): the kiosk already
  recorded its guess; the other allowed kinds are offered for a moment, and nothing
  changes unless one is tapped ("Keep" or the timeout leaves the record as it is).

The four buttons keep their places; kinds the person's state does not allow are greyed.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.attendance.rules import Kind
from kiosk import theme
from kiosk.kinds import KIND_ORDER, kind_text
from kiosk.result_card import Avatar

ASK_TAKE_S = 6  # long enough to read four words and tap; short enough for a queue
CHANGE_OPEN_S = 12  # the record is made: no hurry, but the choice must not linger


class PunchChooser(QFrame):
    chosen = Signal(object)  # Kind
    kept = Signal()  # change mode: the record stays as it is

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PunchChooser")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.avatar = Avatar(96)
        self.name = QLabel()
        self.name.setObjectName("ChooserName")
        self.question = QLabel()
        self.question.setObjectName("ChooserQuestion")
        self.question.setWordWrap(True)
        self.countdown = QLabel()
        self.countdown.setObjectName("ChooserCountdown")
        self.countdown.setWordWrap(True)
        self.buttons: dict[Kind, QPushButton] = {}
        grid = self._build_buttons()
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("KioskButton")
        self.keep_button.setMinimumHeight(64)
        self.keep_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.keep_button.clicked.connect(self._keep)

        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(self.name)
        heading.addWidget(self.question)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.countdown)
        layout.addWidget(self.keep_button)
        self.setMinimumWidth(560)
        self.setMaximumWidth(760)

        self.likely: Kind | None = None
        self.changing = False
        self._deadline = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_countdown)
        self.retranslate()
        self.hide()

    def _build_buttons(self) -> QGridLayout:
        """Two rows of two, in ``KIND_ORDER``: a thumb-sized target each at 1024×768."""
        grid = QGridLayout()
        grid.setSpacing(14)
        for index, kind in enumerate(KIND_ORDER):
            button = QPushButton()
            button.setObjectName("ChoiceButton")
            button.setMinimumWidth(200)  # the height is the stylesheet's (#ChoiceButton)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, k=kind: self._choose(k))
            grid.addWidget(button, index // 2, index % 2)
            self.buttons[kind] = button
        return grid

    def retranslate(self) -> None:
        for kind, button in self.buttons.items():
            button.setText(kind_text(kind))
        self.keep_button.setText(self.tr("Keep it as it is"))

    def ask(self, name: str, allowed: tuple[Kind, ...], photo_jpeg: bytes | None = None) -> None:
        """Nothing is recorded yet: ``allowed[0]`` is taken after ``ASK_TAKE_S`` s."""
        self.changing = False
        self._open(name, allowed, allowed[0], photo_jpeg, ASK_TAKE_S)
        self.question.setText(self.tr("What are you recording?"))
        self.keep_button.hide()

    def offer_change(
        self, name: str, current: Kind, alternatives: tuple[Kind, ...], photo_jpeg: bytes | None
    ) -> None:
        """The record of ``current`` is made; any of ``alternatives`` replaces it."""
        self.changing = True
        self._open(name, alternatives, None, photo_jpeg, CHANGE_OPEN_S)
        self.question.setText(
            self.tr("Recorded as {kind}. What was it?").format(kind=kind_text(current))
        )
        self.keep_button.show()

    def close_chooser(self) -> None:
        self._tick.stop()
        self.likely = None
        self.hide()

    def seconds_left(self) -> int:
        return max(0, round(self._deadline - time.monotonic()))

    # --- internals ----------------------------------------------------------------------
    def _open(
        self,
        name: str,
        allowed: tuple[Kind, ...],
        likely: Kind | None,
        photo_jpeg: bytes | None,
        seconds: int,
    ) -> None:
        self.likely = likely
        self.avatar.set_person(name, photo_jpeg)
        self.name.setText(name)
        for kind, button in self.buttons.items():
            button.setEnabled(kind in allowed)
            button.setProperty("likely", kind is likely)
        theme.repolish(self, children=True)
        self._deadline = time.monotonic() + seconds
        self._update_countdown()
        self._tick.start()
        self.show()
        self.raise_()

    def _update_countdown(self) -> None:
        left = self.seconds_left()
        if left <= 0:
            if self.changing:
                self._keep()
            elif self.likely is not None:
                self._choose(self.likely)
            return
        if self.changing:
            text = self.tr("Nothing changes if you do not choose ({seconds} s).")
            self.countdown.setText(text.format(seconds=left))
        elif self.likely is not None:
            text = self.tr("{kind} will be recorded in {seconds} s.")
            self.countdown.setText(text.format(kind=kind_text(self.likely), seconds=left))

    def _choose(self, kind: Kind) -> None:
        if not self.isVisible():
            return  # a second tap, or the timeout racing a tap
        self.close_chooser()
        self.chosen.emit(kind)

    def _keep(self) -> None:
        if not self.isVisible():
            return
        self.close_chooser()
        self.kept.emit()
