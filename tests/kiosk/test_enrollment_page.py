"""The Face enrollment page at 1024×768 (issue 21, item 4): the camera preview in sight
without scrolling, a missing consent said beside the consent box, the turn asked for in
the interface's language. The window is real; the runtime is the scripted one.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from core.context import AppContext
from core.runtime.api import EnrollmentProgress, HeadTurn
from kiosk.admin.enrollment_page import EnrollmentPage
from kiosk.app import application, prepare
from kiosk.main_window import KioskWindow
from tests.support.enrollment_window import signed_in_page
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    ctx.employees().add("cli:test", "E1", "Ana García")
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def in_sight(page: EnrollmentPage, widget: QWidget) -> bool:
    """The whole widget is inside the page's visible area (nothing to scroll to)."""
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    viewport = scroll.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def scrolls(page: EnrollmentPage) -> bool:
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    return scroll.verticalScrollBar().maximum() > 0


@pytest.mark.parametrize("language", ["es", "en"])
def test_at_1024x768_the_preview_and_the_consent_problem_are_in_sight(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime, language: str
) -> None:
    prepare(application(), language)
    window.resize(1024, 768)
    page = signed_in_page(qtbot, window)
    qtbot.wait(50)
    assert not scrolls(page) and in_sight(page, page.camera_tab.preview)

    page.camera_tab.start_button.click()  # no consent yet
    qtbot.wait(50)
    assert "start_enrollment" not in runtime.call_names()
    assert page.consent_error.isVisible() and in_sight(page, page.consent_error)
    # Right under the box, not at the top of the page.
    gap = (
        page.consent_error.mapTo(page, QPoint(0, 0)).y()
        - page.consent.mapTo(page, QPoint(0, 0)).y()
    )
    assert 0 < gap < 100
    assert not page.notice.isVisible()
    assert not scrolls(page) and in_sight(page, page.camera_tab.preview)

    page.consent.setChecked(True)
    assert not page.consent_error.isVisible()
    runtime.enrollment_step_s = 0.05
    page.camera_tab.start_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=5000)
    assert page.notice.isVisible()  # the result, a line at the top...
    qtbot.wait(50)
    assert not scrolls(page) and in_sight(page, page.camera_tab.preview)  # ...pushes nothing away
    assert in_sight(page, page.notice)

    page.tabs.setCurrentWidget(page.photos_tab)
    qtbot.wait(50)
    assert not scrolls(page) and in_sight(page, page.photos_tab.photo_results)
    prepare(application(), "en")


def test_the_turn_is_asked_for_in_the_interface_language(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    prepare(application(), "es")
    try:
        page = signed_in_page(qtbot, window)
        page.consent.setChecked(True)
        runtime.enrollment_script = [
            EnrollmentProgress(1, 5, turn=HeadTurn.LEFT),
            EnrollmentProgress(1, 5, turn=HeadTurn.LEFT, same_pose=True),
            EnrollmentProgress(2, 5, turn=HeadTurn.RIGHT),
            EnrollmentProgress(3, 5, turn=HeadTurn.UP),
        ]
        seen: list[str] = []
        page.progress_arrived.connect(lambda _p: seen.append(page.camera_tab.prompt.text()))
        page.camera_tab.start_button.click()
        assert page.camera_tab.prompt.text() == "Mire de frente a la cámara."
        qtbot.waitUntil(lambda: len(seen) == 4, timeout=5000)
        qtbot.wait(20)
        assert seen == [
            "Gire un poco a la izquierda…",
            "Gire un poco a la izquierda…",
            "Gire un poco a la derecha…",
            "Levante un poco la barbilla…",
        ]
        assert page.camera_tab.pose_hint.text().startswith("Esperando a que mueva la cabeza")
        qtbot.waitUntil(lambda: not page.running, timeout=5000)
    finally:
        prepare(application(), "en")
