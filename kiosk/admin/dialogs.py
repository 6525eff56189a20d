"""Small forms the settings pages open: an employee, a PIN, a shift, a reason.

Each is opened with ``open()`` (window-modal, no nested event loop) and reports through
``accepted``; a form checks what it can itself and says what is missing next to the
button, so a keyboard user never meets a dead OK button without a reason. A form given a
``save`` (``save_with``) stays open while it is saved and closes only once it was: a
refusal (a code already taken) is said in the form, with everything typed still there.
It opens with the keyboard in its first field, and Return is OK.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QRegularExpression, Qt, QTime
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.attendance.shifts import MAX_SHIFT_NAME_LENGTH, ShiftInput, ShiftRow
from core.people.employees import MAX_CODE_LENGTH, MAX_NAME_LENGTH
from core.secrets.passwords import MAX_PIN, MIN_PIN

PIN_PATTERN = rf"\d{{0,{MAX_PIN}}}"


class FormDialog(QDialog):
    """A titled form with OK/Cancel and a line for what is wrong."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(600)
        self.heading = QLabel(title)
        self.heading.setObjectName("PageTitle")
        self.heading.setWordWrap(True)  # "Erase the face data of <a long name>"
        self.form = QFormLayout()
        self.form.setSpacing(12)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.problem = QLabel()
        self.problem.setObjectName("Notice")
        self.problem.setProperty("tone", "bad")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)  # Return in a field is OK (the form checks it first)
        self._save: Callable[[], None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def problem_text(self) -> str:
        """Why the form cannot be accepted yet ('' when it can)."""
        return ""

    def save_with(self, save: Callable[[], None]) -> None:
        """OK on a complete form calls ``save``, which ends with ``saved()`` or
        ``refused(text)``; until then the form stays open and OK waits."""
        self._save = save

    def saved(self) -> None:
        self._set_saving(False)
        self.accept()

    def refused(self, text: str) -> None:
        """The save was refused: say why here, keep what was typed, type again."""
        self._set_saving(False)
        self.problem.setText(text)
        self.problem.show()
        self.fit_height()
        first = self.first_field()
        if first is not None:
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()

    def first_field(self) -> QWidget | None:
        """The form's first field that takes typing (the buttons are made before it, so
        Qt's own choice was OK, and the first keys went nowhere)."""
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if (
                widget is not None
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                return widget
        return None

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()
        first = self.first_field()
        if first is not None:
            first.setFocus()
        # Ask for the keyboard: on a kiosk's bare X server no window manager activates a
        # new window, and the keys kept going to the settings behind the form.
        self.raise_()
        self.activateWindow()

    def fit_height(self) -> None:
        """Tall enough for the wrapped lines at this width (a layout alone sizes a dialog
        by its unwrapped text, and a long explanation loses its last line)."""
        layout = self.layout()
        if layout is not None:
            needed = layout.totalHeightForWidth(self.width())
            if needed > self.height():
                self.resize(self.width(), needed)

    def _try_accept(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.fit_height()
        if problem:
            return
        if self._save is None:
            self.accept()
            return
        self._set_saving(True)
        self._save()

    def _set_saving(self, saving: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not saving)


class EmployeeDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        code: str = "",
        name: str = "",
        editing: bool = False,
    ) -> None:
        super().__init__(self.tr("Edit employee") if editing else self.tr("New employee"), parent)
        self.code = QLineEdit(code)
        # The central columns' limits: the form cannot hold what the server would refuse.
        self.code.setMaxLength(MAX_CODE_LENGTH)
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression(r"\S{0,32}")))
        self.name = QLineEdit(name)
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(MAX_PIN)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(PIN_PATTERN)))
        self.pin.setPlaceholderText(
            self.tr("optional, {low} to {high} digits").format(low=MIN_PIN, high=MAX_PIN)
        )
        self.form.addRow(self.tr("&Code"), self.code)
        self.form.addRow(self.tr("&Name"), self.name)
        if not editing:
            self.form.addRow(self.tr("&PIN"), self.pin)

    def problem_text(self) -> str:
        if not self.code.text().strip():
            return self.tr("Write the employee's code.")
        if not self.name.text().strip():
            return self.tr("Write the employee's name.")
        pin = self.pin.text()
        if pin and len(pin) < MIN_PIN:
            return self.tr("The PIN must be {low} to {high} digits, or empty.").format(
                low=MIN_PIN, high=MAX_PIN
            )
        return ""


