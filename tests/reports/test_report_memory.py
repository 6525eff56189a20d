"""The period report's memory stays that of one employee's period, however many records the
period holds: four times the people (four times the records) does not take four times the
memory. Measured with tracemalloc (Python's own allocations) on a real kiosk store; the
report built in memory, the code before it streamed, grows with the records, which the
last test shows (so the first ones can fail)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.context import AppContext
from core.reports import Format, stream_report, write_report
from tests.reports import legacy_report
from tests.reports.generated_company import NOW, START, end_of, fill

DAYS = 10
PEOPLE = 40  # about a thousand records; then four times as many people


def _peak(ctx: AppContext, folder: Path, fmt: Format, build: Callable[..., Any]) -> int:
    """Peak bytes allocated while the period's report is read and written as ``fmt``."""
    args = (ctx.store, START, end_of(DAYS), ctx.settings.zone, NOW)
    write_report(build(*args), folder / f"warm.{fmt}", fmt, store_files=ctx.paths)  # imports
    tracemalloc.start()
    try:
        write_report(build(*args), folder / f"month.{fmt}", fmt, store_files=ctx.paths)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _growth(ctx: AppContext, tmp_path: Path, fmt: Format, build: Callable[..., Any]) -> float:
    made = fill(ctx.store, PEOPLE, DAYS)
    small = _peak(ctx, tmp_path, fmt, build)
    made += fill(ctx.store, 3 * PEOPLE, DAYS, first=PEOPLE)
    large = _peak(ctx, tmp_path, fmt, build)
    assert made > 3000
    return large / small


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_four_times_the_records_take_no_more_memory(
    ctx: AppContext, tmp_path: Path, fmt: Format
) -> None:
    assert _growth(ctx, tmp_path, fmt, stream_report) < 1.3


def test_the_report_built_in_memory_grows_with_the_records(ctx: AppContext, tmp_path: Path) -> None:
    # A report whose cells grow with the records fails the test above (x2.5 or more).
    assert _growth(ctx, tmp_path, "xlsx", _in_memory) > 2.5


def _in_memory(*args: Any) -> Any:
    return legacy_report.build_report(*args)
