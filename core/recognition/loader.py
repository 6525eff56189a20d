"""The model loader: the one place that imports deepface (and, for TF models, TensorFlow).

``main.py`` starts it before anything else. It stages the packaged weights, builds the
configured detector and recognition model once per process, warms them up with one inference
and publishes its state: LOADING → READY | FAILED(reason), with timings. A missing weight is
never downloaded: deepface's download helper is replaced by a guard that raises
``MissingWeightsError`` naming the path. Whatever goes wrong becomes FAILED with a reason a
person can act on; the loader thread never raises.

Process-wide guard: models are cached by (model, detector, engine, threads, DeepFace home)
under one lock, and deepface clients by (task, name, home), so a second loader or request
gets the very same objects — the old server crashed at start-up from loading twice.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.recognition import weights
from core.recognition.config import RecognitionConfig
from core.recognition.detect import BoxDetector, DeepFaceBoxDetector, DlibHogDetector
from core.recognition.embed import DeepFaceEmbedder, DlibEmbedder, Embedder, OnnxDlibEmbedder
from core.recognition.errors import (
    CorruptWeightsError,
    MissingWeightsError,
    ModelsNotReadyError,
    RecognitionError,
)

log = logging.getLogger(__name__)

THREAD_NAME = "model-loader"
HOG_DETECTOR_FILE = "dlib_frontal_face_detector.svm"
ONNX_VERIFIED_FILE = "dlib_resnet_onnx.verified"
# ONNX and dlib agree to ~1e-6 on real chips; anything near this means a different network.
_ENGINE_TOLERANCE = 1e-3


class LoadState(enum.Enum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class LoaderStatus:
    state: LoadState
    message: str
    model_name: str
    detector: str
    reason: str | None = None  # FAILED: what is wrong and how to fix it
    engine: str | None = None  # READY: which engine computes embeddings
    timings: Mapping[str, float] = field(default_factory=dict)  # seconds per step


@dataclass(eq=False)
class Models:
    """What the pipeline, enrollment and evaluate use; built once per process and key."""

    model_name: str
    detector_name: str
    detector: BoxDetector
    shape5: Any  # dlib.shape_predictor (5 points): alignment and pose
    embedder: Embedder
    deepface_home: Path
    _shape68: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def landmarks68(self) -> Any:
        """dlib's 68-point predictor (blink liveness); loaded on first use, once."""
        with self._lock:
            if self._shape68 is None:
                self._shape68 = _load_shape68(self.deepface_home)
            return self._shape68

    def close_helpers(self) -> None:
        """End the landmark process, if one runs (the kiosk's stop, once recognition has
        stopped); a later ``landmarks68()`` call starts it again."""
        with self._lock:
            shape68 = self._shape68
        close = getattr(shape68, "close", None)
        if callable(close):
            close()


_build_lock = threading.Lock()  # one build at a time, process-wide
_models_cache: dict[tuple[str, str, str, int, str], Models] = {}
_clients: dict[tuple[str, str, str], Any] = {}
_shape68_cache: dict[str, Any] = {}


