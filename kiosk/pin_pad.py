"""The PIN pad: employee code + PIN with large keys, for a face the kiosk does not know.

Touch first (keys of at least 64 px, the fields large), keyboard too: digits and letters go
to the field last tapped or focused, Enter moves from the code to the PIN and then records,
Escape closes. The pad keeps that field itself instead of asking Qt which widget has the
focus: a window that is not the active one (a touch screen with no window manager) has no
focus widget at all, and every key would go to the code.
Codes may hold letters ("E1"), so the keypad has an ABC page. The pad closes itself after
a while without input, so a walk-away never leaves it open for the next person.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QRegularExpressionValidator,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.secrets.passwords import MAX_PIN, MIN_PIN
from kiosk import theme
from kiosk.keypad import Keypad, pad_key

IDLE_CLOSE_MS = 30_000
PANEL_WIDTH = 1000
# Room kept under the PIN for a refusal, shown or not: the longest (a locked PIN, in
# Spanish, at 1024 px) takes four lines. An error appearing moved every key 32 px.
ERROR_LINES = 4


def _label(name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def _field(name: str, allowed: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName("PinField")
    field.setPlaceholderText(name)
    field.setAccessibleName(name)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(allowed)))
    return field


class PinPad(QWidget):
    submitted = Signal(str, str)  # code, PIN
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinPad")
        self.panel = QFrame(self)
        self.panel.setObjectName("PinPanel")
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.title = _label("PinTitle", self.tr("Record with your code and PIN"))
        self.hint = _label("PinHint")
        self.code = _field(self.tr("Employee code"), r"\S{0,32}")
        self.pin = _field(self.tr("PIN"), rf"\d{{0,{MAX_PIN}}}")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _label("PinError")
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        keep = self.error.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.error.setSizePolicy(keep)
        self.error.hide()

        self.keys = Keypad()
        self.keys.typed.connect(self._type)
        self.keys.erased.connect(self._backspace)
        self.keys.touched.connect(self._idle_restart)  # someone is still at the pad
        self.cancel_key = pad_key(self.tr("Cancel"), role="cancel")
        self.ok_key = pad_key(self.tr("Record ✓"), role="ok")
        self.cancel_key.clicked.connect(self.cancel)
        self.ok_key.clicked.connect(self._enter)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        # The record key gets the room: its text is the longest and it is the one to find.
        actions.addWidget(self.cancel_key, 2)
        actions.addWidget(self.ok_key, 3)

        # Two columns (fields | keys) keep the pad short enough for a 800 px tall screen.
        form = QVBoxLayout()
        form.setSpacing(14)
        for widget in (self.title, self.hint, self.code, self.pin, self.error):
            form.addWidget(widget)
        form.addStretch(1)
        form.addLayout(actions)
        layout = QHBoxLayout(self.panel)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(32)
        layout.addLayout(form, 1)
        layout.addWidget(self.keys, 0, Qt.AlignmentFlag.AlignTop)

        for field in (self.code, self.pin):
            field.installEventFilter(self)
            field.textChanged.connect(self._changed)
        self.code.returnPressed.connect(self._enter)
        self.pin.returnPressed.connect(self._enter)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_CLOSE_MS)
        self._idle.timeout.connect(self.cancel)
        self._busy = False
        self._target = self.code  # the field the keys type into
        self.hide()

    # --- behaviour --------------------------------------------------------------------
    def open(self, hint: str = "") -> None:
        """Show the pad empty, the cursor in the code field."""
        self.code.clear()
        self.pin.clear()
        self.error.hide()
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.set_busy(False)
        self.keys.setCurrentIndex(0)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.error.ensurePolished()  # the style sheet's font decides a line's height
        lines = "\n".join(["X"] * ERROR_LINES)
        room = self.error.fontMetrics().boundingRect(QRect(0, 0, 1000, 1000), 0, lines)
        self.error.setMinimumHeight(room.height())
        self._place_panel()  # the hint line may have come or gone
        self._focus(self.code)
        self._idle.start()

    def cancel(self) -> None:
        if self.isVisible():
            self._idle.stop()
            self.hide()
            self.cancelled.emit()

    def close_pad(self) -> None:
        """Hide without the 'cancelled' signal (the record went through)."""
        self._idle.stop()
        self.hide()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()
        self._place_panel(keep_top=True)  # a longer refusal grows the panel downwards
        self.pin.clear()
        self._focus(self.pin)
        self._idle.start()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.code, self.pin, self.keys, self.cancel_key):
            widget.setEnabled(not busy)
        self.ok_key.setText(self.tr("Checking…") if busy else self.tr("Record ✓"))
        self._changed()

    @property
    def is_empty(self) -> bool:
        return not self.code.text() and not self.pin.text()

    def _active_field(self) -> QLineEdit:
        return self._target

    def _focus(self, field: QLineEdit) -> None:
        self._target = field
        field.setFocus()

    def _idle_restart(self) -> None:
        self._idle.start()

    def _type(self, text: str) -> None:
        field = self._active_field()
        if field is self.pin and not text.isdigit():
            return
        field.insert(text)
        self._focus(field)

    def _backspace(self) -> None:
        field = self._active_field()
        field.backspace()
        self._focus(field)

    def _changed(self) -> None:
        self._idle.start()
        ready = bool(self.code.text().strip()) and len(self.pin.text()) >= MIN_PIN
        self.ok_key.setEnabled(ready and not self._busy)

    def _enter(self) -> None:
        if self._busy:
            return
        if not self.code.text().strip():
            self._focus(self.code)
            return
        if self._active_field() is self.code and not self.pin.text():
            self._focus(self.pin)
            return
        if len(self.pin.text()) < MIN_PIN:
            self._focus(self.pin)
            return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(self.code.text().strip(), self.pin.text())

    # --- events -----------------------------------------------------------------------
    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.FocusIn) and watched in (
            self.code,
            self.pin,
        ):
            # A tap on a field (or Tab, or a click) chooses where the keys type.
            self._target = self.pin if watched is self.pin else self.code
            self._idle.start()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._idle.start()
            if event.key() == Qt.Key.Key_Escape:
                self.cancel()
                return True
            if event.key() == Qt.Key.Key_Tab and watched is self.pin:
                self._focus(self.code)
                return True
        return super().eventFilter(watched, event)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        # Nothing typed on the pad reaches the screen behind it (Return would reopen it).
        event.accept()

    @override
    def resizeEvent(self, _event: QResizeEvent) -> None:
        self._place_panel()

    def _place_panel(self, *, keep_top: bool = False) -> None:
        """Centre the panel at the height its content needs now; with ``keep_top`` its top
        stays (the keys under a finger do not move) unless it would leave the screen."""
        width = min(PANEL_WIDTH, self.width() - 24)
        height = (
            self.panel.heightForWidth(width)
            if self.panel.hasHeightForWidth()
            else self.panel.sizeHint().height()
        )
        self.panel.resize(width, max(height, self.panel.minimumSizeHint().height()))
        top = (self.height() - self.panel.height()) // 2
        if keep_top:
            top = min(self.panel.y(), self.height() - self.panel.height())
        self.panel.move((self.width() - self.panel.width()) // 2, max(top, 0))

    @override
    def paintEvent(self, _event: QPaintEvent) -> None:
        # A dim veil over the camera, so the pad reads as the one thing to look at.
        painter = QPainter(self)
        veil = QColor(theme.PALETTE["bg"])
        veil.setAlpha(200)
        painter.fillRect(self.rect(), veil)
        painter.end()
