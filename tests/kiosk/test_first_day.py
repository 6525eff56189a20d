"""Day one on the real window, as an administrator does it: a new kiosk (nothing chosen in
the environment) opens the first-run assistant; it is walked to the end; "Enrol the first
employee" opens Employees signed in; the employee is added in the real form, enrolled
from the live camera as the guided capture asks (a head that turns), and walking up to
the kiosk afterwards records a check-in. The real runtime and models, a video camera."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.config import load_settings, save_settings
from core.context import AppContext
from core.host.images import read_image
from core.host.paths import DataPaths
from core.runtime.api import ModelState
from core.store.models import AttendanceEvent
from kiosk.admin.dialogs import EmployeeDialog
from tests.kiosk.test_first_run import walk_to_the_end
from tests.support.kiosk_fakes import FACES, close_window, open_window, turning_face_video


@pytest.fixture
def ctx(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")  # a new installation: the assistant
    paths = DataPaths(isolated_environment)
    context = AppContext(paths, load_settings(paths.settings_file), notices=io.StringIO())
    yield context
    context.close()


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    from kiosk.app import application, prepare

    prepare(application(), "en")


@pytest.mark.slow
@pytest.mark.skipif(not (FACES / "img4.jpg").is_file(), reason="needs tests/data/faces")
def test_from_an_empty_data_dir_to_a_recognised_employee(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    import main

    straight = read_image(FACES / "img4.jpg")
    turns = [straight, cv2.flip(straight, 1), read_image(FACES / "img2.jpg")]
    video = turning_face_video(turns, tmp_path / "door.avi", seconds_each=4, rounds=6)
    save_settings(
        ctx.paths.settings_file, {"camera": str(video), "camera_loop": True, "liveness": "off"}
    )
    ctx.settings = load_settings(ctx.paths.settings_file)
    runtime = main.start_kiosk(ctx)
    try:
        window = open_window(qtbot, ctx, runtime)
        done = walk_to_the_end(qtbot, window)
        QTest.mouseClick(done.done_step.enrol, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
        admin = window.admin
        assert admin is not None and admin.current_name == "employees"

        employees = admin.employees
        QTest.mouseClick(employees.add_button, Qt.MouseButton.LeftButton)
        form = employees.dialog
        assert isinstance(form, EmployeeDialog)
        QTest.keyClicks(form.code, "P1")  # the form has the keyboard: its first field
        QTest.keyClicks(form.name, "Persona Uno")
        QTest.keyClick(form.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
        qtbot.waitUntil(lambda: employees.selected() is not None, timeout=5000)
        QTest.mouseClick(employees.enroll_button, Qt.MouseButton.LeftButton)
        assert admin.current_name == "enrollment"

        screen = window.kiosk
        qtbot.waitUntil(
            lambda: screen.model is not None and screen.model.state is ModelState.READY,
            timeout=120_000,
        )
        page = admin.enrollment
        qtbot.waitUntil(lambda: page.employee.currentData() == "P1", timeout=5000)
        page.consent.setChecked(True)
        page.camera_tab.samples.setValue(3)
        QTest.mouseClick(page.camera_tab.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.running, timeout=90_000)
        assert "complete" in page.notice.text(), page.notice.text()

        admin.close_admin()
        qtbot.waitUntil(screen.card.isVisible, timeout=60_000)
        assert screen.card.name.text() == "Persona Uno"
        assert screen.card.kind.text().startswith("Check-in")
        with ctx.store.read() as session:
            assert list(session.scalars(select(AttendanceEvent.method))) == ["face"]
        close_window(window)
    finally:
        runtime.stop()
