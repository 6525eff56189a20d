"""A scripted ``KioskRuntime``: the window without the recognition engine.

Tests, the screenshots and manual trials use it to put the window in any state on demand
(model loading, a face recognised, an unknown face, no camera) and to check what the
window asked for (``calls``). Frames come from a camera source through the real
``CameraReader`` (a video file in the tests) or from a still picture; PIN records and
enrollments run on worker threads like the real runtime's, and PINs go through the real
``AttendanceService`` of the given context.

``python -m tools.harness.demo_runtime [--camera SRC] [--autoplay]`` opens the kiosk with it.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from core.attendance.outcomes import KioskOutcome, Recorded
from core.attendance.rules import Kind
from core.attendance.service import AttendanceService
from core.camera import CameraReader, CameraState, CameraStatus, Frame, Image
from core.config import Settings
from core.context import AppContext
from core.errors import RefusedError
from core.runtime.api import (
    EnrollmentProgress,
    FaceObservation,
    FaceState,
    FileProblem,
    HeadTurn,
    ModelState,
    PhotoEnrollmentReport,
    PhotoVerdict,
    RecordEvent,
    Refusal,
    WriteProblem,
)
from core.states import ModelStatus
from core.sync.status import SyncStatus

FRAME_SIZE = (960, 720)  # width, height of the still picture
FACE_BOX = (372, 150, 216, 260)  # where the still picture's face is (x, y, w, h)


def placeholder_picture(width: int = FRAME_SIZE[0], height: int = FRAME_SIZE[1]) -> Image:
    """A calm stand-in for a camera picture: a wall, a head and shoulders (BGR)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QRadialGradient

    image = QImage(width, height, QImage.Format.Format_RGB888)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    wall = QLinearGradient(0, 0, 0, height)
    wall.setColorAt(0.0, QColor("#5B6B78"))
    wall.setColorAt(1.0, QColor("#2F3A44"))
    painter.fillRect(0, 0, width, height, QBrush(wall))
    light = QRadialGradient(QPointF(width * 0.5, height * 0.35), width * 0.5)
    light.setColorAt(0.0, QColor(255, 255, 255, 40))
    light.setColorAt(1.0, QColor(255, 255, 255, 0))
    painter.fillRect(0, 0, width, height, QBrush(light))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#22303C"))
    painter.drawRoundedRect(
        QRectF(width * 0.24, height * 0.66, width * 0.52, height * 0.5), 160, 160
    )
    painter.setBrush(QColor("#C99F84"))
    painter.drawRect(QRectF(width * 0.455, height * 0.52, width * 0.09, height * 0.16))
    x, y, w, h = FACE_BOX
    scale_x, scale_y = width / FRAME_SIZE[0], height / FRAME_SIZE[1]
    face = QRectF(x * scale_x + 12, y * scale_y + 10, w * scale_x - 24, h * scale_y - 20)
    painter.setBrush(QColor("#D8B096"))
    painter.drawEllipse(face)
    painter.setBrush(QColor("#3A2A22"))
    painter.drawChord(face.adjusted(-6, -14, 6, -face.height() * 0.35), 0, 180 * 16)
    painter.end()
    buffer = image.constBits()
    rows = np.frombuffer(buffer, np.uint8).reshape(height, image.bytesPerLine())
    rgb = rows[:, : width * 3].reshape(height, width, 3)
    return np.ascontiguousarray(rgb[:, :, ::-1])


