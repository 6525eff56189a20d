"""Settings → Sync, "Join a central database": the join file from a USB stick, its
passphrase, Join; then what the join did, or the refusal's one sentence with nothing lost.

The joining itself is core's and has its own tests; here a stand-in takes its place (it
writes the settings file as a join does, or raises a refusal), and what is checked is the
window: what a person sees, that the window stays usable while it runs, that a refusal
changes nothing here, and that a join is put in force, asked for by whom. The real join,
through this window, against a real PostgreSQL: test_join_window_central.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from core.config import save_settings
from core.context import AppContext
from core.errors import AsistenciaError, RefusedError, UsageError
from core.host.removable_drives import RemovableDrive
from core.i18n import Message
from core.runtime.join import JoinResult
from kiosk.admin.sync_page import SyncPage
from kiosk.app import application, prepare
from kiosk.join_panel import JoinPanel
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime

PASSPHRASE = "7k2qm 9xd4a r3tvw h8nb2"
CENTRAL_URL = "postgresql://kiosk_entrada:one-time-pw@db.example.com:5432/asistencia"
# Each refusal core's join says (core/runtime/join.py), and the sentence the window shows.
REFUSALS = {
    "wrong passphrase": (
        Message("join.wrong_passphrase", path="/media/kiosk/KINGSTON/entrada.join"),
        "The passphrase does not open the join file /media/kiosk/KINGSTON/entrada.join; "
        "check it against the one `central add-kiosk` printed (case and dashes do not matter).",
    ),
    "expired": (
        Message("join.expired", until="2026-03-02 09:00", kiosk_id="entrada"),
        "This join file was valid until 2026-03-02 09:00; ask for a new one "
        "(`python main.py central rotate-kiosk --kiosk-id entrada`).",
    ),
    "used": (
        Message("join.refused", central="db.example.com:5432/asistencia", kiosk_id="entrada"),
        "The central database db.example.com:5432/asistencia refuses this join file's "
        "password: it was already used or expired, or the kiosk was removed or given another "
        "file; ask for a new one (`python main.py central rotate-kiosk --kiosk-id entrada`).",
    ),
    "another deployment's, faces under other keys": (
        Message("join.other_deployment", own_key_id="1a2b", key_id="3c4d"),
        "This kiosk already has faces or records sealed with its own keys (data key 1a2b) "
        "and the join file is for the deployment with data key 3c4d; nothing was changed (to "
        "take its data to that deployment, use `python main.py secrets import`).",
    ),
    "another deployment's database": (
        Message("join.keys_not_central", central="db.example.com:5432/asistencia"),
        "The central database db.example.com:5432/asistencia is not the deployment whose "
        "keys the join file carries; nothing was changed.",
    ),
}


@dataclass
class StandInJoin:
    """Core's join_deployment as the window sees it: a result after writing the settings,
    or a refusal; ``gate`` holds it, as a slow network would."""

    error: AsistenciaError | None = None
    gate: threading.Event | None = None
    calls: list[tuple[Path, str, str, bool]] = field(default_factory=list)

    def __call__(self, ctx: AppContext, path: Path, passphrase: str, actor: str) -> JoinResult:
        on_gui = threading.current_thread() is threading.main_thread()
        self.calls.append((path, passphrase, actor, on_gui))
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.error is not None:
            raise self.error
        save_settings(ctx.config_path, {"central_database_url": CENTRAL_URL})
        return JoinResult(
            "entrada",
            "norte",
            "db.example.com:5432/asistencia",
            Message("join.synced", pushed=0, pulled=12),
        )


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A USB stick mounted by udisks with the join file on it (and a photo beside it)."""
    mount = tmp_path / "media" / "KINGSTON"
    (mount / "fotos").mkdir(parents=True)
    (mount / "fotos" / "ana.jpg").write_bytes(b"not a join file")
    join_file = mount / "entrada.join"
    join_file.write_bytes(b"sealed")
    drive = RemovableDrive(mount, "/dev/sdb1")
    monkeypatch.setattr("kiosk.join_panel.removable_drives", lambda: [drive])
    return join_file


