"""Enrollment from the live camera: guided capture of several samples, one verdict each.

The runtime does the capture (``start_enrollment``) on its own thread and reports every
accepted or refused sample through a callback; the callback runs on that thread, so it only
forwards the update to a queued signal. The page shows the preview, progress, what was
wrong with each refused sample and the duplicate-face check, and cancels a capture that is
still running when the administrator leaves the page.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.camera import Frame
from core.employees import EmployeeView
from core.runtime_api import EnrollmentProgress, FaceObservation, Refusal
from kiosk.admin.page import (
    FIELD_HEIGHT,
    AdminContext,
    AdminPage,
    add_row,
    button,
    form_layout,
    row,
)
from kiosk.camera_view import CameraView
from kiosk.messages import refusal_text

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = 5


def _keep_room(*widgets: QWidget) -> None:
    """Messages come and go during a capture: their room stays, so the buttons under a
    finger do not move (a click landed on the wrong one)."""
    for widget in widgets:
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)


class EnrollmentPage(AdminPage):
    # Emitted from the runtime's thread; Qt queues it to the GUI thread.
    progress_arrived = Signal(object)

    def __init__(self, admin: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.set_intro(
            self.tr(
                "Ask the person to stand in front of the camera, alone, and look at it. "
                "The kiosk takes several samples; turn the head a little between them."
            )
        )
        self.employee = QComboBox()
        self.employee.setAccessibleName(self.tr("Employee to enroll"))
        self.employee.setMinimumWidth(260)
        # Its entries arrive after the first show: grow to them then.
        self.employee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.samples = QSpinBox()
        self.samples.setRange(3, 15)
        self.samples.setValue(DEFAULT_SAMPLES)
        self.consent = QCheckBox(self.tr("Consent given"))
        self.start_button = button(self.tr("&Start capture"), "primary")
        self.cancel_button = button(self.tr("&Cancel capture"))
        self.cancel_button.setEnabled(False)

        form = form_layout()
        samples_label = QLabel(self.tr("&Samples"))
        samples_label.setBuddy(self.samples)
        add_row(form, self.tr("&Employee"), self.employee)
        form.addRow(samples_label, self.samples)
        samples_label.setMinimumHeight(FIELD_HEIGHT)
        form.addRow(self._consent_box())

        self.preview = CameraView()
        self.preview.placeholder = self.tr("Waiting for the camera…")
        self.preview.setMinimumSize(320, 240)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v of %m samples"))
        self.progress.setRange(0, self.samples.value())  # not Qt's default of 100
        self.progress.setValue(0)
        self.feedback = self._verdict_list()
        self.duplicate = QLabel()
        self.duplicate.setObjectName("Notice")
        self.duplicate.setProperty("tone", "warn")
        self.duplicate.setWordWrap(True)
        self.duplicate.hide()

        self.body.addLayout(form)
        # Beside the preview the two buttons made the page wider than a 1024 px screen.
        self.body.addLayout(row(self.start_button, self.cancel_button))
        _keep_room(self.notice, self.duplicate)
        side = QVBoxLayout()
        for widget in (self.progress, self.duplicate, QLabel(self.tr("Each sample"))):
            side.addWidget(widget)
        side.addWidget(self.feedback, 1)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self.preview, 3)
        columns.addLayout(side, 2)
        self.body.addLayout(columns, 1)

        self._connect(admin)
        self.running = False
        self.last: EnrollmentProgress | None = None
        self._wanted: str | None = None

    def _verdict_list(self) -> QListWidget:
        verdicts = QListWidget()
        verdicts.setAccessibleName(self.tr("Samples taken"))
        verdicts.setMinimumWidth(220)
        # Each verdict whole ("Not taken: look straight at the camera"), on two lines if need be.
        verdicts.setWordWrap(True)
        verdicts.setTextElideMode(Qt.TextElideMode.ElideNone)
        verdicts.setResizeMode(QListView.ResizeMode.Adjust)
        return verdicts

    def _connect(self, admin: AdminContext) -> None:
        self.progress_arrived.connect(self._on_progress)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.samples.valueChanged.connect(self._samples_changed)
        # Consent is one person's: choosing someone else asks for theirs.
        self.employee.currentIndexChanged.connect(lambda _index: self.consent.setChecked(False))
        admin.feed.frame.connect(self._on_frame)
        admin.feed.observation.connect(self._on_observation)

    def _consent_box(self) -> QVBoxLayout:
        # A check box does not wrap: a short box, the full statement under it.
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
        return box

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
        self.employee.clear()
        for employee in employees:
            samples = self.tr("%n sample(s)", "", employee.templates)
            self.employee.addItem(f"{employee.code} — {employee.name} ({samples})", employee.code)
        if current:
            self.preselect(str(current))
        self.start_button.setEnabled(bool(employees) and not self.running)
        if not employees:
            self.show_notice(self.tr("Add the employee first, in Employees."), "info")

    # --- the capture ------------------------------------------------------------------
    def start(self) -> None:
        code = self.employee.currentData()
        if not code:
            self.show_notice(self.tr("Choose the employee to enroll."), "bad")
            return
        if not self.consent.isChecked():
            self.show_notice(
                self.tr("Ask for the person's consent and tick the box before capturing."), "bad"
            )
            self.consent.setFocus()
            return
        self.clear_notice()
        self.feedback.clear()
        self.duplicate.hide()
        self.progress.setRange(0, self.samples.value())
        self.progress.setValue(0)
        self.last = None
        try:
            future = self.admin.runtime.start_enrollment(
                str(code), self.samples.value(), self._progress_from_worker, self.admin.actor
            )
        except Exception as exc:
            self.show_error(exc)
            return
        self._set_running(True)
        self.admin.tasks.watch(future, self._finished, self._failed, owner=self)

    def cancel(self) -> None:
        self.admin.runtime.cancel_enrollment()
        self.cancel_button.setEnabled(False)

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
        elif progress.last_reason is not None:
            self.feedback.addItem(
                self.tr("✕ Not taken: {why}").format(why=refusal_text(progress.last_reason))
            )
        if progress.duplicate_of:
            self.duplicate.setText(
                self.tr(
                    "This face is already enrolled as {who}. If that is a mistake, erase that "
                    "person's face data first; otherwise enroll the right employee."
                ).format(who=progress.duplicate_of)
            )
            self.duplicate.show()
        self.feedback.scrollToBottom()

    def _finished(self, progress: EnrollmentProgress) -> None:
        if progress != self.last:
            self._on_progress(progress)
        self._set_running(False)
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
        self._set_running(False)
        self.show_error(exc)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.employee, self.samples, self.consent):
            widget.setEnabled(not running)

    # --- the preview ------------------------------------------------------------------
    def _samples_changed(self, count: int) -> None:
        if self.progress.value() in (0, -1):  # not during or right after a capture
            self.progress.setRange(0, count)
            self.progress.setValue(0)

    def _on_frame(self, frame: Frame) -> None:
        if self.isVisible():
            self.preview.set_frame(frame)

    def _on_observation(self, observation: FaceObservation) -> None:
        if self.isVisible():
            self.preview.set_observation(observation)
