"""Writing a report to files: every target checked first, each written atomically."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import IO, Any, Literal

from core.host.paths import DataPaths
from core.reports.columns import NO_LINES, sheets
from core.reports.csv_format import CsvStyle, write_csv
from core.reports.export_target import export_folder
from core.reports.labels import Language
from core.reports.marker import is_our_report
from core.reports.streamed import ReportSource
from core.reports.xlsx_format import write_xlsx
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
    report: ReportSource,
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
    NAME-totals.csv (the period's totals), all three from one reading of the report, each
    employee's lines as they are made (``report`` may be a ``StreamedReport``). Every
    target is checked before anything is written (``core.reports.export_target``): a new
    file, or an earlier report of ours, in a folder for reports, never through a symbolic
    link. New files get ``mode``; a report written over an older one keeps the mode that
    one had.
    """
    if fmt == "csv":
        parts = [
            (path.with_name(f"{path.stem}{sheet.file_suffix}{path.suffix}"), sheet.name)
            for sheet in sheets(NO_LINES, central=report.central)
        ]
    else:
        parts = [(path, "")]
    with export_folder(path, store_files) as folder:
        checked = [(folder.check(target, is_our_report), name) for target, name in parts]
        with contextlib.ExitStack() as files:
            handles: dict[str, IO[str]] = {}
            for target, name in checked:
                binary = files.enter_context(folder.writing(target, mode))
                if fmt == "xlsx":
                    write_xlsx(report, binary, language)
                    break
                text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
                files.callback(text.detach)  # flushed; the file itself is closed once renamed
                handles[name] = text
            if handles:
                write_csv(report, handles, language, csv_style)
        return [folder.location / target.name for target, _name in checked]


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