def open_sync(qtbot: QtBot, window: KioskWindow, join: StandInJoin) -> tuple[SyncPage, JoinPanel]:
    window.join = join
    admin = sign_in(qtbot, window, "sync")
    page = admin.sync
    return page, page.join_panel


def click(widget: object) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]


def test_a_join_file_on_the_stick_joins_and_says_what_it_did(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, stick: Path
) -> None:
    join = StandInJoin()
    page, panel = open_sync(qtbot, window, join)
    assert not panel.joined_note.isVisible()  # a kiosk on its own: nothing to replace
    # the stick's join file is listed first and chosen; the photo folder is not offered
    assert panel.source.itemText(0) == "entrada.join on the USB drive KINGSTON"
    assert panel.source.count() == 2  # and "Another file (Choose…)"
    assert panel.path.text() == str(stick)
    panel.passphrase.setFocus()
    QTest.keyClicks(panel.passphrase, PASSPHRASE)
    assert panel.groups.text() == "20 of 20 characters: 7K2QM 9XD4A R3TVW H8NB2"
    click(panel.join_button)
    qtbot.waitUntil(lambda: not panel.busy and panel.outcome.isVisible(), timeout=5000)
    settle(qtbot, window)

    # once, off the GUI thread, on behalf of the administrator signed in (the audit log's)
    assert join.calls == [(stick, PASSPHRASE, "user:admin", False)]
    assert panel.outcome.property("tone") == "ok"
    assert panel.outcome.text().splitlines() == [
        "Joined the central database db.example.com:5432/asistencia.",
        "This kiosk is entrada (site norte).",
        "First sync done: pushed 0 row(s), pulled 12 change(s).",
    ]
    assert panel.passphrase.text() == ""  # spent: not left on the screen
    # the new address is in force without a restart, and the page says so
    assert ctx.settings.central_configured
    assert any(name == "apply" and args[0].central_configured for name, args in runtime.calls)
    assert page.sync_button.isEnabled()
    assert "one-time-pw" not in page.current.text()
    assert panel.joined_note.text().startswith(
        "This kiosk already syncs with db.example.com:5432/asistencia."
    )


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_each_refusal_is_one_sentence_and_nothing_is_lost(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, stick: Path, refusal: str
) -> None:
    runtime = window.runtime
    assert isinstance(runtime, FakeRuntime)
    message, sentence = REFUSALS[refusal]
    join = StandInJoin(error=RefusedError(message))
    page, panel = open_sync(qtbot, window, join)
    before = ctx.config_path.read_bytes() if ctx.config_path.exists() else b""
    settings_before = ctx.settings
    page.host.setText("db.otro.example")  # typed on the same page, not saved yet
    QTest.keyClicks(panel.passphrase, PASSPHRASE)
    click(panel.join_button)
    qtbot.waitUntil(lambda: not panel.busy and panel.outcome.isVisible(), timeout=5000)
    settle(qtbot, window)

    assert panel.outcome.text() == sentence
    assert panel.outcome.property("tone") == "bad"
    assert "\n" not in panel.outcome.text()
    # nothing typed is lost, and nothing changed here
    assert panel.path.text() == str(stick)
    assert panel.passphrase.text() == PASSPHRASE
    assert page.host.text() == "db.otro.example"
    assert (ctx.config_path.read_bytes() if ctx.config_path.exists() else b"") == before
    assert ctx.settings is settings_before
    assert not any(name == "apply" for name, _args in runtime.calls)
    assert panel.join_button.isEnabled() and page.save_button.isEnabled()
    assert not page.remove_button.isEnabled()  # still no address to remove


