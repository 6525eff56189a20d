"""The running kiosk core: camera, model loader, recognition worker and attendance writes.

Implements ``core.runtime_api.KioskRuntime`` for the window, and drives the headless mode
too. Threads, each with one job:

- ``camera-reader``: reads the source, keeps the newest frame (core.camera);
- ``model-loader``: started by main.py before anything else; publishes its state;
- ``recognition-worker``: takes the newest frame, runs the pipeline, asks the attendance
  rules, writes the record, and publishes what the window shows; during an enrollment it
  collects samples instead;
- ``kiosk-io``: one short-lived worker for PIN records, so the GUI never waits on argon2
  or on the disk.

Every getter returns the newest published value under a lock held for a few instructions.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.app import AppContext
from core.attendance.service import AttendanceService, Outcome, Recorded
from core.camera import CameraReader, CameraState, CameraStatus, Frame, parse_source
from core.config import load_settings
from core.recognition.config import RecognitionConfig
from core.recognition.loader import LoaderStatus, ModelLoader, shared_loader
from core.recognition.models import Models
from core.runtime_api import (
    EnrollmentProgress,
    FaceObservation,
    ModelStatus,
    RecordEvent,
    SyncStatus,
)
from core.states import FaceState, ModelState, Refusal

if TYPE_CHECKING:
    # Imported where used: the pipeline, enrollment and the gallery are not needed until
    # the models are ready, and importing them before the window only delays it.
    from core.recognition.enroll import EnrollmentSample
    from core.recognition.gallery import Gallery
    from core.recognition.pipeline import FrameResult, RecognitionPipeline
    from core.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)

WORKER_THREAD = "recognition-worker"
GALLERY_CHECK_S = 1.0  # how often the worker looks for new or erased faces in the store
ENROLL_SAMPLE_GAP_S = 0.35  # samples this far apart differ a little (expression, pose)
MAX_EVENTS = 50


def start_model_loader(ctx: AppContext, window_shown: threading.Event | None = None) -> ModelLoader:
    """Step 2 of the start-up order: load the configured models on their own thread.

    ``window_shown``: set by the kiosk once its window is on screen; the loader leaves the
    interpreter to the window until then (see ModelLoader.start).
    """
    loader = shared_loader(RecognitionConfig.from_settings(ctx.settings), ctx.paths.models)
    return loader.start(yield_until=window_shown)


@dataclass
class _Enrollment:
    code: str
    employee_id: uuid.UUID | None
    needed: int
    on_progress: Callable[[EnrollmentProgress], None]
    future: Future[EnrollmentProgress]
    samples: list[EnrollmentSample] = field(default_factory=list)
    photo: bytes | None = None
    last_at: float = 0.0
    actor: str = "kiosk"


class Runtime:
    """See the module docstring. Construct, ``start()``, poll, ``stop()``."""

    def __init__(
        self,
        ctx: AppContext,
        loader: ModelLoader | None = None,
        *,
        camera_source: str | None = None,
        realtime: bool = True,
        with_sync: bool = False,
    ) -> None:
        self.ctx = ctx
        self.config: RecognitionConfig = RecognitionConfig.from_settings(ctx.settings)
        self.loader = loader or start_model_loader(ctx)
        self._camera_source = camera_source or ctx.settings.camera
        self._realtime = realtime
        self._with_sync = with_sync
        self._sync: SyncScheduler | None = None
        self._camera_key: tuple[str, int, int] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._paused = False
        self._camera: CameraReader | None = None
        self._camera_error: CameraStatus | None = None
        self._observation = FaceObservation(seq=-1, state=FaceState.NONE)
        self._events: deque[RecordEvent] = deque(maxlen=MAX_EVENTS)
        self._enrollment: _Enrollment | None = None
        self._worker: threading.Thread | None = None
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-io")
        self._started_at = time.monotonic()
        self._unknown_since: float | None = None
        self.frames_processed = 0

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._open_camera(self._camera_source)
        self._worker = threading.Thread(target=self._run, name=WORKER_THREAD)
        self._worker.start()
        if self._with_sync:
            self._start_sync()

    def _start_sync(self) -> None:
        """Sync with the central database in the background, when one is configured."""
        if not self.ctx.settings.central_configured:
            return  # without importing the sync machinery (APScheduler, psycopg): start-up time
        from core.sync.engine import SyncEngine
        from core.sync.scheduler import SyncScheduler

        engine = SyncEngine.from_settings(self.ctx.store, self.ctx.settings)
        if engine is None:
            return
        engine.on_pulled(self.invalidate_gallery)
        self._sync = SyncScheduler(engine, self.ctx.settings.sync_interval_seconds)
        self._sync.start()

    def _stop_sync(self) -> None:
        sync, self._sync = self._sync, None
        if sync is not None:
            sync.stop()
            sync.engine.close()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            enrollment, self._enrollment = self._enrollment, None
        if enrollment is not None and not enrollment.future.done():
            enrollment.future.set_result(
                EnrollmentProgress(0, enrollment.needed, error="stopped", cancelled=True)
            )
        if self._worker is not None:
            self._worker.join(timeout=10)
            log.info("recognition stopped after %d frames", self.frames_processed)
        models = self.loader.models
        if models is not None:
            models.close_helpers()  # the landmark process: its only user has stopped
        if self._camera is not None:
            self._camera.stop()
        self._stop_sync()
        self._io.shutdown(wait=True, cancel_futures=True)

    @property
    def finished(self) -> bool:
        """True once a file or folder source has ended and its last frame was processed,
        or when nothing more can be (the models failed, the camera setting is unusable)."""
        if self.loader.status.state is ModelState.FAILED:
            return True
        camera = self._camera
        if camera is None:
            return self._camera_error is not None
        return camera.state.is_final and camera.latest(self._last_seq) is None

    # --- what the window polls ----------------------------------------------------------------
    def latest_frame(self, after_seq: int = -1) -> Frame | None:
        camera = self._camera
        return None if camera is None else camera.latest(after_seq)

    def observation(self) -> FaceObservation:
        with self._lock:
            return self._observation

    def model_status(self) -> ModelStatus:
        status: LoaderStatus = self.loader.status
        detail = status.reason or status.message
        elapsed = status.timings.get("total_s", time.monotonic() - self._started_at)
        return ModelStatus(status.state, status.model_name, detail, elapsed)

    def camera_status(self) -> CameraStatus:
        camera = self._camera
        if camera is None:
            return self._camera_error or CameraStatus(CameraState.STOPPED, "no camera")
        return camera.status

    def sync_status(self) -> SyncStatus:
        sync = self._sync
        if sync is not None:
            return sync.status()
        return SyncStatus(configured=self.ctx.settings.central_configured)

    def sync_now(self) -> bool:
        sync = self._sync
        if sync is None:
            return False
        sync.run_soon()
        return True

    def poll_events(self) -> list[RecordEvent]:
        with self._lock:
            events = list(self._events)
            self._events.clear()
        return events

    # --- what the window asks for -------------------------------------------------------------
    def record_pin(self, code: str, pin: str) -> Future[Outcome]:
        return self._io.submit(self._attendance().record_pin, code, pin)

    def set_camera(self, source: str, width: int, height: int) -> None:
        """Switch sources (settings page); the old reader stops off the caller's thread."""
        camera = self._camera
        if (
            camera is not None
            and self._camera_key == (source, width, height)
            and not camera.state.is_final
        ):
            return  # already showing it (the settings page applies, then saves)
        old = self._camera
        self._camera_source = source
        self._open_camera(source, width, height)
        if old is not None:
            threading.Thread(target=old.stop, name="camera-stopper", daemon=True).start()

    def reload_settings(self) -> None:
        """Apply a changed settings file: rules at once; a new model loads in the background."""
        settings = load_settings(self.ctx.config_path)
        previous = self.ctx.settings
        self.ctx.settings = settings
        self.config = RecognitionConfig.from_settings(settings)
        if (settings.model_name, settings.detector) != (previous.model_name, previous.detector):
            self.loader = shared_loader(self.config, self.ctx.paths.models).start()
        if (
            settings.camera,
            settings.camera_width,
            settings.camera_height,
            settings.camera_loop,
        ) != (
            previous.camera,
            previous.camera_width,
            previous.camera_height,
            previous.camera_loop,
        ):
            self._camera_key = None  # reopen even when only camera_loop changed
            self.set_camera(settings.camera, settings.camera_width, settings.camera_height)
        if self._with_sync and settings.central_url() != previous.central_url():
            self._stop_sync()
            self._start_sync()
        self._pipeline_config_changed = True

    def invalidate_gallery(self, *_changed: object) -> None:
        """Reload the gallery before the next frame (sync pulled faces or erasures).

        Accepts and ignores the sync engine's (changed ids, erased ids) arguments, so it can be
        passed to ``SyncEngine.on_pulled`` directly; callable from any thread.
        """
        self._fingerprint = None
        self._next_gallery_check = 0.0

    def pause_recognition(self, paused: bool) -> None:
        self._paused = paused

    def start_enrollment(
        self,
        employee_code: str,
        samples: int,
        on_progress: Callable[[EnrollmentProgress], None],
        actor: str = "kiosk",
    ) -> Future[EnrollmentProgress]:
        future: Future[EnrollmentProgress] = Future()
        employee = self.ctx.employees().get(employee_code)
        with self._lock:
            if self._enrollment is not None:
                raise RuntimeError("an enrollment is already running")
            self._enrollment = _Enrollment(
                employee.code, employee.id, max(samples, 1), on_progress, future, actor=actor
            )
        return future

    def cancel_enrollment(self) -> None:
        with self._lock:
            enrollment, self._enrollment = self._enrollment, None
        if enrollment is not None and not enrollment.future.done():
            enrollment.future.set_result(
                EnrollmentProgress(
                    len(enrollment.samples), enrollment.needed, error="cancelled", cancelled=True
                )
            )

    # --- internals ------------------------------------------------------------------------------
    _last_seq = -1
    _next_seq = 0  # the first seq of the next camera reader (see _open_camera)
    _pipeline_config_changed = False
    _pipeline: RecognitionPipeline[uuid.UUID] | None = None
    _people: dict[uuid.UUID, tuple[str, str]] = {}  # noqa: RUF012 (replaced, never mutated)
    _fingerprint: tuple[object, ...] | None = None
    _next_gallery_check = 0.0
    _awaiting_blink: uuid.UUID | None = None

    def _attendance(self) -> AttendanceService:
        return self.ctx.attendance()

    def _open_camera(
        self, source: str, width: int | None = None, height: int | None = None
    ) -> None:
        try:
            parsed = parse_source(source)
        except ValueError as exc:
            self._camera = None
            self._camera_error = CameraStatus(CameraState.FAILED, str(exc))
            log.error("camera setting %r: %s", source, exc)
            return
        previous = self._camera
        if previous is not None:  # the new source's frames continue the old one's numbers
            self._next_seq = max(self._next_seq, previous.last_seq + 1)
        reader = CameraReader(
            parsed,
            width=width or self.ctx.settings.camera_width,
            height=height or self.ctx.settings.camera_height,
            loop=self.ctx.settings.camera_loop,
            realtime=self._realtime,
            first_seq=self._next_seq,
        )
        reader.start()
        self._camera, self._camera_error = reader, None
        self._camera_key = (
            source,
            width or self.ctx.settings.camera_width,
            height or self.ctx.settings.camera_height,
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            camera = self._camera
            if camera is None:
                self._stop.wait(0.2)
                continue
            models = self.loader.models
            if models is None:
                # Frames are not taken before the models are ready: a file read with
                # realtime=False (headless --exit-at-end) then loses none of them.
                self._stop.wait(0.05)
                continue
            frame = camera.wait_frame(self._last_seq, timeout=0.25)
            if frame is None:
                if camera.state is not CameraState.STREAMING:
                    self._observe(FaceObservation(self._last_seq, FaceState.NONE))
                continue
            self._last_seq = frame.seq
            try:
                self._handle(frame, models, time.monotonic())
            except Exception:
                # One bad frame or a transient store error must not kill recognition.
                log.exception("recognition failed on frame %d", frame.seq)
                self._stop.wait(0.5)

    def _handle(self, frame: Frame, models: Models, now: float) -> None:
        pipeline = self._current_pipeline(models, now)
        if self._enrollment is not None:
            self._enroll_step(models, pipeline.gallery, frame, now)
            return
        if self._paused:
            self._observe(FaceObservation(frame.seq, FaceState.NONE))
            return
        result = pipeline.process(frame.image, now)
        self.frames_processed += 1
        self._publish(frame, result, now)
        self._log_decision(result)
        if (
            result.new_decision
            and result.state is FaceState.RECOGNISED
            and result.employee_id is not None
        ):
            self._record(result)

    def _who(self, employee_id: uuid.UUID | None) -> str:
        code, name = self._people.get(employee_id, ("?", "?")) if employee_id else ("-", "")
        return f"{code} {name}".strip()

    def _log_decision(self, result: FrameResult[uuid.UUID]) -> None:
        """One line per decision, naming people by code and name (the pipeline knows ids)."""
        match = result.match
        nearest = "" if match is None else f"{self._who(match.key)} at {match.distance:.4f}"
        if result.new_decision and result.state is FaceState.RECOGNISED:
            second = "" if match is None else f", next {self._who(match.second_key)}"
            log.info(
                "decision: recognised %s (distance %.4f, threshold %.4f%s, %d frames, liveness %s)",
                self._who(result.employee_id),
                result.distance or 0.0,
                self.config.effective_threshold,
                second,
                result.votes,
                "off" if result.liveness is None else "blink seen",
            )
        elif result.new_decision and result.state is FaceState.UNKNOWN:
            log.info(
                "decision: unknown face (nearest %s > threshold %.4f)",
                nearest or "none",
                self.config.effective_threshold,
            )
        elif result.state is FaceState.BLINK and result.employee_id != self._awaiting_blink:
            log.info(
                "decision: %s matches, waiting for a blink before recording (liveness)",
                self._who(result.employee_id),
            )
        self._awaiting_blink = result.employee_id if result.state is FaceState.BLINK else None

    def _current_pipeline(self, models: Models, now: float) -> RecognitionPipeline[uuid.UUID]:
        """The pipeline for these models, its gallery refreshed when the store changed."""
        from core.faces import gallery_fingerprint, load_gallery
        from core.recognition.pipeline import RecognitionPipeline

        pipeline = self._pipeline
        if pipeline is None or pipeline.models is not models or self._pipeline_config_changed:
            gallery, self._people, self._fingerprint = load_gallery(
                self.ctx.store, models.model_name, models.embedder.dim
            )
            pipeline = self._pipeline = RecognitionPipeline(models, gallery, self.config)
            self._pipeline_config_changed = False
            self._next_gallery_check = now + GALLERY_CHECK_S
        elif now >= self._next_gallery_check:
            self._next_gallery_check = now + GALLERY_CHECK_S
            with self.ctx.store.read() as session:
                current = gallery_fingerprint(session, models.model_name)
            if current != self._fingerprint:
                pipeline.gallery, self._people, self._fingerprint = load_gallery(
                    self.ctx.store, models.model_name, models.embedder.dim
                )
        return pipeline

    def _publish(self, frame: Frame, result: FrameResult[uuid.UUID], now: float) -> None:
        state = result.state
        if state is FaceState.UNKNOWN:
            self._unknown_since = self._unknown_since or now
        elif state in (FaceState.NONE, FaceState.RECOGNISED, FaceState.BLINK):
            self._unknown_since = None
        name = None
        if result.employee_id is not None and state in (FaceState.RECOGNISED, FaceState.BLINK):
            name = self._people.get(result.employee_id, ("", ""))[1] or None
        self._observe(
            FaceObservation(
                seq=frame.seq,
                state=state,
                box=result.box,
                reason=result.reason,
                employee_name=name,
                unknown_for_s=0.0 if self._unknown_since is None else now - self._unknown_since,
            )
        )

    def _observe(self, observation: FaceObservation) -> None:
        with self._lock:
            self._observation = observation

    def _record(self, result: FrameResult[uuid.UUID]) -> None:
        assert result.employee_id is not None
        liveness = None if result.liveness is None else ("blink" if result.liveness else "none")
        from core.faces import employee_photo

        outcome = self._attendance().record_face(
            result.employee_id, score=result.distance or 0.0, liveness=liveness
        )
        photo = (
            employee_photo(self.ctx.store, result.employee_id)
            if isinstance(outcome, Recorded)
            else None
        )
        with self._lock:
            self._events.append(RecordEvent(outcome, photo))

    # --- enrollment from the live camera ----------------------------------------------------------
    def _enroll_step(
        self, models: Models, gallery: Gallery[uuid.UUID], frame: Frame, now: float
    ) -> None:
        from core.faces import FaceEnrollment, load_gallery, thumbnail_jpeg
        from core.recognition.enroll import EnrollmentRefusal, embed_enrollment_image

        enrollment = self._enrollment
        if enrollment is None or now - enrollment.last_at < ENROLL_SAMPLE_GAP_S:
            return
        enrollment.last_at = now
        image = frame.image.copy()
        out = embed_enrollment_image(
            models,
            image,
            self.config,
            gallery=gallery,
            employee=enrollment.employee_id,
            source="camera",
            name=f"frame {frame.seq}",
        )
        if isinstance(out, EnrollmentRefusal):
            duplicate = None
            if out.reason is Refusal.DUPLICATE and out.other is not None:
                _, people, _ = load_gallery(self.ctx.store, models.model_name, models.embedder.dim)
                code, name = people.get(out.other, ("?", "?"))
                duplicate = f"{code} {name}"
            progress = EnrollmentProgress(
                len(enrollment.samples), enrollment.needed, out.reason, duplicate
            )
            if duplicate is not None:
                self._finish_enrollment(
                    replace(progress, done=True, error=f"already enrolled as {duplicate}")
                )
                return
            enrollment.on_progress(progress)
            return
        enrollment.samples.append(out)
        if enrollment.photo is None:
            enrollment.photo = thumbnail_jpeg(image, out.box)
        progress = EnrollmentProgress(len(enrollment.samples), enrollment.needed)
        if len(enrollment.samples) < enrollment.needed:
            enrollment.on_progress(progress)
            return
        try:
            FaceEnrollment(self.ctx.store, models, self.config, self.ctx.settings.kiosk_id).save(
                enrollment.actor,
                enrollment.code,
                None,
                enrollment.samples,
                photo_jpeg=enrollment.photo,
            )
        except Exception as exc:
            self._finish_enrollment(replace(progress, done=True, error=str(exc)))
            return
        self._finish_enrollment(replace(progress, done=True))

    def _finish_enrollment(self, progress: EnrollmentProgress) -> None:
        with self._lock:
            enrollment, self._enrollment = self._enrollment, None
        if enrollment is None:
            return
        enrollment.on_progress(progress)
        if not enrollment.future.done():
            enrollment.future.set_result(progress)
