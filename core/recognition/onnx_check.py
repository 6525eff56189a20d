"""The ONNX engine must compute what DeepFace's ``Dlib`` model computes.

The embedding runs on onnxruntime from the network dlib_net converts out of dlib's weight
file (~8 ms a face instead of 140–230 ms in this BLAS-less dlib build). At warm-up the two
are compared on the same chip; they agree to ~3e-7. A match is remembered in the weights
folder under a fingerprint of the weight file's bytes and the converter's version, so later
starts skip loading dlib's own copy (~250 ms with the GIL held); any change of either runs
the comparison again. A disagreement falls back to dlib (or fails, if ONNX was demanded).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.recognition import weights
from core.recognition.config import RecognitionConfig
from core.recognition.deepface_bridge import build_client
from core.recognition.embed import DlibEmbedder, Embedder, OnnxDlibEmbedder
from core.recognition.errors import RecognitionError

log = logging.getLogger(__name__)

VERIFIED_FILE = "dlib_resnet_onnx.verified"
# ONNX and dlib agree to ~1e-6 on real chips; anything near this means a different network.
TOLERANCE = 1e-3


def checked(
    embedder: OnnxDlibEmbedder, chip: NDArray[np.uint8], config: RecognitionConfig, home: Path
) -> Embedder:
    """``embedder`` if it matches dlib's own network on ``chip`` (or did before on these
    weights), else dlib's (``embed_engine = auto``) or RecognitionError (``onnx``)."""
    current = fingerprint(home)
    if verified(home) == current:
        return embedder
    reference = DlibEmbedder(build_client("facial_recognition", "Dlib", home).model.model)
    diff = float(np.max(np.abs(embedder.raw(chip) - reference.raw(chip))))
    if diff <= TOLERANCE:
        mark_verified(home, current)
        return embedder
    if config.embed_engine == "onnx":
        raise RecognitionError(f"the ONNX engine disagrees with dlib (max difference {diff:.2g})")
    log.warning("ONNX engine disagrees with dlib (max difference %.2g); using dlib", diff)
    return reference


def fingerprint(home: Path) -> str:
    """What the ONNX network depends on: the weight file's bytes and the converter."""
    from core.recognition import dlib_net

    digest = hashlib.sha256((weights.weights_dir(home) / weights.DLIB_RESNET).read_bytes())
    return f"{digest.hexdigest()} converter={dlib_net.CONVERTER_VERSION}"


def verified(home: Path) -> str | None:
    try:
        return (weights.weights_dir(home) / VERIFIED_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def mark_verified(home: Path, current: str) -> None:
    """Remember that the ONNX network matched dlib's on these weights (written to a .part
    file and renamed, so a crash leaves the old mark or none)."""
    path = weights.weights_dir(home) / VERIFIED_FILE
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(current + "\n", encoding="ascii")
        partial.replace(path)
    except OSError as exc:
        log.warning("cannot record the ONNX check in %s: %s", path, exc)
