"""The employee screen: the camera, the prompt, the result card, the PIN pad, the status strip.

It needs no mouse: a face is enough; an unknown face is offered the PIN pad after a few
seconds; typing a digit or pressing Enter opens the pad too. It shows state and forwards
intent: the PIN goes to ``runtime.record_pin`` and its answer comes back through the
window's task runner, never by waiting here. The banner over the picture is
kiosk/prompt_banner.py; "which record is this?" is kiosk/punch_question.py.
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from core.attendance.outcomes import KioskOutcome, NotSaved, PunchChoice, Recorded
from core.camera import CameraState, CameraStatus, Frame
from core.runtime.api import (
    FaceObservation,
    FaceState,
    KioskRuntime,
    ModelState,
    RecordEvent,
    Refusal,
    WriteProblem,
)
from core.states import ModelStatus
from core.sync.status import SyncStatus
from kiosk.camera_view import CameraView
from kiosk.messages import describe_error, refusal_text, store_problem_text
from kiosk.no_camera import NoCameraPanel
from kiosk.pin_pad import PinPad
from kiosk.prompt_banner import PromptBanner
from kiosk.punch_question import PunchQuestion
from kiosk.result_card import ResultCard
from kiosk.sounds import Sounds, Tone
from kiosk.status_bar import StatusStrip
from kiosk.workers import TaskRunner

SAME_OUTCOME_S = 5.0  # an outcome seen again within this came by the other path
# An unknown face that stays this long is offered the PIN pad.
UNKNOWN_PIN_AFTER_S = 3.0
NO_CAMERA_STATES = (
    CameraState.FAILED,
    CameraState.ENDED,
    CameraState.STOPPED,
    CameraState.RECONNECTING,
)


class KioskScreen(QWidget):
    admin_requested = Signal()
    choose_camera_requested = Signal()

    def __init__(
        self,
        runtime: KioskRuntime,
        tasks: TaskRunner,
        *,
        kiosk_name: str,
        zone: ZoneInfo,
        sounds: Sounds,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskScreen")
        self.runtime = runtime
        self.tasks = tasks
        self.sounds = sounds
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.camera = CameraView()
        self.camera.covered = self.banner_over_camera
        self.camera.placeholder = self.tr("Opening the camera…")
        self.no_camera = NoCameraPanel()
        self.pictures = QStackedWidget()
        self.pictures.addWidget(self.camera)
        self.pictures.addWidget(self.no_camera)
        self.banner = PromptBanner()
        self.card = ResultCard()
        self.pin_button = self._pin_offer_button()

        self.area = QWidget()
        self.area.setObjectName("CameraArea")
        grid = QGridLayout(self.area)
        grid.setContentsMargins(24, 20, 24, 20)
        grid.addWidget(self.pictures, 0, 0)
        grid.addWidget(self.banner, 0, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(
            self.card, 0, 0, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter
        )
        self._add_chooser(grid)
        grid.addWidget(
            self.pin_button, 0, 0, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft
        )
        self.pin_pad = PinPad(self.area)
        self.area.installEventFilter(self)

        self.strip = StatusStrip(kiosk_name, zone)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.strip)

        self.strip.admin_requested.connect(self.admin_requested)
        self.no_camera.choose_camera.connect(self.choose_camera_requested)
        self.no_camera.use_pin.connect(self._pin_asked)
        self.pin_button.clicked.connect(self._pin_asked)
        self.pin_pad.submitted.connect(self._submit_pin)
        self.pin_pad.cancelled.connect(self.setFocus)
        self.card.hidden_again.connect(self._refresh_prompt)

        self.model: ModelStatus | None = None
        self.camera_state: CameraStatus | None = None
        self.observation: FaceObservation | None = None
        self.store_problem: WriteProblem | None = None
        self._offered_for_this_face = False
        self.nobody_enrolled = False  # the window asks the store (kiosk/main_window.py)
        self._recent: dict[object, float] = {}  # outcomes on screen lately, by identity
        self._refresh_prompt()

    def _pin_offer_button(self) -> QPushButton:
        offer = QPushButton(self.tr("Use code and PIN"))
        offer.setObjectName("PinOfferButton")
        offer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        offer.setToolTip(self.tr("Or type your code on the keyboard"))
        return offer

    # --- feed slots -------------------------------------------------------------------
    def on_frame(self, frame: Frame) -> None:
        if self.isVisible():
            self.camera.set_frame(frame)

    def on_observation(self, observation: FaceObservation) -> None:
        self.observation = observation
        self.camera.set_observation(observation)
        if observation.state is FaceState.UNKNOWN:
            if (
                observation.unknown_for_s >= UNKNOWN_PIN_AFTER_S
                and not self._offered_for_this_face
                and not self.pin_pad.isVisible()
                and self.isVisible()
            ):
                self._offered_for_this_face = True
                self.open_pin_pad(
                    self.tr("We could not recognise your face. Use your code and PIN.")
                )
        else:
            self._offered_for_this_face = False
        self._refresh_prompt()

    def on_model(self, status: ModelStatus) -> None:
        self.model = status
        self.strip.set_model(status)
        self._refresh_prompt()

    def on_camera(self, status: CameraStatus) -> None:
        self.camera_state = status
        self.strip.set_camera(status, self.camera.fps)
        lost = status.state in NO_CAMERA_STATES
        if lost:
            if self.pictures.currentWidget() is not self.no_camera:
                # The camera-lost panel wins: a card from before the loss covered its
                # "Record with code and PIN". Cards that come later (a PIN record) show.
                self.card.dismiss()
            self.no_camera.set_status(status)
            self.camera.clear()
        self.pictures.setCurrentWidget(self.no_camera if lost else self.camera)
        self._refresh_prompt()

    def on_sync(self, status: SyncStatus) -> None:
        self.strip.set_sync(status)

    def on_store(self, problem: WriteProblem | None) -> None:
        """The store cannot keep records (a full disk): said at the top until it can."""
        self.store_problem = problem
        self._refresh_prompt()

    def on_record(self, event: RecordEvent) -> None:
        self.show_outcome(event.outcome, event.photo_jpeg)

    # --- results ----------------------------------------------------------------------
    def show_outcome(
        self, outcome: KioskOutcome | NotSaved, photo_jpeg: bytes | None = None
    ) -> None:
        """Show a record (or a refusal) once, whichever way it arrives first.

        A PIN record comes back as the future's result and may also come as a runtime
        event, in either order: the second one only adds the photo it may carry.
        """
        if self._already_shown(outcome):
            if isinstance(outcome, Recorded) and self.card.event_id == outcome.event_id:
                self.card.set_photo(photo_jpeg)
            return
        if isinstance(outcome, PunchChoice):
            self._ask(outcome, photo_jpeg)
            return
        self.chooser.close_chooser()  # a newer answer replaces an open question
        if isinstance(outcome, NotSaved):
            self.card.show_not_saved(outcome, photo_jpeg)
            self.sounds.play(Tone.REFUSED)
        elif isinstance(outcome, Recorded):
            self.card.show_recorded(outcome, photo_jpeg)
            self.sounds.play(Tone.LATE if outcome.late_minutes > 0 else Tone.RECORDED)
        else:
            self.card.show_refused(outcome, photo_jpeg)
            self.sounds.play(Tone.REFUSED)
        # The pad closes with the card of the person who typed their code in it (that
        # record may arrive as a runtime event before the PIN request's own answer), or
        # when nobody has started typing; someone else's half-typed PIN stays.
        typed = self.pin_pad.code.text().strip()
        if self.pin_pad.isVisible() and (self.pin_pad.is_empty or typed == outcome.employee_code):
            self.pin_pad.close_pad()
        self._refresh_prompt()

    def _already_shown(self, outcome: KioskOutcome | NotSaved) -> bool:
        now = time.monotonic()
        if isinstance(outcome, Recorded):
            key: object = outcome.event_id
        elif isinstance(outcome, PunchChoice):
            key = outcome.token
        elif isinstance(outcome, NotSaved):
            key = (outcome.employee_code, "not saved")
        else:
            # Refusals have no id: the same person and reason within a moment is the same.
            key = (outcome.employee_code, outcome.reason)
        seen = self._recent.get(key)
        self._recent = {k: t for k, t in self._recent.items() if now - t < SAME_OUTCOME_S}
        self._recent[key] = now
        return seen is not None and now - seen < SAME_OUTCOME_S

    # --- which record is this? (punch_mode ask, and shift's "Not right? Change") -------
    def _add_chooser(self, grid: QGridLayout) -> None:
        """Where the card shows, in its place: one answer or question at a time."""
        self.question = PunchQuestion(self.runtime, self.tasks, self.card, self.sounds, self)
        self.chooser = self.question.chooser
        grid.addWidget(
            self.chooser, 0, 0, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter
        )
        self.card.change_requested.connect(self._offer_change)
        self.question.answered.connect(self.show_outcome)
        self.question.settled.connect(self._refresh_prompt)

    def _ask(self, choice: PunchChoice, photo_jpeg: bytes | None) -> None:
        self.card.dismiss()
        if self.pin_pad.isVisible() and (
            self.pin_pad.is_empty or self.pin_pad.code.text().strip() == choice.employee_code
        ):
            self.pin_pad.close_pad()
        self.question.ask(choice, photo_jpeg)
        self.sounds.play(Tone.RECORDED)  # answered: the person is known
        self._refresh_prompt()

    def set_aside(self) -> None:
        """The settings or the first-run assistant take the screen: an open PIN pad and an
        open question close unanswered (nothing is recorded behind the settings; whoever is
        still there is recognised again afterwards)."""
        self.pin_pad.close_pad()
        self.chooser.close_chooser()

    def _offer_change(self, recorded: Recorded) -> None:
        self.question.offer_change(recorded)
        self._refresh_prompt()

    # --- the PIN pad ------------------------------------------------------------------
    def _pin_asked(self) -> None:
        self.open_pin_pad()

    def open_pin_pad(self, hint: str = "") -> None:
        self.card.dismiss()
        self.pin_pad.open(hint)

    def _submit_pin(self, code: str, pin: str) -> None:
        try:
            future = self.runtime.record_pin(code, pin)
        except Exception as exc:  # the runtime refused before starting (stopping, say)
            self._pin_failed(exc)
            return
        self.tasks.watch(future, self._pin_done, self._pin_failed, owner=self)

    def _pin_done(self, outcome: KioskOutcome) -> None:
        self.pin_pad.close_pad()
        self.setFocus()
        self.show_outcome(outcome)

    def _pin_failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        self.pin_pad.show_error(message.text)
        self.sounds.play(Tone.REFUSED)

    # --- the prompt -------------------------------------------------------------------
    def prompt(self) -> tuple[str, str, str | None]:
        """(text, tone, icon) for the banner; empty text hides it."""
        camera, model, obs = self.camera_state, self.model, self.observation
        state = obs.state if obs is not None else FaceState.NONE
        if self.store_problem is not None:
            # Before any greeting: nothing said here may be taken for "recorded".
            return store_problem_text(self.store_problem), "bad", None
        if camera is not None and camera.state in NO_CAMERA_STATES:
            return "", "info", None  # the no-camera panel says it
        if model is not None and model.state is ModelState.FAILED:
            text = self.tr("Face recognition is not available. Record with your code and PIN.")
            return text, "bad", None
        if model is not None and model.state is ModelState.LOADING and state is FaceState.NONE:
            text = self.tr("Getting ready… Meanwhile you can record with your code and PIN.")
            return text, "warn", None
        if state is FaceState.REFUSED and obs is not None:
            # a spoof is not something to adjust (closer, stiller): it is refused
            tone = "bad" if obs.reason is Refusal.SPOOF else "warn"
            return refusal_text(obs.reason), tone, None
        name = obs.employee_name if obs is not None else None
        prompts: dict[FaceState, tuple[str, str, str | None]] = {
            FaceState.NONE: (self.tr("Look at the camera"), "info", "camera"),
            FaceState.CHECKING: (self.tr("Checking… hold still"), "info", None),
            FaceState.BLINK: (self.tr("Please blink"), "warn", "eye"),
            FaceState.RECOGNISED: (self.tr("Hello, {name}").format(name=name or ""), "ok", None),
            FaceState.UNKNOWN: (
                self.tr("Not recognised. Try again, or use your code and PIN."),
                "bad",
                None,
            ),
        }
        return prompts.get(state, prompts[FaceState.NONE])

    def _refresh_prompt(self) -> None:
        # The offer of a PIN waits while a result card is up: on a narrow screen the card
        # covers it, and the person on the card has just been answered.
        lost = self.camera_state is not None and self.camera_state.state in NO_CAMERA_STATES
        answering = self.card.isVisible() or self.chooser.isVisible()
        self.pin_button.setVisible(not lost and not answering)
        text, tone, icon = self.prompt()
        if answering and tone != "bad":
            text = ""  # the card says it all; keep the picture clear
        detail = ""
        if self.model is not None and self.model.state is ModelState.FAILED:
            detail = self.tr("For the administrator: {reason}").format(reason=self.model.detail)
        elif self.nobody_enrolled and tone != "bad":
            # An empty kiosk: "look at the camera" alone leaves a new owner wondering.
            detail = self.tr(
                "Nobody is enrolled yet: an administrator presses F2 or the ⚙ button to begin."
            )
        self.banner.show_prompt(text, tone, icon, detail if text else "")

    def banner_over_camera(self) -> QRectF:
        """Where the prompt banner covers the picture (the camera view asks when it paints)."""
        banner = self.banner
        if not banner.isVisible():
            return QRectF()
        corner = self.camera.mapFromGlobal(banner.mapToGlobal(QPoint(0, 0)))
        return QRectF(QPointF(corner), QSizeF(banner.size()))

    def set_nobody_enrolled(self, nobody: bool) -> None:
        self.nobody_enrolled = nobody
        self._refresh_prompt()

    def set_kiosk(self, name: str, zone: ZoneInfo) -> None:
        self.strip.set_kiosk(name, zone)

    # --- keyboard ---------------------------------------------------------------------
    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.pin_pad.isVisible():
            # Keys the pad's fields let through (Return after returnPressed) stop here.
            event.accept()
            return
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_pin_pad()
            return
        if text and text.isalnum():
            self.open_pin_pad()
            self.pin_pad.code.insert(text)
            return
        super().keyPressEvent(event)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The pad covers the whole camera area, whatever its size.
        if watched is self.area and event.type() == QEvent.Type.Resize:
            self.pin_pad.setGeometry(self.area.rect())
        return super().eventFilter(watched, event)
