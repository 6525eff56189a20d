"""The streamed period report writes what the report built in memory wrote: the same bytes
in every CSV file, the same cells (values, formats, bold headers), widths and page setup in
the XLSX; on a generated company of a few thousand records with night shifts, breaks,
forgotten check-outs, voided records, people with shifts and no record, and names a
spreadsheet would run as formulas."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from core.context import AppContext
from core.errors import UsageError
from core.reports import stream_report, write_report, xlsx_format
from core.reports.download import iter_period_csv, iter_period_xlsx
from core.reports.labels import Language
from tests.reports import legacy_report
from tests.reports.generated_company import NOW, START, end_of, fill

DAYS = 12


@pytest.fixture
def company(ctx: AppContext) -> AppContext:
    assert fill(ctx.store, 60, DAYS) > 1500
    return ctx


def _streamed(ctx: AppContext, code: str | None = None) -> Any:
    return stream_report(ctx.store, START, end_of(DAYS), ctx.settings.zone, NOW, employee_code=code)


def _legacy(ctx: AppContext, code: str | None = None) -> Any:
    return legacy_report.build_report(
        ctx.store, START, end_of(DAYS), ctx.settings.zone, NOW, employee_code=code
    )


@pytest.mark.parametrize(("language", "style"), [("es", "spreadsheet"), ("en", "rfc4180")])
def test_csv_files_are_the_same_bytes(
    company: AppContext, tmp_path: Path, language: Language, style: Any
) -> None:
    old = _legacy(company)
    expected = []
    for sheet in legacy_report.sheets(old):
        buffer = io.StringIO(newline="")
        legacy_report.write_sheet(buffer, sheet, language, style)
        expected.append(buffer.getvalue().encode("utf-8"))
    report = _streamed(company)
    written = write_report(
        report,
        tmp_path / "month.csv",
        "csv",
        store_files=company.paths,
        language=language,
        csv_style=style,
    )
    assert [p.name for p in written] == ["month.csv", "month-summary.csv", "month-totals.csv"]
    assert [p.read_bytes() for p in written] == expected
    assert (report.counts.records, report.counts.days, report.counts.employees) == (
        len(old.records),
        len(old.days),
        len(old.totals),
    )
    # What the console downloads: the same bytes, in chunks.
    for name, data in zip(("sheet.records", "sheet.days", "sheet.totals"), expected, strict=True):
        assert b"".join(iter_period_csv(_streamed(company), name, language, style)) == data


def test_one_employee_is_the_same_too(company: AppContext, tmp_path: Path) -> None:
    old = _legacy(company, "g00007")
    buffer = io.StringIO(newline="")
    legacy_report.write_sheet(buffer, legacy_report.sheets(old)[1], "es", "spreadsheet")
    new = b"".join(iter_period_csv(_streamed(company, "g00007"), "sheet.days"))
    assert new == buffer.getvalue().encode("utf-8") and new.count(b"\r\n") > 5


def _sheet_view(book: Any) -> list[Any]:
    seen = []
    for page in book.worksheets:
        cells = [
            (c.coordinate, c.value, c.data_type, c.number_format, bool(c.font.b))
            for row in page.iter_rows()
            for c in row
        ]
        widths = {k: d.width for k, d in page.column_dimensions.items()}
        setup = (
            page.freeze_panes,
            page.auto_filter.ref,
            page.print_title_rows,
            page.page_setup.orientation,
            page.page_setup.fitToWidth,
            page.page_setup.fitToHeight,
            page.sheet_properties.pageSetUpPr.fitToPage,
        )
        seen.append((page.title, page.max_row, page.max_column, widths, setup, cells))
    return seen


@pytest.mark.parametrize("language", ["es", "en"])
def test_xlsx_has_the_same_cells(company: AppContext, tmp_path: Path, language: Language) -> None:
    old = load_workbook(io.BytesIO(legacy_report.xlsx_bytes(_legacy(company), language)))
    (path,) = write_report(
        _streamed(company),
        tmp_path / "month.xlsx",
        "xlsx",
        store_files=company.paths,
        language=language,
    )
    new = load_workbook(path)
    expected = _sheet_view(old)
    assert expected[0][1] > 1500  # rows: the records sheet is not empty
    assert _sheet_view(new) == expected
    assert [p.name for p in new.custom_doc_props] == [p.name for p in old.custom_doc_props]
    downloaded = b"".join(iter_period_xlsx(_streamed(company), language))
    assert _sheet_view(load_workbook(io.BytesIO(downloaded))) == expected


def test_a_sheet_longer_than_xlsx_holds_is_one_sentence_and_no_file(
    company: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Excel's limit is 1,048,576 rows (a month of 17,500 people); here a smaller one.
    monkeypatch.setattr(xlsx_format, "MAX_ROWS", 1000)
    with pytest.raises(UsageError) as refused:
        write_report(_streamed(company), tmp_path / "month.xlsx", "xlsx", store_files=company.paths)
    assert (refused.value.key, refused.value.params["rows"]) == ("export.xlsx_too_long", 1598)
    assert str(refused.value).startswith("the sheet 'Registros' would have 1598 rows and an ")
    assert list(tmp_path.glob("*month*")) == []
