"""The window's join with core's real join against a real PostgreSQL: a join file made as
`central add-kiosk` makes it, chosen on Settings → Sync, its passphrase typed, Join; the
kiosk syncs with the central database from then on, and the same file a second time is
refused in one sentence, changing nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from core.context import AppContext
from core.store.models import AuditEntry, Employee
from core.sync import join_file
from core.sync.central import CentralDatabase
from core.sync.join_file import JoinPayload, new_passphrase, write_join_file
from core.sync.kiosk_admin import access_from_url, add_kiosk
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.keys import TEST_KEYS
from tests.support.kiosk_fakes import FakeRuntime
from tests.support.sync_support import add_employee_centrally

pytestmark = pytest.mark.postgres
KIOSK_ID = "joinui-entrada"


@pytest.fixture(autouse=True)
def cheap_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2id at the file's cost is core's to test; here it would only be slow
    monkeypatch.setattr(join_file, "MEMORY_KIB", 1024)
    monkeypatch.setattr(join_file, "TIME_COST", 1)


@pytest.fixture
def owner(central_url: str) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    central.dispose()
    with psycopg.connect(central_url, autocommit=True) as connection:
        roles = connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'kiosk_joinui%'").text
        ).fetchall()
        for (role,) in roles:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


@pytest.fixture
def runtime(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRuntime]:
    # The tests' kiosk id comes from the environment, which a join would not override.
    monkeypatch.delenv("ASISTENCIA_KIOSK_ID", raising=False)
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def issue(owner: CentralDatabase, central_url: str, folder: Path) -> tuple[Path, str, JoinPayload]:
    """What `central add-kiosk` writes: the join file and the passphrase it prints."""
    payload = add_kiosk(
        owner,
        TEST_KEYS,
        KIOSK_ID,
        site=None,
        hours=72,
        access=access_from_url(central_url),
        actor="test",
        now=datetime.now(UTC),
    )
    path = folder / f"{KIOSK_ID}.join"
    passphrase = new_passphrase()
    write_join_file(path, payload, passphrase)
    return path, passphrase, payload


def test_the_window_joins_with_a_real_join_file_and_refuses_it_once_used(
    qtbot: QtBot, window: KioskWindow, owner: CentralDatabase, central_url: str, tmp_path: Path
) -> None:
    ctx, runtime = window.ctx, window.runtime
    assert isinstance(runtime, FakeRuntime)
    add_employee_centrally(owner, "A1", "Ana", templates=1)
    path, passphrase, payload = issue(owner, central_url, tmp_path)
    admin = sign_in(qtbot, window, "sync")
    page = admin.sync
    panel = page.join_panel
    panel.path.setText(str(path))
    QTest.keyClicks(panel.passphrase, passphrase)
    QTest.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    settle(qtbot, window)

    lines = panel.outcome.text().splitlines()
    assert panel.outcome.property("tone") == "ok", panel.outcome.text()
    assert lines[:2] == [
        f"Joined the central database {payload.central.shown}.",
        f"This kiosk is {KIOSK_ID} (no site: it receives every employee).",
    ]
    assert lines[2].startswith("First sync done: pushed ")
    # in force at once: the runtime syncs with it, the page says so, Ana is here
    assert ctx.settings.kiosk_id == KIOSK_ID and ctx.settings.central_configured
    assert any(name == "apply" and args[0].central_configured for name, args in runtime.calls)
    assert page.sync_button.isEnabled()
    assert payload.central.shown in panel.joined_note.text()
    with ctx.store.read() as session:
        assert session.scalar(select(Employee.name).where(Employee.code == "A1")) == "Ana"
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "central.join")
        ).all()
    assert list(actors) == ["user:admin"]

    # the same file again: asked first, then refused in one sentence, nothing changed
    settings_file = ctx.config_path.read_bytes()
    secrets_file = ctx.paths.secrets_file.read_bytes()
    QTest.keyClicks(panel.passphrase, passphrase)
    QTest.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is not None and panel.dialog.isVisible()
    panel.dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    settle(qtbot, window)
    assert panel.outcome.property("tone") == "bad"
    assert panel.outcome.text().startswith(
        f"The central database {payload.central.shown} refuses this join file's password"
    )
    assert "\n" not in panel.outcome.text()
    assert panel.passphrase.text() == passphrase  # kept: nothing typed is lost
    assert ctx.config_path.read_bytes() == settings_file
    assert ctx.paths.secrets_file.read_bytes() == secrets_file
