"""Saving one settings page re-applies nothing of another page, and the Camera page shows
the camera in use (issue 21, item 5: with ASISTENCIA_CAMERA set, a camera chosen in
Settings → Camera was applied live, then replaced by the old one when Recognition was
saved: the page showed one camera while another was in use).

The real runtime's camera slot and settings path (the recognition models are not needed
and not loaded), the real window and pages.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.camera import CameraState
from core.config import load_settings, save_settings
from core.context import AppContext
from core.people.users import SignedIn
from core.runtime import Runtime
from core.store.models import User
from kiosk.admin.shell import AdminScreen
from kiosk.main_window import KioskWindow
from tests.support.kiosk_fakes import close_window, make_video, open_window


@pytest.fixture
def videos(tmp_path: Path) -> tuple[Path, Path]:
    return make_video(tmp_path / "door.avi"), make_video(tmp_path / "hall.avi")


def _runtime(ctx: AppContext) -> Runtime:
    import main

    ctx.start_store()
    return main.build_runtime(ctx, ctx.model_loader())  # models never started: not needed


def _sign_in(qtbot: QtBot, window: KioskWindow, page: str) -> AdminScreen:
    window.open_admin(page)
    with window.ctx.store.read() as session:
        user = session.scalars(select(User).where(User.username == "admin")).one()
    window.login.signed_in.emit(SignedIn(user.id, user.username, user.role.name, False))
    assert window.admin is not None
    return window.admin


def _in_use(runtime: Runtime) -> str:
    status = runtime.camera_status()
    assert status.state in (CameraState.STARTING, CameraState.STREAMING), status
    return status.message


@pytest.fixture
def running(
    ctx: AppContext, videos: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Runtime]:
    door, _hall = videos
    save_settings(ctx.paths.settings_file, {"camera_loop": True})
    monkeypatch.setenv("ASISTENCIA_CAMERA", str(door))  # the deployment's choice
    ctx.settings = load_settings(ctx.paths.settings_file)
    runtime = _runtime(ctx)
    runtime.start()
    yield runtime
    runtime.stop()


def test_a_camera_the_environment_decides_is_not_switched_and_the_page_says_which_is_in_use(
    qtbot: QtBot, ctx: AppContext, running: Runtime, videos: tuple[Path, Path]
) -> None:
    door, hall = videos
    window = open_window(qtbot, ctx, running)
    try:
        qtbot.waitUntil(lambda: "door.avi" in running.camera_status().message, timeout=5000)
        admin = _sign_in(qtbot, window, "camera")
        page = admin.camera
        assert page.source_text() == str(door)
        page.source.setEditText(str(hall))
        page.apply_button.click()
        qtbot.waitUntil(page.notice.isVisible, timeout=5000)
        assert "ASISTENCIA_CAMERA" in page.notice.text()
        qtbot.wait(500)
        # What the page shows is what is in use: the environment's camera, still.
        assert page.source_text() == str(door)
        assert "door.avi" in _in_use(running)
        qtbot.waitUntil(lambda: "door.avi" in page.status.text(), timeout=3000)

        # Saving another page leaves the camera alone.
        recognition = admin.open_page("recognition")
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
        admin.recognition.cooldown.setValue(90)
        admin.recognition.save_button.click()
        qtbot.waitUntil(recognition.notice.isVisible, timeout=5000)
        qtbot.wait(500)
        assert "door.avi" in _in_use(running)
        admin.open_page("camera")
        camera = admin.camera
        assert camera.source_text() == str(door)
        assert "door.avi" in camera.status.text()
    finally:
        close_window(window)


def test_a_camera_chosen_in_settings_stays_when_another_page_is_saved(
    qtbot: QtBot, ctx: AppContext, videos: tuple[Path, Path]
) -> None:
    """Without the environment variable the choice is saved and used; a later save of
    Recognition neither reopens it nor goes back to a stale value."""
    door, hall = videos
    save_settings(ctx.paths.settings_file, {"camera_loop": True, "camera": str(door)})
    ctx.settings = load_settings(ctx.paths.settings_file)
    runtime = _runtime(ctx)
    runtime.start()
    window = open_window(qtbot, ctx, runtime)
    try:
        admin = _sign_in(qtbot, window, "camera")
        page = admin.camera
        page.source.setEditText(str(hall))
        page.apply_button.click()
        qtbot.waitUntil(lambda: "hall.avi" in runtime.camera_status().message, timeout=5000)
        reader = runtime.camera.reader
        assert "in force" in page.notice.text()

        admin.open_page("recognition")
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
        admin.recognition.cooldown.setValue(90)
        admin.recognition.save_button.click()
        qtbot.waitUntil(admin.recognition.notice.isVisible, timeout=5000)
        assert runtime.camera.reader is reader  # not reopened: no blink in the picture
        assert "hall.avi" in _in_use(runtime)
        admin.open_page("camera")
        assert admin.camera.source_text() == str(hall)
    finally:
        close_window(window)
        runtime.stop()
