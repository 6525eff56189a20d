"""Repeat every kind of call the running kiosk makes, and report what each does to the
reference counts of ``None``, ``True`` and ``False``.

Run as a child process by tests/kiosk/test_refcounts.py (``python -m
tests.support.refcount_probe qt`` or ``... native MODELS_DIR``); prints one JSON object
``{call: {"None": delta, "True": ..., "False": ...}}``, each delta the net change over a
round of repetitions after a warm-up.

Why a child process: on Python 3.11 ``None``, ``True`` and ``False`` are ordinary objects
with a reference count; a binding that loses one reference per call (PySide6 6.12.0 does,
on every void Qt method and every ``emit``) makes the interpreter abort ("deallocating
None") once a count reaches zero, which would take the test runner down with it. The child
also pads each count with a million extra references first, so a broken binding is reported
as a number, not as an abort.

The garbage collector is off while a call is measured: a collection that frees unrelated
objects would lower the counts and look like a loss.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tests.support.paths import FACES

WARM_UP = 20
SETTLE = 100
PAD = 1_000_000
_SINGLETONS: dict[str, object] = {"None": None, "True": True, "False": False}
FACE_PHOTO = FACES / "img1.jpg"

Probe = Callable[[], object]
Deltas = dict[str, int]


def counts() -> Deltas:
    return {name: sys.getrefcount(value) for name, value in _SINGLETONS.items()}


def measure(call: Probe, repeat: int, rounds: int = 3) -> Deltas:
    """The change over ``repeat`` calls, in the best of ``rounds`` rounds.

    A lossy binding loses in every round, in proportion to the calls; a one-off change (a
    field that held None now holds a value, another thread finishing) shows in one round
    only, and must not be taken for a defect.
    """
    for _ in range(WARM_UP):
        call()
    best: Deltas | None = None
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            # After a collection, the first few dozen calls of some (BlazeFace's and the face
            # mesh's: numpy and onnxruntime) give back up to ~20 references once, then none:
            # not a loss per call, so they run before the count.
            for _ in range(SETTLE):
                call()
            before = counts()
            for _ in range(repeat):
                call()
            after = counts()
        finally:
            gc.enable()
        delta = {name: after[name] - before[name] for name in before}
        best = delta if best is None else {k: max(v, delta[k]) for k, v in best.items()}
    assert best is not None
    return best


def face_frame(width: int = 640, height: int = 480) -> Any:
    """The test photo letterboxed onto a camera-sized frame, as BGR uint8."""
    import cv2

    from tools.harness.scene import letterbox

    image = cv2.imread(str(FACE_PHOTO))
    assert image is not None, FACE_PHOTO
    return letterbox(np.ascontiguousarray(image), width, height)


# --- Qt: what the window does per frame, per poll and per second ----------------------------


def qt_probes(data_dir: Path) -> tuple[dict[str, Probe], int]:
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication

    from core.attendance.outcomes import Recorded
    from core.attendance.rules import Kind
    from core.camera import CameraState, CameraStatus, Frame
    from core.config import load_settings
    from core.context import AppContext
    from core.host.paths import DataPaths
    from core.runtime.api import FaceObservation, FaceState, ModelState, RecordEvent, Refusal
    from core.states import ModelStatus
    from core.sync.status import SyncStatus
    from kiosk.app import application, prepare
    from kiosk.feed import RuntimeFeed
    from kiosk.main_window import KioskWindow
    from tools.harness.demo_runtime import ScriptedRuntime

    app = application()
    prepare(app, "es")
    paths = DataPaths(data_dir)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    runtime = ScriptedRuntime(ctx, picture=face_frame())
    runtime.start()
    window = KioskWindow(ctx, runtime, start_feed=False)
    window.show()
    app.processEvents()
    screen = window.kiosk
    image = face_frame()
    image.setflags(write=False)
    seq = iter(range(10**9))

    def frame() -> Frame:
        return Frame(image, next(seq), time.monotonic(), 0)

    box = (250, 150, 140, 160)
    observations = [
        FaceObservation(0, FaceState.RECOGNISED, box=box, employee_name="Ana García"),
        FaceObservation(0, FaceState.CHECKING, box=box),
        FaceObservation(0, FaceState.REFUSED, box=box, reason=Refusal.BLURRY),
        FaceObservation(0, FaceState.UNKNOWN, box=box, unknown_for_s=1.0),
        FaceObservation(0, FaceState.NONE),
    ]
    cycle = iter(range(10**9))
    zone = ZoneInfo("Europe/Madrid")

    def next_observation() -> FaceObservation:
        return observations[next(cycle) % len(observations)]

    camera_statuses = [
        CameraStatus(CameraState.STREAMING, "Cámara 0 activa"),
        CameraStatus(CameraState.RECONNECTING, "Reconectando", attempt=2, retry_in=4.0),
    ]
    models = [
        ModelStatus(ModelState.LOADING, "Dlib", "cargando", 1.0),
        ModelStatus(ModelState.READY, "Dlib", elapsed_s=2.0),
    ]
    syncs = [SyncStatus(configured=False), SyncStatus(configured=True, pending=3)]
    when = time.time()
    from datetime import datetime

    local = datetime.fromtimestamp(when, zone)
    import uuid

    recorded = Recorded(
        event_id=uuid.uuid4(),
        employee_id=uuid.uuid4(),
        employee_code="E1",
        employee_name="Ana García",
        kind=Kind.IN,
        occurred_at=local,
        local_time=local,
        shift_day=local.date(),
        method="face",
        late_minutes=3,
        early_leave_minutes=0,
        overtime_minutes=0,
    )

    class Emitter(QObject):
        with_object = Signal(object)
        with_bool = Signal(bool)
        bare = Signal()

    def ignore(*_args: object) -> None:
        pass

    emitter = Emitter()
    emitter.with_object.connect(ignore)
    emitter.with_bool.connect(ignore)
    emitter.bare.connect(ignore)

    def pick(items: list[Any]) -> Any:
        return items[next(cycle) % len(items)]

    def timers_fire() -> None:
        # A timer firing into a Python slot, through the event loop (the feed's 16 ms poll).
        fired: list[int] = []
        QTimer.singleShot(0, lambda: fired.append(1))
        while not fired:
            app.processEvents()

    def paint_frame() -> None:
        screen.on_frame(frame())
        screen.camera.repaint()  # paintEvent now: image, clip path, box corners, name pill

    def heartbeat() -> None:
        window.heartbeat._beat()

    def task_delivered() -> None:
        done: list[object] = []
        window.tasks.submit(lambda: 1, done.append)
        while not done:
            app.processEvents()

    def repaint_later() -> None:
        screen.camera.update()
        QApplication.processEvents()

    def result_card() -> None:
        screen.card.show_recorded(recorded)
        screen.card.dismiss()

    def getters() -> tuple[bool, str]:
        return screen.isVisible(), screen.banner.text.text()

    probes: dict[str, Probe] = {
        "CameraView: set_frame + paintEvent": paint_frame,
        "CameraView.update + processEvents": repaint_later,
        "KioskScreen.on_observation (banner text, box)": lambda: screen.on_observation(
            next_observation()
        ),
        "KioskScreen.on_camera / StatusStrip.set_camera": lambda: screen.on_camera(
            pick(camera_statuses)
        ),
        "KioskScreen.on_model / StatusStrip.set_model": lambda: screen.on_model(pick(models)),
        "StatusStrip.set_sync": lambda: screen.on_sync(pick(syncs)),
        "StatusStrip.tick (clock, each second)": screen.strip.tick,
        "ResultCard.show_recorded + dismiss": result_card,
        "RuntimeFeed.poll_status": window.feed.refresh,
        "Heartbeat beat": heartbeat,
        "QTimer.singleShot into a Python slot": timers_fire,
        "TaskRunner: work done on a worker, delivered on the GUI thread": task_delivered,
        "Signal.emit(object)": lambda: emitter.with_object.emit(frame()),
        "Signal.emit(bool)": lambda: emitter.with_bool.emit(True),
        "Signal.emit()": emitter.bare.emit,
        "QWidget.isVisible / QLabel.text (getters)": getters,
    }

    class BusyRuntime:
        """What the feed polls, with a new frame, observation and event at every poll."""

        def latest_frame(self, after_seq: int = -1) -> Frame:
            return frame()

        def observation(self) -> FaceObservation:
            return next_observation()

        def poll_events(self) -> list[object]:
            return [RecordEvent(recorded, None)]

    busy_feed = RuntimeFeed(BusyRuntime())  # type: ignore[arg-type]
    busy_feed.frame.connect(screen.on_frame)
    busy_feed.observation.connect(screen.on_observation)
    busy_feed.record.connect(ignore)
    probes["RuntimeFeed.poll_fast (frame, observation, events)"] = busy_feed.poll_fast

    def close() -> None:
        window.close()
        runtime.stop()
        ctx.close()

    _CLEANUP.append(close)
    return probes, 1000


# --- the recognition worker's calls into dlib, OpenCV and onnxruntime -----------------------


def native_probes(models_dir: Path) -> tuple[dict[str, Probe], int]:
    import cv2

    from core.recognition.config import RecognitionConfig
    from core.recognition.detect import detect_faces, prepare
    from core.recognition.embed import face_chip
    from core.recognition.gallery import Gallery
    from core.recognition.loader import ModelLoader
    from core.recognition.pipeline import RecognitionPipeline

    config = RecognitionConfig()
    loader = ModelLoader(config, models_dir).start()
    models = loader.wait_ready(timeout=300)
    loader.join(5)
    frame = face_frame(320, 240)
    prepared = prepare(frame)
    faces = detect_faces(
        models.detector, models.mesh, prepared, scale=1.0, upsample=0, min_face_px=80
    )
    assert faces, "the probe photo shows no face"
    face = faces[0]
    embedder = models.embedder
    chip = face_chip(prepared.rgb, face, embedder.chip_size, embedder.chip_padding)
    gallery: Gallery[str] = Gallery(embedder.dim)
    gallery.add("E1", embedder.embed(chip[None]))
    pipeline = RecognitionPipeline(models, gallery, config.with_(liveness="blink"))
    iris = models.iris()
    assert face.mesh is not None
    mesh_points = face.mesh.points
    clock = iter(range(10**9))

    probes: dict[str, Probe] = {
        "cv2.cvtColor (BGR to grey and RGB)": lambda: prepare(frame),
        "cv2.resize (detection copy)": lambda: cv2.resize(
            prepared.gray, (160, 120), interpolation=cv2.INTER_AREA
        ),
        "BlazeFace detector run": lambda: models.detector.boxes(prepared.bgr, prepared.gray, 0),
        "face mesh (landmarks)": lambda: (
            models.mesh.landmarks(prepared.rgb, face.mesh.roi) if face.mesh is not None else None
        ),
        "face chip (alignment)": lambda: face_chip(
            prepared.rgb, face, embedder.chip_size, embedder.chip_padding
        ),
        "onnxruntime InferenceSession.run (embedding)": lambda: embedder.embed(chip[None]),
        "iris model (blink liveness)": lambda: iris.eye_sample(prepared.rgb, mesh_points),
        "RecognitionPipeline.process (a whole frame)": lambda: pipeline.process(
            frame, next(clock) * 0.04
        ),
        "cv2.imencode (photo thumbnail)": lambda: cv2.imencode(".jpg", chip),
    }
    return probes, 300


_CLEANUP: list[Callable[[], object]] = []


def main(argv: list[str]) -> int:
    kind = argv[0]
    # Keep the counts far from zero, so a lossy binding shows as a number, not an abort.
    padding = [[value] * PAD for value in _SINGLETONS.values()]
    with tempfile.TemporaryDirectory() as scratch:
        if kind == "qt":
            probes, repeat = qt_probes(Path(scratch))
        elif kind == "native":
            probes, repeat = native_probes(Path(argv[1]) if len(argv) > 1 else Path(scratch))
        else:
            print(f"unknown probe kind {kind!r}: use qt or native", file=sys.stderr)
            return 2
        result = {name: measure(call, repeat) for name, call in probes.items()}
        for cleanup in reversed(_CLEANUP):
            cleanup()
    print(json.dumps({"repeat": repeat, "calls": result}), flush=True)
    # With a lossy binding, freeing the padding at exit would drop a count to zero and
    # abort after the answer was given: leave without tearing anything down.
    os._exit(0 if padding else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
