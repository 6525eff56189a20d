"""Run dlib's face-recognition ResNet through onnxruntime instead of dlib's own engine.

Why: the ``dlib-bin`` wheel is built without BLAS, so one 150×150 embedding costs 60–200 ms of
CPU on the kiosk's two cores — most of the per-frame budget. The network is small
(≈0.27 GMAC); onnxruntime runs the very same weights in a few milliseconds. Nothing is
downloaded or trained: the ``.dat`` file that DeepFace's ``Dlib`` model loads is parsed here
and ``core.recognition.dlib_onnx`` writes it as an ONNX graph. The loader checks the result
against dlib's own forward pass at warm-up and falls back to dlib if they disagree.

The file format is dlib's ``serialize(anet_type)``: a loss header, a run of version numbers
(one per nested layer), the input layer, then every layer's details from the input outward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.recognition.errors import CorruptWeightsError

INPUT_SIZE = 150
EMBEDDING_DIM = 128
# Bump when the conversion changes: the loader then checks it against dlib again.
CONVERTER_VERSION = 1


@dataclass(frozen=True)
class Layer:
    kind: str  # con | affine | relu | max_pool | avg_pool | add_prev | fc
    geom: tuple[int, ...] = ()
    weights: NDArray[np.float32] | None = None
    biases: NDArray[np.float32] | None = None


@dataclass(frozen=True)
class DlibResNet:
    mean_rgb: tuple[float, float, float]
    size: int
    layers: list[Layer] = field(default_factory=list)


class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def fail(self, what: str) -> CorruptWeightsError:
        return CorruptWeightsError(
            self.path,
            f"{what} at byte {self.pos} of {len(self.data)} (truncated or not a dlib model)",
        )

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise self.fail("unexpected end of file")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def int_(self) -> int:
        # dlib packs integers as a size/sign byte followed by little-endian magnitude bytes.
        head = self.byte()
        size = head & 0x0F
        if size > 8 or self.pos + size > len(self.data):
            raise self.fail("bad integer")
        value = int.from_bytes(self.data[self.pos : self.pos + size], "little")
        self.pos += size
        return -value if head & 0x80 else value

    def float_(self) -> float:
        mantissa = self.int_()
        exponent = self.int_()
        return float(mantissa) * 2.0**exponent

    def str_(self) -> str:
        size = self.int_()
        if size < 0 or size > 64 or self.pos + size > len(self.data):
            raise self.fail("bad string")
        raw = self.data[self.pos : self.pos + size]
        self.pos += size
        try:
            return raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise self.fail("bad layer name") from exc

    def bool_(self) -> bool:
        value = self.byte()
        if value not in (ord("0"), ord("1")):
            raise self.fail("bad flag")
        return value == ord("1")

    def tensor(self) -> NDArray[np.float32]:
        if self.int_() != 2:
            raise self.fail("unsupported tensor version")
        shape = [self.int_() for _ in range(4)]
        count = int(np.prod(shape))
        end = self.pos + 4 * count
        if count < 0 or end > len(self.data):
            raise self.fail("tensor runs past the end of the file")
        values = np.frombuffer(self.data, dtype="<f4", count=count, offset=self.pos)
        self.pos = end
        return values.astype(np.float32)

    def alias(self) -> tuple[int, int, int, int]:
        if self.int_() != 1:
            raise self.fail("unsupported alias_tensor version")
        n, k, r, c = (self.int_() for _ in range(4))
        return n, k, r, c


def parse_dlib_resnet(path: Path) -> DlibResNet:
    """Read ``dlib_face_recognition_resnet_model_v1.dat``; raise CorruptWeightsError if bad."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorruptWeightsError(path, f"cannot read it: {exc.strerror or exc}") from exc
    r = _Reader(data, path)
    if r.int_() != 1 or r.str_() != "loss_metric_2":
        raise r.fail("not a dlib metric-learning network")
    r.float_()  # margin
    r.float_()  # distance threshold
    # One version number per nested layer, ending with the input-side add_layer (version 3).
    while True:
        version = r.int_()
        if version == 3:
            break
        if version not in (1, 2):
            raise r.fail("unexpected layer version")
    if r.str_() != "input_rgb_image_sized":
        raise r.fail("unexpected input layer")
    mean = (r.float_(), r.float_(), r.float_())
    nr, nc = r.int_(), r.int_()
    if nr != nc:
        raise r.fail("non-square input")
    layers: list[Layer] = []
    first = True
    while r.pos < len(data):
        layers.append(_read_layer(r))
        r.bool_(), r.bool_(), r.bool_()
        for _ in range(3):
            r.tensor()
        if first:
            r.int_()  # sample expansion factor of the input-side layer
            first = False
    if not layers or layers[-1].kind != "fc":
        raise r.fail("network does not end in a fully connected layer")
    return DlibResNet(mean_rgb=mean, size=nr, layers=layers)


def _read_layer(r: _Reader) -> Layer:
    name = r.str_()
    if name == "con_4":
        params = r.tensor()
        num_filters, nr, nc, sy, sx, py, px = (r.int_() for _ in range(7))
        fshape = r.alias()
        r.alias()
        for _ in range(4):
            r.float_()
        nw = int(np.prod(fshape))
        if fshape[0] != num_filters or params.size != nw + num_filters:
            raise r.fail("convolution parameters do not match their shape")
        return Layer(
            "con",
            (num_filters, nr, nc, sy, sx, py, px),
            params[:nw].reshape(fshape),
            params[nw:].copy(),
        )
    if name == "affine_":
        params = r.tensor()
        r.alias()
        r.alias()
        if r.int_() != 0:
            raise r.fail("only per-channel affine layers are supported")
        half = params.size // 2
        return Layer("affine", (), params[:half].copy(), params[half:].copy())
    if name == "relu_":
        return Layer("relu")
    if name in ("max_pool_2", "avg_pool_2"):
        geom = tuple(r.int_() for _ in range(6))
        return Layer("max_pool" if name == "max_pool_2" else "avg_pool", geom)
    if name == "add_prev_":
        return Layer("add_prev")
    if name == "fc_2":
        outputs, inputs = r.int_(), r.int_()
        params = r.tensor()
        r.alias()
        r.alias()
        r.int_()  # bias mode
        for _ in range(4):
            r.float_()
        if params.size < inputs * outputs:
            raise r.fail("fully connected parameters do not match their shape")
        return Layer("fc", (outputs, inputs), params[: inputs * outputs].reshape(inputs, outputs))
    raise r.fail(f"unsupported layer '{name}'")


def preprocess(chips_rgb: NDArray[np.uint8], mean_rgb: Sequence[float]) -> NDArray[np.float32]:
    """uint8 RGB chips (N, H, W, 3) → the network's input: (x - mean) / 256, NCHW."""
    x = chips_rgb.astype(np.float32)
    x -= np.asarray(mean_rgb, np.float32)
    x *= 1.0 / 256.0
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
