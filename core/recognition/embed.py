"""Aligned face chips and their embeddings (unit vectors).

Alignment is dlib's: the 5-point landmarks map the face onto a canonical chip, as
``dlib.get_face_chip`` does (re-implemented without dlib in ``face_chip``), which is how
dlib's ResNet was trained and evaluated. Embedders take a batch of RGB chips and return
L2-normalised float32 rows.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from core.recognition import dlib_net
from core.recognition import face_chip as chips
from core.recognition.detect import DetectedFace, Image

Vectors = NDArray[np.float32]


class Embedder(Protocol):
    model_name: str
    engine: str
    dim: int
    chip_size: int
    chip_padding: float

    def embed(self, chips_rgb: NDArray[np.uint8]) -> Vectors: ...


def l2_normalise(x: NDArray[Any]) -> Vectors:
    x = np.atleast_2d(np.asarray(x, dtype=np.float32))
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (x / norms).astype(np.float32)
    return out


def face_chip(rgb: Image, face: DetectedFace, size: int, padding: float) -> Image:
    return chips.face_chip(rgb, face.landmarks, size=size, padding=padding)


class OnnxDlibEmbedder:
    """dlib's ResNet weights run by onnxruntime (see dlib_net for why)."""

    model_name = "Dlib"
    engine = "onnx"
    dim = dlib_net.EMBEDDING_DIM
    chip_size = dlib_net.INPUT_SIZE
    chip_padding = 0.25

    def __init__(self, session: Any, mean_rgb: tuple[float, float, float]) -> None:
        self._session = session
        self._mean = mean_rgb
        self._input = session.get_inputs()[0].name

    def raw(self, chips_rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
        x = dlib_net.preprocess(chips_rgb, self._mean)
        out = self._session.run(None, {self._input: x})[0]
        return np.asarray(out, dtype=np.float32)

    def embed(self, chips_rgb: NDArray[np.uint8]) -> Vectors:
        return l2_normalise(self.raw(chips_rgb))


class DlibEmbedder:
    """dlib's own forward pass (the reference; slow without BLAS)."""

    model_name = "Dlib"
    engine = "dlib"
    dim = dlib_net.EMBEDDING_DIM
    chip_size = dlib_net.INPUT_SIZE
    chip_padding = 0.25

    def __init__(self, face_rec_model: Any) -> None:
        self._model = face_rec_model

    def raw(self, chips_rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
        chips = [np.ascontiguousarray(c) for c in chips_rgb]
        return np.asarray(
            [np.asarray(d) for d in self._model.compute_face_descriptor(chips)], np.float32
        )

    def embed(self, chips_rgb: NDArray[np.uint8]) -> Vectors:
        return l2_normalise(self.raw(chips_rgb))


class DeepFaceEmbedder:
    """Any DeepFace recognition client through its own ``forward`` (BGR in [0, 1])."""

    engine = "deepface"

    def __init__(self, client: Any, chip_padding: float = 0.1) -> None:
        self._client = client
        self.model_name = str(client.model_name)
        self.dim = int(client.output_shape)
        shape = tuple(int(v) for v in client.input_shape)
        self.chip_size = max(shape)
        self._shape = shape
        self.chip_padding = 0.25 if self.model_name == "Dlib" else chip_padding

    def embed(self, chips_rgb: NDArray[np.uint8]) -> Vectors:
        import cv2

        batch = []
        for chip in chips_rgb:
            img = chip
            if img.shape[0] != self._shape[0] or img.shape[1] != self._shape[1]:
                img = cv2.resize(
                    img, (self._shape[1], self._shape[0]), interpolation=cv2.INTER_AREA
                )
            batch.append(img[:, :, ::-1].astype(np.float32) / 255.0)
        out = self._client.forward(np.stack(batch))
        arr = np.asarray(out, dtype=np.float32)
        return l2_normalise(arr.reshape(len(batch), -1))
