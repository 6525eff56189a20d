"""What the enrollment window tests share: the real kiosk core on the real models, the
window signed in on the Face enrollment page, at 1024×768."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.config import load_settings, save_settings
from core.context import AppContext
from core.people.users import SignedIn
from core.runtime.api import ModelState
from core.store.models import User
from kiosk.admin.enrollment_page import EnrollmentPage
from kiosk.main_window import KioskWindow
from tests.support.kiosk_fakes import close_window, open_window


def signed_in_page(qtbot: QtBot, window: KioskWindow) -> EnrollmentPage:
    window.open_admin("enrollment")
    with window.ctx.store.read() as session:
        user = session.scalars(select(User).where(User.username == "admin")).one()
        window.login.signed_in.emit(SignedIn(user.id, user.username, user.role.name, False))
    assert window.admin is not None
    page = window.admin.enrollment
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
    return page


@contextmanager
def real_kiosk(
    qtbot: QtBot, ctx: AppContext, **settings: Any
) -> Iterator[tuple[KioskWindow, EnrollmentPage]]:
    """main.py's kiosk core (camera, worker, models) with these settings, and the window."""
    import main

    save_settings(ctx.paths.settings_file, {"liveness": "off", **settings})
    ctx.settings = load_settings(ctx.paths.settings_file)
    ctx.start_store()
    runtime = main.start_kiosk(ctx)
    try:
        window = open_window(qtbot, ctx, runtime)
        window.resize(1024, 768)
        screen = window.kiosk
        qtbot.waitUntil(
            lambda: screen.model is not None and screen.model.state is ModelState.READY,
            timeout=120_000,
        )
        yield window, signed_in_page(qtbot, window)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
        close_window(window)
    finally:
        runtime.stop()
