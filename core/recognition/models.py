"""Building the face models: stage the weights, build, warm up; once per process and key.

**The caching rule.** ``get_models(config, home)`` is keyed by (model, detector, engine,
threads, DeepFace home). Builds run one at a time, process-wide (``_build_lock``: the old
server crashed at start-up from loading twice); the first caller for a key builds, every
later or concurrent caller for that key waits for it and gets the very same ``Models``. A
failed build caches nothing, so it can be retried once the file is fixed. The 68-point
landmark process is started on first use, once per weight file (``_shape68_lock``).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.recognition import onnx_check, staging, weights
from core.recognition.config import RecognitionConfig
from core.recognition.deepface_bridge import build_client
from core.recognition.detect import BoxDetector, DeepFaceBoxDetector, DlibHogDetector
from core.recognition.embed import DeepFaceEmbedder, DlibEmbedder, Embedder, OnnxDlibEmbedder
from core.recognition.errors import CorruptWeightsError, MissingWeightsError, RecognitionError

if TYPE_CHECKING:
    from core.recognition.antispoof import PassiveLiveness

log = logging.getLogger(__name__)

HOG_DETECTOR_FILE = "dlib_frontal_face_detector.svm"

CacheKey = tuple[str, str, str, int, str]


@dataclass(eq=False)
class Models:
    """What the pipeline, enrollment and evaluate use; built once per process and key."""

    model_name: str
    detector_name: str
    detector: BoxDetector
    shape5: Any  # dlib.shape_predictor (5 points): alignment and pose
    embedder: Embedder
    deepface_home: Path
    threads: int = 1
    _shape68: Any = None
    _passive: PassiveLiveness | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def landmarks68(self) -> Any:
        """dlib's 68-point predictor (blink liveness); loaded on first use, once."""
        with self._lock:
            if self._shape68 is None:
                self._shape68 = _load_shape68(self.deepface_home)
            return self._shape68

    def passive(self) -> PassiveLiveness:
        """The FasNet anti-spoofing sessions (passive liveness); loaded on first use, once.
        The loader loads them with the other models when the settings ask for them."""
        with self._lock:
            if self._passive is None:
                from core.recognition.antispoof import PassiveLiveness

                self._passive = PassiveLiveness.load(threads=self.threads)
            return self._passive

    def close_helpers(self) -> None:
        """End the landmark process, if one runs (the kiosk's stop, once recognition has
        stopped); a later ``landmarks68()`` call starts it again."""
        with self._lock:
            shape68 = self._shape68
        close = getattr(shape68, "close", None)
        if callable(close):
            close()


_build_lock = threading.Lock()
_models_cache: dict[CacheKey, Models] = {}
_shape68_lock = threading.Lock()
_shape68_cache: dict[str, Any] = {}


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
    detector, shape5 = _build_detector(config, home)
    timings["detector_s"] = time.monotonic() - t
    t = time.monotonic()
    embedder = _build_embedder(config, home)
    timings["recognition_s"] = time.monotonic() - t
    models = Models(
        config.model_name, config.detector, detector, shape5, embedder, home, config.threads
    )
    if config.needs_blink:
        t = time.monotonic()
        models.landmarks68()
        timings["landmarks68_s"] = time.monotonic() - t
    if config.needs_passive:
        t = time.monotonic()
        models.passive()  # warmed up by its load
        timings["passive_s"] = time.monotonic() - t
    t = time.monotonic()
    models.embedder = _warm_up(models, config)
    timings["warmup_s"] = time.monotonic() - t
    return models


def _stage(config: RecognitionConfig, home: Path, source_dir: Path | None) -> None:
    names = [weights.SHAPE5]
    if config.model_name == "Dlib":
        names.append(weights.DLIB_RESNET)
    if config.needs_blink:
        names.append(weights.SHAPE68)
    report = staging.stage_weights(home, names, source_dir=source_dir)
    if not report.ok:
        raise RecognitionError("; ".join(report.problems))
    wanted: tuple[tuple[str, weights.Kind], ...] = (
        (config.model_name, "recognition"),
        (config.detector, "detector"),
    )
    for name, kind in wanted:
        try:
            spec = weights.find_spec(name, kind)
        except ValueError as exc:
            raise RecognitionError(str(exc)) from None
        avail = staging.availability(spec, home)
        if avail.missing_paths:
            path = avail.missing_paths[0]
            raise MissingWeightsError(path, f"{name} ({kind})")
        if avail.damaged_paths:
            raise CorruptWeightsError(
                avail.damaged_paths[0], "its size is impossible for this model"
            )
        if avail.missing_packages:
            raise RecognitionError(
                f"the {kind} model {name!r} needs the Python package(s) "
                f"{', '.join(avail.missing_packages)}, which are not installed"
            )


