"""Exports for payroll: records, each employee's days and the period's totals, CSV and XLSX,
in the interface's language, safe against formula injection."""

from __future__ import annotations

import io
import stat
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.attendance.rules import Kind
from core.context import AppContext
from core.reports import SHARED, build_report, defuse, report_language, write_report, write_sheet
from core.reports.columns import DAY_COLUMNS, RECORD_COLUMNS, SITE_COLUMN, TOTAL_COLUMNS, sheets
from core.reports.csv_format import csv_rows
from core.reports.labels import LANGUAGES, WORDS, word

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MONDAY_0905 = datetime(2026, 11, 2, 8, 5, tzinfo=UTC)  # 09:05 in Madrid
NOW = datetime(2026, 11, 10, tzinfo=UTC)
NOVEMBER = (date(2026, 11, 2), date(2026, 11, 6))  # Monday to Friday


@pytest.fixture
def recorded(ctx: AppContext) -> AppContext:
    ctx.employees().add("cli:test", "E1", '=HYPERLINK("http://x")', pin="4821")
    ctx.employees().add("cli:test", "E2", "Ana García", pin="1357")
    for code in ("E1", "E2"):
        ctx.employees().assign_shift("cli:test", code, "Oficina")  # 9-18 Mon-Fri, grace 10
    service = ctx.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(minutes=20))  # 09:25, late 25
    # The default punch mode (shift) takes a first exit mid-shift for the break.
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=4))  # lunch: break
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=5))  # back
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(hours=9, minutes=5))  # 18:10 out
    service.record_pin("E1", "4821", now=MONDAY_0905 + timedelta(days=1))  # Tuesday in, never out
    return ctx


def _report(ctx: AppContext, start: date = NOVEMBER[0], end: date = NOVEMBER[1]):  # type: ignore[no-untyped-def]
    return build_report(ctx.store, start, end, ctx.settings.zone, NOW)


def test_days_and_period_totals_per_employee(recorded: AppContext) -> None:
    report = _report(recorded)
    assert [r.kind for r in report.records] == ["in", "break_start", "break_end", "out", "in"]
    assert report.records[0].local_time.isoformat() == "2026-11-02T09:25:00+01:00"
    monday, tuesday = report.days
    assert (monday.shift_day, monday.shift) == (date(2026, 11, 2), "Oficina")
    assert monday.worked == timedelta(hours=3, minutes=40) + timedelta(hours=4, minutes=5)
    assert monday.breaks == timedelta(hours=1)  # unpaid: 09:25-18:10 is 8 h 45 min present
    assert (monday.late_minutes, monday.overtime_minutes, monday.missing_checkout) == (
        25,
        10,
        False,
    )
    assert (tuesday.shift_day, tuesday.missing_checkout) == (date(2026, 11, 3), True)
    e1, e2 = report.totals
    assert (e1.code, e1.days_worked, e1.worked, e1.late_minutes) == ("E1", 2, monday.worked, 25)
    # Wednesday to Friday had a shift and no record; Monday and Tuesday had records
    assert (e1.absences, e1.missing_checkouts) == (3, 1)
    # Ana has the shift and never came: listed, with five absences
    assert (e2.name, e2.days_worked, e2.worked, e2.absences) == ("Ana García", 0, timedelta(0), 5)


def test_a_shift_day_not_over_yet_is_no_absence(recorded: AppContext) -> None:
    # on Wednesday at noon, Wednesday's 9-18 shift has not ended
    report = build_report(
        recorded.store, *NOVEMBER, recorded.settings.zone, datetime(2026, 11, 4, 11, tzinfo=UTC)
    )
    assert [t.absences for t in report.totals] == [0, 2]


def test_voided_record_is_listed_and_counted_as_a_correction(recorded: AppContext) -> None:
    tuesday = date(2026, 11, 3)
    report = _report(recorded, tuesday, tuesday)
    recorded.attendance().void("user:admin", uuid.UUID(report.records[0].event_id), "wrong person")
    report = _report(recorded, tuesday, tuesday)
    assert (report.records[0].voided, report.records[0].void_reason) == (True, "wrong person")
    [day] = report.days
    assert (day.corrections, day.first_in, day.worked, day.missing_checkout) == (
        1,
        None,
        timedelta(0),
        False,
    )
    assert report.totals[0].corrections == 1 and report.totals[0].days_worked == 0


