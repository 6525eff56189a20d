"""The PIN pad's keys: digits, and a page of letters for codes such as "E1".

Keys never take the keyboard focus (it stays in the field they type into) and say what was
pressed through signals; the pad decides where it goes.
"""

from __future__ import annotations

import string

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QStackedWidget, QWidget

KEY_SIZE = (110, 72)  # well above the 48 px minimum for touch targets
LETTER_KEY_SIZE = (62, 56)  # 7 to a row in the keypad's width; still above 48 px
KEYPAD_WIDTH = 470
BACKSPACE = "⌫"


def pad_key(text: str, *, role: str = "") -> QPushButton:
    key = QPushButton(text)
    key.setObjectName("PinKey")
    if role:
        key.setProperty("role", role)
    key.setMinimumSize(*KEY_SIZE)
    key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    key.setAutoRepeat(text == BACKSPACE)
    return key


class Keypad(QStackedWidget):
    typed = Signal(str)  # a digit or a letter
    erased = Signal()  # ⌫
    touched = Signal()  # any key, the page switches too

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addWidget(self._digit_page())
        self.addWidget(self._letter_page())
        self.setFixedWidth(KEYPAD_WIDTH)

    def _key(self, text: str, *, role: str = "") -> QPushButton:
        key = pad_key(text, role=role)
        key.clicked.connect(self.touched)
        if text == BACKSPACE:
            key.clicked.connect(self.erased)
            key.setAccessibleName(self.tr("Delete"))
        elif len(text) == 1:
            key.clicked.connect(lambda: self.typed.emit(text))
        return key

    def _page(self, spacing: int) -> tuple[QWidget, QGridLayout]:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(spacing)
        return page, grid

    def _digit_page(self) -> QWidget:
        page, grid = self._page(10)
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit), index // 3, index % 3)
        self.letters_key = self._key("ABC", role="toggle")
        self.letters_key.setAccessibleName(self.tr("Letters"))
        self.letters_key.clicked.connect(lambda: self.setCurrentIndex(1))
        grid.addWidget(self.letters_key, 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        grid.addWidget(self._key(BACKSPACE), 3, 2)
        return page

    def _letter_page(self) -> QWidget:
        page, grid = self._page(6)
        columns = 7
        for index, letter in enumerate(string.ascii_uppercase):
            grid.addWidget(self._small(letter), index // columns, index % columns)
        digits = self._small("123")
        digits.setAccessibleName(self.tr("Digits"))
        digits.clicked.connect(lambda: self.setCurrentIndex(0))
        grid.addWidget(digits, 3, 5)
        grid.addWidget(self._small(BACKSPACE), 3, 6)
        return page

    def _small(self, text: str) -> QPushButton:
        # Their own style (kiosk.qss): the digits' padding would not fit 7 to a row.
        key = self._key(text, role="letter")
        key.setFixedSize(*LETTER_KEY_SIZE)
        return key
