"""``main.py bench``: the recognition performance suite.

Frames: the dataset's photos letterboxed onto 640×480 canvases (aspect ratio kept), so faces
appear at the sizes a kiosk camera sees. In one run, per frame and interleaved (so load on the
machine hits both alike): our pipeline (detection, embedding, frame → identity) and
``DeepFace.represent(model_name="Dlib", detector_backend="dlib")`` as the baseline (dlib's
own detector, landmarks and network: the ``dlib`` extra, which dev.lock installs; its files
are linked into the bench's DeepFace home from face-recognition-models). Also 1:N
matching at 10,000 and 100,000 random templates, and — in a fresh process that starts the way
``main.py`` does — seconds to model ready and to the first camera frame (a video file through
the camera reader), and that process's peak RSS while recognising.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from core.host.images import IMAGE_SUFFIXES, ImageError, read_image
from core.recognition.config import RecognitionConfig
from core.recognition.deepface_bridge import represent_api
from core.recognition.detect import detection_plan
from core.recognition.errors import ModelsNotReadyError
from core.recognition.gallery import Gallery
from core.recognition.loader import load_models
from core.recognition.models import Models
from core.recognition.pipeline import RecognitionPipeline
from core.states import FaceState, Refusal
from tools.harness.scene import HEIGHT as FRAME_H
from tools.harness.scene import WIDTH as FRAME_W
from tools.harness.scene import letterbox, write_video

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "data" / "faces"
FALLBACK_DATASET = REPO_ROOT / "tests" / "data" / "faces"


def bench_frames(dataset: Path, limit: int | None = None) -> list[tuple[str, NDArray[np.uint8]]]:
    files = sorted(p for p in dataset.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    frames = []
    for path in files[:limit] if limit else files:
        try:
            frames.append((path.name, letterbox(read_image(path))))
        except ImageError:
            continue
    return frames


def percentiles(values: Sequence[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    arr = np.asarray(values, np.float64)
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 90))


def bench_matching(
    sizes: Sequence[int] = (10_000, 100_000), dim: int = 128, queries: int = 200
) -> dict[str, float]:
    rng = np.random.default_rng(7)
    out: dict[str, float] = {}
    for n in sizes:
        gallery: Gallery[int] = Gallery(dim)
        vectors = rng.standard_normal((n, dim)).astype(np.float32)
        # Five templates per person, as enrollment keeps several samples.
        gallery.replace_all((i, vectors[i * 5 : i * 5 + 5]) for i in range(n // 5))
        probes = rng.standard_normal((queries, dim)).astype(np.float32)
        gallery.match(probes[0])
        times = []
        for q in probes:
            t = time.perf_counter()
            gallery.match(q)
            times.append((time.perf_counter() - t) * 1000)
        label = f"{n // 1000}k"
        out[f"match_{label}_ms"] = percentiles(times)[0]
        out[f"match_{label}_ms_p90"] = percentiles(times)[1]
    return out


BASELINE_FILES = (
    "dlib_face_recognition_resnet_model_v1.dat",
    "shape_predictor_5_face_landmarks.dat",
)


def stage_baseline(home: Path) -> None:
    """Link dlib's files into ``home`` for DeepFace's Dlib model and dlib detector."""
    from core.recognition import weights

    source = weights.packaged_dir()
    if source is None:
        raise RuntimeError("the baseline needs the dlib extra (face-recognition-models)")
    target = weights.weights_dir(home)
    target.mkdir(parents=True, exist_ok=True)
    for name in BASELINE_FILES:
        if not (target / name).exists():
            (target / name).symlink_to(source / name)


def deepface_represent(
    frame_bgr: NDArray[np.uint8], models: Models, *, align: bool = True
) -> list[Any]:
    """DeepFace.represent with Dlib + dlib on one frame: the baseline (it would import
    TensorFlow if that were installed)."""
    stage_baseline(models.deepface_home)
    api = represent_api(models.deepface_home)
    return list(
        api.represent(
            img_path=frame_bgr,
            model_name="Dlib",
            detector_backend="dlib",
            enforce_detection=False,
            align=align,
        )
    )


def bench_pipeline(
    models: Models,
    config: RecognitionConfig,
    frames: Sequence[tuple[str, NDArray[np.uint8]]],
    *,
    repeats: int = 3,
    baseline: bool = True,
) -> dict[str, Any]:
    """Our per-frame latency and DeepFace.represent's on the same frames, interleaved."""
    gallery: Gallery[str] = Gallery(models.embedder.dim, models.model_name)
    # Each frame's own face is enrolled (this also warms every code path up), so matching
    # does real work and most frames find their identity.
    enrolled = _enroll_frames(models, config, frames, gallery)
    pipeline = RecognitionPipeline(models, gallery, config)
    detect_ms: list[float] = []
    tracked_ms: list[float] = []  # the next frame of the same person: a smaller copy searched
    embed_ms: list[float] = []
    total_ms: list[float] = []
    deepface_ms: list[float] = []
    deepface_noalign_ms: list[float] = []
    faces = recognised = refused = 0
    if baseline:
        deepface_represent(frames[0][1], models)
    clock = 0.0
    for _name, frame in frames:
        for _ in range(repeats):
            clock += 10.0  # a new presence each time: no voting state carried over
            r = pipeline.process(frame, now=clock)
            detect_ms.append(r.timings_ms.get("detect_ms", math.nan))
            if r.box is not None:
                followed = pipeline.process(frame, now=clock + 0.04)
                tracked_ms.append(followed.timings_ms.get("detect_ms", math.nan))
            if "embed_ms" in r.timings_ms:  # went all the way to an identity (or unknown)
                embed_ms.append(r.timings_ms["embed_ms"])
                total_ms.append(r.timings_ms["total_ms"])
            else:
                refused += 1
        faces += r.state is not FaceState.NONE
        recognised += r.candidate is not None
        if baseline:
            t = time.perf_counter()
            deepface_represent(frame, models)
            deepface_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            deepface_represent(frame, models, align=False)
            deepface_noalign_ms.append((time.perf_counter() - t) * 1000)
    d50, d90 = percentiles(detect_ms)
    e50, e90 = percentiles(embed_ms)
    f50, f90 = percentiles(total_ms)
    b50, b90 = percentiles(deepface_ms)
    return {
        "frames": len(frames),
        "frames_with_face": faces,
        "frames_matched": recognised,
        "frames_refused_by_gates": refused // max(1, repeats),
        "templates": enrolled,
        "detection_ms_p50": d50,
        "detection_ms_p90": d90,
        "detection_followed_ms_p50": percentiles(tracked_ms)[0],
        "detection_followed_ms_p90": percentiles(tracked_ms)[1],
        "embedding_ms_p50": e50,
        "embedding_ms_p90": e90,
        "frame_to_identity_ms_p50": f50,
        "frame_to_identity_ms_p90": f90,
        "deepface_represent_ms_p50": b50,
        "deepface_represent_ms_p90": b90,
        "speedup_vs_deepface": b50 / f50 if baseline and f50 > 0 else math.nan,
        # DeepFace pads the frame by half its size on every side before detecting when
        # align=True (its default), which is most of its time; this is the kinder baseline.
        "deepface_represent_noalign_ms_p50": percentiles(deepface_noalign_ms)[0],
        "speedup_vs_deepface_noalign": (
            percentiles(deepface_noalign_ms)[0] / f50 if baseline and f50 > 0 else math.nan
        ),
        **bench_passive(models, config, frames, gallery, repeats=repeats),
    }


