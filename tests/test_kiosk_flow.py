"""The whole kiosk with the real engine: a video file as the camera, enrollment from it in
the settings, then the face recognised on the kiosk screen and recorded.

The same window as the other kiosk tests, given ``core.runtime.Runtime`` instead of the
scripted runtime. It needs the face photos in tests/data/faces and the shipped Dlib
weights (the model loads in a few seconds).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.app import AppContext
from core.config import load_settings, save_settings
from core.runtime_api import ModelState
from core.store.models import AttendanceEvent, User
from core.users import SignedIn
from tests.kiosk_fakes import FACES, close_window, face_video, open_window

PHOTO = FACES / "img1.jpg"


@pytest.mark.slow
@pytest.mark.skipif(not PHOTO.is_file(), reason="needs the face photos in tests/data/faces")
def test_enroll_from_the_camera_then_the_face_is_recognised_and_recorded(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    runtime_module = pytest.importorskip("core.runtime")
    video = face_video(PHOTO, tmp_path / "person.avi", seconds=40, fps=15)
    save_settings(ctx.paths.settings_file, {"camera": str(video), "liveness": "off"})
    ctx.settings = load_settings(ctx.paths.settings_file)
    ctx.employees().add("cli:test", "P1", "Persona Uno")

    runtime = runtime_module.Runtime(ctx)
    runtime.start()
    try:
        window = open_window(qtbot, ctx, runtime)
        screen = window.kiosk
        qtbot.waitUntil(lambda: screen.camera.frames_shown > 3, timeout=10_000)
        qtbot.waitUntil(
            lambda: screen.model is not None and screen.model.state is not ModelState.LOADING,
            timeout=120_000,
        )
        assert screen.model is not None and screen.model.state is ModelState.READY, screen.model

        # Enrollment from the live camera, in the settings (the sign-in has its own tests).
        window.open_admin("enrollment")
        with ctx.store.read() as session:
            user = session.scalars(select(User).where(User.username == "admin")).one()
            window.login.signed_in.emit(SignedIn(user.id, user.username, user.role.name, False))
        assert window.admin is not None
        page = window.admin.enrollment
        qtbot.waitUntil(lambda: page.employee.findData("P1") >= 0, timeout=5000)
        page.preselect("P1")
        page.consent.setChecked(True)
        page.samples.setValue(3)
        page.start_button.click()
        qtbot.waitUntil(lambda: not page.running, timeout=60_000)
        assert "complete" in page.notice.text(), page.notice.text()
        assert ctx.employees().get("P1").templates == 3

        # Back on the kiosk screen the same face is recognised and recorded.
        window.admin.close_admin()
        qtbot.waitUntil(screen.card.isVisible, timeout=60_000)
        assert screen.card.name.text() == "Persona Uno"
        assert screen.card.kind.text().startswith("Check-in")
        assert screen.card.avatar.has_photo  # the photo taken at enrollment
        with ctx.store.read() as session:
            methods = list(session.scalars(select(AttendanceEvent.method)))
        assert methods == ["face"]
        close_window(window)
    finally:
        runtime.stop()
