"""Render every screen into docs/screenshots/<name>_<lang>.png (``make screenshots``).

Offscreen, at 1280×800, in Spanish and English, with a scripted runtime and a throw-away
data dir filled with a few employees, shifts and records, and a frozen clock, so each run
draws the same pictures. The camera picture is a drawn stand-in, not a photo: the docs
show no real person's face, and flat colours keep each PNG small.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from unittest.mock import patch
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt
from PySide6.QtGui import QImage, QImageWriter
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QWidget

from core.attendance.outcomes import NotRecorded, NotSaved, PunchChoice, Recorded
from core.attendance.rules import IgnoreReason, Kind
from core.camera import CameraState, CameraStatus
from core.camera.reasons import CameraReason
from core.config import load_settings
from core.context import AppContext
from core.errors import RefusedError
from core.host.paths import DataPaths
from core.host.removable_drives import RemovableDrive
from core.i18n import Message
from core.runtime.api import (
    EnrollmentProgress,
    FaceState,
    FileProblem,
    HeadTurn,
    ModelState,
    PhotoEnrollmentReport,
    PhotoVerdict,
    Refusal,
    WriteProblem,
)
from core.states import ModelStatus
from core.sync.status import SyncStatus
from kiosk.admin.attendance_page import AttendancePage
from kiosk.admin.employees_page import EmployeesPage
from kiosk.admin.enrollment_page import EnrollmentPage
from kiosk.admin.export_page import ExportPage
from kiosk.admin.kiosk_page import KioskPage
from kiosk.admin.page import AdminPage
from kiosk.admin.shell import PAGE_NAMES
from kiosk.admin.shifts_page import ShiftsPage
from kiosk.admin.sync_page import SyncPage
from kiosk.app import application, prepare
from kiosk.main_window import KioskWindow
from kiosk.messages import describe_error
from tools.harness import join_scenes
from tools.harness.demo_runtime import FACE_BOX, ScriptedRuntime

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)
SETUP_SIZE = (1024, 768)  # the set-up screens' docs: the smallest screen they must fit
ZONE = ZoneInfo("Europe/Madrid")
# A Monday morning, the busiest minute of a kiosk's day.
NOW = datetime(2025, 3, 10, 9, 12, 0, tzinfo=ZONE)
ADMIN_PASSWORD = "demo-password-1234"  # noqa: S105 (a throw-away data dir)
MAX_PNG_BYTES = 300_000

EMPLOYEES = (
    ("E001", "Ana García", "4821", "Oficina"),
    ("E002", "Luis Pérez", "7395", "Oficina"),
    ("E003", "María López", "2468", "Mañana"),
    ("E004", "Jorge Martín", None, "Tarde"),
    ("E005", "Lucía Fernández", "1357", "Noche"),
    ("E006", "Carlos Ruiz", None, None),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--lang", choices=("es", "en"), action="append")
    parser.add_argument("--only", action="append", help="names to render (default: all)")
    parser.add_argument(
        "--size", default=f"{SIZE[0]}x{SIZE[1]}", help="window size, WIDTHxHEIGHT (1280x800)"
    )
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in args.lang or ["es", "en"]:
        written += render_language(language, args.out, set(args.only or []), size=(width, height))
    total = sum(p.stat().st_size for p in written)
    for path in written:
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
            f"  {path.stat().st_size // 1024} KB"
        )
    print(f"{len(written)} screenshots, {total / 1_000_000:.1f} MB")
    return 0


def render_language(
    language: str,
    out: Path,
    only: set[str],
    *,
    size: tuple[int, int] = SIZE,
    on_scene: SceneHook | None = None,
) -> list[Path]:
    app = application()
    prepare(app, language)
    os.environ["ASISTENCIA_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    with tempfile.TemporaryDirectory(prefix="asistencia-shots-") as folder:
        paths = DataPaths(Path(folder))
        settings = load_settings(
            None,
            kiosk_id="kiosk-01",
            kiosk_name="Entrada principal",
            timezone=ZONE.key,
            language=language,
            sounds=False,
        )
        ctx = AppContext(paths, settings, notices=io.StringIO())
        try:
            fill_store(ctx)
            runtime = ScriptedRuntime(ctx)
            runtime.start()
            try:
                renderer = Renderer(ctx, runtime, language, out, only, size=size, on_scene=on_scene)
                return renderer.render_all()
            finally:
                runtime.stop()
        finally:
            ctx.close()


def fill_store(ctx: AppContext) -> None:
    """Employees, shifts and a morning of records, made through the real services."""
    employees = ctx.employees()
    for code, name, pin, shift in EMPLOYEES:
        employees.add("cli:demo", code, name, pin)
        if shift:
            employees.assign_shift("cli:demo", code, shift)
    employees.set_active("cli:demo", "E006", False, "left the company")
    service = ctx.attendance()
    records = (("E003", clock_time(5, 58)), ("E001", clock_time(8, 51)), ("E002", clock_time(9, 3)))
    for code, at in records:
        service.record_manual(
            "user:admin", code, "demo", now=datetime.combine(NOW.date(), at, ZONE)
        )
    wrong = service.record_manual(
        "user:admin", "E005", "demo", now=datetime.combine(NOW.date(), clock_time(9, 6), ZONE)
    )
    if isinstance(wrong, Recorded):
        service.void("user:admin", wrong.event_id, "recorded by mistake: she works the night shift")


SceneHook = Callable[[str, KioskWindow], None]


class Renderer:
    """Walks every screen and dialog; ``on_scene(name, window)`` runs at each (default: save
    a PNG).

    The layout test (tests/kiosk/test_layout.py) walks the same scenes at other sizes.
    """

    def __init__(
        self,
        ctx: AppContext,
        runtime: ScriptedRuntime,
        language: str,
        out: Path,
        only: set[str],
        *,
        size: tuple[int, int] = SIZE,
        on_scene: SceneHook | None = None,
    ) -> None:
        self.ctx, self.runtime, self.language, self.out, self.only = (
            ctx,
            runtime,
            language,
            out,
            only,
        )
        self.on_scene = on_scene
        self.window = KioskWindow(ctx, runtime, join=join_scenes.demo_join)
        self.window.heartbeat.stop()  # this script blocks the loop on purpose (sign-in)
        self.window.resize(*size)
        self.window.show()
        self.freeze_clock()
        self.written: list[Path] = []

    def freeze_clock(self) -> None:
        self.window.kiosk.strip.now = NOW.astimezone
        self.window.kiosk.strip.tick()

    # --- helpers ----------------------------------------------------------------------
    def settle(self, extra: Callable[[], bool] | None = None, timeout: float = 10.0) -> None:
        """Let queued work, task results and layouts finish before a picture is taken."""
        window = self.window
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            QApplication.processEvents()
            window.feed.poll_fast()
            window.feed.poll_status()
            busy = window.tasks.busy or window.net_tasks.busy or (extra is not None and not extra())
            if not busy:
                break
            time.sleep(0.01)
        for _ in range(5):
            QApplication.processEvents()
            time.sleep(0.005)

    def shoot(self, name: str, dialog: QWidget | None = None) -> None:
        if self.only and name not in self.only:
            return
        self.settle()
        if self.on_scene is not None:
            self.on_scene(name, self.window)
            return
        path = self.out / f"{name}_{self.language}.png"
        image = (dialog or self.window).grab().toImage()
        save_small(image, path)
        self.written.append(path)

    def shoot_dialog(self, name: str, page: AdminPage, open_it: Callable[[], None]) -> None:
        """Open a page's dialog, take the scene, close the dialog unanswered."""
        open_it()
        self.settle()
        dialog = getattr(page, "dialog", None)
        assert isinstance(dialog, QDialog), f"{name}: no dialog opened"
        self.shoot(name, dialog)
        dialog.reject()
        self.settle()

    # --- the scenes -------------------------------------------------------------------
    def render_all(self) -> list[Path]:
        self.kiosk_scenes()
        self.admin_scenes()
        self.setup_scenes()
        self.window.close()
        self.window.deleteLater()
        return self.written

    def liveness_scenes(self) -> None:
        self.runtime.show_face(FaceState.BLINK, employee_name="Ana García")
        self.shoot("kiosk_blink")
        # passive liveness refused the face: a photo or a screen held to the camera
        self.runtime.show_face(FaceState.REFUSED, employee_name="Ana García", reason=Refusal.SPOOF)
        self.shoot("kiosk_spoof")

    def kiosk_scenes(self) -> None:
        runtime, window = self.runtime, self.window
        runtime.set_sync(SyncStatus(configured=False))
        runtime.set_model(ModelStatus(ModelState.LOADING, "Dlib", "loading the weights", 4.0))
        runtime.show_face(FaceState.NONE)
        self.shoot("kiosk_loading")

        runtime.set_model(ModelStatus(ModelState.READY, "Dlib", elapsed_s=3.4))
        self.shoot("kiosk_idle")

        self.liveness_scenes()

        runtime.set_sync(
            SyncStatus(configured=True, pending=2, last_success=NOW - timedelta(minutes=4))
        )
        runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García")
        window.kiosk.show_outcome(self.recorded("E001", 12), self.face_photo())
        self.shoot("kiosk_recognised")
        window.kiosk.card.dismiss()

        runtime.show_face(FaceState.RECOGNISED, employee_name="Lucía Fernández")
        window.kiosk.show_outcome(self.recorded("E005", 0, checkout=True))
        self.shoot("kiosk_checkout")
        window.kiosk.card.dismiss()
        self.punch_scenes()

        # A full disk: the face was recognised, the record could not be kept.
        full = Message("store.disk_full", place="")
        runtime.set_store_problem(WriteProblem(full, disk_full=True))
        runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García")
        window.kiosk.show_outcome(
            NotSaved("E001", "Ana García", str(full), True), self.face_photo()
        )
        self.shoot("kiosk_disk_full")
        window.kiosk.card.dismiss()
        runtime.set_store_problem(None)

        runtime.set_sync(SyncStatus(configured=False))
        runtime.show_face(FaceState.UNKNOWN, unknown_for_s=4.0)
        self.settle()
        pad = window.kiosk.pin_pad
        pad.code.setText("E003")
        pad.pin.setText("24")
        pad.pin.setFocus()
        self.shoot("kiosk_unknown_pin")
        pad.keys.setCurrentIndex(1)
        self.shoot("kiosk_pin_letters")
        pad.keys.setCurrentIndex(0)
        pad.show_error(describe_error(RefusedError(Message("pin.wrong"))).text)
        self.shoot("kiosk_pin_error")
        pad.cancel()
        runtime.show_face(FaceState.NONE)

        runtime.set_model(
            ModelStatus(
                ModelState.FAILED,
                "Dlib",
                "resources/models/mediapipe/face_landmark.onnx is not the file this version "
                "ships (sha256 differs): reinstall Asistencia.",
            )
        )
        self.shoot("kiosk_model_failed")
        runtime.set_model(ModelStatus(ModelState.READY, "Dlib"))

        runtime.set_camera_status(
            CameraStatus.of(CameraState.FAILED, CameraReason.BUSY, "device", 0)
        )
        self.shoot("kiosk_no_camera")
        runtime.set_camera_status(
            CameraStatus.of(
                CameraState.RECONNECTING,
                CameraReason.NOT_CONNECTED,
                "device",
                0,
                attempt=3,
                retry_in=4.0,
                was_streaming=True,
                details={"node": "/dev/video0"},
            )
        )
        self.shoot("kiosk_camera_lost")
        runtime.set_camera_status(None)
        self.settle()

    def punch_scenes(self) -> None:
        """Which record is this: the question (ask), a guessed break with its "Not right?
        Change" and the change itself (shift), and the cooldown that says what was made."""
        runtime, kiosk = self.runtime, self.window.kiosk
        runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García")
        choice = PunchChoice(
            uuid.uuid5(uuid.NAMESPACE_URL, "demo/choice"),
            "E001",
            "Ana García",
            (Kind.OUT, Kind.BREAK_START),
            NOW,
            "face",
        )
        kiosk.show_outcome(choice, self.face_photo())
        self.shoot("kiosk_choose")
        kiosk.chooser.close_chooser()

        guess = self.recorded("E001", 0, kind=Kind.BREAK_START, alternatives=(Kind.OUT,))
        kiosk.show_outcome(guess, self.face_photo())
        self.shoot("kiosk_break")
        kiosk.card.change_button.click()
        self.shoot("kiosk_change")
        kiosk.chooser.close_chooser()

        last = NOW - timedelta(seconds=33)
        cooldown = NotRecorded(
            "E001",
            "Ana García",
            IgnoreReason.COOLDOWN,
            timedelta(seconds=27),
            "Ana García was just recorded; try again in 27 s if this is a new check",
            last_kind=Kind.IN,
            last_local_time=last,
        )
        kiosk.show_outcome(cooldown, self.face_photo())
        self.shoot("kiosk_cooldown")
        kiosk.card.dismiss()
        runtime.show_face(FaceState.NONE)

    def admin_scenes(self) -> None:
        window = self.window
        window.open_admin()
        login = window.login
        login.username.setText("admin")
        self.shoot("admin_sign_in")
        login.password.setText("not-the-password")
        login.sign_in()
        self.settle(lambda: not login.busy)
        self.shoot("admin_sign_in_refused")
        login.forms.setCurrentIndex(1)
        self.shoot("admin_first_password")
        login.reset()
        session = self.ctx.auth().sign_in("admin", ADMIN_PASSWORD)
        window.login.signed_in.emit(session)
        admin = window.admin
        assert admin is not None
        for name in PAGE_NAMES:
            page = admin.open_page(name)
            self.settle()
            prepare = getattr(self, f"prepare_{name}", None)
            if prepare is not None:
                prepare(page)
            self.shoot(f"admin_{name}")
        admin.close_admin()

    # --- set-up without a terminal (issue 21, item 6) -----------------------------------
    def setup_scenes(self) -> None:
        """The first-run assistant, the on-screen keyboard, the empty kiosk's hint and the
        plain settings; drawn at 1024x768 for the docs (the smallest screen they must fit)."""
        window = self.window
        before = window.size()
        if self.on_scene is None:
            window.resize(*SETUP_SIZE)
        try:
            self.first_run_scenes()
            self.keyboard_scenes()
            self.plain_settings_scenes()
        finally:
            window.resize(before)
            self.settle()

    def first_run_scenes(self) -> None:
        window = self.window
        window.show_first_run()
        screen = window.first_run
        assert screen is not None
        screen.zone_step.search.setText("madrid")
        for step, name in enumerate(("language", "zone", "admin", "shift", "done")):
            screen.go(step)
            if name == "admin":
                screen.admin_step.username.setText("ana")
                screen.admin_step.password.setText("short")
                screen.admin_step.repeat.setText("short")
                screen.next()
            if name == "shift":
                screen.shift_step.name.setText("Almacén")
            if name == "done":
                screen.done_step.set_user("ana")
            self.shoot(f"setup_first_run_{name}")
        screen.go(5)  # joining a central database, from the last step
        join_scenes.fill(screen.join_step.panel)
        self.shoot("setup_first_run_join")
        screen.go(2)
        screen.admin_step.password.clear()
        screen.admin_step.repeat.clear()
        screen.admin_step.password.setFocus()
        screen.keyboard.show()
        self.settle()
        screen._show_focused()
        self.shoot("setup_first_run_keyboard")
        window.stack.removeWidget(screen)
        screen.deleteLater()
        window.first_run, window.first_run_state = None, None
        window.show_kiosk()
        self.settle()
        self.runtime.show_face(FaceState.NONE)
        window.kiosk.set_nobody_enrolled(True)
        self.shoot("setup_kiosk_nobody_enrolled")
        window.kiosk.set_nobody_enrolled(False)

    def keyboard_scenes(self) -> None:
        window = self.window
        window.open_admin()
        login = window.login
        login.keyboard.show()
        login.username.setText("admin")
        login.password.setFocus()
        self.shoot("setup_sign_in_keyboard")
        login.keyboard.toggle_symbols()
        self.shoot("setup_sign_in_keyboard_symbols")
        login.keyboard.toggle_symbols()
        login.keyboard.hide()
        window.show_kiosk()
        self.settle()

    def plain_settings_scenes(self) -> None:
        window = self.window
        window.open_admin()
        session = self.ctx.auth().sign_in("admin", ADMIN_PASSWORD)
        window.login.signed_in.emit(session)
        admin = window.admin
        assert admin is not None
        self.ctx.auth().add_user("cli:demo", "luis", "luis-password-9", "admin")
        admin.open_page("admins")
        self.settle()
        admin.admins.select_user("luis")
        self.shoot("setup_admins")
        recognition = admin.recognition
        admin.open_page("recognition")
        self.settle()
        self.shoot("setup_recognition")
        recognition.show_advanced(True)
        self.shoot("setup_recognition_advanced")
        sync = admin.sync
        admin.open_page("sync")
        self.settle()
        sync.host.setText("asistencia.example.com")
        sync.user.setText("kiosk_entrada")
        sync.password.setText("not-shown")
        scroller = sync.findChild(QScrollArea)
        assert scroller is not None
        scroller.ensureWidgetVisible(sync.sync_button)  # the address, below the status
        self.shoot("setup_sync")
        sync.show_advanced(True)
        self.settle()
        scroller.ensureWidgetVisible(sync.advanced)
        self.shoot("setup_sync_advanced")
        admin.open_page("kiosk")
        self.settle()
        self.shoot("setup_kiosk_zone")
        sync.show_advanced(False)
        admin.open_page("sync")
        self.settle()
        self.join_scenes(sync, scroller)
        admin.close_admin()

    def join_scenes(self, sync: SyncPage, scroller: QScrollArea) -> None:
        """Settings → Sync: a join file on a stick and its passphrase, then the join's
        result; last, since the kiosk syncs with a central database from then on."""
        panel = sync.join_panel
        join_scenes.fill(panel)
        self.settle()
        scroller.ensureWidgetVisible(panel.outcome)
        scroller.ensureWidgetVisible(panel.source)
        self.shoot("setup_sync_join")
        panel._start()  # the file is not on this machine: past the check that it is
        self.settle(lambda: not panel.busy)
        scroller.ensureWidgetVisible(panel.outcome)
        self.shoot("setup_sync_joined")

    def prepare_employees(self, page: AdminPage) -> None:
        assert isinstance(page, EmployeesPage)
        page.show_inactive.setChecked(True)
        self.settle()
        page.select_code("E001")
        if self.on_scene is not None:  # the dialogs, for the layout check
            self.shoot_dialog("dialog_employee", page, page.add_employee)
            self.shoot_dialog("dialog_pin", page, page.set_pin)
            self.shoot_dialog("dialog_deactivate", page, page.toggle_active)
            self.shoot_dialog("dialog_erase", page, page.erase_biometrics)

    def prepare_enrollment(self, page: AdminPage) -> None:
        """No consent (said beside the box), photo files judged, then the guided capture
        half-way: three samples, waiting for the head to turn (the page's own scene)."""
        assert isinstance(page, EnrollmentPage)
        page.preselect("E004")
        page.start()
        self.shoot("admin_enrollment_consent")
        page.consent.setChecked(True)
        self.enrollment_photos(page)
        page._set_running(True, photos=False)
        page.camera_tab.progress.setRange(0, 5)
        face = self.face_photo()
        for step in (
            EnrollmentProgress(1, 5, turn=HeadTurn.LEFT, thumbnail=face),
            EnrollmentProgress(1, 5, last_reason=Refusal.BLURRY, turn=HeadTurn.LEFT),
            EnrollmentProgress(2, 5, turn=HeadTurn.RIGHT, thumbnail=face),
            EnrollmentProgress(2, 5, last_reason=Refusal.POSE, turn=HeadTurn.RIGHT),
            EnrollmentProgress(3, 5, turn=HeadTurn.UP, thumbnail=face),
            EnrollmentProgress(3, 5, turn=HeadTurn.UP, same_pose=True),
        ):
            page._on_progress(step)
        self.runtime.show_face(FaceState.CHECKING)

    def enrollment_photos(self, page: EnrollmentPage) -> None:
        """Photo files, judged: taken ones with their face, refused ones with the reason."""
        page.tabs.setCurrentWidget(page.photos_tab)
        face = self.face_photo()
        names = (
            "ana-2019.jpg", "ana-boda.jpg", "grupo-oficina.jpg", "ana-playa.jpg",
            "ana-dni.png", "escaneo.pdf", "ana-perfil.jpg",
        )  # fmt: skip
        verdicts = [
            PhotoVerdict(names[0], 1, 7, thumbnail=face),
            PhotoVerdict(names[1], 2, 7, thumbnail=face),
            PhotoVerdict(names[2], 3, 7, Refusal.SEVERAL_FACES, faces=4),
            PhotoVerdict(names[3], 4, 7, Refusal.BLURRY),
            PhotoVerdict(names[4], 5, 7, Refusal.DUPLICATE, duplicate_of="E001 Ana García"),
            PhotoVerdict(names[5], 6, 7, Refusal.UNREADABLE, file_problem=FileProblem.CORRUPT),
            PhotoVerdict(names[6], 7, 7, Refusal.TOO_SMALL),
        ]
        page.enroll_files([Path("/media/usb") / name for name in names])
        self.settle(lambda: not page.running)
        for verdict in verdicts:
            page.photos_tab.show_verdict(verdict)
        page._photos_finished(PhotoEnrollmentReport(tuple(verdicts), 2, 2))
        self.shoot("admin_enrollment_photos")
        page.clear_notice()
        page.tabs.setCurrentWidget(page.camera_tab)

    def prepare_shifts(self, page: AdminPage) -> None:
        assert isinstance(page, ShiftsPage)
        for index, shift in enumerate(page.shifts):
            if shift.name == "Oficina":
                page.table.selectRow(index)
        if self.on_scene is not None:
            self.prepare_shifts_dialog(page)

    def prepare_attendance(self, page: AdminPage) -> None:
        assert isinstance(page, AttendancePage)
        page.day.setDate(QDate(NOW.year, NOW.month, NOW.day))
        self.settle()
        page.table.selectRow(1)
        # The corrections' dialogs are screens of their own (docs/screenshots too).
        self.shoot_dialog("dialog_add_record", page, page.add_manual)
        self.shoot_dialog("dialog_change_record", page, page.change_selected)
        if self.on_scene is not None:
            self.shoot_dialog("dialog_void", page, page.void_selected)

    def prepare_shifts_dialog(self, page: AdminPage) -> None:
        assert isinstance(page, ShiftsPage)
        self.shoot_dialog("dialog_shift", page, lambda: page.edit_shift(page.selected()))

    def prepare_kiosk(self, page: AdminPage) -> None:
        assert isinstance(page, KioskPage)
        if self.on_scene is not None:
            self.shoot_dialog("dialog_close", page, page.confirm_quit)

    def prepare_export(self, page: AdminPage) -> None:
        assert isinstance(page, ExportPage)
        # A USB stick as udisks mounts it, listed first; the page stops looking for real ones.
        page.drive_timer.stop()
        stick = RemovableDrive(Path("/media/kiosk/KINGSTON"), "/dev/sdb1")
        with patch("kiosk.admin.export_page.removable_drives", lambda: [stick]):
            page.refresh_drives()
        page.csv.setChecked(True)  # the widest form: the CSV style beside the formats
        name = Path(page.path.text()).name
        page._exported([stick.mount_point / name, stick.mount_point / "b", stick.mount_point / "c"])
        self.shoot_dialog("dialog_pay_period", page, page.choose_pay_period)

    # --- data for the result card ---------------------------------------------------
    def recorded(
        self,
        code: str,
        late: int,
        *,
        checkout: bool = False,
        kind: Kind | None = None,
        alternatives: tuple[Kind, ...] = (),
    ) -> Recorded:
        name = next(n for c, n, _p, _s in EMPLOYEES if c == code)
        at = NOW
        kind = kind or (Kind.OUT if checkout else Kind.IN)
        return Recorded(
            event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{code}/{kind}"),
            employee_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{code}"),
            employee_code=code,
            employee_name=name,
            kind=kind,
            alternatives=alternatives,
            occurred_at=at,
            local_time=at,
            shift_day=at.date(),
            method="face",
            late_minutes=late,
            early_leave_minutes=0,
            overtime_minutes=0,
        )

    def face_photo(self) -> bytes:
        """The enrollment photo: the face cut from the camera picture, as JPEG."""
        picture = self.runtime.picture
        assert picture is not None
        height, width = picture.shape[:2]
        image = QImage(
            picture.data, width, height, int(picture.strides[0]), QImage.Format.Format_BGR888
        )
        x, y, w, h = FACE_BOX
        crop = image.copy(x - 30, y - 30, w + 60, h + 60)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QImageWriter(buffer, QByteArray(b"jpeg"))
        writer.setQuality(85)
        writer.write(crop)
        return bytes(buffer.data().data())


def save_small(image: QImage, path: Path) -> None:
    """PNG, reduced to 256 colours if it is ever too big for the docs."""
    _write_png(image, path)
    if path.stat().st_size > MAX_PNG_BYTES:
        indexed = image.convertToFormat(
            QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
        )
        _write_png(indexed, path)


def _write_png(image: QImage, path: Path) -> None:
    writer = QImageWriter(str(path), QByteArray(b"png"))
    writer.setQuality(0)  # for PNG, Qt reads quality as compression: 0 = smallest
    if not writer.write(image):
        raise OSError(f"cannot write {path}: {writer.errorString()}")


if __name__ == "__main__":
    sys.exit(main())
