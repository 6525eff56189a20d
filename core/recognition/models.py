"""Building the face models: check the files, build, warm up; once per process and key.

**The caching rule.** ``get_models(config, home)`` is keyed by (model, detector, engine,
threads, DeepFace home). Builds run one at a time, process-wide (``_build_lock``: the old
server crashed at start-up from loading twice); the first caller for a key builds, every
later or concurrent caller for that key waits for it and gets the very same ``Models``. A
failed build caches nothing, so it can be retried once the file is fixed.

The default models ship with the program (``resources/models``: MediaPipe's detector, face
mesh and iris models, dlib's ResNet as ONNX), each checked against its digest before it
loads; all run on onnxruntime, so no dlib and no AVX are needed.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.i18n import Message
from core.recognition import staging, weights
from core.recognition.config import RecognitionConfig
from core.recognition.deepface_bridge import build_client
from core.recognition.detect import BoxDetector, DeepFaceBoxDetector, MediaPipeDetector
from core.recognition.embed import DeepFaceEmbedder, DlibEmbedder, Embedder, OnnxDlibEmbedder
from core.recognition.errors import CorruptWeightsError, MissingWeightsError, RecognitionError
from core.recognition.face_mesh import FaceMeshModel, Roi

if TYPE_CHECKING:
    from core.recognition.antispoof import PassiveLiveness
    from core.recognition.iris import IrisModel

log = logging.getLogger(__name__)

CacheKey = tuple[str, str, str, int, str]


@dataclass(eq=False)
class Models:
    """What the pipeline, enrollment and evaluate use; built once per process and key."""

    model_name: str
    detector_name: str
    detector: BoxDetector
    mesh: FaceMeshModel  # landmarks: alignment, pose, and the eyes blink reads
    embedder: Embedder
    deepface_home: Path
    threads: int = 1
    _iris: IrisModel | None = None
    _passive: PassiveLiveness | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def iris(self) -> IrisModel:
        """The iris model (the eyelids blink liveness reads); loaded on first use, once."""
        with self._lock:
            if self._iris is None:
                from core.recognition.iris import IrisModel

                self._iris = IrisModel.load(threads=self.threads)
            return self._iris

    def passive(self) -> PassiveLiveness:
        """The FasNet anti-spoofing sessions (passive liveness); loaded on first use, once.
        The loader loads them with the other models when the settings ask for them."""
        with self._lock:
            if self._passive is None:
                from core.recognition.antispoof import PassiveLiveness

                self._passive = PassiveLiveness.load(threads=self.threads)
            return self._passive


_build_lock = threading.Lock()
_models_cache: dict[CacheKey, Models] = {}


def cache_key(config: RecognitionConfig, home: Path) -> CacheKey:
    return (
        config.model_name,
        config.detector,
        config.embed_engine,
        config.threads,
        str(home.resolve()),
    )


def get_models(
    config: RecognitionConfig,
    home: Path,
    source_dir: Path | None = None,
    timings: dict[str, float] | None = None,
) -> Models:
    """The models for ``config`` (see the caching rule above); ``timings`` gets each step's
    seconds, or ``cached = 1``."""
    timings = {} if timings is None else timings
    key = cache_key(config, home)
    with _build_lock:
        cached = _models_cache.get(key)
        if cached is not None:
            timings["cached"] = 1.0
            return cached
        models = _build(config, home, source_dir, timings)
        _models_cache[key] = models
        return models


def _build(
    config: RecognitionConfig, home: Path, source_dir: Path | None, timings: dict[str, float]
) -> Models:
    t = time.monotonic()
    _stage(config, home, source_dir)
    timings["stage_s"] = time.monotonic() - t
    t = time.monotonic()
    detector = _build_detector(config, home)
    mesh = FaceMeshModel.load(threads=config.threads)
    timings["detector_s"] = time.monotonic() - t
    t = time.monotonic()
    embedder = _build_embedder(config, home)
    timings["recognition_s"] = time.monotonic() - t
    models = Models(
        config.model_name, config.detector, detector, mesh, embedder, home, config.threads
    )
    if config.needs_blink:
        t = time.monotonic()
        models.iris()
        timings["iris_s"] = time.monotonic() - t
    if config.needs_passive:
        t = time.monotonic()
        models.passive()  # warmed up by its load
        timings["passive_s"] = time.monotonic() - t
    t = time.monotonic()
    _warm_up(models, config)
    timings["warmup_s"] = time.monotonic() - t
    return models


def _needs_dlib_files(config: RecognitionConfig) -> bool:
    """Whether the embedder runs on dlib's own file (the ``dlib`` extra): only when the
    settings ask for dlib's or DeepFace's engine for Dlib."""
    return config.model_name == "Dlib" and config.embed_engine in ("dlib", "deepface")


def _stage(config: RecognitionConfig, home: Path, source_dir: Path | None) -> None:
    if _needs_dlib_files(config):
        report = staging.stage_weights(home, [weights.DLIB_RESNET], source_dir=source_dir)
        if not report.ok:
            raise RecognitionError(
                Message("models.staging_failed", problems="; ".join(report.problems))
            )
    wanted: tuple[tuple[str, weights.Kind], ...] = (
        (config.model_name, "recognition"),
        (config.detector, "detector"),
    )
    for name, kind in wanted:
        try:
            spec = weights.find_spec(name, kind)
        except weights.UnknownModelError as exc:
            unknown = Message("models.unknown", kind=exc.kind, name=exc.name, known=exc.known)
            raise RecognitionError(unknown) from None
        avail = staging.availability(spec, home)
        if avail.missing_paths:
            path = avail.missing_paths[0]
            raise MissingWeightsError(path, f"{name} ({kind})")
        if avail.damaged_paths:
            raise CorruptWeightsError(avail.damaged_paths[0], Message("weights.impossible_size"))
        if avail.missing_packages:
            # dlib is a source install's extra: a kiosk set to it before the move to
            # MediaPipe is told the way back, not only what is missing
            fix = Message("models.dlib_way_back") if "dlib" in avail.missing_packages else ""
            packages = ", ".join(avail.missing_packages)
            raise RecognitionError(
                Message("models.needs_packages", kind=kind, name=name, packages=packages, fix=fix)
            )


def _build_detector(config: RecognitionConfig, home: Path) -> BoxDetector:
    if config.detector == "mediapipe":
        return MediaPipeDetector.load(threads=config.threads)
    if config.detector == "dlib":
        from core.recognition.dlib_hog import DlibHogDetector, frontal_face_detector

        return DlibHogDetector(frontal_face_detector(home))
    client = build_client("face_detector", config.detector, home)
    return DeepFaceBoxDetector(config.detector, client)


def _build_embedder(config: RecognitionConfig, home: Path) -> Embedder:
    if config.model_name != "Dlib" or config.embed_engine == "deepface":
        return DeepFaceEmbedder(build_client("facial_recognition", config.model_name, home))
    if config.embed_engine == "dlib":
        return DlibEmbedder(build_client("facial_recognition", "Dlib", home).model.model)
    return OnnxDlibEmbedder.load(threads=config.threads)


def _warm_up(models: Models, config: RecognitionConfig) -> None:
    """One inference through each model, so the first face is not the slow one."""
    frame = np.full((480, 640), 128, np.uint8)
    rgb = np.dstack([frame] * 3)
    models.detector.boxes(rgb, frame, config.detect_upsample or 0)
    models.mesh.landmarks(rgb, Roi(320.0, 240.0, 200.0, 0.0))
    rng = np.random.default_rng(12345)
    chip = rng.integers(
        0, 256, (1, models.embedder.chip_size, models.embedder.chip_size, 3), dtype=np.uint8
    )
    embedder = models.embedder
    out = embedder.embed(chip)
    if out.shape != (1, embedder.dim) or not np.all(np.isfinite(out)):
        raise RecognitionError(Message("models.bad_embedding", model=embedder.model_name))