class PinDialog(FormDialog):
    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("PIN for {who}").format(who=who), parent)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(MAX_PIN)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(PIN_PATTERN)))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setMaxLength(MAX_PIN)
        self.remove = QCheckBox(self.tr("Remove the PIN (face only)"))
        self.form.addRow(self.tr("New &PIN"), self.pin)
        self.form.addRow(self.tr("&Repeat"), self.repeat)
        self.form.addRow("", self.remove)
        self.remove.toggled.connect(self._remove_toggled)

    def _remove_toggled(self, on: bool) -> None:
        self.pin.setDisabled(on)
        self.repeat.setDisabled(on)

    def value(self) -> str | None:
        return None if self.remove.isChecked() else self.pin.text()

    def problem_text(self) -> str:
        if self.remove.isChecked():
            return ""
        if not MIN_PIN <= len(self.pin.text()) <= MAX_PIN:
            return self.tr("The PIN must be {low} to {high} digits.").format(
                low=MIN_PIN, high=MAX_PIN
            )
        if self.pin.text() != self.repeat.text():
            return self.tr("The two PINs differ. Type the same PIN twice.")
        return ""


class ReasonDialog(FormDialog):
    """Asks why (required for the audit log); optionally a confirmation box to tick."""

    def __init__(
        self,
        title: str,
        explanation: str,
        parent: QWidget | None = None,
        *,
        confirmation: str = "",
    ) -> None:
        super().__init__(title, parent)
        text = QLabel(explanation)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.reason.setPlaceholderText(self.tr("Required: it is kept in the audit log"))
        self.form.addRow(self.tr("&Reason"), self.reason)
        self.confirm = QCheckBox(confirmation) if confirmation else None
        if self.confirm is not None:
            self.form.addRow("", self.confirm)

    def value(self) -> str:
        return self.reason.toPlainText().strip()

    def problem_text(self) -> str:
        if len(self.value()) < 3:
            return self.tr("Write the reason (at least a few words).")
        if self.confirm is not None and not self.confirm.isChecked():
            return self.tr("Tick the box to confirm.")
        return ""


def weekday_names() -> list[str]:
    from PySide6.QtCore import QLocale

    locale = QLocale()
    # Qt numbers days 1 (Monday) to 7; the store uses 0 (Monday) to 6.
    return [locale.dayName(day, QLocale.FormatType.ShortFormat) for day in range(1, 8)]


class ShiftDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None, shift: ShiftRow | None = None) -> None:
        super().__init__(self.tr("Edit shift") if shift else self.tr("New shift"), parent)
        self.name = QLineEdit(shift.name if shift else "")
        self.name.setMaxLength(MAX_SHIFT_NAME_LENGTH)
        self.start = QTimeEdit(_qtime(shift.start if shift else time(9, 0)))
        self.end = QTimeEdit(_qtime(shift.end if shift else time(17, 0)))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.days: list[QCheckBox] = []
        grid = QGridLayout()
        grid.setSpacing(8)
        chosen = shift.weekdays if shift else frozenset(range(5))
        for index, label in enumerate(weekday_names()):
            box = QCheckBox(label)
            box.setChecked(index in chosen)
            self.days.append(box)
            # Two rows: seven boxes in one row squeezed their day names (Spanish labels
            # on the left take half the dialog).
            grid.addWidget(box, index // 4, index % 4)
        days = QWidget()
        days.setLayout(grid)
        self.grace_in = QSpinBox()
        self.grace_in.setRange(0, 240)
        self.grace_in.setSuffix(" min")
        self.grace_in.setValue(shift.grace_in if shift else 5)
        self.grace_out = QSpinBox()
        self.grace_out.setRange(0, 240)
        self.grace_out.setSuffix(" min")
        self.grace_out.setValue(shift.grace_out if shift else 0)
        self.active = QCheckBox(self.tr("In use"))
        self.active.setChecked(shift.active if shift else True)
        self.form.addRow(self.tr("&Name"), self.name)
        self.form.addRow(self.tr("&Starts"), self.start)
        self.form.addRow(self.tr("&Ends"), self.end)
        note = QLabel(self.tr("An end before the start crosses midnight (a night shift)."))
        note.setObjectName("PageIntro")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.form.addRow(self.tr("Starts on"), days)
        self.form.addRow(self.tr("&Grace for late arrival"), self.grace_in)
        self.form.addRow(self.tr("Grace for early &leave"), self.grace_out)
        self.form.addRow("", self.active)

    def value(self) -> ShiftInput:
        return ShiftInput(
            name=self.name.text().strip(),
            start=self.start.time().toPython(),  # type: ignore[arg-type]
            end=self.end.time().toPython(),  # type: ignore[arg-type]
            weekdays=frozenset(i for i, box in enumerate(self.days) if box.isChecked()),
            grace_in=self.grace_in.value(),
            grace_out=self.grace_out.value(),
            active=self.active.isChecked(),
        )

    def problem_text(self) -> str:
        if not self.name.text().strip():
            return self.tr("Write the shift's name.")
        if self.start.time() == self.end.time():
            return self.tr("A shift cannot start and end at the same time.")
        if not any(box.isChecked() for box in self.days):
            return self.tr("Tick at least one day.")
        return ""


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)