def bench_passive(
    models: Models,
    config: RecognitionConfig,
    frames: Sequence[tuple[str, NDArray[np.uint8]]],
    gallery: Gallery[str],
    *,
    repeats: int = 3,
) -> dict[str, Any]:
    """What passive liveness adds to a decided frame: the FasNet crops and both models, run
    by the pipeline itself (liveness = passive) on the frame that decides someone, once per
    presence. The letterboxed photos are no liveness test (their black bars look like a
    screen's bezel to FasNet, so many are refused): only the time counts here."""
    passive = config.with_(liveness="passive")
    models.passive()  # loaded (and warmed up) outside the timing, as the loader does
    pipeline = RecognitionPipeline(models, gallery, passive)
    added_ms: list[float] = []
    refused = 0
    clock = 0.0
    for _name, frame in frames:
        for _ in range(repeats):
            clock += 10.0  # a new presence: its deciding frame is scored again
            for i in range(passive.frames_to_agree):
                r = pipeline.process(frame, now=clock + 0.04 * i)
                if "passive_ms" in r.timings_ms:
                    added_ms.append(r.timings_ms["passive_ms"])
                    refused += r.reason is Refusal.SPOOF
                    break
    p50, p90 = percentiles(added_ms)
    return {
        "passive_liveness_ms_p50": p50,
        "passive_liveness_ms_p90": p90,
        "passive_liveness_decided_frames": len(added_ms),
        "passive_liveness_refused_frames": refused,
    }


