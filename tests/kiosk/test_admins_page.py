"""Settings, Administrators: add one, disable and enable, reset a password; never yourself,
never the last active administrator. Everything audited."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.context import AppContext
from core.errors import RefusedError
from core.people.users import SignedIn
from core.store.models import AuditEntry, User
from kiosk.admin.admins_page import AdminsPage
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.keys import ADMIN_PASSWORD
from tests.support.kiosk_fakes import FakeRuntime

NEW_PASSWORD = "second-admin-pass-1"


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def page(qtbot: QtBot, window: KioskWindow) -> AdminsPage:
    admin = sign_in(qtbot, window, "admins")
    assert admin.current_name == "admins"
    settle(qtbot, window)
    return admin.admins


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def users(ctx: AppContext) -> dict[str, User]:
    with ctx.store.read() as session:
        return {u.username: u for u in session.scalars(select(User))}


def actions(ctx: AppContext) -> list[tuple[str, str, str | None]]:
    with ctx.store.read() as session:
        return [(a.actor, a.action, a.target_id) for a in session.scalars(select(AuditEntry))]


def add(qtbot: QtBot, window: KioskWindow, admins: AdminsPage, name: str, password: str) -> None:
    QTest.keyClicks(admins.new_name, name)
    QTest.keyClicks(admins.new_password, password)
    QTest.keyClicks(admins.new_repeat, password)
    click(admins.add_button)
    settle(qtbot, window)


def test_a_second_administrator_is_added_from_the_settings(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admins = page(qtbot, window)
    assert [a.username for a in admins.accounts] == ["admin"]
    add(qtbot, window, admins, "luis", "short")
    assert admins.notice.text() == "The password needs at least 10 characters."
    assert "luis" not in users(ctx)
    admins.new_name.clear()
    admins.new_password.clear()
    admins.new_repeat.clear()
    add(qtbot, window, admins, "luis", NEW_PASSWORD)
    assert admins.notice.text() == "luis can now open the settings."
    assert [a.username for a in admins.accounts] == ["admin", "luis"]
    assert users(ctx)["luis"].role.name == "admin"
    assert ("user:admin", "user.create", "luis") in actions(ctx)
    assert ctx.auth().sign_in("luis", NEW_PASSWORD).username == "luis"
    add(qtbot, window, admins, "luis", NEW_PASSWORD)
    assert admins.notice.text() == "That user name is taken. Choose another."


def test_disable_enable_and_reset_another_administrator(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    ctx.auth().add_user("cli:test", "luis", NEW_PASSWORD, "admin")
    admins = page(qtbot, window)
    admins.select_user("admin")
    assert not admins.toggle_button.isEnabled()  # yourself: not from here
    admins.select_user("luis")
    click(admins.toggle_button)
    settle(qtbot, window)
    assert admins.notice.text() == "luis can no longer sign in."
    assert not users(ctx)["luis"].active
    with pytest.raises(RefusedError):
        ctx.auth().sign_in("luis", NEW_PASSWORD)
    assert admins.selected() is not None and admins.toggle_button.text() == "&Enable"
    click(admins.toggle_button)
    settle(qtbot, window)
    assert users(ctx)["luis"].active

    QTest.keyClicks(admins.reset_password, "temporary-pass-2")
    QTest.keyClicks(admins.reset_repeat, "temporary-pass-3")
    click(admins.reset_button)
    assert admins.notice.text() == "The two passwords differ. Type the same one twice."
    admins.reset_repeat.clear()
    QTest.keyClicks(admins.reset_repeat, "temporary-pass-2")
    click(admins.reset_button)
    settle(qtbot, window)
    assert admins.notice.text().startswith("luis has a temporary password now")
    signed = ctx.auth().sign_in("luis", "temporary-pass-2")
    assert signed.must_change_password  # the sign-in asks them for their own
    done = actions(ctx)
    for action in ("user.disable", "user.enable", "user.reset_password"):
        assert ("user:admin", action, "luis") in done


def test_the_last_active_administrator_cannot_be_disabled(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    ctx.auth().add_user("cli:test", "luis", NEW_PASSWORD, "admin")
    # signed in as luis, with admin the only other one: disabling admin is fine, and then
    # luis is the last one, whom admin (signed in) could not disable either
    window.open_admin("admins")
    with ctx.store.read() as session:
        luis = session.scalars(select(User).where(User.username == "luis")).one()
        window.login.signed_in.emit(SignedIn(luis.id, "luis", "admin", False))
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    settle(qtbot, window)
    assert window.admin is not None
    admins = window.admin.admins
    admins.select_user("admin")
    click(admins.toggle_button)
    settle(qtbot, window)
    assert not users(ctx)["admin"].active
    # core refuses the last one whoever asks (the page never offers your own account)
    with pytest.raises(RefusedError, match="last active administrator"):
        ctx.auth().set_active("user:admin", "luis", False)
    admins._refused(RefusedError("'luis' is the last active administrator; add one"))
    assert admins.notice.text().startswith("This is the last active administrator")
    with pytest.raises(RefusedError, match="your own account"):
        ctx.auth().set_active("user:luis", "luis", False)
    assert users(ctx)["luis"].active
    with pytest.raises(RefusedError):  # the disabled one is out
        ctx.auth().sign_in("admin", ADMIN_PASSWORD)
