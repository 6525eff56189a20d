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

from core.recognition import face_chip as chips
from core.recognition import model_files
from core.recognition.detect import DetectedFace, Image

Vectors = NDArray[np.float32]

# dlib's face-recognition ResNet as ONNX (tools/models/dlib_resnet_convert.py wrote it from
# dlib's own file, and checked it computes what dlib computes), under resources/models/.
RESNET_FILE = "dlib/dlib_face_recognition_resnet_model_v1.onnx"
RESNET_INPUT_SIZE = 150
RESNET_DIM = 128
# the mean RGB the network subtracts (stored in dlib's file; the converter checks it)
DLIB_RESNET_MEAN_RGB = (122.78199768066406, 117.0009994506836, 104.2979965209961)


def preprocess(
    chips_rgb: NDArray[np.uint8], mean_rgb: tuple[float, float, float]
) -> NDArray[np.float32]:
    """uint8 RGB chips (N, H, W, 3) → the network's input: (x - mean) / 256, NCHW."""
    x = chips_rgb.astype(np.float32)
    x -= np.asarray(mean_rgb, np.float32)
    x *= 1.0 / 256.0
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


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
    """dlib's ResNet run by onnxruntime: ~8 ms a face, where dlib's own BLAS-less build takes
    60-200 ms, and no dlib (nor AVX) needed."""

    model_name = "Dlib"
    engine = "onnx"
    dim = RESNET_DIM
    chip_size = RESNET_INPUT_SIZE
    chip_padding = 0.25

    def __init__(self, session: Any) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name

    @classmethod
    def load(cls, threads: int = 1) -> OnnxDlibEmbedder:
        """The shipped network (sha256 checked against the manifest first)."""
        return cls(model_files.onnx_session(RESNET_FILE, threads))

    def raw(self, chips_rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
        x = preprocess(chips_rgb, DLIB_RESNET_MEAN_RGB)
        out = self._session.run(None, {self._input: x})[0]
        return np.asarray(out, dtype=np.float32)

    def embed(self, chips_rgb: NDArray[np.uint8]) -> Vectors:
        return l2_normalise(self.raw(chips_rgb))


class DlibEmbedder:
    """dlib's own forward pass (the reference; slow without BLAS)."""

    model_name = "Dlib"
    engine = "dlib"
    dim = RESNET_DIM
    chip_size = RESNET_INPUT_SIZE
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
