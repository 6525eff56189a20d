"""A keyboard on the screen, for a touch kiosk with no keyboard plugged in.

The administrator's sign-in and the first-run assistant need a user name and a password;
on a touch screen alone they could not be typed. ``OnscreenKeyboard`` sits at the bottom of
the screen that owns it, inside its layout (so it takes room from the form rather than
covering the field being typed in), shows when one of that screen's text fields gets the
focus and hides when the focus goes elsewhere. Its keys never take the focus: each press is
a key event sent to the focused field, as a real keyboard's would be (``returnPressed``,
``textEdited`` and the field's own rules all apply).

When it shows is the ``onscreen_keyboard`` setting: ``on``, ``off``, or ``auto`` (shown when
Qt reports a touch screen).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputDevice, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)
from typing_extensions import override

KEY_HEIGHT = 50  # a fingertip; five rows and the margins come to ~290 px at 1024x768
DIGITS = "1234567890"
LETTERS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm-")
# Spanish names need their accents: they share the second layer with the symbols.
SYMBOLS = ("!@#$%&*()?", "-_=+/\\:;'\"", "áéíóúü,~")
SHIFT, BACKSPACE, ENTER, LAYER, HIDE, SPACE = "shift", "backspace", "enter", "layer", "hide", " "


def keyboard_wanted(setting: str, devices: Iterable[QInputDevice.DeviceType] | None = None) -> bool:
    """Whether the keyboard shows for text fields: ``on``, ``off``, or with a touch screen."""
    if setting in ("on", "off"):
        return setting == "on"
    if devices is None:
        devices = (device.type() for device in QInputDevice.devices())
    return QInputDevice.DeviceType.TouchScreen in set(devices)


def _typed_into(widget: QWidget | None) -> bool:
    return isinstance(widget, QLineEdit | QAbstractSpinBox) and widget.isEnabled()


class OnscreenKeyboard(QFrame):
    """Big keys typing into the focused text field of ``owner``."""

    shown = Signal()  # the owner may scroll the focused field into view

    def __init__(self, owner: QWidget, setting: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OnscreenKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.owner = owner
        self.enabled = keyboard_wanted(setting)
        self.shifted = False
        self.symbols = False
        self.keys: dict[str, QPushButton] = {}  # by what they type or do
        self._char_keys: list[tuple[int, int, QPushButton]] = []  # row, column, key
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(6)
        for column, char in enumerate(DIGITS):
            grid.addWidget(self._key(char, lambda c=char: self.type_text(c)), 0, column * 2, 1, 2)
        for row_index, chars in enumerate(LETTERS, start=1):
            offset = 2 if row_index == 3 else 0  # the shift key takes the third row's start
            for column, _char in enumerate(chars):
                key = self._key("", None)
                key.clicked.connect(lambda _c=False, r=row_index, k=column: self._char(r, k))
                self._char_keys.append((row_index, column, key))
                grid.addWidget(key, row_index, offset + column * 2, 1, 2)
        self.keys[SHIFT] = self._key("⇧", self.toggle_shift)
        self.keys[SHIFT].setAccessibleName(self.tr("Capital letters"))
        grid.addWidget(self.keys[SHIFT], 3, 0, 1, 2)
        self.keys[BACKSPACE] = self._key("⌫", self.backspace)
        self.keys[BACKSPACE].setAccessibleName(self.tr("Delete"))
        grid.addWidget(self.keys[BACKSPACE], 3, 18, 1, 2)
        self.keys[LAYER] = self._key("", self.toggle_symbols)
        grid.addWidget(self.keys[LAYER], 4, 0, 1, 3)
        self.keys["@"] = self._key("@", lambda: self.type_text("@"))
        grid.addWidget(self.keys["@"], 4, 3, 1, 2)
        self.keys[SPACE] = self._key(self.tr("space"), lambda: self.type_text(" "))
        grid.addWidget(self.keys[SPACE], 4, 5, 1, 6)
        self.keys["."] = self._key(".", lambda: self.type_text("."))
        grid.addWidget(self.keys["."], 4, 11, 1, 2)
        self.keys[ENTER] = self._key(self.tr("Enter ↵"), self.enter)
        self.keys[ENTER].setProperty("role", "primary")
        grid.addWidget(self.keys[ENTER], 4, 13, 1, 4)
        self.keys[HIDE] = self._key("⌨ ▾", self.hide)
        self.keys[HIDE].setAccessibleName(self.tr("Hide the keyboard"))
        grid.addWidget(self.keys[HIDE], 4, 17, 1, 3)
        self._relabel()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        # A screen focuses its first field before it is shown (the sign-in's reset): the
        # focus is looked at again once it shows.
        owner.installEventFilter(self)

    def _key(self, text: str, action: object) -> QPushButton:
        key = QPushButton(text)
        key.setObjectName("OnscreenKey")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        key.setAutoRepeat(text == "⌫")
        key.setMinimumHeight(KEY_HEIGHT)
        key.setMinimumWidth(36)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if callable(action):
            key.clicked.connect(lambda _checked=False: action())
        if len(text) == 1:
            self.keys[text] = key
        return key

    # --- what the keys type -----------------------------------------------------------
    def _chars(self, row: int) -> str:
        return (SYMBOLS if self.symbols else LETTERS)[row - 1]

    def _char(self, row: int, column: int) -> None:
        chars = self._chars(row)
        if column >= len(chars):
            return
        char = chars[column]
        self.type_text(char.upper() if self.shifted else char)
        if self.shifted:  # one capital, like a phone's keyboard
            self.shifted = False
            self._relabel()

    def _relabel(self) -> None:
        for row, column, key in self._char_keys:
            chars = self._chars(row)
            char = chars[column] if column < len(chars) else ""
            key.setText(char.upper() if self.shifted else char)
            key.setVisible(bool(char))
        self.keys[SHIFT].setProperty("role", "primary" if self.shifted else "")
        self.keys[SHIFT].style().polish(self.keys[SHIFT])
        self.keys[LAYER].setText("abc" if self.symbols else "?123")
        self.keys[LAYER].setAccessibleName(
            self.tr("Letters") if self.symbols else self.tr("Symbols")
        )

    def key_for(self, char: str) -> QPushButton:
        """The key that types ``char`` in the current layer (tests click it)."""
        for _row, _column, key in self._char_keys:
            if not key.isHidden() and key.text() == char:
                return key
        return self.keys[char]

    def toggle_shift(self) -> None:
        self.shifted = not self.shifted
        self._relabel()

    def toggle_symbols(self) -> None:
        self.symbols = not self.symbols
        self._relabel()

    def type_text(self, text: str) -> None:
        self._send(Qt.Key.Key_unknown, text)

    def backspace(self) -> None:
        self._send(Qt.Key.Key_Backspace, "")

    def enter(self) -> None:
        self._send(Qt.Key.Key_Return, "\r")

    def _send(self, key: Qt.Key, text: str) -> None:
        target = QApplication.focusWidget()
        if target is None or not _typed_into(target) or not self.owner.isAncestorOf(target):
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            QApplication.sendEvent(target, event)

    # --- when it shows ----------------------------------------------------------------
    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.owner and event.type() == QEvent.Type.Show:
            QTimer.singleShot(
                0, self, lambda: self._focus_changed(None, QApplication.focusWidget())
            )
        return super().eventFilter(watched, event)

    def _look_at_focus(self) -> None:
        self._focus_changed(None, QApplication.focusWidget())

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self.enabled or new is None or not self.owner.isVisible():
            return  # None: the window lost the focus; the keyboard stays as it was
        if not self.owner.isAncestorOf(new):
            return
        # Shown for a text field; it stays up while buttons and lists are tapped (a
        # keyboard that came and went would make the form jump under the finger) until its
        # own hide key or another screen.
        if _typed_into(new) and not self.isVisible():
            self.show()
            # once the layout has made room: the field is scrolled into view then
            QTimer.singleShot(0, self.shown.emit)
