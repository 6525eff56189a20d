"""How the company pays: monthly, twice a month or weekly, and the day a period starts.

Opened from Export ("Pay period…"), where "This period" and "Previous period" come from it;
saved to the settings like any other page's values (core.config pay_period and
pay_period_start_day) and audited, since it decides which days a payroll file holds.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from core.reports.pay_period import start_day_problem
from kiosk.admin.dialogs import FormDialog


class PayPeriodDialog(FormDialog):
    def __init__(self, kind: str, start_day: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Pay period"), parent)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Monthly"), "monthly")
        self.kind.addItem(self.tr("Twice a month"), "semimonthly")
        self.kind.addItem(self.tr("Weekly"), "weekly")
        self.day = QSpinBox()
        self.day.setRange(1, 28)
        self.weekday = QComboBox()
        locale = QLocale()
        for day in range(1, 8):  # Qt's and the setting's weekdays: 1 = Monday .. 7 = Sunday
            self.weekday.addItem(locale.dayName(day), day)
        self.example = QLabel()
        self.example.setObjectName("PageIntro")
        self.example.setWordWrap(True)
        self.form.addRow(self.tr("&Paid"), self.kind)
        self.form.addRow(self.tr("&Starts on day"), self.day)
        self.form.addRow(self.tr("Starts &on"), self.weekday)
        self.form.addRow("", self.example)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        if kind == "weekly":
            self.weekday.setCurrentIndex(max(self.weekday.findData(start_day), 0))
        else:
            self.day.setValue(max(1, min(start_day, 28)))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self.day.valueChanged.connect(lambda _v: self._kind_chosen())
        self._kind_chosen()

    def value(self) -> tuple[str, int]:
        kind = str(self.kind.currentData())
        return kind, int(self.weekday.currentData()) if kind == "weekly" else self.day.value()

    def _kind_chosen(self) -> None:
        weekly = self.kind.currentData() == "weekly"
        self.form.setRowVisible(self.day, not weekly)
        self.form.setRowVisible(self.weekday, weekly)
        day = self.day.value()
        if weekly:
            text = self.tr("A week from the chosen day to the day before it.")
        elif self.kind.currentData() == "semimonthly":
            second = (day + 14) % 30 + 1
            text = self.tr("From day {a} and from day {b} of each month.").format(a=day, b=second)
        else:
            text = self.tr("From day {day} of a month to the day before it in the next.").format(
                day=day
            )
        self.example.setText(text)
        self.fit_height()

    def problem_text(self) -> str:
        kind, start_day = self.value()
        return start_day_problem(kind, start_day) or ""
