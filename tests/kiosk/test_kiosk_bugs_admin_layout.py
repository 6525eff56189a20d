"""Settings pages at 1024×768 and 1366×768, in Spanish and English (issue 21, item 5):
a success message does not push the buttons down, Camera's three-line status is not cut,
and the shift's employee list shows whole names ("E001 — Ana Garc")."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QComboBox, QPushButton, QStyle, QStyleOptionComboBox
from pytestqt.qtbot import QtBot

from core.camera import CameraState, CameraStatus
from core.context import AppContext
from kiosk.app import application, prepare
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime, close_window, open_window

SIZES = [(1024, 768), (1366, 768)]
IDS = ["1024x768", "1366x768"]


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    employees = ctx.employees()
    employees.add("cli:test", "E001", "Ana García")
    employees.add("cli:test", "E002", "María José de la Fuente")
    employees.assign_shift("cli:test", "E001", "Oficina")
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(params=["es", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    yield str(request.param)
    prepare(application(), "en")


def _open(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, language: str, size: tuple[int, int]
) -> KioskWindow:
    window = open_window(qtbot, ctx, runtime)
    prepare(application(), language)
    window.set_language(language)
    window.resize(*size)
    return window


def _buttons(window: KioskWindow) -> dict[str, QRect]:
    page = window.admin.stack.currentWidget() if window.admin else None
    assert page is not None
    return {
        f"{i}:{b.text()}": QRect(b.mapTo(window, QPoint(0, 0)), b.size())
        for i, b in enumerate(page.findChildren(QPushButton))
        if b.isVisible()
    }


PAGES = [(name, size) for name in ("employees", "shifts", "recognition", "kiosk") for size in SIZES]


@pytest.mark.parametrize("case", PAGES, ids=[f"{n}-{w}x{h}" for n, (w, h) in PAGES])
def test_a_success_message_does_not_move_the_buttons(
    qtbot: QtBot,
    ctx: AppContext,
    runtime: FakeRuntime,
    language: str,
    case: tuple[str, tuple[int, int]],
) -> None:
    name, size = case
    window = _open(qtbot, ctx, runtime, language, size)
    try:
        admin = sign_in(qtbot, window, name)
        page = admin.page(name)
        settle(qtbot, window)
        qtbot.wait(50)
        before = _buttons(window)
        page.show_notice(page.tr("Saved. The change is in force now."), "ok")
        qtbot.wait(50)
        assert page.notice.isVisible()
        assert _buttons(window) == before
    finally:
        close_window(window)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_the_camera_status_is_not_cut(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, language: str, size: tuple[int, int]
) -> None:
    window = _open(qtbot, ctx, runtime, language, size)
    try:
        admin = sign_in(qtbot, window, "camera")
        runtime.set_camera_status(
            CameraStatus(
                CameraState.FAILED,
                "Camera 0 could not be opened (in use by another program, or not a video "
                "capture device); check the cable and that no other program is using it",
            )
        )
        status = admin.camera.status
        qtbot.waitUntil(lambda: "Camera 0" in status.text() or "Cámara 0" in status.text())
        qtbot.wait(50)
        needed = status.heightForWidth(status.width())
        assert needed >= 3 * status.fontMetrics().lineSpacing()  # three lines, as seen
        assert needed <= status.height(), (needed, status.height())
    finally:
        close_window(window)


def _text_room(combo: QComboBox) -> int:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_the_shift_employee_list_shows_whole_names(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, language: str, size: tuple[int, int]
) -> None:
    window = _open(qtbot, ctx, runtime, language, size)
    try:
        admin = sign_in(qtbot, window, "shifts")
        page = admin.shifts
        settle(qtbot, window)
        page.table.selectRow(0)
        settle(qtbot, window)
        combo = page.employee
        assert combo.count() == 2
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            qtbot.wait(20)
            text = combo.currentText()
            assert combo.fontMetrics().horizontalAdvance(text) <= _text_room(combo), text
        for row in range(page.members.count()):
            item = page.members.item(row)
            width = page.members.fontMetrics().horizontalAdvance(item.text())
            assert width <= page.members.visualItemRect(item).width(), item.text()
    finally:
        close_window(window)
