"""Writing a report to files: every target checked first, each written atomically."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Literal

from core.host.paths import DataPaths
from core.reports.columns import Sheet, sheets
from core.reports.csv_format import CsvStyle, write_sheet
from core.reports.export_target import export_folder
from core.reports.labels import Language
from core.reports.marker import is_our_report
from core.reports.period import Report
from core.reports.xlsx_format import xlsx_bytes
from core.store import audit
from core.store.database import Store

Format = Literal["csv", "xlsx"]
PRIVATE = 0o600  # people's data in the kiosk's own folders: its owner only
SHARED = 0o644  # on a USB stick for a clerk's computer: readable by whoever opens it


def summary_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-summary{path.suffix}")


def totals_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-totals{path.suffix}")


def write_report(
    report: Report,
    path: Path,
    fmt: Format,
    *,
    store_files: DataPaths,
    language: Language = "es",
    csv_style: CsvStyle = "spreadsheet",
    mode: int = PRIVATE,
) -> list[Path]:
    """Write atomically (a temporary file, then a rename); returns the files written.

    CSV writes one file per sheet: NAME.csv (records), NAME-summary.csv (days) and
    NAME-totals.csv (the period's totals). Every target is checked before anything is
    written (``core.reports.export_target``): a new file, or an earlier report of ours, in a folder
    for reports, never through a symbolic link. New files get ``mode``; a report written
    over an older one keeps the mode that one had.
    """
    parts: list[tuple[Path, Sheet | None]]  # None: the one XLSX file of every sheet
    if fmt == "csv":
        parts = [
            (path.with_name(f"{path.stem}{sheet.file_suffix}{path.suffix}"), sheet)
            for sheet in sheets(report)
        ]
    else:
        parts = [(path, None)]
    with export_folder(path, store_files) as folder:
        checked = [(folder.check(target, is_our_report), sheet) for target, sheet in parts]
        written = []
        for target, sheet in checked:
            if sheet is None:
                data = xlsx_bytes(report, language)
            else:
                buffer = io.StringIO(newline="")
                write_sheet(buffer, sheet, language, csv_style)
                data = buffer.getvalue().encode("utf-8")
            written.append(folder.write(target, data, mode))
        return written


def audit_export(store: Store, actor: str, kiosk_id: str, details: dict[str, Any]) -> None:
    with store.write() as session:
        audit.record(
            session,
            actor=actor,
            action="report.export",
            target_type="report",
            details=details,
            kiosk_id=kiosk_id,
        )