class ScriptedRuntime:
    """A ``KioskRuntime`` whose state is set by the caller; see the module docstring."""

    def __init__(
        self,
        ctx: AppContext | None = None,
        *,
        camera: str | None = None,
        picture: Image | None = None,
        fps: float = 30.0,
        queue_pin_events: bool = True,
        enrollment_step_s: float = 0.02,
    ) -> None:
        self.ctx = ctx
        self.camera_source = camera
        self.picture = picture if picture is not None else None
        self.fps = fps
        self.queue_pin_events = queue_pin_events
        self.enrollment_step_s = enrollment_step_s
        self.enrollment_script: list[EnrollmentProgress] | None = None
        self.photo_script: list[PhotoVerdict] | None = None  # None: judged by default_verdict
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.paused = False
        self.started = False
        self.stopped = False
        self._lock = threading.Lock()
        self._reader: CameraReader | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._cancel = threading.Event()
        self._autoplay: threading.Thread | None = None
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._model = ModelStatus(ModelState.READY, "Dlib", elapsed_s=1.2)
        self._camera: CameraStatus | None = None  # None: the reader's, or streaming
        self._sync = SyncStatus(configured=False)
        self._store_problem: WriteProblem | None = None  # scripted; else the real store's
        self._observation = FaceObservation(seq=0, state=FaceState.NONE)
        self._events: list[RecordEvent] = []

    # --- KioskRuntime -----------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self.started:
                return
            self.started = True
            self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="demo-runtime")
        self._start_reader(self.camera_source)

    def stop(self) -> None:
        self._stop.set()
        self._cancel.set()
        with self._lock:
            reader, self._reader = self._reader, None
            executor, self._executor = self._executor, None
            self.stopped = True
        if reader is not None:
            reader.stop()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if self._autoplay is not None:
            self._autoplay.join(timeout=2)

    def latest_frame(self, after_seq: int = -1) -> Frame | None:
        if self._camera is not None and self._camera.state is not CameraState.STREAMING:
            return None
        reader = self._reader
        if reader is not None:
            return reader.latest(after_seq)
        if self.picture is None:
            self.picture = placeholder_picture()
        # A still picture "arrives" at the camera's rate, so the preview runs as it would.
        seq = int((time.monotonic() - self._t0) * self.fps)
        if seq <= after_seq:
            return None
        return Frame(self.picture, seq, time.monotonic(), seq)

    def observation(self) -> FaceObservation:
        with self._lock:
            observation = self._observation
        if self.paused:
            return FaceObservation(seq=observation.seq, state=FaceState.NONE)
        # Scripted observations describe "now": keep them as fresh as the newest frame.
        return replace(observation, seq=max(observation.seq, self._current_seq()))

    def model_status(self) -> ModelStatus:
        with self._lock:
            status = self._model
        if status.state is ModelState.LOADING:
            return replace(status, elapsed_s=time.monotonic() - self._t0)
        return status

    def camera_status(self) -> CameraStatus:
        if self._camera is not None:
            return self._camera
        reader = self._reader
        if reader is not None:
            return reader.status
        return CameraStatus(CameraState.STREAMING, "Demo picture is streaming")

    def sync_status(self) -> SyncStatus:
        return self._sync

    def store_problem(self) -> WriteProblem | None:
        if self._store_problem is not None:
            return self._store_problem
        if self.ctx is not None and self.ctx.store_open:
            return self.ctx.store.write_problem
        return None

    def sync_now(self) -> bool:
        self.calls.append(("sync_now", ()))
        return self._sync.configured

    def poll_events(self) -> list[RecordEvent]:
        with self._lock:
            events, self._events = self._events, []
        return events

    def record_pin(self, code: str, pin: str) -> Future[KioskOutcome]:
        self.calls.append(("record_pin", (code,)))
        return self._submit(lambda: self._record_pin(code, pin))

    def choose_punch(self, token: uuid.UUID, kind: Kind) -> Future[Recorded]:
        self.calls.append(("choose_punch", (token, kind)))
        return self._submit(lambda: self._attendance().choose(token, kind))

    def change_punch(self, event_id: uuid.UUID, kind: Kind) -> Future[Recorded]:
        self.calls.append(("change_punch", (event_id, kind)))
        return self._submit(lambda: self._attendance().change_own(event_id, kind))

    def set_camera(self, source: str, width: int, height: int) -> None:
        self.calls.append(("set_camera", (source, width, height)))
        if self.started and self._reader is not None:
            old, self._reader = self._reader, None
            old.stop()
            self._start_reader(source)

    def apply(self, new: Settings, old: Settings) -> None:
        self.calls.append(("apply", (new, old)))

    def pause_recognition(self, paused: bool) -> None:
        self.calls.append(("pause_recognition", (paused,)))
        self.paused = paused

    def start_enrollment(
        self,
        employee_code: str,
        samples: int,
        on_progress: Callable[[EnrollmentProgress], None],
        actor: str = "kiosk",
    ) -> Future[EnrollmentProgress]:
        self.calls.append(("start_enrollment", (employee_code, samples, actor)))
        self._cancel.clear()
        return self._submit(lambda: self._enroll(samples, on_progress))

    def cancel_enrollment(self) -> None:
        self.calls.append(("cancel_enrollment", ()))
        self._cancel.set()

    def enroll_photos(
        self,
        employee_code: str,
        photos: Sequence[Path],
        on_verdict: Callable[[PhotoVerdict], None],
        actor: str = "kiosk",
    ) -> Future[PhotoEnrollmentReport]:
        self.calls.append(("enroll_photos", (employee_code, [p.name for p in photos], actor)))
        self._cancel.clear()
        return self._submit(lambda: self._enroll_photos(list(photos), on_verdict))

    # --- scripting --------------------------------------------------------------------
    def set_model(self, status: ModelStatus) -> None:
        with self._lock:
            self._model = status

    def set_camera_status(self, status: CameraStatus | None) -> None:
        self._camera = status

    def set_sync(self, status: SyncStatus) -> None:
        self._sync = status

    def set_store_problem(self, problem: WriteProblem | None) -> None:
        self._store_problem = problem

    def set_observation(self, observation: FaceObservation) -> None:
        with self._lock:
            self._observation = observation

    def show_face(self, state: FaceState, **kw: Any) -> None:
        """The still picture's face in a given state, e.g. ``show_face(RECOGNISED, ...)``."""
        box = kw.pop("box", FACE_BOX if self._reader is None else None)
        self.set_observation(FaceObservation(seq=self._current_seq(), state=state, box=box, **kw))

    def push_event(self, event: RecordEvent) -> None:
        with self._lock:
            self._events.append(event)

    def call_names(self) -> list[str]:
        return [name for name, _args in self.calls]

    # --- internals --------------------------------------------------------------------
    def _current_seq(self) -> int:
        reader = self._reader
        if reader is not None:
            frame = reader.latest()
            return frame.seq if frame is not None else 0
        return int((time.monotonic() - self._t0) * self.fps)

    def _start_reader(self, source: str | None) -> None:
        if source is None:
            return
        reader = CameraReader(source, loop=True)
        reader.start()
        self._reader = reader

    def _submit(self, work: Callable[[], Any]) -> Future[Any]:
        executor = self._executor
        if executor is None:
            raise RefusedError("the runtime is not running")
        return executor.submit(work)

    def _attendance(self) -> AttendanceService:
        if self.ctx is None:
            raise RefusedError("no store in this demo")
        return self.ctx.attendance()

    def _record_pin(self, code: str, pin: str) -> KioskOutcome:
        outcome = self._attendance().record_pin(code, pin, ask=True)
        if self.queue_pin_events:
            # As a real runtime may: every record also arrives as an event (the window must
            # show it once).
            self.push_event(RecordEvent(outcome))
        return outcome

    def _enroll(
        self, samples: int, on_progress: Callable[[EnrollmentProgress], None]
    ) -> EnrollmentProgress:
        script = self.enrollment_script or default_enrollment(samples)
        last = EnrollmentProgress(accepted=0, needed=samples)
        for step in script:
            if self._cancel.wait(self.enrollment_step_s):
                return replace(last, done=False, cancelled=True)
            last = step
            on_progress(step)
            if step.done or step.error or step.duplicate_of:
                break
        return last

    def _enroll_photos(
        self, photos: list[Path], on_verdict: Callable[[PhotoVerdict], None]
    ) -> PhotoEnrollmentReport:
        verdicts: list[PhotoVerdict] = []
        for index, path in enumerate(photos, start=1):
            if self._cancel.wait(self.enrollment_step_s):
                return PhotoEnrollmentReport(tuple(verdicts), cancelled=True, error="cancelled")
            script = self.photo_script
            verdict = (
                script[index - 1]
                if script is not None and index <= len(script)
                else default_verdict(path, index, len(photos))
            )
            verdicts.append(verdict)
            on_verdict(verdict)
        taken = sum(v.accepted for v in verdicts)
        if not taken:
            return PhotoEnrollmentReport(tuple(verdicts), error="no photo could be used")
        return PhotoEnrollmentReport(tuple(verdicts), taken, taken)

    # --- manual trials ----------------------------------------------------------------
    def autoplay(self, names: list[str]) -> None:
        """Cycle through the kiosk's states every few seconds (for `--autoplay`)."""

        def play() -> None:
            for name in itertools.cycle(names):
                for state, pause in (
                    (FaceState.NONE, 3.0),
                    (FaceState.CHECKING, 1.0),
                    (FaceState.RECOGNISED, 0.5),
                ):
                    extra = {"employee_name": name} if state is FaceState.RECOGNISED else {}
                    self.show_face(state, **extra)
                    if self._stop.wait(pause):
                        return
                self.show_face(FaceState.NONE)
                if self._stop.wait(4.0):
                    return
                self.show_face(FaceState.UNKNOWN, unknown_for_s=4.0)
                if self._stop.wait(2.0):
                    return

        self._autoplay = threading.Thread(target=play, name="demo-autoplay", daemon=True)
        self._autoplay.start()


