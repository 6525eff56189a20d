"""The first-run assistant: a new kiosk set up from the window, from an empty data dir to an
administrator, a time zone and a shift, then the settings signed in as that administrator."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.attendance.shifts import list_shifts
from core.config import load_settings, save_settings
from core.context import AppContext
from core.errors import RefusedError
from core.host.paths import DataPaths
from core.i18n import Message
from core.people.first_admin import claim_first_admin, first_run_pending
from core.runtime.join import JoinResult
from core.store.models import AuditEntry, User
from kiosk.first_run import ADMIN, DONE, JOIN, LANGUAGE, SHIFT, ZONE, FirstRunScreen
from kiosk.main_window import KioskWindow
from tests.support.kiosk_fakes import FakeRuntime

PASSWORD = "my-own-password-7"


@pytest.fixture
def ctx(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """A new installation: no administrator password chosen in the environment (the seed
    generates one), the zone not forced, nothing in the data dir yet."""
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")
    monkeypatch.delenv("ASISTENCIA_TIMEZONE")
    paths = DataPaths(isolated_environment)
    context = AppContext(paths, load_settings(paths.settings_file), notices=io.StringIO())
    yield context
    context.close()


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A language chosen in the assistant is installed for the whole application."""
    yield
    from kiosk.app import application, prepare

    prepare(application(), "en")


def assistant(qtbot: QtBot, window: KioskWindow) -> FirstRunScreen:
    qtbot.waitUntil(lambda: window.first_run is not None, timeout=5000)
    screen = window.first_run
    assert screen is not None
    qtbot.waitUntil(screen.isVisible, timeout=2000)
    return screen


def settled(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)


def on_step(qtbot: QtBot, window: KioskWindow, step: int) -> FirstRunScreen:
    qtbot.waitUntil(
        lambda: (
            window.first_run is not None
            and window.first_run.state.step == step
            and window.first_run.steps.currentIndex() == step
            and window.first_run.isVisible()
            and not window.first_run.busy
        ),
        timeout=5000,
    )
    assert window.first_run is not None
    return window.first_run


def test_an_empty_data_dir_opens_the_assistant_instead_of_a_password_file(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = assistant(qtbot, window)
    assert window.stack.currentWidget() is screen
    assert screen.step_label.text() == "Step 1 of 5"
    # F2 does not skip it for a sign-in nobody has a password for
    window.open_admin()
    assert window.stack.currentWidget() is screen


def test_the_assistant_saves_the_language_zone_administrator_and_shift(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = assistant(qtbot, window)
    # Español, applied at once: the window (and the assistant) speak it
    QTest.mouseClick(screen.language_step.buttons["es"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.first_run not in (None, screen), timeout=5000)
    screen = on_step(qtbot, window, LANGUAGE)
    assert screen.step_label.text() == "Paso 1 de 5"
    assert screen.next_button.text() == "&Siguiente →"
    QTest.mouseClick(screen.language_step.buttons["en"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.first_run not in (None, screen), timeout=5000)
    screen = on_step(qtbot, window, LANGUAGE)
    assert screen.step_label.text() == "Step 1 of 5"
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)

    # the time zone: searched, not typed whole
    screen = on_step(qtbot, window, ZONE)
    zone = screen.zone_step
    QTest.keyClicks(zone.search, "zzz no such city")
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.message.isVisible() and "Choose a time zone" in screen.message.text()
    assert screen.state.step == ZONE
    zone.search.clear()
    QTest.keyClicks(zone.search, "argentina cordoba")
    assert zone.zone() == "America/Argentina/Cordoba"
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)

    # the administrator: bad inputs said in place, then the person's own account
    screen = on_step(qtbot, window, ADMIN)
    admin = screen.admin_step
    QTest.keyClicks(admin.username, "ana")
    QTest.keyClicks(admin.password, "short")
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "The password needs at least 10 characters."
    admin.password.clear()
    QTest.keyClicks(admin.password, PASSWORD)
    QTest.keyClicks(admin.repeat, PASSWORD + "x")
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "The two passwords differ. Type the same one twice."
    assert screen.state.step == ADMIN
    admin.repeat.clear()
    QTest.keyClicks(admin.repeat, PASSWORD)
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)

    # the first shift
    screen = on_step(qtbot, window, SHIFT)
    shift = screen.shift_step
    qtbot.waitUntil(lambda: "Oficina" in shift.intro.text(), timeout=3000)
    shift.name.setText("Almacén")  # QTest types ASCII only
    shift.start.setTime(QTime(7, 30))
    shift.end.setTime(QTime(15, 30))
    shift.days[4].setChecked(False)  # Monday to Thursday
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, DONE)
    assert "ana" in screen.done_step.intro.text()
    settled(qtbot, window)

    # what was saved: the settings file, the account, the shift, the audit log
    saved = tomllib.loads(ctx.config_path.read_text(encoding="utf-8"))
    assert saved["timezone"] == "America/Argentina/Cordoba"
    assert saved["language"] == "en"
    assert ctx.settings.timezone == "America/Argentina/Cordoba"
    with ctx.store.read() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        actions = [a.action for a in session.scalars(select(AuditEntry))]
    assert set(users) == {"ana"}  # the generated "admin" became hers; no spare account
    assert users["ana"].role.name == "admin" and not users["ana"].must_change_password
    assert not ctx.paths.first_password.exists()  # no password left in a file
    assert ctx.auth().sign_in("ana", PASSWORD).username == "ana"
    assert {"user.first_admin", "settings.change", "shift.add"} <= set(actions)
    almacen = next(s for s in list_shifts(ctx.store) if s.name == "Almacén")
    assert (almacen.start.hour, almacen.start.minute, almacen.end.hour) == (7, 30, 15)
    assert almacen.weekdays == frozenset({0, 1, 2, 3})
    assert not first_run_pending(ctx.store)


