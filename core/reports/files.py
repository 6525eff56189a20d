"""Writing a report to files: every target checked first, each written atomically."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Literal

from core import audit
from core.errors import UsageError
from core.export_target import checked_export_target
from core.paths import DataPaths
from core.reports.columns import sheets
from core.reports.csv_format import CsvStyle, write_sheet
from core.reports.labels import Language
from core.reports.period import Report
from core.reports.xlsx_format import xlsx_bytes
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
    written (``checked_export_target``): a rename would replace the database, a backup or
    a device as readily as an old report. New files get ``mode``; a report written over
    an older one keeps the mode that one had.
    """
    if fmt == "csv":
        parts = [
            (path.with_name(f"{path.stem}{sheet.file_suffix}{path.suffix}"), sheet)
            for sheet in sheets(report)
        ]
        targets = [(checked_export_target(p, store_files), sheet) for p, sheet in parts]
        written = []
        for target, sheet in targets:
            buffer = io.StringIO(newline="")
            write_sheet(buffer, sheet, language, csv_style)
            _atomic_write(target, buffer.getvalue().encode("utf-8"), mode)
            written.append(target)
        return written
    target = checked_export_target(path, store_files)
    _atomic_write(target, xlsx_bytes(report, language), mode)
    return [target]


def _atomic_write(target: Path, data: bytes, mode: int) -> None:
    """``target`` was checked by ``checked_export_target``. The temporary file gets a
    name of its own (``mkstemp``: created new, never opened through an existing name)."""
    partial: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        partial = Path(name)
        with os.fdopen(fd, "wb") as handle:
            try:
                keep = stat.S_IMODE(target.stat().st_mode)
            except FileNotFoundError:
                keep = mode
            # A FAT stick has no modes and refuses to change them: the file is still fine.
            with contextlib.suppress(PermissionError):
                os.fchmod(handle.fileno(), keep)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc


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
