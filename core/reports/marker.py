"""How an export knows a file is one of its own earlier reports, by the file's content.

An export replaces an earlier report and nothing else (core/reports/export_target.py), and a list
of forbidden names can never be complete (a log, a model's weights, /etc/passwd, anybody's
spreadsheet), so the file must say it is ours:

- XLSX: a custom document property ``AsistenciaReport`` (docProps/custom.xml), written by
  ``core.reports.xlsx_format``. A spreadsheet keeps it when the clerk saves the file again
  and shows it only under File > Properties, never in a cell.
- CSV: the first line is exactly one of our header rows (records, records with the site,
  days, totals), in either language, with either separator, with or without the byte order
  mark. A CSV has no place for a marker that a spreadsheet ignores: a comment line or an
  extra column is a row or a column of junk to the clerk and to whatever program imports the
  file, and an invisible character in a header breaks a program that looks the column up by
  name. Our header row is already a marker no log, weight file or system file starts with;
  a stranger's file forged to start with it is a file someone made to look like our report,
  and replacing it loses nothing but that. A report of an older version whose columns
  differ is not recognised: the refusal asks for another name, which is safe.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from functools import cache
from typing import BinaryIO
from xml.etree import ElementTree

from core.reports.columns import DAY_COLUMNS, RECORD_COLUMNS, SITE_COLUMN, TOTAL_COLUMNS, headers
from core.reports.labels import LANGUAGES

MARKER_PROPERTY = "AsistenciaReport"
CUSTOM_PROPERTIES = "docProps/custom.xml"
_ZIP_MAGIC = b"PK\x03\x04"
_BOM = "\ufeff".encode()
# Our longest header row is a few hundred bytes; a file whose first line is longer is not ours.
_FIRST_LINE_LIMIT = 4096
# Ours is a few hundred bytes; a larger one (or a bomb declaring a small size) is not read.
_PROPERTIES_LIMIT = 1 << 16


@cache
def _header_rows() -> frozenset[tuple[str, ...]]:
    column_sets = (RECORD_COLUMNS, (*RECORD_COLUMNS, SITE_COLUMN), DAY_COLUMNS, TOTAL_COLUMNS)
    return frozenset(
        tuple(headers(columns, language)) for columns in column_sets for language in LANGUAGES
    )


def is_our_report(handle: BinaryIO) -> bool:
    """Whether the file open on ``handle`` (binary, seekable, at its start) is a report an
    export wrote: an XLSX with our property or a CSV whose first line is our header row.
    Reads a bounded amount; anything unreadable or malformed is not ours."""
    start = handle.read(len(_ZIP_MAGIC))
    handle.seek(0)
    if start == _ZIP_MAGIC:
        return _xlsx_is_ours(handle)
    return _csv_is_ours(handle.read(_FIRST_LINE_LIMIT))


def _csv_is_ours(head: bytes) -> bool:
    line, newline, _rest = head.partition(b"\n")
    if not newline and len(head) >= _FIRST_LINE_LIMIT:
        return False
    try:
        text = line.removeprefix(_BOM).decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        return False
    known = _header_rows()
    for delimiter in (";", ","):
        row = next(csv.reader(io.StringIO(text), delimiter=delimiter), None)
        if row is not None and tuple(row) in known:
            return True
    return False


def _xlsx_is_ours(handle: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo(CUSTOM_PROPERTIES)
            if info.file_size > _PROPERTIES_LIMIT:
                return False
            with archive.open(info) as member:
                data = member.read(_PROPERTIES_LIMIT + 1)
        if len(data) > _PROPERTIES_LIMIT:
            return False
        root = ElementTree.fromstring(data)  # noqa: S314  # bounded, and expat limits expansion
    except (
        KeyError,  # no custom properties
        OSError,
        EOFError,
        ValueError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # a compression zipfile does not know
        zlib.error,
        zipfile.BadZipFile,
        ElementTree.ParseError,
    ):
        return False
    return any(element.get("name") == MARKER_PROPERTY for element in root)