def walk_to_the_end(qtbot: QtBot, window: KioskWindow) -> FirstRunScreen:
    screen = assistant(qtbot, window)
    if window.ctx.settings.language != "en":
        QTest.mouseClick(screen.language_step.buttons["en"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.first_run not in (None, screen), timeout=5000)
        screen = on_step(qtbot, window, LANGUAGE)
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, ZONE)
    QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)  # the system's zone
    screen = on_step(qtbot, window, ADMIN)
    QTest.keyClicks(screen.admin_step.username, "luis")
    QTest.keyClicks(screen.admin_step.password, PASSWORD)
    QTest.keyClicks(screen.admin_step.repeat, PASSWORD)
    QTest.keyClick(screen.admin_step.repeat, Qt.Key.Key_Return)
    screen = on_step(qtbot, window, SHIFT)
    QTest.mouseClick(screen.skip_button, Qt.MouseButton.LeftButton)
    return on_step(qtbot, window, DONE)


def test_the_last_step_opens_the_employees_page_signed_in_to_enrol(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = walk_to_the_end(qtbot, window)
    QTest.mouseClick(screen.done_step.enrol, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    assert window.admin is not None and window.first_run is None
    assert window.stack.currentWidget() is window.admin
    assert window.admin.current_name == "employees"
    assert window.admin.admin.session.username == "luis"
    # from there, an employee's Enrol button opens the face enrollment, signed in
    window.admin.open_page("enrollment")
    assert window.admin.current_name == "enrollment"
    settled(qtbot, window)


def test_the_last_step_joins_a_central_database_with_a_join_file(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tmp_path: Path
) -> None:
    """Beside enrolling here, the kiosk can be one of several doors: the join file and its
    passphrase; a refusal is said on the step, a join back on "what next"."""
    join_file = tmp_path / "entrada.join"
    calls: list[tuple[str, str]] = []

    def join(context: AppContext, path: Path, passphrase: str, actor: str) -> JoinResult:
        # core's join_deployment as the window sees it (core's own tests run the real one)
        calls.append((passphrase, actor))
        if passphrase != "7k2qm 9xd4a r3tvw h8nb2":
            raise RefusedError(Message("join.wrong_passphrase", path=path))
        save_settings(
            context.config_path,
            {"central_database_url": "postgresql://kiosk_entrada:pw@db.example.com/asistencia"},
        )
        synced = Message("join.synced", pushed=0, pulled=3)
        return JoinResult("entrada", None, "db.example.com:5432/asistencia", synced)

    window.join = join
    join_file.write_bytes(b"sealed")
    screen = walk_to_the_end(qtbot, window)
    QTest.mouseClick(screen.done_step.central, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, JOIN)
    assert screen.step_label.text() == "Step 5 of 5"
    assert screen.back_button.isVisible() and not screen.next_button.isVisible()
    panel = screen.join_step.panel
    QTest.keyClicks(panel.path, str(join_file))
    QTest.keyClicks(panel.passphrase, "7k2qm 9xd4a r3tvw h8nb")  # one letter short
    QTest.mouseClick(panel.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.outcome.isVisible(), timeout=5000)
    assert panel.outcome.text().startswith(
        f"The passphrase does not open the join file {join_file}; check it against"
    )
    assert screen.state.step == JOIN and ctx.settings.central_url() is None
    QTest.keyClicks(panel.passphrase, "2")  # kept: the typo is fixed in place
    QTest.keyClick(panel.passphrase, Qt.Key.Key_Return)
    screen = on_step(qtbot, window, DONE)
    assert screen.message.isVisible() and screen.message.property("tone") == "ok"
    assert screen.message.text().splitlines()[:2] == [
        "Joined the central database db.example.com:5432/asistencia.",
        "This kiosk is entrada (no site: it receives every employee).",
    ]
    settled(qtbot, window)
    # asked for by the administrator just made (core writes the audit line)
    assert calls[-1] == ("7k2qm 9xd4a r3tvw h8nb2", "user:luis")
    assert ctx.settings.central_configured
    # and from there, to the kiosk as before
    QTest.mouseClick(screen.done_step.kiosk, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.kiosk, timeout=5000)
    settled(qtbot, window)


def test_the_join_step_can_go_back_or_open_the_address_by_hand(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = walk_to_the_end(qtbot, window)
    QTest.mouseClick(screen.done_step.central, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, JOIN)
    QTest.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, DONE)
    QTest.mouseClick(screen.done_step.central, Qt.MouseButton.LeftButton)
    screen = on_step(qtbot, window, JOIN)
    QTest.mouseClick(screen.join_step.by_hand, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    assert window.admin is not None and window.admin.current_name == "sync"
    settled(qtbot, window)


def test_going_to_the_kiosk_shows_what_to_do_when_nobody_is_enrolled(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = walk_to_the_end(qtbot, window)
    QTest.mouseClick(screen.done_step.kiosk, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.kiosk, timeout=5000)
    settled(qtbot, window)
    qtbot.waitUntil(window.kiosk.banner.detail.isVisible, timeout=3000)
    assert window.kiosk.banner.detail.text() == (
        "Nobody is enrolled yet: an administrator presses F2 or the ⚙ button to begin."
    )
    assert window.first_run is None


def test_the_assistant_never_takes_over_an_administrator_a_person_owns(ctx: AppContext) -> None:
    assert first_run_pending(ctx.store)
    claim_first_admin(ctx.store, "ana", PASSWORD)
    assert not first_run_pending(ctx.store)
    with pytest.raises(RefusedError, match="already has an administrator"):
        claim_first_admin(ctx.store, "mallory", "mallory-password-1")
    assert ctx.auth().sign_in("ana", PASSWORD).username == "ana"


def test_a_password_chosen_in_the_environment_means_no_assistant(
    isolated_environment: Path,
) -> None:
    paths = DataPaths(isolated_environment)
    context = AppContext(paths, load_settings(paths.settings_file), notices=io.StringIO())
    try:
        assert os.environ["ASISTENCIA_ADMIN_PASSWORD"]
        assert not first_run_pending(context.store)
    finally:
        context.close()


def test_a_kiosk_already_in_use_keeps_recording_instead_of_opening_the_assistant(
    ctx: AppContext,
) -> None:
    """Faces enrolled from the command line (or records made by an older version): the door
    must keep working; the administrator signs in with the one-time password as before."""
    assert first_run_pending(ctx.store)
    ctx.employees().add("cli:test", "E1", "Ana García")
    assert first_run_pending(ctx.store)  # an employee alone does not use the kiosk yet
    ctx.attendance().record_manual("cli:test", "E1", "the first day")
    assert not first_run_pending(ctx.store)