def _enroll_frames(
    models: Models,
    config: RecognitionConfig,
    frames: Sequence[tuple[str, NDArray[np.uint8]]],
    gallery: Gallery[str],
) -> int:
    from core.recognition.enroll import EnrollmentRefusal, EnrollmentSample, embed_enrollment_image

    count = 0
    for name, frame in frames:
        sample: EnrollmentSample | EnrollmentRefusal[str] = embed_enrollment_image(
            models, frame, config.with_(min_face_px=16), source="camera", name=name
        )
        if isinstance(sample, EnrollmentSample):
            gallery.add(name, sample.vector)
            count += 1
    return count


# --- the fresh-process probe: model ready, first frame, peak RSS ----------------------------


def camera_frames(video: Path) -> Generator[NDArray[np.uint8], None, None]:
    """Frames of a video file through the kiosk's camera reader (unpaced)."""
    try:
        from core.camera.reader import CameraReader
    except ImportError:  # the bench still measures the rest without the camera package
        yield from _opencv_frames(video)
        return

    reader = CameraReader(str(video), realtime=False)
    reader.start()
    try:
        seq = -1
        while True:
            frame = reader.wait_frame(seq, timeout=10.0)
            if frame is None:
                return
            seq = frame.seq
            yield frame.image
    finally:
        reader.stop()


def _opencv_frames(video: Path) -> Generator[NDArray[np.uint8], None, None]:
    capture = cv2.VideoCapture(str(video))
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield np.asarray(frame, np.uint8)
    finally:
        capture.release()


def probe_startup(config_json: str, home: str, video: str, seconds: float) -> None:
    """Run as ``python -c``: start like main.py, report start-up times and peak RSS as JSON."""
    from core.host.env import prepare_environment, process_age_s

    prepare_environment()
    # Times are the process's age (kernel ticks, 10 ms): psutil's create_time adds a boot
    # time in whole seconds, too coarse for a 1.5 s target.
    created = time.time() - process_age_s()
    from core.recognition.loader import LoaderStatus, ModelLoader
    from core.states import ModelState

    config = RecognitionConfig(**json.loads(config_json))
    ready_at: list[float] = []

    def on_status(status: LoaderStatus) -> None:
        if status.state is ModelState.READY:
            ready_at.append(time.time())

    loader = ModelLoader(config, Path(home))
    loader.subscribe(on_status)
    loader.start()
    result: dict[str, Any] = {}
    frames = camera_frames(Path(video))
    first = next(frames, None)
    result["first_frame_s"] = time.time() - created if first is not None else None
    try:
        models = loader.wait_ready(120)
    except ModelsNotReadyError as exc:
        print(json.dumps({"error": str(exc)}))
        return
    result["model_ready_s"] = ready_at[0] - created
    result["loader_timings"] = dict(loader.status.timings)
    result["tensorflow_imported"] = "tensorflow" in sys.modules
    gallery: Gallery[str] = Gallery(models.embedder.dim, models.model_name)
    pipeline = RecognitionPipeline(models, gallery, config)
    end = time.monotonic() + seconds
    processed = 0
    for frame in frames:
        pipeline.process(frame)
        processed += 1
        if time.monotonic() > end:
            break
    result["frames_processed"] = processed
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    frames.close()