# The guided capture's requests, in the order the real one makes them (head_pose.py).
TURNS = (HeadTurn.LEFT, HeadTurn.RIGHT, HeadTurn.UP, HeadTurn.DOWN, HeadTurn.UP_LEFT)


def default_enrollment(samples: int) -> list[EnrollmentProgress]:
    """Accept ``samples`` samples, the head turned between them, with one blurry refusal
    and one wait for a new head position on the way (as in real life)."""
    steps: list[EnrollmentProgress] = []
    for accepted in range(1, samples + 1):
        turn = TURNS[(accepted - 1) % len(TURNS)]
        if accepted == 2:
            steps.append(EnrollmentProgress(1, samples, turn=TURNS[0], same_pose=True))
            steps.append(EnrollmentProgress(1, samples, last_reason=Refusal.BLURRY, turn=TURNS[0]))
        done = accepted == samples
        steps.append(EnrollmentProgress(accepted, samples, done=done, turn=None if done else turn))
    return steps


def default_verdict(path: Path, index: int, total: int) -> PhotoVerdict:
    """A photo taken if it opens as a picture (with a small copy as its thumbnail), else
    refused as the real runtime would: missing, too large or corrupt."""
    import cv2

    from core.host.images import MAX_BYTES

    unreadable = Refusal.UNREADABLE
    if not path.is_file():
        return PhotoVerdict(path.name, index, total, unreadable, file_problem=FileProblem.MISSING)
    if path.stat().st_size > MAX_BYTES:
        return PhotoVerdict(path.name, index, total, unreadable, file_problem=FileProblem.TOO_LARGE)
    image = cv2.imread(str(path))
    if image is None:
        return PhotoVerdict(path.name, index, total, unreadable, file_problem=FileProblem.CORRUPT)
    ok, jpeg = cv2.imencode(".jpg", cv2.resize(image, (96, 96)))
    return PhotoVerdict(path.name, index, total, thumbnail=jpeg.tobytes() if ok else None)


def main(argv: list[str] | None = None) -> int:
    from core.config import load_settings
    from core.host.logs import configure_logging
    from core.host.paths import DataPaths, resolve_data_dir
    from kiosk.app import run_kiosk

    parser = argparse.ArgumentParser(description="The kiosk window with a scripted runtime.")
    parser.add_argument("--data-dir")
    parser.add_argument("--camera", help="a camera source (default: a still picture)")
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--autoplay", action="store_true", help="cycle through the states")
    args = parser.parse_args(argv)
    paths = DataPaths(resolve_data_dir(args.data_dir))
    ctx = AppContext(paths, load_settings(paths.settings_file))
    configure_logging(paths.logs, "INFO")
    runtime = ScriptedRuntime(ctx, camera=args.camera)
    runtime.start()
    if args.autoplay:
        runtime.autoplay(["Ana García", "Luis Pérez"])
    try:
        return run_kiosk(ctx, runtime, fullscreen=args.fullscreen)
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