def test_xlsx_reads_as_a_spreadsheet_in_the_interface_language(
    recorded: AppContext, tmp_path: Path
) -> None:
    report = _report(recorded)
    for language, sheet_names, kind, yes in (
        ("es", ["Registros", "Resumen diario", "Totales del periodo"], "Entrada", "Sí"),
        ("en", ["Records", "Daily summary", "Period totals"], "In", "Yes"),
    ):
        (xlsx,) = write_report(
            report,
            tmp_path / f"nov-{language}.xlsx",
            "xlsx",
            store_files=recorded.paths,
            language=language,  # type: ignore[arg-type]
        )
        book = load_workbook(xlsx)
        assert book.sheetnames == sheet_names
        records, days, totals = (book[name] for name in sheet_names)
        assert records["D2"].value == kind and records["H2"].value == "PIN"
        assert records["E2"].value == datetime(2026, 11, 2, 9, 25)  # a real date, local time
        assert records["E2"].number_format == "dd/mm/yyyy hh:mm:ss"
        header = [c.value for c in days[1]]
        assert header[0] == word("col.code", language)  # type: ignore[arg-type]
        assert days["H2"].value == 7.75  # worked, decimal hours as the header's "(h)" says
        assert days["H2"].number_format == "0.00"
        assert (
            days["C2"].value == datetime(2026, 11, 2) and days["C2"].number_format == "dd/mm/yyyy"
        )
        assert days["L3"].value == yes  # Tuesday's missing check-out
        assert totals["D2"].value == 7.75
        for sheet in (records, days, totals):
            assert sheet.freeze_panes == "A2"
            widths = {k: d.width for k, d in sheet.column_dimensions.items()}
            assert all(w and w >= 6 for w in widths.values()), widths
            assert len(widths) == sheet.max_column
        # the record id (36 characters) gets room for itself
        assert records.column_dimensions["A"].width >= 36
        assert str(records["C2"].value).startswith("'=")  # defused


def test_csv_opens_in_the_locales_spreadsheet(recorded: AppContext, tmp_path: Path) -> None:
    report = _report(recorded)
    records, days, totals = write_report(
        report, tmp_path / "nov.csv", "csv", store_files=recorded.paths, language="es"
    )
    assert (days.name, totals.name) == ("nov-summary.csv", "nov-totals.csv")
    raw = days.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel keeps "García"
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Código;Nombre;Fecha;Turno;Primera entrada;")
    assert lines[1].startswith(
        'E1;"\'=HYPERLINK(""http://x"")";2026-11-02;Oficina;2026-11-02 09:25:00;'
    )
    assert ";7,75;25;0;10;No;0" in lines[1]  # decimal comma, ';' between fields
    assert "Ana García" in totals.read_text(encoding="utf-8-sig")
    assert csv_rows(records.read_text(encoding="utf-8"))[1][3] == "Entrada"

    english = write_report(
        report, tmp_path / "en.csv", "csv", store_files=recorded.paths, language="en"
    )[1]
    assert english.read_bytes().decode("utf-8-sig").split("\r\n")[1].endswith(",7.75,25,0,10,No,0")

    plain = write_report(
        report,
        tmp_path / "plain.csv",
        "csv",
        store_files=recorded.paths,
        language="es",
        csv_style="rfc4180",
    )[1]
    text = plain.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff") and text.split("\r\n")[1].endswith(",7.75,25,0,10,No,0")


def test_files_are_private_in_the_kiosk_and_readable_on_a_stick(
    recorded: AppContext, tmp_path: Path
) -> None:
    report = _report(recorded)
    (private,) = write_report(report, tmp_path / "a.xlsx", "xlsx", store_files=recorded.paths)
    (shared,) = write_report(
        report, tmp_path / "b.xlsx", "xlsx", store_files=recorded.paths, mode=SHARED
    )
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


def test_formulas_cannot_run_in_a_spreadsheet() -> None:
    assert defuse("=1+1") == "'=1+1" and defuse("@SUM(A1)") == "'@SUM(A1)" and defuse(-3) == -3


def test_empty_range_gives_only_the_header(ctx: AppContext) -> None:
    report = build_report(ctx.store, date(2020, 1, 1), date(2020, 1, 31), ctx.settings.zone, NOW)
    buffer = io.StringIO()
    write_sheet(buffer, sheets(report)[0], "en", "rfc4180")
    assert (
        buffer.getvalue() == "Record,Code,Name,Type,Date and time,Date and time (UTC),"
        "Shift day,Method,Kiosk,Face distance,Late (min),Status,Reason voided\r\n"
    )


def test_the_catalogue_has_every_word_in_both_languages() -> None:
    for key, words in WORDS.items():
        assert len(words) == len(LANGUAGES) and all(w.strip() for w in words), key
    columns = (*RECORD_COLUMNS, SITE_COLUMN, *DAY_COLUMNS, *TOTAL_COLUMNS)
    needed = {c.header for c in columns} | {"sheet.records", "sheet.days", "sheet.totals"}
    needed |= {f"kind.{k.value}" for k in Kind} | {"method.face", "method.pin", "method.manual"}
    needed |= {"status.valid", "status.voided", "yes", "no"}
    assert needed <= set(WORDS), needed - set(WORDS)
    for language in LANGUAGES:
        assert all(len(word(k, language)) <= 31 for k in WORDS if k.startswith("sheet."))
        headers = [word(c.header, language) for c in DAY_COLUMNS]
        assert len(set(headers)) == len(headers)  # no two columns read the same


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [
        ("en", {"LANG": "es_ES.UTF-8"}, "en"),
        ("es", {"LANG": "en_GB.UTF-8"}, "es"),
        ("auto", {"LANG": "en_US.UTF-8"}, "en"),
        ("auto", {"LANGUAGE": "de:en", "LANG": "es_ES.UTF-8"}, "en"),
        ("auto", {"LC_ALL": "es_MX.UTF-8"}, "es"),
        ("auto", {"LANG": "C.UTF-8"}, "es"),
        ("auto", {}, "es"),
    ],
)
def test_report_language_follows_the_setting_then_the_system_locale(
    setting: str, env: dict[str, str], expected: str
) -> None:
    assert report_language(setting, env) == expected
