"""Exports: raw records and daily summaries, CSV and XLSX, safe against formula injection."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.app import AppContext
from core.reports import (
    RECORD_COLUMNS,
    SUMMARY_COLUMNS,
    build_report,
    defuse,
    write_csv,
    write_report,
)

MONDAY_0905 = datetime(2026, 11, 2, 8, 5, tzinfo=UTC)  # 09:05 in Madrid
NOW = datetime(2026, 11, 10, tzinfo=UTC)


@pytest.fixture
def recorded(ctx: AppContext) -> AppContext:
    ctx.employees().add("cli:test", "E1", '=HYPERLINK("http://x")', pin="4821")
    ctx.employees().assign_shift("cli:test", "E1", "Oficina")
    service = ctx.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(minutes=20))  # 09:25, late 25
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=4))  # lunch out
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=5))  # back
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=9, minutes=5))  # 18:10 out
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(days=1))  # Tuesday in, never out
    return ctx


def test_records_and_summary(recorded: AppContext) -> None:
    report = build_report(
        recorded.store, date(2026, 11, 2), date(2026, 11, 3), recorded.settings.zone, NOW
    )
    assert [row[3] for row in report.records] == ["in", "out", "in", "out", "in"]
    assert report.records[0][4] == "2026-11-02T09:25:00+01:00"
    monday, tuesday = report.summary
    assert monday[2] == "2026-11-02" and monday[5] == round((3 * 60 + 40 + 4 * 60 + 5) / 60, 2)
    assert monday[6] == 25 and monday[8] == 10 and monday[9] == "no"
    assert tuesday[2] == "2026-11-03" and tuesday[9] == "yes"


def test_voided_record_is_listed_but_not_counted(recorded: AppContext) -> None:
    report = build_report(
        recorded.store, date(2026, 11, 3), date(2026, 11, 3), recorded.settings.zone, NOW
    )
    recorded.attendance().void("user:admin", uuid.UUID(report.records[0][0]), "wrong person")
    report = build_report(
        recorded.store, date(2026, 11, 3), date(2026, 11, 3), recorded.settings.zone, NOW
    )
    assert report.records[0][11:] == ("voided", "wrong person")
    assert report.summary == []


def test_formulas_cannot_run_in_a_spreadsheet(recorded: AppContext, tmp_path: Path) -> None:
    assert defuse("=1+1") == "'=1+1" and defuse("@SUM(A1)") == "'@SUM(A1)" and defuse(-3) == -3
    report = build_report(
        recorded.store, date(2026, 11, 2), date(2026, 11, 2), recorded.settings.zone, NOW
    )
    (records, summary) = write_report(
        report, tmp_path / "nov.csv", "csv", store_files=recorded.paths
    )
    assert summary.name == "nov-summary.csv"
    rows = list(csv.DictReader(records.open(encoding="utf-8")))
    assert set(RECORD_COLUMNS) <= set(rows[0])
    assert all(row["employee_name"].startswith("'=") for row in rows)
    (xlsx,) = write_report(report, tmp_path / "nov.xlsx", "xlsx", store_files=recorded.paths)
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["Registros", "Resumen diario"]
    first = next(book["Registros"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert str(first[2]).startswith("'=")
    header = next(book["Resumen diario"].iter_rows(max_row=1, values_only=True))
    assert tuple(header) == SUMMARY_COLUMNS


def test_empty_range_gives_only_the_header(ctx: AppContext) -> None:
    report = build_report(ctx.store, date(2020, 1, 1), date(2020, 1, 31), ctx.settings.zone, NOW)
    buffer = io.StringIO()
    write_csv(buffer, RECORD_COLUMNS, report.records)
    assert buffer.getvalue() == ",".join(RECORD_COLUMNS) + "\n"