class ModelLoader:
    """Loads models on its own thread; see the module docstring.

    Callbacks given to ``subscribe`` run on the loader thread (and once at once, with the
    current status); they must be quick. ``wait_ready`` blocks any other thread.
    """

    def __init__(
        self,
        config: RecognitionConfig,
        deepface_home: Path,
        *,
        source_dir: Path | None = None,
    ) -> None:
        self.config = config
        self.deepface_home = Path(deepface_home)
        self._source_dir = source_dir
        self._cond = threading.Condition()
        self._status = LoaderStatus(
            LoadState.LOADING, "Loading the face models...", config.model_name, config.detector
        )
        self._models: Models | None = None
        self._subscribers: list[Callable[[LoaderStatus], None]] = []
        self._thread: threading.Thread | None = None
        self._t0 = time.monotonic()

    # -- what others see --------------------------------------------------------------

    @property
    def status(self) -> LoaderStatus:
        with self._cond:
            return self._status

    @property
    def models(self) -> Models | None:
        with self._cond:
            return self._models

    def subscribe(self, callback: Callable[[LoaderStatus], None]) -> Callable[[], None]:
        with self._cond:
            self._subscribers.append(callback)
            current = self._status
        callback(current)

        def unsubscribe() -> None:
            with self._cond:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def wait_ready(self, timeout: float | None = None) -> Models:
        """The models once READY; ModelsNotReadyError on FAILED (with the reason) or timeout."""
        with self._cond:
            self._cond.wait_for(lambda: self._status.state is not LoadState.LOADING, timeout)
            status, models = self._status, self._models
        if status.state is LoadState.READY and models is not None:
            return models
        if status.state is LoadState.FAILED:
            raise ModelsNotReadyError(status.reason or status.message)
        raise ModelsNotReadyError(f"the face models are still loading after {timeout:.0f} s")

    # -- life cycle -------------------------------------------------------------------

    def start(
        self, *, yield_until: threading.Event | None = None, yield_at_most_s: float = 3.0
    ) -> ModelLoader:
        """Start the loader thread. Returns self.

        Calling it again does nothing while loading or once READY; after FAILED it tries
        again (an administrator placed the missing file and pressed "retry").

        ``yield_until``: the kiosk passes an event it sets once its window is on screen. The
        thread exists and reports LOADING at once (it is still the first thing started),
        but it leaves the interpreter to the window until then (at most ``yield_at_most_s``):
        with one GIL, loading alongside the window's imports only made both slower.
        """
        with self._cond:
            if self._thread is not None and (
                self._status.state is not LoadState.FAILED or self._thread.is_alive()
            ):
                return self
            retry = self._thread is not None
            self._t0 = time.monotonic()
            thread = threading.Thread(
                target=self._run, args=(yield_until, yield_at_most_s), name=THREAD_NAME, daemon=True
            )
            self._thread = thread
        if retry:
            loading = LoaderStatus(
                LoadState.LOADING,
                "Loading the face models...",
                self.config.model_name,
                self.config.detector,
            )
            self._publish(loading, None)
        thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def load_now(self) -> Models:
        """Load on the calling thread (CLI commands that have nothing else to do)."""
        self._run()
        return self.wait_ready(0)

    def _run(
        self, yield_until: threading.Event | None = None, yield_at_most_s: float = 0.0
    ) -> None:
        timings: dict[str, float] = {}
        if yield_until is not None:
            t = time.monotonic()
            yield_until.wait(yield_at_most_s)
            timings["yielded_to_window_s"] = time.monotonic() - t
        try:
            models = _get_models(self.config, self.deepface_home, self._source_dir, timings)
        except RecognitionError as exc:
            self._fail(str(exc), timings)
            return
        except Exception as exc:  # a loader must report, never crash the kiosk
            log.exception("unexpected error while loading the face models")
            self._fail(f"unexpected error while loading the face models: {exc!r}", timings)
            return
        timings["total_s"] = time.monotonic() - self._t0
        status = LoaderStatus(
            LoadState.READY,
            f"Face models ready ({models.model_name} + {models.detector_name}, "
            f"{models.embedder.engine}) in {timings['total_s']:.1f} s",
            self.config.model_name,
            self.config.detector,
            engine=models.embedder.engine,
            timings=dict(timings),
        )
        log.info("%s; timings %s", status.message, _fmt_timings(timings))
        self._publish(status, models)

    def _fail(self, reason: str, timings: dict[str, float]) -> None:
        timings["total_s"] = time.monotonic() - self._t0
        log.error("face models failed to load: %s", reason)
        self._publish(
            LoaderStatus(
                LoadState.FAILED,
                "The face models could not be loaded",
                self.config.model_name,
                self.config.detector,
                reason=reason,
                timings=dict(timings),
            ),
            None,
        )

    def _publish(self, status: LoaderStatus, models: Models | None) -> None:
        with self._cond:
            self._status, self._models = status, models
            subscribers = list(self._subscribers)
            self._cond.notify_all()
        for callback in subscribers:
            try:
                callback(status)
            except Exception:
                log.exception("a model-status subscriber failed")


def _fmt_timings(timings: Mapping[str, float]) -> str:
    return ", ".join(f"{k}={v:.2f}" for k, v in timings.items())


_loaders: dict[tuple[str, str, str, int, str], ModelLoader] = {}
_loaders_lock = threading.Lock()


def shared_loader(config: RecognitionConfig, deepface_home: Path) -> ModelLoader:
    """The process's loader for this configuration: every caller gets the same object (and
    so the same status and models); not started here."""
    key = _cache_key(config, Path(deepface_home))
    with _loaders_lock:
        loader = _loaders.get(key)
        if loader is None:
            loader = _loaders[key] = ModelLoader(config, deepface_home)
        return loader


def _cache_key(config: RecognitionConfig, home: Path) -> tuple[str, str, str, int, str]:
    return (
        config.model_name,
        config.detector,
        config.embed_engine,
        config.threads,
        str(home.resolve()),
    )


def load_models(
    config: RecognitionConfig, deepface_home: Path, *, source_dir: Path | None = None
) -> Models:
    """Blocking load for commands (evaluate, bench, enroll); raises ModelsNotReadyError."""
    return ModelLoader(config, deepface_home, source_dir=source_dir).load_now()


# --- building ---------------------------------------------------------------------------


