"""Export: the attendance report (records and daily summary) as CSV or XLSX, to a file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from core import reports
from core.attendance.log import local_today
from core.employees import EmployeeView
from core.reports import build_report, write_report
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row


class ExportPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "Every record in the period (voided ones marked) and a daily summary per "
                "employee: worked hours, lateness, early leave, overtime, missing check-outs. "
                "CSV writes two files: NAME.csv and NAME-summary.csv."
            )
        )
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.csv = QRadioButton("CSV")
        self.xlsx = QRadioButton(self.tr("XLSX (Excel)"))
        self.formats = QButtonGroup(self)
        self.formats.addButton(self.csv)
        self.formats.addButton(self.xlsx)
        self.xlsx.setChecked(True)
        self.employee = QComboBox()
        self.employee.setMinimumWidth(220)
        self.employee.addItem(self.tr("All employees"), "")
        self.path = QLineEdit()
        self.path.setMinimumWidth(300)
        self.path.setAccessibleName(self.tr("File to write"))
        self.choose_button = button(self.tr("C&hoose…"))
        self.export_button = button(self.tr("&Export"), "primary")

        form = form_layout()
        add_row(form, self.tr("&From"), self.start)
        add_row(form, self.tr("T&o"), self.end)
        add_row(form, self.tr("Format"), row(self.csv, self.xlsx), self.csv)
        add_row(form, self.tr("&Employee"), self.employee)
        add_row(form, self.tr("&File"), row(self.path, self.choose_button), self.path)
        self.body.addLayout(form)
        self.body.addLayout(row(self.export_button))
        self.body.addStretch(1)

        self.choose_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.export)
        self.csv.toggled.connect(lambda _on: self._suggest_path())
        self.start.dateChanged.connect(lambda _d: self._suggest_path())
        self.end.dateChanged.connect(lambda _d: self._suggest_path())
        self._suggested = ""
        self._initialised = False
        self.written: list[Path] = []

    def title(self) -> str:
        return self.tr("Export")

    def activate(self) -> None:
        if not self._initialised:
            today = local_today(self.ctx.settings.zone)
            self.end.setDate(QDate(today.year, today.month, today.day))
            self.start.setDate(QDate(today.year, today.month, 1))
            self._initialised = True
            self._suggest_path()
        self.run(lambda: self.ctx.employees().list(include_inactive=True), self._fill_employees)

    def _fill_employees(self, employees: list[EmployeeView]) -> None:
        current = self.employee.currentData()
        self.employee.clear()
        self.employee.addItem(self.tr("All employees"), "")
        for employee in employees:
            self.employee.addItem(f"{employee.code} — {employee.name}", employee.code)
        self.employee.setCurrentIndex(max(self.employee.findData(current), 0))

    def fmt(self) -> str:
        return "csv" if self.csv.isChecked() else "xlsx"

    def _suggest_path(self) -> None:
        # Follow the dates and format until the administrator types a path of their own.
        if self.path.text() not in ("", self._suggested):
            return
        start, end = _py(self.start.date()), _py(self.end.date())
        name = f"asistencia-{start:%Y%m%d}-{end:%Y%m%d}.{self.fmt()}"
        self._suggested = str(self.ctx.paths.exports / name)
        self.path.setText(self._suggested)

    def choose_file(self) -> None:
        pattern = (
            self.tr("CSV files (*.csv)") if self.fmt() == "csv" else self.tr("Excel files (*.xlsx)")
        )
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export to"),
            self.path.text(),
            pattern,
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.path.setText(path)

    def export(self) -> None:
        start, end = _py(self.start.date()), _py(self.end.date())
        if end < start:
            self.show_notice(self.tr("The period ends before it starts. Correct the dates."), "bad")
            return
        text = self.path.text().strip()
        if not text:
            self.show_notice(self.tr("Choose the file to write."), "bad")
            return
        fmt = self.fmt()
        path = Path(text).expanduser()
        if path.suffix.lower() != f".{fmt}":
            path = path.with_suffix(f".{fmt}")
        code = self.employee.currentData() or None
        ctx, actor = self.ctx, self.admin.actor

        def work() -> list[Path]:
            report = build_report(
                ctx.store,
                start,
                end,
                ctx.settings.zone,
                datetime.now(UTC),
                rules=ctx.rules,
                employee_code=code,
            )
            written = write_report(
                report, path, "csv" if fmt == "csv" else "xlsx", store_files=ctx.paths
            )
            reports.audit_export(
                ctx.store,
                actor,
                ctx.settings.kiosk_id,
                {
                    "from": start,
                    "to": end,
                    "format": fmt,
                    "records": len(report.records),
                    "files": [str(p) for p in written],
                },
            )
            return written

        self.run(work, self._exported)

    def _exported(self, written: list[Path]) -> None:
        self.written = written
        files = "\n".join(str(p) for p in written)
        self.show_notice(self.tr("Written:\n{files}").format(files=files), "ok")


def _py(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
