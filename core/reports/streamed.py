"""A period report read as it is written: one employee at a time, never the whole period.

A month of a company is a million records or more; held whole, with its lines and the
spreadsheet's cells, it takes gigabytes. A ``StreamedReport`` holds the query instead:
``parts()`` opens the reading (a server-side cursor on PostgreSQL), and yields each
employee's ``ReportPart`` (records, days, period total) as that employee's records arrive,
so the writers (``core.reports.csv_format``, ``xlsx_format``, ``files``) hold one employee's
period at a time. A ``Report`` (the report in memory) reads the same way, as one part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import Protocol

from core.reports.period import Report, ReportCounts, ReportPart


class ReportSource(Protocol):
    """What the writers read: a ``Report`` or a ``StreamedReport``."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    @property
    def central(self) -> bool: ...

    @property
    def counts(self) -> ReportCounts: ...

    def parts(self) -> AbstractContextManager[Iterator[ReportPart]]: ...


class StreamedReport:
    """A report whose parts are made while they are read. ``opener`` opens the reading and
    yields the parts, in code order; it may run more than once (a report written twice is
    read twice). ``counts`` are those of the last reading, whole once it is done."""

    def __init__(
        self,
        start: date,
        end: date,
        opener: Callable[[], AbstractContextManager[Iterator[ReportPart]]],
        *,
        central: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.central = central
        self.counts = ReportCounts()
        self._opener = opener

    @contextmanager
    def parts(self) -> Iterator[Iterator[ReportPart]]:
        counts = self.counts = ReportCounts()
        with self._opener() as parts:

            def counted() -> Iterator[ReportPart]:
                for part in parts:
                    counts.add(part)
                    yield part

            yield counted()


def collect(streamed: ReportSource) -> Report:
    """A report read whole into memory (for a screen or a test; files stream)."""
    report = Report([], [], [], streamed.start, streamed.end, streamed.central)
    with streamed.parts() as parts:
        for part in parts:
            report.records.extend(part.records)
            report.days.extend(part.days)
            report.totals.extend(part.totals)
    return report
