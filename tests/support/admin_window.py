"""Signing in to the settings on a test window, as the seeded administrator."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.people.users import SignedIn
from core.store.models import User
from kiosk.admin.shell import AdminScreen
from kiosk.main_window import KioskWindow
from tests.support.keys import ADMIN_PASSWORD


def try_sign_in(qtbot: QtBot, window: KioskWindow, password: str) -> None:
    login = window.login
    login.username.setText("admin")
    login.password.setText(password)
    login.sign_in_button.click()
    qtbot.waitUntil(lambda: not login.busy, timeout=5000)


def sign_in(
    qtbot: QtBot, window: KioskWindow, page: str = "employees", *, real: bool = False
) -> AdminScreen:
    """Open the settings as the seeded administrator.

    Only ``real`` sign-ins pay for argon2 (~0.3 s); the sign-in itself has its own tests.
    """
    window.open_admin(page)
    if real:
        try_sign_in(qtbot, window, ADMIN_PASSWORD)
    else:
        with window.ctx.store.read() as session:
            user = session.scalars(select(User).where(User.username == "admin")).one()
            signed = SignedIn(user.id, user.username, user.role.name, False)
        window.login.signed_in.emit(signed)
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    assert window.admin is not None
    settle(qtbot, window)
    return window.admin


def settle(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)