def _get_models(
    config: RecognitionConfig,
    home: Path,
    source_dir: Path | None,
    timings: dict[str, float],
) -> Models:
    key = _cache_key(config, home)
    with _build_lock:
        cached = _models_cache.get(key)
        if cached is not None:
            timings["cached"] = 1.0
            return cached
        t = time.monotonic()
        _stage(config, home, source_dir)
        timings["stage_s"] = time.monotonic() - t
        t = time.monotonic()
        detector, shape5 = _build_detector(config, home)
        timings["detector_s"] = time.monotonic() - t
        t = time.monotonic()
        embedder = _build_embedder(config, home)
        timings["recognition_s"] = time.monotonic() - t
        models = Models(config.model_name, config.detector, detector, shape5, embedder, home)
        if config.liveness == "blink":
            t = time.monotonic()
            models.landmarks68()
            timings["landmarks68_s"] = time.monotonic() - t
        t = time.monotonic()
        models.embedder = _warm_up(models, config)
        timings["warmup_s"] = time.monotonic() - t
        _models_cache[key] = models
        return models


def _stage(config: RecognitionConfig, home: Path, source_dir: Path | None) -> None:
    names = [weights.SHAPE5]
    if config.model_name == "Dlib":
        names.append(weights.DLIB_RESNET)
    if config.liveness == "blink":
        names.append(weights.SHAPE68)
    report = weights.stage_weights(home, names, source_dir=source_dir)
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
        avail = weights.availability(spec, home)
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


_deepface_lock = threading.Lock()


def _deepface(home: Path) -> Any:
    """Import deepface's model registry with the app's DEEPFACE_HOME and the no-download guard.

    deepface reads DEEPFACE_HOME whenever it resolves a path, so it is set here (the process
    has one DeepFace home; tests that use another home run their builds under this lock).
    """
    os.environ["DEEPFACE_HOME"] = str(home)
    from deepface.commons import weight_utils  # noqa: TID251 - the loader is the one place
    from deepface.modules import modeling  # noqa: TID251 - the loader is the one place

    if not getattr(weight_utils.download_weights_if_necessary, "_asistencia_guard", False):
        weight_utils.download_weights_if_necessary = no_download_guard
    return modeling


def no_download_guard(file_name: str, source_url: Any = None, compress_type: Any = None) -> str:  # noqa: ARG001
    """Stands in for deepface's downloader: the file's path if present, else MissingWeightsError."""
    home = Path(os.environ.get("DEEPFACE_HOME", str(Path.home())))
    target = weights.weights_dir(home) / file_name
    if target.is_file():
        return str(target)
    raise MissingWeightsError(
        target, hint=f"place the file at {target} (this kiosk never downloads models)"
    )


no_download_guard._asistencia_guard = True  # type: ignore[attr-defined]


def build_client(task: str, name: str, home: Path) -> Any:
    """A deepface model client, built once per (task, name, home); never downloads."""
    key = (task, name, str(home.resolve()))
    if key in _clients:
        return _clients[key]
    with _deepface_lock:
        modeling = _deepface(home)
        if name == "retinaface":
            _guard_retinaface()
        cls = modeling.get_model_class(task=task, model_name=name)
        try:
            client = cls()
        except RecognitionError:
            raise
        except Exception as exc:
            raise _explain_build_error(task, name, home, exc) from exc
        _clients[key] = client
        _share_with_deepface(modeling, task, name, client)
    return client


def _share_with_deepface(modeling: Any, task: str, name: str, client: Any) -> None:
    # DeepFace.represent (bench's baseline) looks models up in this cache; giving it ours
    # keeps one copy per process even there.
    cache = getattr(modeling, "cached_models", None)
    if cache is None:
        cache = {t: {} for t in modeling.AVAILABLE_MODELS}
        modeling.cached_models = cache
    cache.setdefault(task, {}).setdefault(name, client)


def _guard_retinaface() -> None:
    from retinaface.commons import weight_utils as rw  # type: ignore[import-untyped]

    def guard(file_name: str, source_urls: Any = None) -> str:  # noqa: ARG001
        return no_download_guard(file_name)

    rw.download_weights_if_necessary = guard


def _explain_build_error(task: str, name: str, home: Path, exc: Exception) -> RecognitionError:
    text = str(exc)
    kind: weights.Kind = "recognition" if task == "facial_recognition" else "detector"
    try:
        files = weights.find_spec(name, kind).files
    except ValueError:
        files = ()
    # dlib: "Error deserializing object ..."; h5py: "truncated file"; deepface wraps keras'
    # failures as "An exception occurred while loading the pre-trained weights from <path>".
    lowered = text.lower()
    damaged = any(w in lowered for w in ("deserializ", "truncated", "while loading", "unable to"))
    for wf in files:
        if wf.name in text or (damaged and len(files) == 1):
            path = weights.weights_dir(home) / wf.name
            return CorruptWeightsError(path, f"{type(exc).__name__}: {text[:300]}")
    return RecognitionError(
        f"cannot build the {task.replace('_', ' ')} model {name!r}: {text[:300]}"
    )