def test_a_refusal_is_said_in_the_windows_language(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, stick: Path
) -> None:
    prepare(application(), "es")
    try:
        message = Message("join.expired", until="2026-03-02 09:00", kiosk_id="entrada")
        join = StandInJoin(error=UsageError(message))
        _page, panel = open_sync(qtbot, window, join)
        assert panel.join_button.text() == "&Unirse"
        panel.passphrase.setText(PASSPHRASE)
        click(panel.join_button)
        qtbot.waitUntil(lambda: not panel.busy and panel.outcome.isVisible(), timeout=5000)
        settle(qtbot, window)
        assert panel.outcome.text() == (
            "Este archivo de unión valía hasta 2026-03-02 09:00; pida otro con "
            "`python main.py central rotate-kiosk --kiosk-id entrada`."
        )
    finally:
        prepare(application(), "en")


def test_while_joining_the_page_is_busy_stays_usable_and_joins_once(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, stick: Path
) -> None:
    gate = threading.Event()
    join = StandInJoin(gate=gate)
    page, panel = open_sync(qtbot, window, join)
    QTest.keyClicks(panel.passphrase, PASSPHRASE)
    click(panel.join_button)
    try:
        qtbot.waitUntil(lambda: len(join.calls) == 1, timeout=5000)
        assert panel.busy and page.busy.isVisible()
        assert panel.join_button.text() == "Joining…"
        assert panel.outcome.text().startswith("Joining: opening the file")
        assert not panel.join_button.isEnabled() and not panel.passphrase.isEnabled()
        assert not page.save_button.isEnabled() and not page.test_button.isEnabled()
        # pressed again, by the button or Return: still one join
        click(panel.join_button)
        panel.join()
        # the GUI thread is free: a timer fires and typing elsewhere on the page works
        fired: list[bool] = []
        QTimer.singleShot(0, lambda: fired.append(True))
        qtbot.waitUntil(lambda: bool(fired), timeout=2000)
        page.host.setFocus()
        QTest.keyClicks(page.host, "db")
        assert page.host.text() == "db"
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    settle(qtbot, window)
    assert len(join.calls) == 1
    assert not page.busy.isVisible() and panel.join_button.text() == "&Join"
    assert page.save_button.isEnabled() and page.remove_button.isEnabled()


def test_a_joined_kiosk_says_where_and_asks_before_joining_again(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, stick: Path
) -> None:
    ctx.settings = save_settings(
        ctx.config_path, {"central_database_url": "postgresql://k:pw@old.example:6432/planta"}
    )
    join = StandInJoin()
    _page, panel = open_sync(qtbot, window, join)
    assert panel.joined_note.isVisible()
    assert panel.joined_note.text().startswith(
        "This kiosk already syncs with old.example:6432/planta."
    )
    panel.passphrase.setText(PASSPHRASE)
    click(panel.join_button)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert any("old.example:6432/planta" in label.text() for label in dialog.findChildren(QLabel))
    dialog.reject()
    settle(qtbot, window)
    assert join.calls == [] and not panel.busy  # not asked twice: not joined
    click(panel.join_button)
    assert panel.dialog is not None
    panel.dialog.buttons.accepted.emit()  # "Join"
    qtbot.waitUntil(lambda: not panel.busy and panel.outcome.isVisible(), timeout=5000)
    settle(qtbot, window)
    assert len(join.calls) == 1
    assert "db.example.com:5432/asistencia" in panel.joined_note.text()


def test_what_is_missing_is_said_before_anything_is_tried(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, tmp_path: Path
) -> None:
    join = StandInJoin()
    _page, panel = open_sync(qtbot, window, join)
    assert panel.source.count() == 1  # no stick: only "Another file (Choose…)"
    click(panel.join_button)
    assert panel.outcome.text().startswith("Choose the join file")
    panel.path.setText(str(tmp_path / "nowhere.join"))
    click(panel.join_button)
    assert panel.outcome.text().startswith(f"There is no file at {tmp_path / 'nowhere.join'}.")
    (tmp_path / "nowhere.join").write_bytes(b"sealed")
    click(panel.join_button)
    assert panel.outcome.text() == "Type the passphrase printed with the join file."
    assert join.calls == []
