"""Attendance: a day's records, by employee; corrections with a required reason.

A correction never edits a record: it voids it (kept, marked, who and why in the audit
log), and "Change…" adds its replacement with another kind or time in the same step. "Add
record…" enters one someone forgot, at the date and time it happened, by the same rules.
"""

from __future__ import annotations

from datetime import date, datetime, time

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
from core.attendance.outcomes import Outcome, Recorded
from core.attendance.rules import Kind, wall_clock_to_utc
from core.people.employees import EmployeeView
from kiosk import theme
from kiosk.admin.correction_dialogs import AddRecordDialog, ChangeRecordDialog, CorrectionDialog
from kiosk.admin.dialogs import ReasonDialog
from kiosk.admin.page import AdminContext, AdminPage, button, row
from kiosk.durations import duration_text
from kiosk.kinds import kind_text
from kiosk.messages import describe_error, not_recorded_text


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
        self.change_button = button(self.tr("C&hange record…"))
        self.manual_button = button(self.tr("&Add record…"))
        self.count = QLabel()
        self.count.setObjectName("PageIntro")

        day_label = QLabel(self.tr("&Day"))
        day_label.setBuddy(self.day)
        who_label = QLabel(self.tr("&Employee"))
        who_label.setBuddy(self.employee)
        self.body.addLayout(row(day_label, self.day, who_label, self.employee, self.refresh_button))
        self.body.addWidget(self.table, 1)
        self.body.addLayout(
            row(self.manual_button, self.change_button, self.void_button, self.count)
        )

        self.records: list[attendance_log.AttendanceRow] = []
        self.employees: list[EmployeeView] = []
        self.dialog: ReasonDialog | None = None
        self.change_button.clicked.connect(self.change_selected)
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
        kinds = {kind.value: kind_text(kind) for kind in Kind}
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
        self.change_button.setEnabled(chosen is not None and not chosen.voided)

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
                kind=kind_text(Kind(chosen.kind)),
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
        """A record at the day shown and the time now (the administrator sets the time)."""
        active = [(e.code, e.name) for e in self.employees if e.active]
        now = self._now()
        when = datetime.combine(self.selected_day(), now.time())
        dialog = AddRecordDialog(active, min(when, now), now, self)
        current = self.employee.currentData()
        if current:
            dialog.employee.setCurrentIndex(max(dialog.employee.findData(current), 0))
        self.dialog = dialog

        def record() -> None:
            code, reason, actor = dialog.code(), dialog.value(), self.admin.actor
            at, kind = self._instant(dialog), dialog.chosen_kind()
            self.run(
                lambda: self.ctx.attendance().record_manual(actor, code, reason, at=at, kind=kind),
                lambda outcome: self._manual_done(dialog, outcome),
                lambda exc: self._refused(dialog, exc),
            )

        dialog.submitted.connect(record)
        dialog.open()

    def change_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.voided:
            return
        kind = Kind(chosen.kind)
        description = self.tr("{kind} of {name} at {time}").format(
            kind=kind_text(kind), name=chosen.name, time=f"{chosen.local_time:%Y-%m-%d %H:%M}"
        )
        now = self._now()
        when = chosen.local_time.replace(tzinfo=None)
        dialog = ChangeRecordDialog(description, kind, when, now, self)
        self.dialog = dialog

        def change() -> None:
            reason, actor, event_id = dialog.value(), self.admin.actor, chosen.event_id
            new_kind = dialog.chosen_kind()
            at = self._instant(dialog)
            moved = dialog.local_time() != dialog.original[1]
            self.run(
                lambda: self.ctx.attendance().amend(
                    actor,
                    event_id,
                    reason,
                    kind=new_kind if new_kind is not kind else None,
                    at=at if moved else None,
                ),
                lambda outcome: self._manual_done(dialog, outcome),
                lambda exc: self._refused(dialog, exc),
            )

        dialog.submitted.connect(change)
        dialog.open()

    def _now(self) -> datetime:
        """Now on the kiosk's wall clock, to the minute (a correction is never later)."""
        zone = self.ctx.settings.zone
        return datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)

    def _instant(self, dialog: CorrectionDialog) -> datetime:
        year, month, day, hour, minute = dialog.local_time()
        zone = self.ctx.settings.zone
        return wall_clock_to_utc(date(year, month, day), time(hour, minute), zone)

    def _refused(self, dialog: CorrectionDialog, exc: BaseException) -> None:
        message = describe_error(exc)
        dialog.show_problem("\n".join(filter(None, (message.text, message.details))))

    def _manual_done(self, dialog: CorrectionDialog, outcome: Outcome) -> None:
        if isinstance(outcome, Recorded):
            dialog.accept()
            self._changed(
                self.tr("{kind} recorded for {name} at {time}.").format(
                    kind=kind_text(outcome.kind),
                    name=outcome.employee_name,
                    time=f"{outcome.local_time:%Y-%m-%d %H:%M}",
                )
            )
        else:
            dialog.show_problem(not_recorded_text(outcome))

    def _changed(self, text: str) -> None:
        self.show_notice(text, "ok")
        self.reload()
