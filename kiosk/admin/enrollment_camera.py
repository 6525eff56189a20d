"""The enrollment page's camera tab: a guided capture from the live camera.

The preview under the request of the moment ("Turn a little to the left…"), the samples
taken as thumbnails, what was wrong with each refused one and the duplicate-face check.
The runtime takes a sample only once the head has really moved; this tab shows each
``EnrollmentProgress`` it reports. The page (kiosk/admin/enrollment_page.py) starts and
ends the capture and says how it ended.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.runtime.api import EnrollmentProgress, HeadTurn
from kiosk.admin.page import button
from kiosk.admin.verdict_list import jpeg_pixmap, verdict_list
from kiosk.camera_view import CameraView
from kiosk.messages import refusal_text

DEFAULT_SAMPLES = 5
THUMB_PX = 56  # a sample's face in the strip under the buttons


class _Preview(CameraView):
    """The camera preview, asking for less height than the kiosk's: the page's text wraps,
    so its scroll area gives it its preferred height, and that must fit 1024×768."""

    @override
    def sizeHint(self) -> QSize:
        return QSize(320, 240)


class CameraCaptureTab(QWidget):
    """``begin``, then each ``show_progress`` the runtime reports, then ``end``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets()
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
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 12, 0, 0)
        columns.setSpacing(20)
        columns.addLayout(left, 3)
        columns.addLayout(side, 2)
        self.samples.valueChanged.connect(self._samples_changed)
        self.last: EnrollmentProgress | None = None  # the newest progress shown

    def _widgets(self) -> None:
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
        self.feedback = verdict_list(self.tr("Samples taken"), 60)
        self.duplicate = QLabel()
        self.duplicate.setObjectName("Notice")
        self.duplicate.setProperty("tone", "warn")
        self.duplicate.setWordWrap(True)
        self.duplicate.hide()

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

    # --- a capture ----------------------------------------------------------------------
    def begin(self) -> None:
        """A new capture: nothing taken, nothing refused yet."""
        self.feedback.clear()
        self.thumbnails.clear()
        self.duplicate.hide()
        self.progress.setRange(0, self.samples.value())
        self.progress.setValue(0)
        self.last = None

    def show_progress(self, progress: EnrollmentProgress) -> None:
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
            self.show_turn(progress.turn, same_pose=progress.same_pose)
        if progress.duplicate_of:
            self.duplicate.setText(
                self.tr(
                    "This face is already enrolled as {who}. If that is a mistake, erase that "
                    "person's face data first; otherwise enroll the right employee."
                ).format(who=progress.duplicate_of)
            )
            self.duplicate.show()
        self.feedback.scrollToBottom()

    def end(self) -> None:
        """The capture is over: the request of the moment goes."""
        self.pose_hint.hide()
        self.prompt.setText(self.tr("Ask the person to stand alone in front of the camera."))

    def set_running(self, running: bool, *, photos: bool) -> None:
        """A capture or a photo run (``photos``) is going: nothing here starts another."""
        self.start_button.setEnabled(not running)
        self.samples.setEnabled(not running)
        self.cancel_button.setEnabled(running and not photos)

    def _add_thumbnail(self, progress: EnrollmentProgress) -> None:
        pixmap = jpeg_pixmap(progress.thumbnail)
        item = QListWidgetItem()
        if pixmap is not None:
            item.setIcon(QIcon(pixmap))
        else:
            item.setText(str(progress.accepted))
        item.setToolTip(self.tr("Sample {n}").format(n=progress.accepted))
        self.thumbnails.addItem(item)
        self.thumbnails.scrollToItem(item)

    def show_turn(self, turn: HeadTurn, *, same_pose: bool) -> None:
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

    def _samples_changed(self, count: int) -> None:
        if self.progress.value() in (0, -1):  # not during or right after a capture
            self.progress.setRange(0, count)
            self.progress.setValue(0)
