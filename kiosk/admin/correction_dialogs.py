"""Corrections with a date and a time: add a record someone forgot, or change a record's
kind or time. Each asks why (kept in the audit log).

The dialog stays open while the store answers: a correction the rules refuse (it would
break the day, it is in the future) is said inside it, with everything typed still there.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QWidget

from core.attendance.rules import Kind
from kiosk.admin.dialogs import ReasonDialog
from kiosk.kinds import KIND_ORDER, kind_text


def _qdatetime(value: datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, 0))


class CorrectionDialog(ReasonDialog):
    """A date and time, a kind and a reason; ``submitted`` instead of closing on OK."""

    submitted = Signal()

    def __init__(
        self,
        title: str,
        explanation: str,
        when: datetime,
        latest: datetime,
        parent: QWidget | None = None,
        *,
        automatic_kind: bool,
    ) -> None:
        super().__init__(title, explanation, parent)
        self.when = QDateTimeEdit(_qdatetime(when))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setMaximumDateTime(_qdatetime(latest))
        self.when.setAccessibleName(self.tr("Date and time"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Record"))
        if automatic_kind:
            self.kind.addItem(self.tr("What the rules expect then"), "")
        for kind in KIND_ORDER:
            # The value, not the enum: Qt hands a str subclass back as a plain str.
            self.kind.addItem(kind_text(kind), kind.value)
        self.form.insertRow(1, self.tr("&When"), self.when)
        self.form.insertRow(2, self.tr("Rec&ord"), self.kind)
        self.waiting = QLabel(self.tr("Saving…"))
        self.waiting.setObjectName("PageIntro")
        self.waiting.hide()
        self.form.addRow("", self.waiting)

    def chosen_kind(self) -> Kind | None:
        data = self.kind.currentData()
        return Kind(data) if data else None

    def local_time(self) -> tuple[int, int, int, int, int]:
        """(year, month, day, hour, minute) on the kiosk's wall clock."""
        value = self.when.dateTime()
        day, clock = value.date(), value.time()
        return day.year(), day.month(), day.day(), clock.hour(), clock.minute()

    def show_problem(self, text: str) -> None:
        """The store refused: say why here and let the administrator correct the form."""
        self.waiting.hide()
        self.buttons.setEnabled(True)
        self.problem.setText(text)
        self.problem.show()
        self.fit_height()

    def _try_accept(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.fit_height()
        if not problem:
            self.buttons.setEnabled(False)  # one request at a time
            self.waiting.show()
            self.submitted.emit()


class AddRecordDialog(CorrectionDialog):
    """A record someone could not make (a forgotten check-out), at the time it happened."""

    def __init__(
        self,
        employees: list[tuple[str, str]],
        when: datetime,
        latest: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Add a record"),
            self.tr(
                "Records what the employee did at the time it happened (a forgotten check-out, "
                "a break nobody recorded). It is marked manual, with your name and the reason."
            ),
            when,
            latest,
            parent,
            automatic_kind=True,
        )
        self.employee = QComboBox()
        for code, name in employees:
            self.employee.addItem(f"{code} — {name}", code)
        self.form.insertRow(1, self.tr("&Employee"), self.employee)

    def code(self) -> str:
        return str(self.employee.currentData() or "")

    def problem_text(self) -> str:
        if not self.code():
            return self.tr("Choose the employee.")
        return super().problem_text()


class ChangeRecordDialog(CorrectionDialog):
    """Another kind or time for one record: it is voided (kept) and replaced."""

    def __init__(
        self,
        description: str,
        kind: Kind,
        when: datetime,
        latest: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Change a record"),
            self.tr(
                "{record}. The record stays in the log, marked void, and a manual record with "
                "what you choose here replaces it, with your name and the reason."
            ).format(record=description),
            when,
            latest,
            parent,
            automatic_kind=False,
        )
        self.kind.setCurrentIndex(max(self.kind.findData(kind.value), 0))
        self.original = (kind, self.local_time())

    def problem_text(self) -> str:
        if (self.chosen_kind(), self.local_time()) == self.original:
            return self.tr("Change the record or the time (or cancel).")
        return super().problem_text()
