"""Part of ``main.py bench``: recognition on a live 30 fps camera, with and without the gate.

The camera is a video of an entrance (tools.harness.scene) played in real time through
the kiosk's own camera reader: empty entrance, then an enrolled person walks up, stays and
leaves, a few times. The recognition loop is the worker's (the newest frame, the pipeline),
run twice on the same scene: with the idle gate (core.recognition.motion) and without it.
Liveness is off here (photos cannot blink); blink liveness adds the iris model (two eye
crops) to every frame that shows a face, not to the empty entrance.

- ``idle_cpu_pct``: this thread's CPU, in % of one core, while nobody was in view (after
  the last face had been gone for a moment); ``idle_process_cpu_pct`` adds the camera
  reader's decoding. Target: ≤ 10 % with the gate.
- ``time_to_decision_ms``: from the first frame in which the person appears at the edge of
  the picture to the decision that recognises them (they walk in for 0.6 s). Target: the
  gate adds at most 100 ms.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.camera.reader import CameraReader
from core.host.images import read_image
from core.recognition.config import RecognitionConfig
from core.recognition.gallery import Gallery
from core.recognition.models import Models
from core.recognition.pipeline import RecognitionPipeline
from core.states import FaceState
from tools.harness.scene import Scene, Visit, cast, write_scene

SETTLE_S = 2.5  # after a face leaves, the pipeline still follows it this long
VISITS = 3
IDLE_TARGET_PCT = 10.0
DECISION_SLACK_MS = 100.0


@dataclass
class _Phases:
    wall: dict[str, float] = field(default_factory=lambda: {"idle": 0.0, "face": 0.0})
    thread: dict[str, float] = field(default_factory=lambda: {"idle": 0.0, "face": 0.0})
    process: dict[str, float] = field(default_factory=lambda: {"idle": 0.0, "face": 0.0})

    def pct(self, kind: str, table: dict[str, float]) -> float:
        return 100.0 * table[kind] / self.wall[kind] if self.wall[kind] > 0 else float("nan")


def _phase(scene: Scene, position: int) -> str | None:
    for segment in scene.segments:
        if segment.first <= position <= segment.last:
            if segment.who is None:
                settled = position - segment.first >= SETTLE_S * scene.fps
                return "idle" if settled else None
            return "face" if position >= segment.settled else None
    return None


def _gallery(models: Models, config: RecognitionConfig, dataset: Path) -> tuple[Gallery[str], Any]:
    from core.recognition.enroll import EnrollmentSample, embed_enrollment_image

    people, _stranger = cast(dataset)
    gallery: Gallery[str] = Gallery(models.embedder.dim, models.model_name)
    for person in people:
        for photo in person.enroll:
            sample: object = embed_enrollment_image(
                models, read_image(photo), config, source="photo"
            )
            if isinstance(sample, EnrollmentSample):
                gallery.add(person.code, sample.vector)
    return gallery, people


def run_scene(
    models: Models, config: RecognitionConfig, gallery: Gallery[str], scene: Scene
) -> dict[str, Any]:
    """Play the scene in real time through the pipeline; CPU by phase and decision times."""
    pipeline = RecognitionPipeline(models, gallery, config)
    phases = _Phases()
    arrivals: dict[int, float] = {}  # visit index → when its first frame was captured
    decided: dict[int, float] = {}
    visits = scene.visits()
    reader = CameraReader(str(scene.path), realtime=True)
    reader.start()
    seq = -1
    last_wall = last_thread = last_process = None
    try:
        while True:
            frame = reader.wait_frame(seq, timeout=2.0)
            if frame is None:
                break
            seq = frame.seq
            for index, visit in enumerate(visits):
                if visit.first <= frame.position <= visit.last and index not in arrivals:
                    arrivals[index] = frame.captured_at - (frame.position - visit.first) / scene.fps
            result = pipeline.process(frame.image, time.monotonic())
            now, thread, process = time.monotonic(), time.thread_time(), time.process_time()
            if result.new_decision and result.state is FaceState.RECOGNISED:
                for index, visit in enumerate(visits):
                    if visit.first <= frame.position <= visit.last and index not in decided:
                        decided[index] = now
            kind = _phase(scene, frame.position)
            if kind is not None and last_wall is not None:
                assert last_thread is not None and last_process is not None
                phases.wall[kind] += now - last_wall
                phases.thread[kind] += thread - last_thread
                phases.process[kind] += process - last_process
            last_wall, last_thread, last_process = now, thread, process
    finally:
        reader.stop()
    waits = [(decided[i] - arrivals[i]) * 1000 for i in decided if i in arrivals]
    return {
        "idle_cpu_pct": round(phases.pct("idle", phases.thread), 1),
        "idle_process_cpu_pct": round(phases.pct("idle", phases.process), 1),
        "face_cpu_pct": round(phases.pct("face", phases.thread), 1),
        "idle_seconds": round(phases.wall["idle"], 1),
        "time_to_decision_ms_p50": round(statistics.median(waits), 1) if waits else None,
        "visits_recognised": f"{len(waits)} of {len(visits)}",
    }


def bench_live(models: Models, config: RecognitionConfig, dataset: Path) -> dict[str, Any]:
    """Both passes: ``live_gated_*`` (the kiosk as it runs) and ``live_every_frame_*``."""
    gallery, people = _gallery(models, config, dataset)
    shown = [read_image(person.shown) for person in people]
    visits = [
        Visit(people[i % len(people)].code, shown[i % len(people)], stay_s=3.0, gap_before_s=6.0)
        for i in range(VISITS)
    ]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="asistencia-bench-live-") as tmp:
        scene = write_scene(Path(tmp) / "entrance.avi", visits, fps=30.0, tail_s=6.0)
        for label, gate in (("live_every_frame", False), ("live_gated", True)):
            wanted = config.with_(idle_gate=gate, liveness="off")
            measured = run_scene(models, wanted, gallery, scene)
            out.update({f"{label}_{key}": value for key, value in measured.items()})
    gated, every = (
        out["live_gated_time_to_decision_ms_p50"],
        out["live_every_frame_time_to_decision_ms_p50"],
    )
    if gated is not None and every is not None:
        out["time_to_decision_added_ms"] = round(gated - every, 1)
    return out
