"""Attendance reports for payroll: raw records, each employee's days, and the period's
totals, as CSV or XLSX, in the interface's language; one code path for the kiosk's
``export`` and ``central export``.

- ``period``: the rows (typed values) and the rules that make them;
- ``local`` / ``schedules``: reading a kiosk's store, and the shifts absences count against;
- ``columns``, ``labels``: what each sheet shows and its words in Spanish and English;
- ``streamed``: a report read while it is written, one employee at a time;
- ``csv_format``, ``xlsx_format``, ``files``: writing them (files, or a download: see
  ``core.reports.download``);
(``core.reports.pay_period`` gives the current and previous pay period of a date; it stays outside
this package so that ``core.config`` can check the setting without loading the reports.)
"""

from __future__ import annotations

from core.reports.csv_format import CSV_STYLES, CsvStyle, defuse, write_csv, write_sheet
from core.reports.files import (
    PRIVATE,
    SHARED,
    Format,
    audit_export,
    summary_path,
    totals_path,
    write_report,
)
from core.reports.labels import Language, report_language
from core.reports.local import build_report, stream_report
from core.reports.period import (
    DayLine,
    RecordLine,
    Report,
    ReportCounts,
    ReportPart,
    ReportRow,
    Schedule,
    TotalLine,
    assemble_report,
    check_period,
    employee_parts,
)
from core.reports.streamed import ReportSource, StreamedReport, collect

__all__ = [
    "CSV_STYLES",
    "PRIVATE",
    "SHARED",
    "CsvStyle",
    "DayLine",
    "Format",
    "Language",
    "RecordLine",
    "Report",
    "ReportCounts",
    "ReportPart",
    "ReportRow",
    "ReportSource",
    "Schedule",
    "StreamedReport",
    "TotalLine",
    "assemble_report",
    "audit_export",
    "build_report",
    "check_period",
    "collect",
    "defuse",
    "employee_parts",
    "report_language",
    "stream_report",
    "summary_path",
    "totals_path",
    "write_csv",
    "write_report",
    "write_sheet",
]
