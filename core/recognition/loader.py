"""The model loader thread and its published state.

``main.py`` starts it before anything else. On its own thread it gets the configured models
(core/recognition/models.py: staged, built once per process, warmed up) and publishes its
state: LOADING → READY | FAILED(reason), with timings. Whatever goes wrong becomes FAILED
with a reason a person can act on; the loader thread never raises. deepface is reached only
through core/recognition/deepface_bridge.py, and never downloads anything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.i18n import Message
from core.recognition.config import RecognitionConfig
from core.recognition.errors import ModelsNotReadyError, RecognitionError
from core.recognition.models import CacheKey, Models, cache_key, get_models
from core.states import ModelState

log = logging.getLogger(__name__)

THREAD_NAME = "model-loader"


@dataclass(frozen=True)
class LoaderStatus:
    state: ModelState
    message: str
    model_name: str
    detector: str
    reason: str | None = None  # FAILED: what is wrong and how to fix it
    engine: str | None = None  # READY: which engine computes embeddings
    timings: Mapping[str, float] = field(default_factory=dict)  # seconds per step


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
            ModelState.LOADING, "Loading the face models...", config.model_name, config.detector
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
            self._cond.wait_for(lambda: self._status.state is not ModelState.LOADING, timeout)
            status, models = self._status, self._models
        if status.state is ModelState.READY and models is not None:
            return models
        if status.state is ModelState.FAILED:
            raise ModelsNotReadyError(
                Message("models.not_loaded", reason=status.reason or status.message)
            )
        raise ModelsNotReadyError(Message("models.still_loading", seconds=timeout))

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
                self._status.state is not ModelState.FAILED or self._thread.is_alive()
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
                ModelState.LOADING,
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
            models = get_models(self.config, self.deepface_home, self._source_dir, timings)
        except RecognitionError as exc:
            self._fail(str(exc), timings)
            return
        except Exception as exc:  # a loader must report, never crash the kiosk
            log.exception("unexpected error while loading the face models")
            self._fail(f"unexpected error while loading the face models: {exc!r}", timings)
            return
        timings["total_s"] = time.monotonic() - self._t0
        status = LoaderStatus(
            ModelState.READY,
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
                ModelState.FAILED,
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


_loaders: dict[CacheKey, ModelLoader] = {}
_loaders_lock = threading.Lock()


def shared_loader(config: RecognitionConfig, deepface_home: Path) -> ModelLoader:
    """The process's loader for this configuration: every caller gets the same object (and
    so the same status and models); not started here."""
    key = cache_key(config, Path(deepface_home))
    with _loaders_lock:
        loader = _loaders.get(key)
        if loader is None:
            loader = _loaders[key] = ModelLoader(config, deepface_home)
        return loader


def load_models(
    config: RecognitionConfig, deepface_home: Path, *, source_dir: Path | None = None
) -> Models:
    """Blocking load for commands (evaluate, bench, enroll); raises ModelsNotReadyError."""
    return ModelLoader(config, deepface_home, source_dir=source_dir).load_now()
