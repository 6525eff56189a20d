"""A period report a page at a time: which employees a page of a sheet needs, from counts.

A screen shows 50 lines of one sheet. Building the whole period to cut 50 lines out of it
costs the whole company's month (a million records) per page; a ``ReportIndex`` instead
holds, for each employee of the report in its order, how many lines they have in each
sheet (one total, a line per shift day with records, a line per record), which cheap
aggregate queries give. ``window`` says which employees cover a page's lines, so that only
their parts are built, by the same code as the whole report (``employee_parts``), and where
the page starts in the first one's lines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from core.reports.period import ReportCounts

SHEET_VIEWS = ("totals", "days", "records")


@dataclass(frozen=True)
class IndexEntry:
    code: str
    days: int  # shift days with counted records: the days sheet's lines
    records: int  # the records sheet's lines


@dataclass(frozen=True)
class ReportWindow:
    codes: tuple[str, ...]  # the employees whose parts the page needs, in order
    skip: int  # lines of the first employee before the page's first line


class ReportIndex:
    """The report's employees in its order (codes as Python orders them), with their lines."""

    def __init__(self, entries: Sequence[IndexEntry]) -> None:
        codes = [e.code for e in entries]
        if codes != sorted(codes) or len(set(codes)) != len(codes):
            raise ValueError("a report index lists each employee once, in code order")
        self.entries = tuple(entries)
        self.counts = ReportCounts(
            records=sum(e.records for e in entries),
            days=sum(e.days for e in entries),
            employees=len(entries),
        )
        self._ends = {
            "totals": list(range(1, len(entries) + 1)),
            "days": list(accumulate(e.days for e in entries)),
            "records": list(accumulate(e.records for e in entries)),
        }

    def lines(self, view: str) -> int:
        ends = self._ends[view]
        return ends[-1] if ends else 0

    def window(self, view: str, first: int, count: int) -> ReportWindow:
        """The employees holding lines ``first`` .. ``first + count - 1`` of ``view``'s sheet."""
        ends = self._ends[view]
        if count <= 0 or first >= self.lines(view):
            return ReportWindow((), 0)
        begin = bisect_right(ends, first)  # the first employee whose lines reach past ``first``
        stop = bisect_right(ends, first + count - 1)
        stop = min(stop + 1, len(ends))
        before = ends[begin - 1] if begin else 0
        codes = tuple(e.code for e in self.entries[begin:stop])
        return ReportWindow(codes, first - before)
