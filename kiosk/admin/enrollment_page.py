"""Face enrollment: a guided capture from the live camera, or photo files; one verdict each.

Both run in the runtime, on its own thread, and report every sample (or file) through a
callback on that thread, which only forwards it to a queued signal; the result comes back
as a Future. The employee and the consent are chosen once, above two tabs:

- **Camera**: the preview under the request of the moment ("Turn a little to the left…"),
  the samples taken as thumbnails, what was wrong with each refused one and the
  duplicate-face check. The runtime takes a sample only once the head has really moved.
- **Photo files**: a file dialog for several photos at once; each gets a line, taken (with
  its face) or refused with the reason, with the same checks as ``main.py enroll``.

Everything fits a 1024×768 screen without scrolling, and a missing consent is said right
under the consent box. A capture or photo run still going when the administrator leaves
the page is cancelled.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.camera import Frame
from core.host.images import IMAGE_SUFFIXES
from core.people.employees import EmployeeView
from core.runtime.api import (
    EnrollmentProgress,
    FaceObservation,
    FileProblem,
    HeadTurn,
    PhotoEnrollmentReport,
    PhotoVerdict,
    Refusal,
)
from kiosk.admin.page import (
    AdminContext,
    AdminPage,
    add_row,
    button,
    form_layout,
)
from kiosk.camera_view import CameraView
from kiosk.messages import refusal_text

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = 5
THUMB_PX = 56  # a sample's face in the strip under the buttons
PHOTO_ICON_PX = 40  # a photo's face beside its line


class _Preview(CameraView):
    """The camera preview, asking for less height than the kiosk's: the page's text wraps,
    so its scroll area gives it its preferred height, and that must fit 1024×768."""

    @override
    def sizeHint(self) -> QSize:
        return QSize(320, 240)


class _Verdicts(QListWidget):
    """A list that grows into the room left, but does not ask for more."""

    @override
    def sizeHint(self) -> QSize:
        return QSize(240, 70)


def _pixmap(jpeg: bytes | None) -> QPixmap | None:
    if not jpeg:
        return None
    pixmap = QPixmap()
    return pixmap if pixmap.loadFromData(jpeg, "JPEG") else None


class EnrollmentPage(AdminPage):
    # Emitted from the runtime's thread; Qt queues them to the GUI thread.
    progress_arrived = Signal(object)
    verdict_arrived = Signal(object)

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.employee = QComboBox()
        self.employee.setAccessibleName(self.tr("Employee to enroll"))
        self.employee.setMinimumWidth(260)
        # Its entries arrive after the first show: grow to them then.
        self.employee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.consent = QCheckBox(self.tr("Consent given"))
        self.consent_error = QLabel()
        self.consent_error.setObjectName("Notice")
        self.consent_error.setProperty("tone", "bad")
        self.consent_error.setWordWrap(True)
        self.consent_error.hide()

        form = form_layout()
        add_row(form, self.tr("&Employee"), self.employee)
        self.body.addLayout(form)
        self.body.addLayout(self._consent_box())

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.camera_tab = self._camera_tab()
        self.photos_tab = self._photos_tab()
        self.tabs.addTab(self.camera_tab, self.tr("From the &camera"))
        self.tabs.addTab(self.photos_tab, self.tr("From &photo files"))
        self.body.addWidget(self.tabs, 1)

        self.file_dialog = self._file_dialog()
        self._connect(admin)
        self.running = False  # a capture or a photo run
        self.last: EnrollmentProgress | None = None
        self._wanted: str | None = None
        self._photo_lines: dict[int, QListWidgetItem] = {}

    # --- building -----------------------------------------------------------------------
    def _consent_box(self) -> QVBoxLayout:
        # A check box does not wrap: a short box, the full statement under it, and what is
        # missing right there (the top of the page may be out of sight).
        text = QLabel(
            self.tr(
                "The person agrees that this kiosk keeps their face data to record their "
                "attendance. It can be erased at any time from Employees."
            )
        )
        text.setObjectName("PageIntro")
        text.setWordWrap(True)
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(self.consent)
        box.addWidget(text)
        box.addWidget(self.consent_error)
        return box

    def _camera_widgets(self) -> None:
        self.samples = QSpinBox()
        self.samples.setRange(3, 15)
        self.samples.setValue(DEFAULT_SAMPLES)
        self.samples.setAccessibleName(self.tr("Samples"))
        self.start_button = button(self.tr("&Start capture"), "primary")
        self.cancel_button = button(self.tr("&Cancel capture"))
        self.cancel_button.setEnabled(False)
        self.prompt = QLabel(self.tr("Ask the person to stand alone in front of the camera."))
        # Read from a step or two away: larger than the page's text.
        self.prompt.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.prompt.setWordWrap(True)
        self.prompt.setAccessibleName(self.tr("What the person should do"))
        self.pose_hint = QLabel()
        self.pose_hint.setObjectName("Notice")
        self.pose_hint.setProperty("tone", "info")
        self.pose_hint.setWordWrap(True)
        # Said and cleared between samples: its line stays, so the preview does not jump.
        policy = self.pose_hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.pose_hint.setSizePolicy(policy)
        self.pose_hint.hide()
        self.preview = _Preview()
        self.preview.placeholder = self.tr("Waiting for the camera…")
        self.preview.setMinimumSize(240, 180)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v of %m samples"))
        self.progress.setRange(0, self.samples.value())  # not Qt's default of 100
        self.progress.setValue(0)
        self.thumbnails = self._strip()
        self.feedback = self._verdict_list(self.tr("Samples taken"), 60)
        self.duplicate = QLabel()
        self.duplicate.setObjectName("Notice")
        self.duplicate.setProperty("tone", "warn")
        self.duplicate.setWordWrap(True)
        self.duplicate.hide()

    def _camera_tab(self) -> QWidget:
        self._camera_widgets()
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.prompt)
        left.addWidget(self.pose_hint)
        left.addWidget(self.preview, 1)
        samples_label = QLabel(self.tr("&Samples"))
        samples_label.setBuddy(self.samples)
        count = QHBoxLayout()
        count.addWidget(samples_label)
        count.addWidget(self.samples)
        count.addStretch(1)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addLayout(count)
        # One under the other: beside each other they do not fit the column at 1024 px.
        side.addWidget(self.start_button)
        side.addWidget(self.cancel_button)
        side.addWidget(self.progress)
        side.addWidget(self.thumbnails)
        side.addWidget(self.duplicate)
        side.addWidget(self.feedback, 1)
        tab = QWidget()
        columns = QHBoxLayout(tab)
        columns.setContentsMargins(0, 12, 0, 0)
        columns.setSpacing(20)
        columns.addLayout(left, 3)
        columns.addLayout(side, 2)
        return tab

    def _photos_tab(self) -> QWidget:
        how = QLabel(
            self.tr(
                "Choose one or more photos of this person, alone and facing the camera (a "
                "USB stick, a folder). Each photo is checked as a camera sample is; the good "
                "ones are saved."
            )
        )
        how.setObjectName("PageIntro")
        how.setWordWrap(True)
        self.choose_button = button(self.tr("C&hoose photos…"), "primary")
        self.cancel_photos_button = button(self.tr("Stop"))
        self.cancel_photos_button.setEnabled(False)
        self.photo_progress = QProgressBar()
        self.photo_progress.setFormat(self.tr("%v of %m photos"))
        self.photo_progress.setRange(0, 1)
        self.photo_progress.setValue(0)
        self.photo_progress.hide()
        self.photo_results = self._verdict_list(self.tr("Photos checked"), 80)
        self.photo_results.setIconSize(QSize(PHOTO_ICON_PX, PHOTO_ICON_PX))
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.cancel_photos_button)
        buttons.addWidget(self.photo_progress, 1)
        buttons.addStretch(0)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(10)
        column.addWidget(how)
        column.addLayout(buttons)
        column.addWidget(self.photo_results, 1)
        return tab

    def _strip(self) -> QListWidget:
        strip = QListWidget()
        strip.setAccessibleName(self.tr("Faces of the samples taken"))
        strip.setViewMode(QListView.ViewMode.IconMode)
        strip.setFlow(QListView.Flow.LeftToRight)
        strip.setWrapping(False)
        strip.setIconSize(QSize(THUMB_PX, THUMB_PX))
        strip.setSpacing(2)
        strip.setMovement(QListView.Movement.Static)
        strip.setFixedHeight(THUMB_PX + 14)
        strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return strip

    def _verdict_list(self, name: str, minimum_height: int) -> QListWidget:
        verdicts = _Verdicts()
        verdicts.setAccessibleName(name)
        verdicts.setMinimumWidth(200)
        verdicts.setMinimumHeight(minimum_height)
        # Each verdict whole ("Not taken: look straight at the camera"), on two lines if need be.
        verdicts.setWordWrap(True)
        verdicts.setTextElideMode(Qt.TextElideMode.ElideNone)
        verdicts.setResizeMode(QListView.ResizeMode.Adjust)
        return verdicts

    def _file_dialog(self) -> QFileDialog:
        # Qt's own dialog: the same on every desktop (or none), and a test can drive it.
        dialog = QFileDialog(self, self.tr("Photos of the person"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        patterns = " ".join(f"*{s} *{s.upper()}" for s in IMAGE_SUFFIXES)
        dialog.setNameFilters([self.tr("Photos ({patterns})").format(patterns=patterns)])
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        start = Path(pictures) if pictures and Path(pictures).is_dir() else Path.home()
        dialog.setDirectory(str(start))
        dialog.filesSelected.connect(self._files_chosen)
        return dialog

    def _connect(self, admin: AdminContext) -> None:
        self.progress_arrived.connect(self._on_progress)
        self.verdict_arrived.connect(self._on_verdict)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.choose_button.clicked.connect(self.choose_photos)
        self.cancel_photos_button.clicked.connect(self.cancel)
        self.samples.valueChanged.connect(self._samples_changed)
        # Consent is one person's: choosing someone else asks for theirs.
        self.employee.currentIndexChanged.connect(lambda _index: self.consent.setChecked(False))
        self.consent.toggled.connect(self._consent_changed)
        admin.feed.frame.connect(self._on_frame)
        admin.feed.observation.connect(self._on_observation)

    # --- the page -----------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("Face enrollment")

    def activate(self) -> None:
        service = self.ctx.employees()
        self.run(service.list, self._fill)

    def deactivate(self) -> None:
        if self.running:
            self.cancel()

    def preselect(self, code: str) -> None:
        """Choose this employee (the Employees page's "Enroll face" button)."""
        self._wanted = code
        index = self.employee.findData(code)
        if index >= 0:
            self.employee.setCurrentIndex(index)

    def _fill(self, employees: list[EmployeeView]) -> None:
        current = self._wanted or self.employee.currentData()
        before = self.employee.currentData()
        # Reloading the list (new sample counts) is not choosing someone else: the consent
        # given stays, unless the person changes.
        self.employee.blockSignals(True)
        self.employee.clear()
        for employee in employees:
            samples = self.tr("%n sample(s)", "", employee.templates)
            self.employee.addItem(f"{employee.code} — {employee.name} ({samples})", employee.code)
        if current:
            self.preselect(str(current))
        self.employee.blockSignals(False)
        if self.employee.currentData() != before:
            self.consent.setChecked(False)
        for widget in (self.start_button, self.choose_button):
            widget.setEnabled(bool(employees) and not self.running)
        if not employees:
            self.show_notice(self.tr("Add the employee first, in Employees."), "info")

    def _ready(self) -> str | None:
        """The employee's code when one is chosen and their consent given; else says what
        is missing, beside the consent box, and returns None."""
        code = self.employee.currentData()
        if not code:
            self.show_notice(self.tr("Choose the employee to enroll."), "bad")
            return None
        if not self.consent.isChecked():
            self.consent_error.setText(
                self.tr("Ask for the person's consent and tick the box before enrolling.")
            )
            self.consent_error.show()
            self.consent.setFocus()
            return None
        self.consent_error.hide()
        self.clear_notice()
        return str(code)

    def _consent_changed(self, checked: bool) -> None:
        if checked:
            self.consent_error.hide()

    # --- the camera ---------------------------------------------------------------------
    def start(self) -> None:
        code = self._ready()
        if code is None:
            return
        self.feedback.clear()
        self.thumbnails.clear()
        self.duplicate.hide()
        self.progress.setRange(0, self.samples.value())
        self.progress.setValue(0)
        self.last = None
        try:
            future = self.admin.runtime.start_enrollment(
                code, self.samples.value(), self._progress_from_worker, self.admin.actor
            )
        except Exception as exc:
            self.show_error(exc)
            return
        self._show_turn(HeadTurn.STRAIGHT, same_pose=False)
        self._set_running(True, photos=False)
        self.admin.tasks.watch(future, self._finished, self._failed, owner=self)

    def cancel(self) -> None:
        self.admin.runtime.cancel_enrollment()
        self.cancel_button.setEnabled(False)
        self.cancel_photos_button.setEnabled(False)

    def _progress_from_worker(self, progress: EnrollmentProgress) -> None:
        try:
            self.progress_arrived.emit(progress)
        except RuntimeError:  # the page was closed while the capture ran
            log.debug("enrollment progress after the page closed")

    def _on_progress(self, progress: EnrollmentProgress) -> None:
        previous = self.last.accepted if self.last is not None else 0
        self.last = progress
        self.progress.setRange(0, max(progress.needed, 1))
        self.progress.setValue(progress.accepted)
        if progress.accepted > previous:
            self.feedback.addItem(
                self.tr("✓ Sample {n} of {needed} taken").format(
                    n=progress.accepted, needed=progress.needed
                )
            )
            self._add_thumbnail(progress)
        elif progress.last_reason is not None:
            self.feedback.addItem(
                self.tr("✕ Not taken: {why}").format(why=refusal_text(progress.last_reason))
            )
        if progress.turn is not None and not progress.done:
            self._show_turn(progress.turn, same_pose=progress.same_pose)
        if progress.duplicate_of:
            self.duplicate.setText(
                self.tr(
                    "This face is already enrolled as {who}. If that is a mistake, erase that "
                    "person's face data first; otherwise enroll the right employee."
                ).format(who=progress.duplicate_of)
            )
            self.duplicate.show()
        self.feedback.scrollToBottom()

    def _add_thumbnail(self, progress: EnrollmentProgress) -> None:
        pixmap = _pixmap(progress.thumbnail)
        item = QListWidgetItem()
        if pixmap is not None:
            item.setIcon(QIcon(pixmap))
        else:
            item.setText(str(progress.accepted))
        item.setToolTip(self.tr("Sample {n}").format(n=progress.accepted))
        self.thumbnails.addItem(item)
        self.thumbnails.scrollToItem(item)

    def _show_turn(self, turn: HeadTurn, *, same_pose: bool) -> None:
        self.prompt.setText(self.turn_text(turn))
        if same_pose:
            self.pose_hint.setText(
                self.tr(
                    "Waiting for the head to move: the next sample is taken from another position."
                )
            )
        self.pose_hint.setVisible(same_pose)

    def turn_text(self, turn: HeadTurn) -> str:
        texts = {
            HeadTurn.STRAIGHT: self.tr("Look straight at the camera."),
            HeadTurn.LEFT: self.tr("Turn a little to the left…"),
            HeadTurn.RIGHT: self.tr("Turn a little to the right…"),
            HeadTurn.UP: self.tr("Lift your chin a little…"),
            HeadTurn.DOWN: self.tr("Lower your chin a little…"),
            HeadTurn.UP_LEFT: self.tr("A little up and to the left…"),
            HeadTurn.UP_RIGHT: self.tr("A little up and to the right…"),
            HeadTurn.DOWN_LEFT: self.tr("A little down and to the left…"),
            HeadTurn.DOWN_RIGHT: self.tr("A little down and to the right…"),
            HeadTurn.ANY: self.tr("Move your head a little, any way…"),
        }
        return texts[turn]

    def _finished(self, progress: EnrollmentProgress) -> None:
        if progress != self.last:
            self._on_progress(progress)
        self._set_running(False, photos=False)
        self.pose_hint.hide()
        self.prompt.setText(self.tr("Ask the person to stand alone in front of the camera."))
        if progress.duplicate_of:
            self.show_notice(
                self.tr("Enrollment stopped: this face is already enrolled. Nothing was saved."),
                "bad",
            )
        elif progress.last_reason is Refusal.OTHER_PERSON and progress.done:
            self.show_notice(
                self.tr(
                    "Enrollment stopped: this face does not match the faces already enrolled "
                    "for this employee. Nothing was saved. If it is the same person, erase "
                    "their face data first, then enroll again."
                ),
                "bad",
            )
        elif progress.cancelled:
            self.show_notice(self.tr("Enrollment cancelled. Nothing was saved."), "info")
        elif progress.error:
            self.show_notice(
                self.tr("Enrollment did not finish, nothing was saved: {why}").format(
                    why=progress.error
                ),
                "bad",
            )
        elif progress.done:
            self.show_notice(
                self.tr("Enrollment complete: %n sample(s) saved.", "", progress.accepted), "ok"
            )
            self.activate()  # the list shows the new sample count
        else:
            self.show_notice(self.tr("Enrollment cancelled. Nothing was saved."), "info")

    def _failed(self, exc: BaseException) -> None:
        self._set_running(False, photos=False)
        self.tabs.setTabEnabled(0, True)
        self.photo_progress.hide()
        self.show_error(exc)

    def _set_running(self, running: bool, *, photos: bool) -> None:
        self.running = running
        fields: tuple[QWidget, ...] = (
            self.start_button,
            self.choose_button,
            self.employee,
            self.samples,
            self.consent,
        )
        for widget in fields:
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running and not photos)
        self.cancel_photos_button.setEnabled(running and photos)
        # The other way in waits for this one to end.
        other = 1 if not photos else 0
        self.tabs.setTabEnabled(other, not running)

    # --- photo files --------------------------------------------------------------------
    def choose_photos(self) -> None:
        if self._ready() is None:
            return
        self.file_dialog.open()

    def _files_chosen(self, files: list[str]) -> None:
        self.enroll_files([Path(name) for name in files])

    def enroll_files(self, photos: list[Path]) -> None:
        """Judge these photo files for the chosen employee (the file dialog's choice)."""
        code = self._ready()
        if code is None or not photos:
            return
        self.photo_results.clear()
        self._photo_lines = {}
        for index, path in enumerate(photos, start=1):
            item = QListWidgetItem(self.tr("… {name}: waiting").format(name=path.name))
            self.photo_results.addItem(item)
            self._photo_lines[index] = item
        self.photo_progress.setRange(0, len(photos))
        self.photo_progress.setValue(0)
        self.photo_progress.show()
        try:
            future = self.admin.runtime.enroll_photos(
                code, photos, self._verdict_from_worker, self.admin.actor
            )
        except Exception as exc:
            self.photo_progress.hide()
            self.show_error(exc)
            return
        self._set_running(True, photos=True)
        self.admin.tasks.watch(future, self._photos_finished, self._failed, owner=self)

    def _verdict_from_worker(self, verdict: PhotoVerdict) -> None:
        try:
            self.verdict_arrived.emit(verdict)
        except RuntimeError:  # the page was closed while the photos were checked
            log.debug("photo verdict after the page closed")

    def _on_verdict(self, verdict: PhotoVerdict) -> None:
        self._show_verdict(verdict)
        self.photo_progress.setValue(max(self.photo_progress.value(), verdict.index))

    def _show_verdict(self, verdict: PhotoVerdict) -> None:
        item = self._photo_lines.get(verdict.index)
        if item is None:
            item = QListWidgetItem()
            self.photo_results.addItem(item)
            self._photo_lines[verdict.index] = item
        if verdict.accepted:
            item.setText(self.tr("✓ {name}: taken").format(name=verdict.name))
        else:
            item.setText(
                self.tr("✕ {name}: {why}").format(name=verdict.name, why=self.photo_why(verdict))
            )
        item.setToolTip(verdict.detail)
        pixmap = _pixmap(verdict.thumbnail)
        if pixmap is None:  # an empty square: every name starts at the same place
            pixmap = QPixmap(PHOTO_ICON_PX, PHOTO_ICON_PX)
            pixmap.fill(Qt.GlobalColor.transparent)
        item.setIcon(QIcon(pixmap))
        self.photo_results.scrollToItem(item)

    def photo_why(self, verdict: PhotoVerdict) -> str:
        """Why a photo was refused, in words that fit a photo (not a person at the camera)."""
        reason = verdict.reason
        if reason is Refusal.UNREADABLE:
            return {
                FileProblem.MISSING: self.tr(
                    "the file cannot be opened (moved, deleted, or not allowed)"
                ),
                FileProblem.TOO_LARGE: self.tr(
                    "the file is too large to be a photo (over 40 MB or 60 megapixels)"
                ),
                FileProblem.CORRUPT: self.tr("the file is damaged or is not a picture"),
                None: self.tr("the file cannot be read"),
            }[verdict.file_problem]
        if reason is Refusal.SEVERAL_FACES:
            return self.tr(
                "%n faces in the photo; use one of the person alone", "", max(verdict.faces, 2)
            )
        if reason is Refusal.DUPLICATE:
            return self.tr("this face is already enrolled as {who}").format(
                who=verdict.duplicate_of or "?"
            )
        texts = {
            Refusal.NO_FACE: self.tr("no face found"),
            Refusal.TOO_SMALL: self.tr("the face is too small; use a closer or larger photo"),
            Refusal.BLURRY: self.tr("the face is blurred"),
            Refusal.TOO_DARK: self.tr("the face is too dark"),
            Refusal.TOO_BRIGHT: self.tr("the face is overexposed"),
            Refusal.POSE: self.tr("the face is turned away from the camera"),
            Refusal.OTHER_PERSON: self.tr(
                "this face does not match the faces already enrolled for this employee"
            ),
            Refusal.INCONSISTENT: self.tr("this face does not look like the other photos"),
        }
        if reason in texts:
            return texts[reason]
        return refusal_text(reason) if reason is not None else ""

    def _photos_finished(self, report: PhotoEnrollmentReport) -> None:
        for verdict in report.verdicts:  # final: one taken at first may be refused now
            self._show_verdict(verdict)
        self._set_running(False, photos=True)
        self.photo_progress.hide()
        refused = sum(not v.accepted for v in report.verdicts)
        if report.cancelled:
            self.show_notice(self.tr("Enrollment cancelled. Nothing was saved."), "info")
        elif report.saved:
            text = self.tr("%n photo(s) enrolled.", "", report.saved)
            if refused:
                text += " " + self.tr("%n refused: see why beside each.", "", refused)
            self.show_notice(text, "warn" if refused else "ok")
            self.activate()  # the list shows the new sample count
        elif not report.verdicts or all(not v.accepted for v in report.verdicts):
            self.show_notice(
                self.tr("No photo could be used; nothing was saved. See why beside each."),
                "bad",
            )
        else:
            self.show_notice(
                self.tr("Enrollment did not finish, nothing was saved: {why}").format(
                    why=report.error or "?"
                ),
                "bad",
            )

    # --- the preview --------------------------------------------------------------------
    def _samples_changed(self, count: int) -> None:
        if self.progress.value() in (0, -1):  # not during or right after a capture
            self.progress.setRange(0, count)
            self.progress.setValue(0)

    def _on_frame(self, frame: Frame) -> None:
        if self.isVisible() and self.tabs.currentWidget() is self.camera_tab:
            self.preview.set_frame(frame)

    def _on_observation(self, observation: FaceObservation) -> None:
        if self.isVisible():
            self.preview.set_observation(observation)
