"""The one module that imports deepface (and, through its TensorFlow models, TensorFlow).

Everything else reaches deepface through here, which guarantees three things:

- **No download, ever.** deepface fetches a missing weight file on first use; its helper is
  replaced by ``no_download_guard`` before any model class is touched, so a missing file is
  a ``MissingWeightsError`` that names the path to place it at.
- **One DeepFace home.** deepface reads ``DEEPFACE_HOME`` whenever it resolves a path; it is
  set under ``_lock`` for each use (tests that use another home build under the same lock).
- **One client per model.** ``build_client`` builds a deepface model client once per (task,
  name, home) and hands the same object to every later caller, and to deepface's own model
  cache (so ``DeepFace.represent`` in the bench reuses it too). The cache is read and
  written under ``_lock``: two first calls at once build one client.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from core.i18n import Message
from core.recognition import weights
from core.recognition.errors import CorruptWeightsError, MissingWeightsError, RecognitionError

_lock = threading.Lock()
_clients: dict[tuple[str, str, str], Any] = {}


def _modeling(home: Path) -> Any:
    """deepface's model registry, with this home and the guard in place (caller holds _lock)."""
    os.environ["DEEPFACE_HOME"] = str(home)
    from deepface.commons import weight_utils  # noqa: TID251 - the one module
    from deepface.modules import modeling  # noqa: TID251 - the one module

    if not getattr(weight_utils.download_weights_if_necessary, "_asistencia_guard", False):
        weight_utils.download_weights_if_necessary = no_download_guard
    return modeling


def no_download_guard(file_name: str, source_url: Any = None, compress_type: Any = None) -> str:  # noqa: ARG001
    """Stands in for deepface's downloader: the file's path if present, else MissingWeightsError."""
    home = Path(os.environ.get("DEEPFACE_HOME", str(Path.home())))
    target = weights.weights_dir(home) / file_name
    if target.is_file():
        return str(target)
    raise MissingWeightsError(target)  # "place the file at …; this kiosk never downloads"


no_download_guard._asistencia_guard = True  # type: ignore[attr-defined]


def guard_installed() -> bool:
    """Whether deepface's downloader is replaced (true once deepface was imported here)."""
    module = sys.modules.get("deepface.commons.weight_utils")
    return module is not None and getattr(
        module.download_weights_if_necessary, "_asistencia_guard", False
    )


def build_client(task: str, name: str, home: Path) -> Any:
    """A deepface model client, built once per (task, name, home); never downloads."""
    key = (task, name, str(home.resolve()))
    with _lock:
        client = _clients.get(key)
        if client is not None:
            return client
        modeling = _modeling(home)
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


def represent_api(home: Path) -> Any:
    """``deepface.DeepFace`` itself, guarded and with this home (the bench's baseline calls
    ``represent`` on it; it imports TensorFlow)."""
    with _lock:
        _modeling(home)
    from deepface import DeepFace  # noqa: TID251 - the one module

    return DeepFace


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
        Message("models.cannot_build", task=task.replace("_", " "), name=name, detail=text[:300])
    )
