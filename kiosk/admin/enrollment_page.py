"""Face enrollment: a guided capture from the live camera, or photo files; one verdict each.

Both run in the runtime, on its own thread, and report every sample (or file) through a
callback on that thread, which only forwards it to a queued signal; the result comes back
as a Future. The employee and the consent are chosen once, above two tabs:

- **Camera** (kiosk/admin/enrollment_camera.py): the preview under the request of the
  moment, the samples taken, what was wrong with each refused one.
- **Photo files** (kiosk/admin/enrollment_photos.py): several photos at once, each taken
  (with its face) or refused with the reason.

Everything fits a 1024×768 screen without scrolling, and a missing consent is said right
under the consent box. A capture or photo run still going when the administrator leaves
the page is cancelled; how it ended is said at the top of the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from core.camera import Frame
from core.people.employees import EmployeeView
from core.runtime.api import (
    EnrollmentProgress,
    FaceObservation,
    HeadTurn,
    PhotoEnrollmentReport,
    PhotoVerdict,
    Refusal,
)
from kiosk.admin.enrollment_camera import CameraCaptureTab
from kiosk.admin.enrollment_photos import PhotoFilesTab
from kiosk.admin.page import AdminContext, AdminPage, add_row, form_layout

log = logging.getLogger(__name__)


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
        self.camera_tab = CameraCaptureTab()
        self.photos_tab = PhotoFilesTab()
        self.tabs.addTab(self.camera_tab, self.tr("From the &camera"))
        self.tabs.addTab(self.photos_tab, self.tr("From &photo files"))
        self.body.addWidget(self.tabs, 1)

        self._connect(admin)
        self.running = False  # a capture or a photo run
        self._wanted: str | None = None

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

    def _connect(self, admin: AdminContext) -> None:
        self.progress_arrived.connect(self._on_progress)
        self.verdict_arrived.connect(self._on_verdict)
        self.camera_tab.start_button.clicked.connect(self.start)
        self.camera_tab.cancel_button.clicked.connect(self.cancel)
        self.photos_tab.choose_button.clicked.connect(self.choose_photos)
        self.photos_tab.cancel_photos_button.clicked.connect(self.cancel)
        self.photos_tab.file_dialog.filesSelected.connect(self._files_chosen)
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
        for widget in (self.camera_tab.start_button, self.photos_tab.choose_button):
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
        self.camera_tab.begin()
        samples = self.camera_tab.samples.value()
        try:
            future = self.admin.runtime.start_enrollment(
                code, samples, self._progress_from_worker, self.admin.actor
            )
        except Exception as exc:
            self.show_error(exc)
            return
        self.camera_tab.show_turn(HeadTurn.STRAIGHT, same_pose=False)
        self._set_running(True, photos=False)
        self.admin.tasks.watch(future, self._finished, self._failed, owner=self)

    def cancel(self) -> None:
        self.admin.runtime.cancel_enrollment()
        self.camera_tab.cancel_button.setEnabled(False)
        self.photos_tab.cancel_photos_button.setEnabled(False)

    def _progress_from_worker(self, progress: EnrollmentProgress) -> None:
        try:
            self.progress_arrived.emit(progress)
        except RuntimeError:  # the page was closed while the capture ran
            log.debug("enrollment progress after the page closed")

    def _on_progress(self, progress: EnrollmentProgress) -> None:
        self.camera_tab.show_progress(progress)

    def _finished(self, progress: EnrollmentProgress) -> None:
        if progress != self.camera_tab.last:
            self._on_progress(progress)
        self._set_running(False, photos=False)
        self.camera_tab.end()
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
        self.camera_tab.end()  # an unknown code, say: the runtime answers after the start
        self.tabs.setTabEnabled(0, True)
        self.photos_tab.photo_progress.hide()
        self.show_error(exc)

    def _set_running(self, running: bool, *, photos: bool) -> None:
        self.running = running
        for widget in (self.employee, self.consent):
            widget.setEnabled(not running)
        self.camera_tab.set_running(running, photos=photos)
        self.photos_tab.set_running(running, photos=photos)
        # The other way in waits for this one to end.
        other = 1 if not photos else 0
        self.tabs.setTabEnabled(other, not running)

    # --- photo files --------------------------------------------------------------------
    def choose_photos(self) -> None:
        if self._ready() is None:
            return
        self.photos_tab.file_dialog.open()

    def _files_chosen(self, files: list[str]) -> None:
        self.enroll_files([Path(name) for name in files])

    def enroll_files(self, photos: list[Path]) -> None:
        """Judge these photo files for the chosen employee (the file dialog's choice)."""
        code = self._ready()
        if code is None or not photos:
            return
        self.photos_tab.begin(photos)
        try:
            future = self.admin.runtime.enroll_photos(
                code, photos, self._verdict_from_worker, self.admin.actor
            )
        except Exception as exc:
            self.photos_tab.photo_progress.hide()
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
        self.photos_tab.show_verdict(verdict)
        progress = self.photos_tab.photo_progress
        progress.setValue(max(progress.value(), verdict.index))

    def _photos_finished(self, report: PhotoEnrollmentReport) -> None:
        for verdict in report.verdicts:  # final: one taken at first may be refused now
            self.photos_tab.show_verdict(verdict)
        self._set_running(False, photos=True)
        self.photos_tab.photo_progress.hide()
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
    def _on_frame(self, frame: Frame) -> None:
        if self.isVisible() and self.tabs.currentWidget() is self.camera_tab:
            self.camera_tab.preview.set_frame(frame)

    def _on_observation(self, observation: FaceObservation) -> None:
        if self.isVisible():
            self.camera_tab.preview.set_observation(observation)