def _build_detector(config: RecognitionConfig, home: Path) -> tuple[BoxDetector, Any]:
    # dlib's HOG detector and 5-point predictor are DeepFace's ``dlib`` detector; they are
    # built here directly so the detector can come from its saved copy (see below).
    shape5 = _shape_predictor(home, weights.SHAPE5)
    if config.detector == "dlib":
        return DlibHogDetector(frontal_face_detector(home)), shape5
    client = build_client("face_detector", config.detector, home)
    return DeepFaceBoxDetector(config.detector, client), shape5


def _shape_predictor(home: Path, name: str) -> Any:
    import dlib

    path = weights.weights_dir(home) / name
    if not path.is_file():
        raise MissingWeightsError(path, name)
    try:
        return dlib.shape_predictor(str(path))
    except RuntimeError as exc:
        raise CorruptWeightsError(path, str(exc)[:200]) from exc


def frontal_face_detector(home: Path) -> Any:
    """dlib's frontal face detector, loaded from a copy saved in the weights folder.

    ``dlib.get_frontal_face_detector()`` decodes the model compiled into dlib, which takes
    ~650 ms with the GIL held: the kiosk's preview froze that long at every start. Loading
    the same model from the file saved at the first start takes ~3 ms. A damaged copy is
    replaced.
    """
    import dlib

    path = weights.weights_dir(home) / HOG_DETECTOR_FILE
    if path.is_file():
        try:
            return dlib.fhog_object_detector(str(path))
        except RuntimeError as exc:
            log.warning("saved face detector %s is damaged (%s); rebuilding it", path, exc)
    detector = dlib.get_frontal_face_detector()
    partial = path.with_name(path.name + ".part")
    try:
        detector.save(str(partial))
        partial.replace(path)
    except (OSError, RuntimeError) as exc:  # a read-only data dir only costs start-up time
        log.warning("cannot save the face detector to %s: %s", path, exc)
        partial.unlink(missing_ok=True)
    return detector


def _build_embedder(config: RecognitionConfig, home: Path) -> Embedder:
    if config.model_name != "Dlib" or config.embed_engine == "deepface":
        return DeepFaceEmbedder(build_client("facial_recognition", config.model_name, home))
    if config.embed_engine == "dlib":
        return DlibEmbedder(build_client("facial_recognition", "Dlib", home).model.model)
    resnet = weights.weights_dir(home) / weights.DLIB_RESNET
    if not resnet.is_file():
        raise MissingWeightsError(resnet, "Dlib (recognition)")
    try:
        return _onnx_embedder(resnet, config.threads)
    except CorruptWeightsError:
        raise
    except Exception as exc:
        if config.embed_engine == "onnx":
            raise RecognitionError(f"the ONNX engine for Dlib cannot start: {exc}") from exc
        log.warning("ONNX engine unavailable (%s); using dlib's own (slower)", exc)
        return DlibEmbedder(build_client("facial_recognition", "Dlib", home).model.model)


def _onnx_embedder(path: Path, threads: int) -> OnnxDlibEmbedder:
    import onnxruntime as ort  # type: ignore[import-untyped]

    from core.recognition import dlib_net, dlib_onnx

    net = dlib_net.parse_dlib_resnet(path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        dlib_onnx.build_onnx(net), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return OnnxDlibEmbedder(session, net.mean_rgb)


def _warm_up(models: Models, config: RecognitionConfig) -> Embedder:
    """One inference through each model; for ONNX, also the check against dlib's own."""
    frame = np.full((480, 640), 128, np.uint8)
    models.detector.boxes(np.dstack([frame] * 3), frame, config.detect_upsample or 0)
    rng = np.random.default_rng(12345)
    chip = rng.integers(
        0, 256, (1, models.embedder.chip_size, models.embedder.chip_size, 3), dtype=np.uint8
    )
    embedder = models.embedder
    out = embedder.embed(chip)
    if out.shape != (1, embedder.dim) or not np.all(np.isfinite(out)):
        raise RecognitionError(f"the {embedder.model_name} model produced an invalid embedding")
    if isinstance(embedder, OnnxDlibEmbedder):
        return onnx_check.checked(embedder, chip, config, models.deepface_home)
    return embedder


def _load_shape68(home: Path) -> Any:
    from core.recognition.landmarks_process import RemoteShapePredictor

    path = weights.weights_dir(home) / weights.SHAPE68
    key = str(path.resolve())
    with _shape68_lock:
        if key in _shape68_cache:
            return _shape68_cache[key]
        state = staging.check_file(path, weights.LANDMARKS68.files[0])
        if state == "missing":
            report = staging.stage_weights(home, [weights.SHAPE68])
            if not report.ok:
                raise RecognitionError("; ".join(report.problems))
        elif state == "damaged":
            raise CorruptWeightsError(path, "wrong size (truncated copy?)")
        # In a child process: loading it here held the GIL ~1 s (see landmarks_process).
        predictor = RemoteShapePredictor(path)
        _shape68_cache[key] = predictor
        return predictor
