"""The recognition worker: one thread from the newest camera frame to an attendance record.

Loop: wait for the models (a file read frame by frame loses none meanwhile), take the
camera's newest frame, run the pipeline on it, publish what the window shows, log the
decision, and on a new "recognised" ask the attendance rules and write the record; the
window learns of it through ``poll_events``. During a live enrollment the frame goes to
the enrollment instead, and while recognition is paused (an administrator's screen is
open) frames are only counted as seen; a pause that comes while a frame is being decided
drops that frame's record (``pause`` waits for a record already being written).

The gallery follows the store (``FollowedGallery``): reloaded when its fingerprint changes,
checked every ``GALLERY_CHECK_S``. That is the one way a change reaches recognition,
whoever made it: an enrollment here, an erasure or a deactivation, a sync's pull, or a
command in another process.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.attendance.outcomes import NotSaved, PunchChoice, Recorded
from core.attendance.service import AttendanceService
from core.camera import CameraState, Frame
from core.camera.slot import CameraSlot
from core.recognition.config import RecognitionConfig
from core.recognition.loader import ModelLoader
from core.recognition.models import Models
from core.runtime.api import FaceObservation, RecordEvent
from core.runtime.decisions import DecisionLog
from core.runtime.enrollment import LiveEnrollment
from core.states import FaceState
from core.store.database import Store
from core.store.durability import StoreWriteError

if TYPE_CHECKING:
    # Imported where used: not needed until the models are ready, and importing them
    # before the window only delays it.
    from core.recognition.gallery import Gallery
    from core.recognition.pipeline import FrameResult, RecognitionPipeline

log = logging.getLogger(__name__)

WORKER_THREAD = "recognition-worker"
GALLERY_CHECK_S = 1.0
MAX_EVENTS = 50
People = dict[uuid.UUID, tuple[str, str]]  # id -> (code, name)


class FollowedGallery:
    """The store's faces as recognition matches them: ``load`` once, then ``changed`` at
    every frame gives a fresh gallery when the store's face data changed (a cheap
    fingerprint query, at most every ``GALLERY_CHECK_S``), else None."""

    def __init__(self, store_of: Callable[[], Store]) -> None:
        self._store_of = store_of
        self._fingerprint: tuple[object, ...] | None = None
        self._next_check = 0.0

    def load(self, model_name: str, dim: int, now: float) -> tuple[Gallery[uuid.UUID], People]:
        from core.people.faces import load_gallery

        gallery, people, self._fingerprint = load_gallery(self._store_of(), model_name, dim)
        self._next_check = now + GALLERY_CHECK_S
        return gallery, people

    def changed(
        self, model_name: str, dim: int, now: float
    ) -> tuple[Gallery[uuid.UUID], People] | None:
        from core.people.faces import gallery_fingerprint

        if now < self._next_check:
            return None
        self._next_check = now + GALLERY_CHECK_S
        store = self._store_of()
        with store.read() as session:
            current = gallery_fingerprint(session, model_name)
        if current == self._fingerprint:
            return None
        return self.load(model_name, dim, now)


class RecognitionWorker:
    """Construct, ``start()``, read ``observation()`` / ``poll_events()``, ``stop()``.

    ``use_loader`` and ``use_config`` (a settings change) take effect at the next frame.
    """

    def __init__(
        self,
        loader: ModelLoader,
        config: RecognitionConfig,
        camera: CameraSlot,
        *,
        store_of: Callable[[], Store],
        attendance_of: Callable[[], AttendanceService],
        enrollment: LiveEnrollment,
    ) -> None:
        self.loader = loader
        self.config = config
        self.camera = camera
        self._store_of = store_of
        self._attendance_of = attendance_of
        self.enrollment = enrollment
        self.decisions = DecisionLog(config.effective_threshold)
        self.frames_processed = 0
        # Called at every turn of the loop (systemd's watchdog: core/host/watchdog.py).
        self.on_tick: Callable[[], None] | None = None
        self.records_not_saved = 0  # accepted by the rules, lost by the store (a full disk)
        # A person stands at a screen that can ask which record this is (the kiosk window;
        # headless recognition has nobody to ask and takes the likely kind).
        self.interactive = False
        self._paused = False
        # Held from "not paused?" to the end of a record's write, and by ``pause``: once
        # ``pause(True)`` returns, no record is made, not even from a frame in flight.
        self._record_lock = threading.Lock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._observation = FaceObservation(seq=-1, state=FaceState.NONE)
        self._events: deque[RecordEvent] = deque(maxlen=MAX_EVENTS)
        self._last_seq = -1
        self._unknown_since: float | None = None
        self._pipeline: RecognitionPipeline[uuid.UUID] | None = None
        self._rebuild = False
        self.gallery = FollowedGallery(store_of)

    # --- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=WORKER_THREAD)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            log.info("recognition stopped after %d frames", self.frames_processed)

    @property
    def finished(self) -> bool:
        """True once a file or folder has ended and its last frame was processed, or when
        nothing more can be (the models failed, the camera setting is unusable)."""
        from core.states import ModelState

        if self.loader.status.state is ModelState.FAILED:
            return True
        return self.camera.ended(self._last_seq)

    # --- what others read ---------------------------------------------------------------
    def observation(self) -> FaceObservation:
        with self._lock:
            return self._observation

    def poll_events(self) -> list[RecordEvent]:
        with self._lock:
            events = list(self._events)
            self._events.clear()
        return events

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self, paused: bool) -> None:
        """Stop (or resume) recognising; callable from any thread. A frame being processed
        when the pause comes makes no record: the settings opened while it was decided,
        and nobody at the kiosk screen would see its card (the decision is taken again
        once recognition resumes, if the person is still there). It waits at most for a
        record already being written."""
        with self._record_lock:
            self._paused = paused

    def use_loader(self, loader: ModelLoader) -> None:
        self.loader = loader

    def use_config(self, config: RecognitionConfig) -> None:
        self.config = config
        self.decisions.threshold = config.effective_threshold
        self._rebuild = True

    # --- the loop -------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            if self.on_tick is not None:
                self.on_tick()
            models = self.loader.models
            if models is None:
                # Frames are not taken before the models are ready: a file read with
                # realtime=False (headless --exit-at-end) then loses none of them.
                self._stop.wait(0.05)
                continue
            if self.enrollment.photos_waiting:  # photo files: one a turn, camera or not
                self._enroll_photo(models)
                continue
            reader = self.camera.reader
            if reader is None:
                self._stop.wait(0.2)
                continue
            frame = reader.wait_frame(self._last_seq, timeout=0.25)
            if frame is None:
                if reader.state is not CameraState.STREAMING:
                    self._observe(FaceObservation(self._last_seq, FaceState.NONE))
                continue
            self._last_seq = frame.seq
            # A file read frame by frame (headless --exit-at-end) is judged on its own clock,
            # so a slow machine or an emulated CPU sees the blink and the votes as recorded.
            now = time.monotonic() if reader.realtime else frame.captured_at
            try:
                self._handle(frame, models, now)
            except Exception:
                # One bad frame or a transient store error must not kill recognition.
                log.exception("recognition failed on frame %d", frame.seq)
                self._stop.wait(0.5)

    def _enroll_photo(self, models: Models) -> None:
        try:
            pipeline = self._current_pipeline(models, time.monotonic())
            self.enrollment.photo_step(
                models, self.config, pipeline.gallery, people=self.decisions.people
            )
        except Exception as exc:  # the store could not be read: the page is told
            log.exception("enrolling a photo failed")
            self.enrollment.cancel(str(exc) or repr(exc))

    def _handle(self, frame: Frame, models: Models, now: float) -> None:
        pipeline = self._current_pipeline(models, now)
        if self.enrollment.active:
            self.enrollment.step(
                models, self.config, pipeline.gallery, frame, now, people=self.decisions.people
            )
            return
        if self.paused:
            self._observe(FaceObservation(frame.seq, FaceState.NONE))
            return
        result = pipeline.process(frame.image, now)
        self.frames_processed += 1
        self.decisions.note(result)
        if result.new_decision and result.state is FaceState.RECOGNISED:
            # The record first: the greeting that the observation brings comes with its
            # result (recorded, or not saved), never before the store has answered.
            with self._record_lock:
                if self._paused:
                    log.info("recognition paused while frame %d was decided: no record", frame.seq)
                    pipeline.reset()
                    self._observe(FaceObservation(frame.seq, FaceState.NONE))
                    return
                self._record(result)
        self._publish(frame, result, now)

    def _current_pipeline(self, models: Models, now: float) -> RecognitionPipeline[uuid.UUID]:
        """The pipeline for these models and settings, its gallery fresh from the store."""
        from core.recognition.pipeline import RecognitionPipeline

        name, dim = models.model_name, models.embedder.dim
        pipeline = self._pipeline
        if pipeline is None or pipeline.models is not models or self._rebuild:
            gallery, self.decisions.people = self.gallery.load(name, dim, now)
            pipeline = self._pipeline = RecognitionPipeline(models, gallery, self.config)
            self._rebuild = False
        elif (fresh := self.gallery.changed(name, dim, now)) is not None:
            pipeline.gallery, self.decisions.people = fresh
        return pipeline

    def _publish(self, frame: Frame, result: FrameResult[uuid.UUID], now: float) -> None:
        state = result.state
        if state is FaceState.UNKNOWN:
            self._unknown_since = self._unknown_since or now
        elif state in (FaceState.NONE, FaceState.RECOGNISED, FaceState.BLINK):
            self._unknown_since = None
        named = state in (FaceState.RECOGNISED, FaceState.BLINK)
        self._observe(
            FaceObservation(
                seq=frame.seq,
                state=state,
                box=result.box,
                reason=result.reason,
                employee_name=self.decisions.name_of(result.employee_id) if named else None,
                unknown_for_s=0.0 if self._unknown_since is None else now - self._unknown_since,
            )
        )

    def _observe(self, observation: FaceObservation) -> None:
        with self._lock:
            self._observation = observation

    def _record(self, result: FrameResult[uuid.UUID]) -> None:
        from core.people.faces import employee_photo
        from core.recognition.pipeline import liveness_record

        assert result.employee_id is not None
        liveness = liveness_record(self.config.liveness, result)
        try:
            outcome = self._attendance_of().record_face(
                result.employee_id,
                score=result.distance or 0.0,
                liveness=liveness,
                ask=self.interactive,
            )
        except StoreWriteError as exc:
            # Logged by the service ("not recorded"); the window says it to the person.
            self.records_not_saved += 1
            code, name = self.decisions.people.get(result.employee_id, ("", ""))
            with self._lock:
                self._events.append(RecordEvent(NotSaved(code, name, str(exc), exc.disk_full)))
            return
        photo = None
        if isinstance(outcome, Recorded | PunchChoice):
            photo = employee_photo(self._store_of(), result.employee_id)
        with self._lock:
            self._events.append(RecordEvent(outcome, photo))
