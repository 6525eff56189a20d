"""Corrections on the real settings window: a forgotten check-out added at the date and
time it happened (the day's worked hours change), a record's time changed, and a refused
correction said inside the dialog with what was typed kept. pytest-qt, real store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.attendance.rules import Kind
from core.attendance.summary import SummaryRecord, summarize_days
from core.context import AppContext
from core.reports import build_report
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry
from kiosk.admin.correction_dialogs import AddRecordDialog, ChangeRecordDialog
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime


def _last_monday() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday() + 7)


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    ctx.employees().assign_shift("cli:test", "E1", "Oficina")  # 09:00-18:00 Mon-Fri
    monday = _last_monday()
    zone = ctx.settings.zone
    # In at 08:55 last Monday, never out.
    ctx.attendance().record_pin(
        "E1",
        "4821",
        now=datetime.combine(monday, datetime.min.time(), zone).replace(hour=8, minute=55),
    )
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def monday_worked(ctx: AppContext) -> tuple[timedelta, bool]:
    with ctx.store.read() as session:
        voided = set(session.scalars(select(AttendanceCorrection.event_id)))
        records = [
            SummaryRecord.from_event(e)
            for e in session.scalars(select(AttendanceEvent))
            if e.id not in voided and e.shift_day == _last_monday()
        ]
    (day,) = summarize_days(records, datetime.now(ctx.settings.zone), ctx.settings.zone)
    return day.worked, day.missing_checkout


def period_totals(ctx: AppContext) -> tuple[timedelta, int, int]:
    """Ana's totals for the week of last Monday, as the payroll report gives them."""
    monday = _last_monday()
    zone = ctx.settings.zone
    report = build_report(ctx.store, monday, monday + timedelta(days=6), zone, datetime.now(zone))
    (ana,) = report.totals
    return ana.worked, ana.missing_checkouts, ana.corrections


def set_when(
    dialog: AddRecordDialog | ChangeRecordDialog, day: date, hour: int, minute: int
) -> None:
    dialog.when.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(hour, minute)))


def test_a_forgotten_check_out_added_at_its_date_and_time(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    assert monday_worked(ctx) == (timedelta(0), True)
    assert period_totals(ctx) == (timedelta(0), 1, 0)
    admin = sign_in(qtbot, window, "attendance")
    page = admin.attendance
    monday = _last_monday()
    page.day.setDate(QDate(monday.year, monday.month, monday.day))
    settle(qtbot, window)
    assert [r.kind for r in page.records] == ["in"]

    page.manual_button.click()
    dialog = page.dialog
    assert isinstance(dialog, AddRecordDialog)
    assert dialog.isVisible()
    set_when(dialog, monday, 12, 0)
    dialog.kind.setCurrentIndex(dialog.kind.findData(Kind.IN.value))  # nonsense: she was in
    dialog.reason.setPlainText("forgot to check out")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(dialog.problem.isVisible, timeout=5000)
    assert dialog.isVisible()  # refused inside the dialog; what was typed is still there
    assert dialog.value() == "forgot to check out"
    assert dialog.problem.text() == "Not possible then: the employee was already checked in."

    set_when(dialog, monday, 18, 5)
    dialog.kind.setCurrentIndex(dialog.kind.findData(Kind.OUT.value))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert "Check-out recorded for Ana García at" in page.notice.text()
    settle(qtbot, window)
    assert [r.kind for r in page.records] == ["in", "out"]
    assert monday_worked(ctx) == (timedelta(hours=9, minutes=10), False)
    assert period_totals(ctx) == (timedelta(hours=9, minutes=10), 0, 0)

    # She actually left at 17:30: change the time of that record.
    page.table.selectRow(1)
    page.change_button.click()
    change = page.dialog
    assert isinstance(change, ChangeRecordDialog)
    change.reason.setPlainText("she left at 17:30")
    change.buttons.accepted.emit()
    assert change.problem.isVisible()  # nothing changed yet
    set_when(change, monday, 17, 30)
    change.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not change.isVisible(), timeout=5000)
    settle(qtbot, window)
    # Sorted by time: the replacement at 17:30, then the voided 18:05 kept in the log.
    assert [(r.kind, f"{r.local_time:%H:%M}", r.voided) for r in page.records] == [
        ("in", "08:55", False),
        ("out", "17:30", False),
        ("out", "18:05", True),
    ]
    assert monday_worked(ctx) == (timedelta(hours=8, minutes=35), False)
    assert period_totals(ctx) == (timedelta(hours=8, minutes=35), 0, 1)  # one correction
    with ctx.store.read() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert "attendance.manual" in actions and "attendance.amend" in actions
