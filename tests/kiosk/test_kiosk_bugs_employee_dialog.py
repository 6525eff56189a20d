""" "New employee" as a keyboard user fills it (issue 21, item 5: it opened with the focus
on OK, so typing went nowhere and Return cancelled; a duplicate code was reported after
the dialog had closed, and what was typed was lost)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from core.context import AppContext
from kiosk.admin.dialogs import EmployeeDialog
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    ctx.employees().add("cli:test", "E1", "Ana García")
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def _typed(text: str) -> None:
    """Keys to whatever has the keyboard focus, as a person types."""
    focus = QApplication.focusWidget()
    assert isinstance(focus, QWidget), "nothing has the keyboard focus"
    QTest.keyClicks(focus, text)


def _key(key: Qt.Key) -> None:
    focus = QApplication.focusWidget()
    assert isinstance(focus, QWidget), "nothing has the keyboard focus"
    QTest.keyClick(focus, key)


def _open_new_employee(qtbot: QtBot, window: KioskWindow) -> EmployeeDialog:
    page = sign_in(qtbot, window).employees
    page.add_button.click()
    dialog = page.dialog
    assert isinstance(dialog, EmployeeDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_new_employee_is_typed_from_the_first_field_and_return_saves_it(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    dialog = _open_new_employee(qtbot, window)
    # The keyboard comes to the form's first field (no window manager needed).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code, timeout=2000)
    _typed("E2")
    _key(Qt.Key.Key_Tab)
    _typed("Luis Perez")
    _key(Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert ctx.employees().get("E2").name == "Luis Perez"


def test_a_duplicate_code_is_said_in_the_dialog_and_what_was_typed_stays(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    dialog = _open_new_employee(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code, timeout=2000)
    _typed("E1")
    _key(Qt.Key.Key_Tab)
    _typed("Luis Perez")
    _key(Qt.Key.Key_Tab)
    _typed("2468")
    _key(Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.wait(100)
    assert dialog.isVisible()
    assert dialog.problem.isVisible() and "E1" in dialog.problem.text()
    assert (dialog.code.text(), dialog.name.text(), dialog.pin.text()) == (
        "E1",
        "Luis Perez",
        "2468",
    )
    assert QApplication.focusWidget() is dialog.code  # where the correction goes
    assert [e.code for e in ctx.employees().list()] == ["E1"]

    dialog.code.selectAll()
    _typed("E2")
    _key(Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert ctx.employees().get("E2").name == "Luis Perez"


@pytest.fixture(autouse=True)
def no_dialog_left_open() -> Iterator[None]:
    yield
    from PySide6.QtWidgets import QDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
