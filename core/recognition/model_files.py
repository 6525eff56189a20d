"""The model files shipped in ``resources/models/``, checked against their manifest.

Every model file the program ships is listed in ``resources/models/manifest.json`` with its
size and sha256 (``tools/models/model_manifest.py`` writes it; each folder's ``NOTICE.md``
names the same digests and the model's origin and licence). Loading one goes through
:func:`verified_bytes`, which reads the file once, checks size and digest and hands the
bytes on: onnxruntime builds its session from those bytes, so what runs is what was checked
(no window to swap the file between check and load). A missing, truncated or altered file is
one error naming the path and the fix; nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.recognition.errors import CorruptWeightsError, MissingWeightsError, RecognitionError

# resources/ next to core/ in a checkout, and where the bundle's spec puts it
ROOT = Path(__file__).resolve().parents[2]
MODELS_ROOT = ROOT / "resources" / "models"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
# no shipped model is near this; a larger file is not one of ours (and is not read whole)
MAX_MODEL_BYTES = 64 * 1024 * 1024

_FIX = (
    "reinstall Asistencia (the file ships with it in resources/models/; in a checkout, "
    "`git checkout resources/models` restores it)"
)


@dataclass(frozen=True)
class ManifestEntry:
    """One shipped model file: its path under resources/models, size, digest and licence."""

    path: str
    size: int
    sha256: str
    licence: str


def load_manifest(root: Path | None = None) -> dict[str, ManifestEntry]:
    """The manifest's entries by relative path (``mediapipe/face_landmark.onnx``); ``root``
    defaults to :data:`MODELS_ROOT`, read at each call."""
    path = (root or MODELS_ROOT) / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MissingWeightsError(path, "model manifest", hint=_FIX) from exc
    except (OSError, ValueError) as exc:
        raise CorruptWeightsError(path, f"unreadable model manifest: {exc}", _FIX) from exc
    try:
        if raw["format"] != MANIFEST_FORMAT:
            raise ValueError(f"format {raw['format']!r}, expected {MANIFEST_FORMAT}")
        return {
            name: ManifestEntry(name, int(item["size"]), str(item["sha256"]), str(item["licence"]))
            for name, item in raw["files"].items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise CorruptWeightsError(path, f"malformed model manifest: {exc}", _FIX) from exc


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verified_bytes(relpath: str, root: Path | None = None) -> bytes:
    """The bytes of shipped model ``relpath`` after checking them against the manifest.

    Raises MissingWeightsError when the file (or the manifest) is absent and
    CorruptWeightsError when it is not the file the manifest names (size or sha256 differ)
    or the manifest does not list it.
    """
    root = root or MODELS_ROOT
    entry = load_manifest(root).get(relpath)
    path = root / relpath
    if entry is None:
        raise CorruptWeightsError(path, "not listed in resources/models/manifest.json", _FIX)
    if not path.is_file():
        raise MissingWeightsError(path, relpath, hint=_FIX)
    size = path.stat().st_size
    if size != entry.size or size > MAX_MODEL_BYTES:
        detail = f"{size} bytes, the manifest says {entry.size}"
        raise CorruptWeightsError(path, detail, _FIX)
    data = path.read_bytes()
    digest = sha256_bytes(data)
    if digest != entry.sha256 or len(data) != entry.size:
        detail = f"sha256 {digest}, the manifest says {entry.sha256}"
        raise CorruptWeightsError(path, detail, _FIX)
    return data


def onnx_session(relpath: str, threads: int = 1, root: Path | None = None) -> Any:
    """An onnxruntime CPU session of shipped model ``relpath``, digest checked first.

    ``threads`` is onnxruntime's intra-op thread count (0: its default, one per core).
    """
    import onnxruntime as ort  # type: ignore[import-untyped]

    if threads < 0:
        raise ValueError("threads must be 0 (default) or more")
    data = verified_bytes(relpath, root)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
        detail = f"onnxruntime cannot load it: {str(exc)[:200]}"
        raise CorruptWeightsError((root or MODELS_ROOT) / relpath, detail, _FIX) from exc


def problems(root: Path | None = None) -> list[str]:
    """Every shipped model file that is missing or not the file the manifest names, one
    sentence each (doctor's check; the loader refuses such a file anyway)."""
    try:
        entries = load_manifest(root)
    except RecognitionError as exc:
        return [str(exc)]
    found = []
    for relpath in sorted(entries):
        try:
            verified_bytes(relpath, root)
        except RecognitionError as exc:
            found.append(str(exc))
    return found
