"""The settings: sign-in and lockout, employees, enrollment, shifts, camera, recognition,
attendance corrections, export, sync; settings saved to the file and shown again."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import stat
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.config import load_settings, save_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.host.removable_drives import RemovableDrive
from core.people.first_password import write_first_password
from core.runtime.api import EnrollmentProgress
from core.store.models import AuditEntry, FaceTemplate, User
from core.sync.status import SiteView, SyncStatus
from kiosk.admin import export_page
from kiosk.admin.dialogs import EmployeeDialog, ReasonDialog, ShiftDialog
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in, try_sign_in
from tests.support.keys import ADMIN_PASSWORD
from tests.support.kiosk_fakes import FakeRuntime, make_video


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    employees = ctx.employees()
    employees.add("cli:test", "E1", "Ana García")
    employees.add("cli:test", "E2", "Luis Pérez")
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def audit_actions(ctx: AppContext) -> list[str]:
    with ctx.store.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.at)))


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_then(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    window.open_admin()
    assert window.stack.currentWidget() is window.login
    assert runtime.paused  # no recognition behind the settings
    for attempt in range(5):
        try_sign_in(qtbot, window, f"wrong-password-{attempt}")
        assert window.login.message.isVisible()
    # One answer for every refusal: "locked" is said as a possibility, never as a fact
    # (that would tell a guesser the user name exists).
    assert "locked" in window.login.message.text()

    try_sign_in(qtbot, window, ADMIN_PASSWORD)
    assert window.admin is None
    assert window.stack.currentWidget() is window.login
    assert "locked" in window.login.message.text()
    assert window.login.password.text() == ""

    window.login.back_button.click()
    assert window.stack.currentWidget() is window.kiosk
    assert not runtime.paused


def test_ctrl_q_asks_for_an_administrator_and_the_kiosk_stays_open(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.login
    assert window.isVisible() and runtime.paused
    admin = sign_in(qtbot, window, "employees")  # already asked for: the kiosk page opens
    assert admin.current_name == "kiosk"


def test_signing_in_opens_the_settings_and_escape_returns_to_the_kiosk(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    admin = sign_in(qtbot, window, real=True)
    assert window.stack.currentWidget() is admin
    assert admin.current_name == "employees"
    assert [e.code for e in admin.employees.employees] == ["E1", "E2"]
    assert runtime.paused
    admin.nav.setCurrentRow(3)
    assert admin.current_name == "camera"
    admin.close_admin()
    assert window.admin is None
    assert window.stack.currentWidget() is window.kiosk
    assert not runtime.paused


def test_the_passive_threshold_is_set_only_for_passive_liveness_and_reaches_recognition(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime
) -> None:
    from core.recognition.antispoof import PASSIVE_THRESHOLD
    from core.recognition.config import RecognitionConfig

    page = sign_in(qtbot, window, "recognition").recognition
    page.liveness.setCurrentIndex(page.liveness.findData("off"))
    assert not page.passive_calibrated.isEnabled() and not page.passive_threshold.isEnabled()
    page.liveness.setCurrentIndex(page.liveness.findData("passive"))
    assert page.passive_calibrated.isChecked() and not page.passive_threshold.isEnabled()
    assert page.passive_threshold.value() == pytest.approx(PASSIVE_THRESHOLD)
    page.passive_calibrated.setChecked(False)
    assert page.passive_threshold.isEnabled()
    page.passive_threshold.setValue(0.45)
    page.save_button.click()
    qtbot.waitUntil(page.notice.isVisible, timeout=5000)

    saved = tomllib.loads(ctx.paths.settings_file.read_text(encoding="utf-8"))
    assert saved["liveness"] == "passive" and saved["passive_threshold"] == pytest.approx(0.45)
    applied = [args[0] for name, args in runtime.calls if name == "apply"][-1]
    assert RecognitionConfig.from_settings(applied).passive_threshold == pytest.approx(0.45)

    page.passive_calibrated.setChecked(True)  # back to the calibrated value: the key goes
    page.save_button.click()
    qtbot.waitUntil(lambda: "passive_threshold" not in ctx.paths.settings_file.read_text("utf-8"))


def test_settings_are_saved_to_the_file_and_a_new_window_shows_them(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime
) -> None:
    admin = sign_in(qtbot, window, "recognition")
    page = admin.recognition
    assert page.frames.value() == 3
    page.frames.setValue(5)
    page.save_button.click()
    qtbot.waitUntil(page.notice.isVisible, timeout=5000)
    assert "Saved" in page.notice.text()

    kiosk = admin.open_page("kiosk")
    assert kiosk is admin.kiosk
    admin.kiosk.name.setText("Recepción planta 2")
    admin.kiosk.save_button.click()
    qtbot.waitUntil(admin.kiosk.notice.isVisible, timeout=5000)

    saved = tomllib.loads(ctx.paths.settings_file.read_text(encoding="utf-8"))
    assert saved["frames_to_agree"] == 5
    assert saved["kiosk_name"] == "Recepción planta 2"
    assert "match_threshold" not in saved  # "calibrated" removes the key
    assert runtime.call_names().count("apply") == 2
    assert ctx.settings.kiosk_name == "Recepción planta 2"
    assert window.kiosk.strip.kiosk_name.text() == "Recepción planta 2"  # without a restart

    admin.close_admin()
    window.close()
    fresh = AppContext(DataPaths(ctx.paths.root), load_settings(ctx.paths.settings_file))
    try:
        again = KioskWindow(fresh, runtime)
        qtbot.addWidget(again)
        assert again.kiosk.strip.kiosk_name.text() == "Recepción planta 2"
        admin_again = sign_in(qtbot, again, "recognition", real=True)
        assert admin_again.recognition.frames.value() == 5
        again.close()
    finally:
        fresh.close()


def test_an_environment_variable_that_overrides_a_saved_setting_is_pointed_out(
    qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASISTENCIA_COOLDOWN_SECONDS", "30")
    admin = sign_in(qtbot, window, "recognition")
    admin.recognition.cooldown.setValue(90)
    admin.recognition.save_button.click()
    qtbot.waitUntil(admin.recognition.notice.isVisible, timeout=5000)
    assert "ASISTENCIA_COOLDOWN_SECONDS" in admin.recognition.notice.text()


def test_add_an_employee_and_enroll_their_face_from_the_camera(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime
) -> None:
    admin = sign_in(qtbot, window)
    page = admin.employees
    page.add_button.click()
    dialog = page.dialog
    assert isinstance(dialog, EmployeeDialog)
    dialog.buttons.accepted.emit()  # OK with nothing filled in: it says what is missing
    assert dialog.problem.isVisible() and dialog.isVisible()
    dialog.code.setText("E3")
    dialog.name.setText("María López")
    dialog.pin.setText("2468")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "E3" in [e.code for e in page.employees], timeout=5000)
    assert "María López added." in page.notice.text()

    page.select_code("E3")
    page.enroll_button.click()
    enrollment = admin.enrollment
    assert admin.current_name == "enrollment"
    settle(qtbot, window)
    assert enrollment.employee.currentData() == "E3"
    assert (
        enrollment.camera_tab.progress.text()
        == f"0 of {enrollment.camera_tab.samples.value()} samples"
    )
    enrollment.camera_tab.start_button.click()  # without consent: refused, with the reason
    assert "consent" in enrollment.consent_error.text()
    assert "start_enrollment" not in runtime.call_names()

    enrollment.consent.setChecked(True)
    other = enrollment.employee.findData("E1")
    enrollment.employee.setCurrentIndex(other)  # someone else: their consent is not given
    assert not enrollment.consent.isChecked()
    enrollment.employee.setCurrentIndex(enrollment.employee.findData("E3"))
    enrollment.consent.setChecked(True)
    enrollment.camera_tab.samples.setValue(3)
    assert enrollment.camera_tab.progress.text() == "0 of 3 samples"
    enrollment.camera_tab.start_button.click()
    assert enrollment.running and not enrollment.camera_tab.start_button.isEnabled()
    qtbot.waitUntil(lambda: not enrollment.running, timeout=5000)
    assert "complete" in enrollment.notice.text()
    assert enrollment.camera_tab.progress.value() == 3
    lines = [
        enrollment.camera_tab.feedback.item(i).text()
        for i in range(enrollment.camera_tab.feedback.count())
    ]
    assert lines[0] == "✓ Sample 1 of 3 taken"
    assert any(line.startswith("✕ Not taken: Hold still") for line in lines)
    assert ("start_enrollment", ("E3", 3, "user:admin")) in runtime.calls


def test_enrollment_reports_a_duplicate_face_and_can_be_cancelled(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    admin = sign_in(qtbot, window, "enrollment")
    page = admin.enrollment
    page.consent.setChecked(True)
    runtime.enrollment_script = [
        EnrollmentProgress(1, 5),
        EnrollmentProgress(
            1, 5, duplicate_of="E2 Luis Pérez", done=True, error="already enrolled as E2"
        ),
    ]
    page.camera_tab.start_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=5000)
    assert (
        page.camera_tab.duplicate.isVisible()
        and "E2 Luis Pérez" in page.camera_tab.duplicate.text()
    )
    assert "already enrolled" in page.notice.text()

    runtime.enrollment_script = [EnrollmentProgress(i, 50) for i in range(1, 50)]
    runtime.enrollment_step_s = 0.2
    page.camera_tab.start_button.click()
    page.camera_tab.cancel_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=5000)
    assert "cancelled" in page.notice.text()
    assert "cancel_enrollment" in runtime.call_names()


def test_erasing_biometric_data_needs_a_reason_and_a_confirmation(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    with ctx.store.write() as session:
        employee_id = ctx.employees().get("E1").id
        session.add(FaceTemplate(employee_id=employee_id, model_name="Dlib", vector=b"0", dim=1))
    admin = sign_in(qtbot, window)
    page = admin.employees
    page.reload("E1")
    settle(qtbot, window)
    assert page.selected() is not None and page.selected().templates == 1  # type: ignore[union-attr]
    page.erase_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog) and dialog.confirm is not None
    dialog.reason.setPlainText("asked to be forgotten")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "Tick the box" in dialog.problem.text()
    dialog.confirm.setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "erased" in page.notice.text(), timeout=5000)
    assert "1 sample" in page.notice.text()
    settle(qtbot, window)
    assert ctx.employees().get("E1").templates == 0
    assert "employee.erase_biometrics" in audit_actions(ctx)


def test_deactivate_and_reactivate_an_employee(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admin = sign_in(qtbot, window)
    page = admin.employees
    page.select_code("E2")
    page.active_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reason.setPlainText("left the company")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "deactivated" in page.notice.text(), timeout=5000)
    settle(qtbot, window)
    assert [e.code for e in page.employees] == ["E1"]
    assert not ctx.employees().get("E2").active
    page.show_inactive.setChecked(True)
    settle(qtbot, window)
    page.select_code("E2")
    assert page.active_button.text() == "Re&activate"
    page.active_button.click()
    qtbot.waitUntil(lambda: "active again" in page.notice.text(), timeout=5000)


def test_a_record_is_voided_with_a_required_reason_and_the_audit_log_keeps_it(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    now = datetime.now(UTC)
    ctx.attendance().record_manual("cli:test", "E1", "forgot the card", now=now)
    admin = sign_in(qtbot, window, "attendance")
    page = admin.attendance
    settle(qtbot, window)
    assert [r.code for r in page.records] == ["E1"]
    page.employee.setCurrentIndex(page.employee.findData("E2"))
    settle(qtbot, window)
    assert page.records == []
    page.employee.setCurrentIndex(0)
    settle(qtbot, window)
    page.table.selectRow(0)
    page.void_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.buttons.accepted.emit()
    assert dialog.problem.isVisible()  # no reason, no correction
    dialog.reason.setPlainText("recorded twice by mistake")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "voided" in page.notice.text(), timeout=5000)
    settle(qtbot, window)
    assert page.records[0].voided
    assert page.records[0].void_reason == "recorded twice by mistake"
    assert not page.void_button.isEnabled()
    entries = audit_actions(ctx)
    assert "attendance.void" in entries
    with ctx.store.read() as session:
        void = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "attendance.void")
        ).one()
        assert void.actor == "user:admin" and void.reason == "recorded twice by mistake"

    page.manual_button.click()
    manual = page.dialog
    assert manual is not None
    manual.reason.setPlainText("the kiosk was off")
    manual.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "recorded for Ana García" in page.notice.text(), timeout=5000)


def test_export_writes_the_report_to_the_chosen_file(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tmp_path: Path
) -> None:
    ctx.attendance().record_manual("cli:test", "E1", "test", now=datetime.now(UTC))
    admin = sign_in(qtbot, window, "export")
    page = admin.export
    # This pay period (monthly from the 1st by default) is offered first, dates filled in.
    today = datetime.now(ctx.settings.zone).date()
    assert page.period.currentIndex() == 0 and not page.start.isEnabled()
    assert (page.start.date().day(), page.end.date().month()) == (1, today.month)
    page.destination.setCurrentIndex(page.destination.findData("other"))
    target = tmp_path / "out" / "report.xlsx"
    page.path.setText(str(target))
    page.export_button.click()
    qtbot.waitUntil(lambda: bool(page.written), timeout=10000)
    assert page.written == [target] and target.stat().st_size > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # off a stick: private
    assert page.notice.text() == f"Saved in {target.parent}: report.xlsx."
    page.csv.setChecked(True)
    page.path.setText(str(tmp_path / "report.csv"))
    page.export_button.click()
    qtbot.waitUntil(lambda: len(page.written) == 3, timeout=10000)
    assert (
        (tmp_path / "report.csv").read_text(encoding="utf-8").startswith("\ufeffRecord,Code,")
    )  # English window
    assert (tmp_path / "report-summary.csv").exists()
    with ctx.store.read() as session:
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "report.export")
        ).all()
    assert len(details) == 2 and json.loads(details[0])["records"] == 1

    page.period.setCurrentIndex(2)  # custom dates
    page.end.setDate(page.start.date().addDays(-1))
    page.export_button.click()
    assert "ends before it starts" in page.notice.text()


def test_export_replaces_its_own_report_but_not_a_strangers_file(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tmp_path: Path
) -> None:
    """Issue 22, 5: the page writes through the same checks as the command line."""
    admin = sign_in(qtbot, window, "export")
    page = admin.export
    page.destination.setCurrentIndex(page.destination.findData("other"))
    ours = tmp_path / "nov.xlsx"
    for _ in range(2):  # the second replaces the first
        page.written = []
        page.path.setText(str(ours))
        page.export_button.click()
        qtbot.waitUntil(lambda: bool(page.written), timeout=10000)
    stranger = tmp_path / "nominas.xlsx"
    stranger.write_bytes(b"PK\x03\x04 someone else's workbook")
    page.path.setText(str(stranger))
    page.export_button.click()
    qtbot.waitUntil(lambda: "not a report Asistencia wrote" in page.notice.text(), timeout=10000)
    assert page.notice.text().startswith(f"Could not write {stranger} (it exists and is not")
    assert stranger.read_bytes() == b"PK\x03\x04 someone else's workbook"
    page.path.setText(str(ctx.paths.logs / "asistencia.log"))
    page.csv.setChecked(True)
    page.export_button.click()  # the name becomes asistencia.csv, in the kiosk's logs folder
    qtbot.waitUntil(lambda: "exports folder" in page.notice.text(), timeout=10000)
    assert not (ctx.paths.logs / "asistencia.csv").exists()


def test_a_usb_stick_plugged_in_is_offered_first_and_gets_a_readable_report(
    qtbot: QtBot,
    ctx: AppContext,
    window: KioskWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stick = tmp_path / "media" / "KINGSTON"
    stick.mkdir(parents=True)
    plugged: list[RemovableDrive] = []
    monkeypatch.setattr(export_page, "removable_drives", lambda: list(plugged))
    admin = sign_in(qtbot, window, "export")
    page = admin.export
    assert page.destination.currentData() == "kiosk"
    assert page.path.text().startswith(str(ctx.paths.exports))
    plugged.append(RemovableDrive(stick, "/dev/sdb1"))
    # the page looks every two seconds
    qtbot.waitUntil(lambda: page.destination.currentData() == str(stick), timeout=5000)
    assert page.destination.currentIndex() == 0
    assert page.destination.currentText() == "USB drive KINGSTON"
    assert Path(page.path.text()).parent == stick
    page.export_button.click()
    qtbot.waitUntil(lambda: bool(page.written), timeout=10000)
    (written,) = page.written
    assert written.parent == stick and stat.S_IMODE(written.stat().st_mode) == 0o644
    assert page.notice.text() == f"Saved on the USB drive KINGSTON: {written.name}."


def test_create_a_shift_and_assign_an_employee(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admin = sign_in(qtbot, window, "shifts")
    page = admin.shifts
    settle(qtbot, window)
    seeded = len(page.shifts)
    page.new_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ShiftDialog)
    dialog.name.setText("Guardia")
    dialog.start.setTime(QTime(20, 0))
    dialog.end.setTime(QTime(4, 0))
    for box in dialog.days:
        box.setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(page.shifts) == seeded + 1, timeout=5000)
    guardia = next(s for s in page.shifts if s.name == "Guardia")
    assert (guardia.start, guardia.end, len(guardia.weekdays)) == (time(20), time(4), 7)
    assert page.selected() == guardia

    page.employee.setCurrentIndex(page.employee.findData("E2"))
    page.assign_button.click()
    qtbot.waitUntil(lambda: page.members.count() == 1, timeout=5000)
    assert ctx.employees().get("E2").shifts == ("Guardia",)
    page.members.setCurrentRow(0)
    page.unassign_button.click()
    qtbot.waitUntil(lambda: "removed" in page.notice.text(), timeout=5000)
    assert ctx.employees().get("E2").shifts == ()
    assert {"shift.add", "employee.assign_shift", "employee.unassign_shift"} <= set(
        audit_actions(ctx)
    )


def test_the_camera_page_applies_a_new_source_without_a_restart(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime, tmp_path: Path
) -> None:
    admin = sign_in(qtbot, window, "camera")
    page = admin.camera
    page.source.setEditText(str(tmp_path / "missing.avi"))
    page.apply_button.click()
    assert "not found" in page.notice.text()
    assert "set_camera" not in runtime.call_names()

    video = make_video(tmp_path / "camera.avi")
    page.source.setEditText(str(video))
    page.resolution.setCurrentIndex(page.resolution.findData("1280x720"))
    page.apply_button.click()
    qtbot.waitUntil(lambda: "set_camera" in runtime.call_names(), timeout=5000)
    assert ("set_camera", (str(video), 1280, 720)) in runtime.calls
    assert ctx.settings.camera == str(video) and ctx.settings.camera_width == 1280


def test_the_sync_page_says_not_configured_saves_an_address_and_tests_it(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admin = sign_in(qtbot, window, "sync")
    page = admin.sync
    assert "Not configured" in page.state.text()
    assert page.current.text() == "not configured"
    assert not page.sync_button.isEnabled() and page.sync_button.toolTip()

    page.url.setText("mysql://nope")
    page.save_button.click()
    qtbot.waitUntil(page.notice.isVisible, timeout=5000)
    assert "not allowed" in page.notice.text()

    url = "postgresql://kiosk:s3cret-pw@127.0.0.1:1/asistencia"
    page.url.setText(url)
    page.save_button.click()
    qtbot.waitUntil(lambda: ctx.settings.central_configured, timeout=5000)
    assert "s3cret-pw" not in page.current.text() and "***" in page.current.text()
    page.test_button.click()
    qtbot.waitUntil(lambda: "Could not connect" in page.test_result.text(), timeout=10000)
    assert "s3cret-pw" not in page.test_result.text()
    assert page.sync_button.isEnabled()  # an address is saved: "sync now" is offered


def test_sync_now_asks_the_runtime(
    qtbot: QtBot,
    ctx: AppContext,
    window: KioskWindow,
    runtime: FakeRuntime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[bool] = []

    def sync_now() -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(runtime, "sync_now", sync_now)
    save_settings(ctx.paths.settings_file, {"central_database_url": "postgresql://k@h/db"})
    ctx.settings = load_settings(ctx.paths.settings_file)
    admin = sign_in(qtbot, window, "sync")
    assert admin.sync.sync_button.isEnabled()
    admin.sync.sync_button.click()
    assert asked == [True]


def test_the_sync_page_shows_the_site_the_central_database_gives_this_kiosk(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime
) -> None:
    save_settings(ctx.paths.settings_file, {"central_database_url": "postgresql://k@h/db"})
    ctx.settings = load_settings(ctx.paths.settings_file)
    runtime.set_sync(SyncStatus(configured=True))
    admin = sign_in(qtbot, window, "sync")
    assert admin.sync.site.text() == "not known yet: the next sync asks the central database"
    runtime.set_sync(
        SyncStatus(configured=True, site=SiteView("norte", "Planta Norte", 12), site_known=True)
    )
    admin.sync.activate()
    assert admin.sync.site.text().startswith("Planta Norte (norte), set in the central database")
    assert "(12 here)" in admin.sync.site.text()
    runtime.set_sync(SyncStatus(configured=True, site_known=True))
    admin.sync.activate()
    assert admin.sync.site.text() == "none: this kiosk receives every employee"
    # Shown, never edited here: nothing on the page takes a site.
    assert not any(
        "site" in edit.accessibleName().lower() for edit in admin.sync.findChildren(QLineEdit)
    )


def test_changing_the_language_rebuilds_the_window_in_spanish(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admin = sign_in(qtbot, window, "kiosk")
    admin.kiosk.language.setCurrentIndex(admin.kiosk.language.findData("es"))
    admin.kiosk.save_button.click()
    try:
        qtbot.waitUntil(lambda: window.admin not in (admin, None), timeout=5000)
        rebuilt = window.admin
        assert rebuilt is not None and rebuilt.current_name == "kiosk"  # still signed in
        assert rebuilt.nav.item(0).text() == "Empleados"
        assert window.kiosk.banner.text.text() == "Mire a la cámara"
    finally:
        from kiosk.app import application, prepare

        prepare(application(), "en")


def test_the_settings_sign_out_after_a_while_without_input(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    admin = sign_in(qtbot, window)
    admin._idle.setInterval(50)
    admin._idle.start()
    qtbot.waitUntil(lambda: window.admin is None, timeout=3000)
    assert window.stack.currentWidget() is window.kiosk
    assert not runtime.paused


def test_a_generated_password_must_be_changed_at_first_sign_in(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    with ctx.store.write() as session:
        user = session.scalars(select(User).where(User.username == "admin")).one()
        user.must_change_password = True
    window.open_admin()
    try_sign_in(qtbot, window, ADMIN_PASSWORD)
    login = window.login
    assert login.forms.currentIndex() == 1 and window.admin is None
    login.new_password.setText("a-brand-new-password")
    login.repeat_password.setText("something else")
    login.change_button.click()
    assert "differ" in login.message.text()
    login.repeat_password.setText("a-brand-new-password")
    login.change_button.click()
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    assert ctx.auth().sign_in("admin", "a-brand-new-password").must_change_password is False


def test_store_errors_are_shown_in_words(qtbot: QtBot, window: KioskWindow) -> None:
    admin = sign_in(qtbot, window)
    page = admin.employees
    page.add_button.click()
    dialog = page.dialog
    assert isinstance(dialog, EmployeeDialog)
    dialog.code.setText("E1")
    dialog.name.setText("Someone Else")
    dialog.buttons.accepted.emit()
    # Said in the form, which stays open with what was typed (issue 21, item 5).
    qtbot.waitUntil(lambda: "already exists" in dialog.problem.text(), timeout=5000)
    assert dialog.isVisible() and dialog.name.text() == "Someone Else"
    dialog.reject()


def test_the_kiosk_page_changes_the_password_through_the_accounts_service(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    """As the sign-in's own change does: audited, and a generated first password kept in
    its file for this administrator is spent (no longer left on the disk)."""
    write_first_password(ctx.paths.first_password, "admin", "the-generated-one")
    admin = sign_in(qtbot, window, "kiosk")
    page = admin.kiosk
    page.password.setText("a-brand-new-password")
    page.repeat.setText("a-brand-new-password")
    page.password_button.click()
    qtbot.waitUntil(lambda: page.notice.text() == "Password changed.", timeout=5000)
    assert not ctx.paths.first_password.exists()
    assert "user.change_password" in audit_actions(ctx)
    assert ctx.auth().sign_in("admin", "a-brand-new-password").username == "admin"


def test_closing_from_the_kiosk_page_is_audited_with_its_reason_before_the_window_closes(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    admin = sign_in(qtbot, window, "kiosk")
    page = admin.kiosk
    page.quit_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reason.setPlainText("the door is being painted")
    with qtbot.waitSignal(page.quit_requested, timeout=5000):
        dialog.buttons.accepted.emit()
    with ctx.store.read() as session:
        closed = session.scalars(select(AuditEntry).where(AuditEntry.action == "kiosk.close")).one()
    assert (closed.actor, closed.reason) == ("user:admin", "the door is being painted")
    assert (closed.target_type, closed.target_id) == ("kiosk", ctx.settings.kiosk_id)
