"""The period report as a download (the web console's CSV and XLSX), streamed.

What to call, with ``report`` from ``core.sync.central_export.stream_central_report(central,
start, end, now, site=None, fallback_zone=zone, rules=rules)`` (or, on a kiosk,
``core.reports.stream_report(store, start, end, zone, now, rules=..., employee_code=...)``);
the database is read while the bytes are made, one employee at a time, so memory stays that of
one employee's period whatever the month holds:

- ``iter_period_csv(report, sheet="sheet.records", language="es", style="spreadsheet")
  -> Iterator[bytes]``: one sheet's CSV file (``sheet``: ``"sheet.records"``,
  ``"sheet.days"`` or ``"sheet.totals"``, ``core.reports.columns.SHEET_NAMES``), in chunks
  of about 64 KiB, byte for byte what ``central export`` writes to that sheet's file;
- ``write_period_xlsx(report, handle, language="es") -> None``: the XLSX file (every sheet)
  written to ``handle``, a binary file object (seekable or not);
- ``iter_period_xlsx(report, language="es") -> Iterator[bytes]``: the same file in chunks
  (built in a temporary file first: a column's width is known only at the end).

A refusal (a kiosk's login: ``RefusedError``) or an unknown site (``UsageError``) is raised
before the first chunk. Each reading of ``report`` runs the query again; afterwards
``report.counts`` says how many records, days and employees it had.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from core.reports.csv_format import iter_period_csv
from core.reports.labels import Language
from core.reports.streamed import ReportSource
from core.reports.xlsx_format import write_xlsx

__all__ = ["iter_period_csv", "iter_period_xlsx", "write_period_xlsx"]

_CHUNK = 64 * 1024


def write_period_xlsx(report: ReportSource, handle: IO[bytes], language: Language = "es") -> None:
    write_xlsx(report, handle, language)


def iter_period_xlsx(report: ReportSource, language: Language = "es") -> Iterator[bytes]:
    with tempfile.TemporaryFile() as spool:
        write_xlsx(report, spool, language)
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk
