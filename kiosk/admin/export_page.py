"""Export: the payroll report of a period (records, each employee's days, the period's
totals) as XLSX or CSV, onto a USB stick when one is plugged in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QTimer
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
from core.config import Settings
from core.host.removable_drives import RemovableDrive, is_on_removable_drive, removable_drives
from core.people.employees import EmployeeView
from core.reports import PRIVATE, SHARED, CsvStyle, Language, stream_report, write_report
from core.reports.pay_period import Period, current_and_previous
from core.runtime.setup import record_settings_change
from kiosk.admin.page import AdminContext, AdminPage, add_row, button, form_layout, row
from kiosk.admin.pay_period_dialog import PayPeriodDialog
from kiosk.i18n import translators

DRIVE_POLL_MS = 2000  # a stick plugged in is listed within two seconds
OTHER = "other"
KIOSK = "kiosk"


class ExportPage(AdminPage):
    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "For payroll: each employee's days (first in, last out, breaks, hours worked, "
                "lateness, overtime, missing check-outs, corrections) and the period's totals "
                "(days, hours, absences), with every record (voided ones marked)."
            )
        )
        self.period = QComboBox()
        self.period.setMinimumWidth(300)
        # "This period (26/11/2026 – 25/12/2026)" whole, beside its button, at 1024 px.
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pay_period_button = button(self.tr("Pay period…"))
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self._format_widgets()
        self.employee = QComboBox()
        self.employee.setMinimumWidth(220)
        self.employee.addItem(self.tr("All employees"), "")
        self.destination = QComboBox()
        self.destination.setMinimumWidth(300)
        self.destination.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.destination.setAccessibleName(self.tr("Save to"))
        self.path = QLineEdit()
        self.path.setMinimumWidth(420)
        self.path.setAccessibleName(self.tr("File to write"))
        self.choose_button = button(self.tr("C&hoose…"))
        self.export_button = button(self.tr("&Export"), "primary")

        form = form_layout()
        add_row(form, self.tr("&Period"), self.period)
        # Beside the dates, not the period: there the period's name would be cut at 1024 px.
        add_row(
            form, self.tr("&Dates"), row(self.start, self.end, self.pay_period_button), self.start
        )
        add_row(form, self.tr("Format"), row(self.csv, self.xlsx), self.csv)
        add_row(form, self.tr("CSV f&orm"), self.csv_style)
        add_row(form, self.tr("&Employee"), self.employee)
        add_row(form, self.tr("&Save to"), self.destination)
        add_row(form, self.tr("F&ile"), row(self.path, self.choose_button), self.path)
        self.body.addLayout(form)
        self.form = form
        self.body.addLayout(row(self.export_button))
        self.body.addStretch(1)

        self.drives: list[RemovableDrive] = []
        self.drive_timer = QTimer(self)
        self.drive_timer.setInterval(DRIVE_POLL_MS)
        self._periods: tuple[Period, Period] | None = None
        self._setting_dates = False
        self._suggested = ""
        self._initialised = False
        self.written: list[Path] = []
        self.dialog: PayPeriodDialog | None = None
        self._connect()
        self._format_chosen()

    def _format_widgets(self) -> None:
        self.csv = QRadioButton("CSV")
        self.xlsx = QRadioButton(self.tr("XLSX (Excel)"))
        self.formats = QButtonGroup(self)
        self.formats.addButton(self.csv)
        self.formats.addButton(self.xlsx)
        self.xlsx.setChecked(True)
        self.csv_style = QComboBox()
        self.csv_style.addItem(self.tr("For spreadsheets (Excel, LibreOffice)"), "spreadsheet")
        self.csv_style.addItem(self.tr("Plain CSV (RFC 4180)"), "rfc4180")

    def _connect(self) -> None:
        self.drive_timer.timeout.connect(self.refresh_drives)
        self.choose_button.clicked.connect(self.choose_file)
        self.pay_period_button.clicked.connect(self.choose_pay_period)
        self.export_button.clicked.connect(self.export)
        self.period.currentIndexChanged.connect(lambda _i: self._period_chosen())
        self.csv.toggled.connect(lambda _on: self._format_chosen())
        self.destination.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self.start.dateChanged.connect(lambda _d: self._dates_edited())
        self.end.dateChanged.connect(lambda _d: self._dates_edited())

    def title(self) -> str:
        return self.tr("Export")

    def activate(self) -> None:
        if not self._initialised:
            self._fill_periods()
            self._initialised = True
            self._period_chosen()
        self.refresh_drives()
        self.drive_timer.start()
        self.run(lambda: self.ctx.employees().list(include_inactive=True), self._fill_employees)

    def _fill_periods(self) -> None:
        settings = self.ctx.settings
        today = local_today(settings.zone)
        self._periods = current_and_previous(
            today, settings.pay_period, settings.pay_period_start_day
        )
        current, previous = self._periods
        index = self.period.currentIndex()
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItem(self.tr("This period ({span})").format(span=_span(current)))
        self.period.addItem(self.tr("Previous period ({span})").format(span=_span(previous)))
        self.period.addItem(self.tr("Custom dates"))
        self.period.setCurrentIndex(max(index, 0))
        self.period.blockSignals(False)

    def choose_pay_period(self) -> None:
        settings = self.ctx.settings
        dialog = PayPeriodDialog(settings.pay_period, settings.pay_period_start_day, self)
        self.dialog = dialog

        def save() -> None:
            kind, start_day = dialog.value()
            changes = {"pay_period": kind, "pay_period_start_day": start_day}
            actor, ctx = self.admin.actor, self.ctx

            def saved(settings: Settings) -> None:
                self._fill_periods()
                self._period_chosen()
                self.run(
                    lambda: record_settings_change(ctx.store, actor, settings.kiosk_id, changes),
                    lambda _none: None,
                )

            self.save_settings(changes, saved)

        dialog.accepted.connect(save)
        dialog.open()

    def deactivate(self) -> None:
        self.drive_timer.stop()
        super().deactivate()

    # --- what to export ---------------------------------------------------------------

    def _period_chosen(self) -> None:
        if self._periods is None:
            return
        index = self.period.currentIndex()
        custom = index not in (0, 1)
        self.end.setEnabled(custom)
        self.start.setEnabled(custom)
        if not custom:
            chosen = self._periods[index]
            self._setting_dates = True
            self.start.setDate(QDate(chosen.start.year, chosen.start.month, chosen.start.day))
            self.end.setDate(QDate(chosen.end.year, chosen.end.month, chosen.end.day))
            self._setting_dates = False
        self._suggest_path()

    def _dates_edited(self) -> None:
        if not self._setting_dates:
            self._suggest_path()

    def _format_chosen(self) -> None:
        self.form.setRowVisible(self.csv_style, self.csv.isChecked())
        self._suggest_path()

    def _fill_employees(self, employees: list[EmployeeView]) -> None:
        current = self.employee.currentData()
        self.employee.clear()
        self.employee.addItem(self.tr("All employees"), "")
        for employee in employees:
            self.employee.addItem(f"{employee.code} — {employee.name}", employee.code)
        self.employee.setCurrentIndex(max(self.employee.findData(current), 0))

    def fmt(self) -> str:
        return "csv" if self.csv.isChecked() else "xlsx"

    # --- where it goes ----------------------------------------------------------------

    def refresh_drives(self) -> None:
        """List the mounted removable drives first; a new one is chosen as it appears."""
        drives = removable_drives()
        if drives == self.drives and self.destination.count():
            return
        chosen = self.destination.currentData()
        appeared = [d for d in drives if d not in self.drives]
        self.drives = drives
        self.destination.blockSignals(True)
        self.destination.clear()
        for drive in drives:
            self.destination.addItem(
                self.tr("USB drive {label}").format(label=drive.label),
                str(drive.mount_point),
            )
        self.destination.addItem(self.tr("This kiosk's exports folder"), KIOSK)
        self.destination.addItem(self.tr("Another place (Choose…)"), OTHER)
        wanted = str(appeared[0].mount_point) if appeared else chosen
        self.destination.setCurrentIndex(max(self.destination.findData(wanted), 0))
        self.destination.blockSignals(False)
        self._suggest_path()

    def _folder(self) -> Path | None:
        data = self.destination.currentData()
        if data == OTHER:
            return None
        return self.ctx.paths.exports if data in (KIOSK, None) else Path(str(data))

    def _suggest_path(self) -> None:
        # Follow the dates, format and destination until the administrator types a path.
        if self.path.text() not in ("", self._suggested):
            return
        folder = self._folder()
        if folder is None:
            return
        start, end = _py(self.start.date()), _py(self.end.date())
        name = f"asistencia-{start:%Y%m%d}-{end:%Y%m%d}.{self.fmt()}"
        self._suggested = str(folder / name)
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
            self.destination.setCurrentIndex(self.destination.findData(OTHER))
            self.path.setText(path)

    # --- writing ----------------------------------------------------------------------

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
        style: CsvStyle = "rfc4180" if self.csv_style.currentData() == "rfc4180" else "spreadsheet"
        language: Language = "en" if translators.language == "en" else "es"
        # Readable by the clerk's computer on a stick; people's data stays private here.
        mode = SHARED if is_on_removable_drive(path, self.drives) else PRIVATE
        ctx, actor = self.ctx, self.admin.actor

        def work() -> list[Path]:
            report = stream_report(
                ctx.store,
                start,
                end,
                ctx.settings.zone,
                datetime.now(UTC),
                rules=ctx.rules,
                employee_code=code,
            )
            written = write_report(
                report,
                path,
                "csv" if fmt == "csv" else "xlsx",
                store_files=ctx.paths,
                language=language,
                csv_style=style,
                mode=mode,
            )
            reports.audit_export(
                ctx.store,
                actor,
                ctx.settings.kiosk_id,
                {
                    "from": start,
                    "to": end,
                    "format": fmt,
                    "records": report.counts.records,
                    "files": [str(p) for p in written],
                },
            )
            return written

        self.run(work, self._exported)

    def _exported(self, written: list[Path]) -> None:
        self.written = written
        first = written[0]
        drive = next(
            (d for d in self.drives if first.is_relative_to(d.mount_point.resolve())), None
        )
        if drive is not None:
            where = self.tr("on the USB drive {label}").format(label=drive.label)
        else:
            where = self.tr("in {folder}").format(folder=first.parent)
        if len(written) > 1:
            text = self.tr("Saved {where}: {name} and {count} more files beside it.").format(
                where=where, name=first.name, count=len(written) - 1
            )
        else:
            text = self.tr("Saved {where}: {name}.").format(where=where, name=first.name)
        self.show_notice(text, "ok")


def _span(period: Period) -> str:
    return f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"


def _py(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
