"""The pay period is set from the Export page, without a terminal: monthly from the 26th,
and "This period" follows at once; the change is audited. pytest-qt, real store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.attendance.log import local_today
from core.context import AppContext
from core.reports.pay_period import current_and_previous
from core.store.models import AuditEntry
from kiosk.admin.pay_period_dialog import PayPeriodDialog
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def test_a_pay_period_from_the_26th_chosen_on_the_export_page(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    page = sign_in(qtbot, window, "export").export
    settle(qtbot, window)
    page.pay_period_button.click()
    dialog = page.dialog
    assert isinstance(dialog, PayPeriodDialog) and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("weekly"))
    assert dialog.weekday.isVisible() and not dialog.day.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("monthly"))
    dialog.day.setValue(26)
    assert "day 26" in dialog.example.text()
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: ctx.settings.pay_period_start_day == 26, timeout=5000)
    settle(qtbot, window)

    current, _previous = current_and_previous(local_today(ctx.settings.zone), "monthly", 26)
    assert current.start.day == 26 and f"{current.start:%d/%m/%Y}" in page.period.itemText(0)
    page.period.setCurrentIndex(0)
    assert page.start.date().toPython() == current.start
    assert page.end.date().toPython() == current.end
    with ctx.store.read() as session:
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "settings.change")
        ).all()
    assert any('"pay_period_start_day": 26' in d for d in details)
