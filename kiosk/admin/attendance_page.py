"""Attendance: a day's records, by employee; corrections with a required reason.

A correction never edits a record: it voids it (kept, marked, who and why in the audit
log) and, when needed, a manual record is added now by the same rules.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.attendance import log as attendance_log
from core.attendance.service import Outcome, Recorded
from core.employees import EmployeeView
from kiosk import theme
from kiosk.admin.dialogs import ManualRecordDialog, ReasonDialog
from kiosk.admin.page import AdminContext, AdminPage, button, row
from kiosk.durations import duration_text
from kiosk.messages import not_recorded_text


class AttendancePage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setAccessibleName(self.tr("Day"))
        self.employee = QComboBox()
        self.employee.setMinimumWidth(220)
        self.employee.setAccessibleName(self.tr("Employee"))
        self.employee.addItem(self.tr("All employees"), "")
        self.refresh_button = button(self.tr("&Show"))
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Record"),
                self.tr("Method"),
                self.tr("Late"),
                self.tr("Status"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(320)
        self.void_button = button(self.tr("&Void record…"), "danger")
        self.manual_button = button(self.tr("Add &manual record…"))
        self.count = QLabel()
        self.count.setObjectName("PageIntro")

        day_label = QLabel(self.tr("&Day"))
        day_label.setBuddy(self.day)
        who_label = QLabel(self.tr("&Employee"))
        who_label.setBuddy(self.employee)
        self.body.addLayout(row(day_label, self.day, who_label, self.employee, self.refresh_button))
        self.body.addWidget(self.table, 1)
        self.body.addLayout(row(self.void_button, self.manual_button, self.count))

        self.records: list[attendance_log.AttendanceRow] = []
        self.employees: list[EmployeeView] = []
        self.dialog: ReasonDialog | None = None
        self.refresh_button.clicked.connect(self.reload)
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.employee.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.void_button.clicked.connect(self.void_selected)
        self.manual_button.clicked.connect(self.add_manual)
        self._loaded_once = False
        self._update_buttons()

    def title(self) -> str:
        return self.tr("Attendance")

    def activate(self) -> None:
        if not self._loaded_once:
            today = attendance_log.local_today(self.ctx.settings.zone)
            self.day.blockSignals(True)
            self.day.setDate(QDate(today.year, today.month, today.day))
            self.day.blockSignals(False)
            self._loaded_once = True
        self.run(lambda: self.ctx.employees().list(include_inactive=True), self._fill_employees)
        self.reload()

    def selected_day(self) -> date:
        value = self.day.date()
        return date(value.year(), value.month(), value.day())

    def _fill_employees(self, employees: list[EmployeeView]) -> None:
        self.employees = employees
        current = self.employee.currentData()
        self.employee.blockSignals(True)
        self.employee.clear()
        self.employee.addItem(self.tr("All employees"), "")
        for employee in employees:
            self.employee.addItem(f"{employee.code} — {employee.name}", employee.code)
        index = self.employee.findData(current)
        self.employee.setCurrentIndex(max(index, 0))
        self.employee.blockSignals(False)

    def reload(self) -> None:
        ctx, day, code = self.ctx, self.selected_day(), self.employee.currentData() or None
        self.run(
            lambda: attendance_log.list_attendance(ctx.store, ctx.settings.zone, day, code),
            self._fill,
        )

    def _fill(self, records: list[attendance_log.AttendanceRow]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        kinds = {"in": self.tr("Check-in"), "out": self.tr("Check-out")}
        methods = {"face": self.tr("face"), "pin": self.tr("PIN"), "manual": self.tr("manual")}
        for index, record in enumerate(records):
            status = (
                self.tr("voided: {reason}").format(reason=record.void_reason)
                if record.voided
                else self.tr("valid")
            )
            cells = (
                f"{record.local_time:%H:%M:%S}",
                record.code,
                record.name,
                kinds.get(record.kind, record.kind),
                methods.get(record.method, record.method),
                duration_text(record.late_minutes) if record.late_minutes else "",
                status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if record.voided:
                    item.setForeground(QColor(theme.PALETTE["muted"]))
                    font = item.font()
                    font.setStrikeOut(column < 6)
                    item.setFont(font)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.count.setText(self.tr("%n record(s)", "", len(records)))
        self._update_buttons()

    def selected(self) -> attendance_log.AttendanceRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.void_button.setEnabled(chosen is not None and not chosen.voided)

    # --- corrections ------------------------------------------------------------------
    def void_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.voided:
            return
        dialog = ReasonDialog(
            self.tr("Void a record"),
            self.tr(
                "{kind} of {name} at {time}. The record stays in the log, marked void, with "
                "your name and the reason. Add a manual record afterwards if one is needed."
            ).format(
                kind=self.tr("Check-in") if chosen.kind == "in" else self.tr("Check-out"),
                name=chosen.name,
                time=f"{chosen.local_time:%H:%M}",
            ),
            self,
        )
        self.dialog = dialog

        def void() -> None:
            reason, actor, event_id = dialog.value(), self.admin.actor, chosen.event_id
            self.run(
                lambda: self.ctx.attendance().void(actor, event_id, reason),
                lambda _none: self._changed(self.tr("Record voided.")),
            )

        dialog.accepted.connect(void)
        dialog.open()

    def add_manual(self) -> None:
        active = [(e.code, e.name) for e in self.employees if e.active]
        dialog = ManualRecordDialog(active, self)
        current = self.employee.currentData()
        if current:
            dialog.employee.setCurrentIndex(max(dialog.employee.findData(current), 0))
        self.dialog = dialog

        def record() -> None:
            code, reason, actor = dialog.code(), dialog.value(), self.admin.actor
            self.run(
                lambda: self.ctx.attendance().record_manual(actor, code, reason),
                self._manual_done,
            )

        dialog.accepted.connect(record)
        dialog.open()

    def _manual_done(self, outcome: Outcome) -> None:
        if isinstance(outcome, Recorded):
            kind = self.tr("Check-in") if outcome.kind.value == "in" else self.tr("Check-out")
            self._changed(
                self.tr("{kind} recorded for {name} at {time}.").format(
                    kind=kind, name=outcome.employee_name, time=f"{outcome.local_time:%H:%M}"
                )
            )
        else:
            self.show_notice(not_recorded_text(outcome), "warn")

    def _changed(self, text: str) -> None:
        self.show_notice(text, "ok")
        self.reload()