def bench_startup(
    config: RecognitionConfig, home: Path, frames: Sequence[NDArray[np.uint8]], seconds: float = 5.0
) -> dict[str, Any]:
    from dataclasses import asdict

    with tempfile.TemporaryDirectory(prefix="asistencia-bench-") as tmp:
        video = Path(tmp) / "frames.avi"
        write_video([f for f in frames for _ in range(5)], video)
        code = (
            "from core.host.env import prepare_environment; prepare_environment(); "
            "import sys; from tools.bench.recognition_bench import probe_startup; "
            "probe_startup(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                json.dumps(asdict(config)),
                str(home),
                str(video),
                str(seconds),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=REPO_ROOT,
            env=env,
            check=False,
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"startup_error": (proc.stderr or proc.stdout).strip()[-500:]}
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def run_bench_suite(
    config: RecognitionConfig,
    deepface_home: Path,
    dataset: Path | None = None,
    *,
    repeats: int = 3,
    baseline: bool = True,
    startup: bool = True,
    live: bool = True,
) -> dict[str, Any]:
    dataset = dataset or (DEFAULT_DATASET if DEFAULT_DATASET.is_dir() else FALLBACK_DATASET)
    frames = bench_frames(dataset)
    if not frames:
        raise ImageError(f"no usable images in {dataset}")
    report: dict[str, Any] = {
        "dataset": str(dataset),
        "frame_size": f"{FRAME_W}x{FRAME_H}",
        "model": config.model_name,
        "detector": config.detector,
        "detection_plan": _plan_text(config),
        "cpu_count": os.cpu_count(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "load_average_before": os.getloadavg()[0],
    }
    if startup:
        report.update(bench_startup(config, deepface_home, [f for _, f in frames]))
    models = load_models(config, deepface_home)
    report["engine"] = models.embedder.engine
    report.update(bench_pipeline(models, config, frames, repeats=repeats, baseline=baseline))
    if live:
        from tools.bench.live_bench import bench_live

        try:
            report.update(bench_live(models, config, dataset))
        except ValueError as exc:  # a dataset without labels.csv or enough people
            report["live_error"] = str(exc)
    report.update(bench_matching())
    report["bench_process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["load_average_after"] = os.getloadavg()[0]
    return report


def _plan_text(config: RecognitionConfig) -> str:
    scale, upsample = detection_plan(
        FRAME_W,
        FRAME_H,
        detector=config.detector,
        min_face_px=config.min_face_px,
        max_side=config.detect_max_side,
        upsample=config.detect_upsample,
    )
    return f"at {round(FRAME_W * scale)}×{round(FRAME_H * scale)}, upsample {upsample}"


TARGETS = {
    "detection_ms_p50": ("≤", 8.0),
    "frame_to_identity_ms_p50": ("≤", 15.0),
    "passive_liveness_ms_p50": ("≤", 10.0),
    "speedup_vs_deepface": ("≥", 20.0),
    "model_ready_s": ("≤", 6.0),
    "match_100k_ms": ("≤", 10.0),
    "peak_rss_mb": ("≤", 1200.0),
    "live_gated_idle_cpu_pct": ("≤", 10.0),
    "time_to_decision_added_ms": ("≤", 100.0),
}


def format_bench(r: dict[str, Any]) -> str:
    def f(key: str, unit: str = "", digits: int = 1) -> str:
        v = r.get(key)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n/a"
        return f"{v:.{digits}f}{unit}"

    def target(key: str) -> str:
        if key not in TARGETS or not isinstance(r.get(key), int | float):
            return ""
        op, limit = TARGETS[key]
        ok = r[key] <= limit if op == "≤" else r[key] >= limit
        return f"   (target {op} {limit:g}: {'ok' if ok else 'MISSED'})"

    def p50_p90(name: str) -> str:
        return f"p50 {f(name + '_ms_p50', ' ms')}   p90 {f(name + '_ms_p90', ' ms')}"

    engine = r.get("engine", "?")
    lines = [
        f"Frames: {r['frames']} photos letterboxed to {r['frame_size']} from {r['dataset']}",
        f"Model: {r['model']} + {r['detector']} ({engine}), detection {r['detection_plan']}",
        "",
        f"Detection            {p50_p90('detection')}{target('detection_ms_p50')}",
        f"  a face followed    {p50_p90('detection_followed')} (a smaller copy searched)",
        f"Embedding            {p50_p90('embedding')}",
        f"Frame to identity    {p50_p90('frame_to_identity')}{target('frame_to_identity_ms_p50')}",
        f"Passive liveness     {p50_p90('passive_liveness')} added to a decided frame"
        f"{target('passive_liveness_ms_p50')}",
        f"  ({r.get('passive_liveness_decided_frames', '?')} decided frames, FasNet crops and "
        "both models; the letterboxed photos time it, they do not test it)",
        f"DeepFace.represent   {p50_p90('deepface_represent')}",
        f"Speed-up             {f('speedup_vs_deepface', '×')}{target('speedup_vs_deepface')}",
        "  (DeepFace.represent with align=False: p50 "
        f"{f('deepface_represent_noalign_ms_p50', ' ms')}, "
        f"speed-up {f('speedup_vs_deepface_noalign', '×')})",
        f"Idle, 30 fps camera  {f('live_gated_idle_cpu_pct', ' %')} of a core for recognition"
        f"{target('live_gated_idle_cpu_pct')}",
        f"  every frame searched {f('live_every_frame_idle_cpu_pct', ' %')}; "
        f"with the camera reader {f('live_gated_idle_process_cpu_pct', ' %')} "
        f"(every frame: {f('live_every_frame_idle_process_cpu_pct', ' %')})",
        f"Time to a decision   p50 {f('live_gated_time_to_decision_ms_p50', ' ms', 0)}, "
        f"every frame searched {f('live_every_frame_time_to_decision_ms_p50', ' ms', 0)} "
        f"({r.get('live_gated_visits_recognised', '?')} visits)",
        f"  added by the gate  {f('time_to_decision_added_ms', ' ms', 0)}"
        f"{target('time_to_decision_added_ms')}",
        f"1:N match, 10k       p50 {f('match_10k_ms', ' ms', 2)}",
        f"1:N match, 100k      p50 {f('match_100k_ms', ' ms', 2)}{target('match_100k_ms')}",
        f"Model ready          {f('model_ready_s', ' s', 2)} after process start"
        f"{target('model_ready_s')}",
        f"First camera frame   {f('first_frame_s', ' s', 2)} after process start",
        f"Peak RSS (kiosk)     {f('peak_rss_mb', ' MB', 0)}{target('peak_rss_mb')}",
        f"Load average         {f('load_average_before', '', 2)} before, "
        f"{f('load_average_after', '', 2)} after ({r['cpu_count']} CPUs)",
    ]
    if "live_error" in r:
        lines.append(f"Live camera bench skipped: {r['live_error']}")
    if "startup_error" in r:
        lines.append(f"Start-up probe failed: {r['startup_error']}")
    return "\n".join(lines) + "\n"