def _build_detector(config: RecognitionConfig, home: Path) -> tuple[BoxDetector, Any]:
    # dlib's HOG detector and 5-point predictor are DeepFace's ``dlib`` detector; they are
    # built here directly so the detector can come from its saved copy (see below).
    shape5 = _shape_predictor(home, weights.SHAPE5)
    if config.detector == "dlib":
        return DlibHogDetector(_frontal_face_detector(home)), shape5
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


def _frontal_face_detector(home: Path) -> Any:
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

    from core.recognition import dlib_net

    net = dlib_net.parse_dlib_resnet(path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        dlib_net.build_onnx(net), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return OnnxDlibEmbedder(session, net.mean_rgb)


def _warm_up(models: Models, config: RecognitionConfig) -> Embedder:
    """One inference through each model; for ONNX, also prove it matches dlib's own output."""
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
        fingerprint = _engine_fingerprint(models.deepface_home)
        if _verified(models.deepface_home) == fingerprint:
            return embedder  # these weights already matched DeepFace's Dlib model here
        reference = DlibEmbedder(
            build_client("facial_recognition", "Dlib", models.deepface_home).model.model
        )
        diff = float(np.max(np.abs(embedder.raw(chip) - reference.raw(chip))))
        if diff <= _ENGINE_TOLERANCE:
            _mark_verified(models.deepface_home, fingerprint)
        if diff > _ENGINE_TOLERANCE:
            if config.embed_engine == "onnx":
                raise RecognitionError(
                    f"the ONNX engine disagrees with dlib (max difference {diff:.2g})"
                )
            log.warning("ONNX engine disagrees with dlib (max difference %.2g); using dlib", diff)
            return reference
    return embedder


def _engine_fingerprint(home: Path) -> str:
    """What the ONNX network depends on: the weight file's bytes and the converter."""
    from core.recognition import dlib_net

    digest = hashlib.sha256((weights.weights_dir(home) / weights.DLIB_RESNET).read_bytes())
    return f"{digest.hexdigest()} converter={dlib_net.CONVERTER_VERSION}"


def _verified(home: Path) -> str | None:
    try:
        return (weights.weights_dir(home) / ONNX_VERIFIED_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _mark_verified(home: Path, fingerprint: str) -> None:
    """Remember that the ONNX network matched dlib's on these weights.

    Later starts skip loading dlib's own copy of the network and its forward pass (~250 ms
    with the GIL held, which froze the preview); any change of weights or converter makes
    the fingerprint differ and the check runs again.
    """
    path = weights.weights_dir(home) / ONNX_VERIFIED_FILE
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(fingerprint + "\n", encoding="ascii")
        partial.replace(path)
    except OSError as exc:
        log.warning("cannot record the ONNX check in %s: %s", path, exc)


def _load_shape68(home: Path) -> Any:
    from core.recognition.landmarks_process import RemoteShapePredictor

    path = weights.weights_dir(home) / weights.SHAPE68
    key = str(path.resolve())
    if key in _shape68_cache:
        return _shape68_cache[key]
    state = weights.check_file(path, weights.LANDMARKS68.files[0])
    if state == "missing":
        report = weights.stage_weights(home, [weights.SHAPE68])
        if not report.ok:
            raise RecognitionError("; ".join(report.problems))
    elif state == "damaged":
        raise CorruptWeightsError(path, "wrong size (truncated copy?)")
    # In a child process: loading it here held the GIL ~1 s (see landmarks_process).
    predictor = RemoteShapePredictor(path)
    _shape68_cache[key] = predictor
    return predictor


def download_guard_installed() -> bool:
    """Whether deepface's downloader is replaced (true once the loader imported deepface)."""
    module = sys.modules.get("deepface.commons.weight_utils")
    return module is not None and getattr(
        module.download_weights_if_necessary, "_asistencia_guard", False
    )


def deepface_represent(
    frame_bgr: Any, model_name: str, detector: str, home: Path, *, align: bool = True
) -> list[Any]:
    """DeepFace.represent on one frame: bench's baseline (imports TensorFlow; bench only)."""
    with _deepface_lock:
        _deepface(home)
    from deepface import DeepFace  # noqa: TID251 - the loader is the one place

    result = DeepFace.represent(
        img_path=frame_bgr,
        model_name=model_name,
        detector_backend=detector,
        enforce_detection=False,
        align=align,
    )
    return list(result)
