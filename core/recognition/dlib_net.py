"""Run dlib's face-recognition ResNet through onnxruntime instead of dlib's own engine.

Why: the ``dlib-bin`` wheel is built without BLAS, so one 150×150 embedding costs 60–200 ms of
CPU on the kiosk's two cores — most of the per-frame budget. The network is small
(≈0.27 GMAC); onnxruntime runs the very same weights in a few milliseconds. Nothing is
downloaded or trained: the ``.dat`` file that DeepFace's ``Dlib`` model loads is parsed here,
each ``affine`` (frozen batch-norm) is folded into its convolution, and an ONNX graph is written
with a minimal protobuf encoder (the ``onnx`` package is not a dependency). The loader checks
the result against dlib's own forward pass at warm-up and falls back to dlib if they disagree.

The file format is dlib's ``serialize(anet_type)``: a loss header, a run of version numbers
(one per nested layer), the input layer, then every layer's details from the input outward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


# --- a minimal ONNX (protobuf) writer ---------------------------------------------------------


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire: int) -> bytes:
    return _varint((number << 3) | wire)


def _int(number: int, value: int) -> bytes:
    return _key(number, 0) + _varint(value)


def _bytes(number: int, value: bytes) -> bytes:
    return _key(number, 2) + _varint(len(value)) + value


def _str(number: int, value: str) -> bytes:
    return _bytes(number, value.encode())


_FLOAT = 1
_INT64 = 7


def _tensor(name: str, array: NDArray[Any]) -> bytes:
    dtype = _FLOAT if array.dtype == np.float32 else _INT64
    dims = b"".join(_int(1, d) for d in array.shape)
    raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    return dims + _int(2, dtype) + _str(8, name) + _bytes(9, raw)


def _attr_ints(name: str, values: Sequence[int]) -> bytes:
    return _str(1, name) + b"".join(_int(8, v) for v in values) + _int(20, 7)


def _attr_int(name: str, value: int) -> bytes:
    return _str(1, name) + _int(3, value) + _int(20, 2)


def _value_info(name: str, dims: Sequence[int | str]) -> bytes:
    shape = b"".join(_bytes(1, _str(2, d) if isinstance(d, str) else _int(1, d)) for d in dims)
    tensor_type = _int(1, _FLOAT) + _bytes(2, shape)
    return _str(1, name) + _bytes(2, _bytes(1, tensor_type))


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[bytes] = []
        self.inits: list[bytes] = []
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, prefix: str, array: NDArray[Any]) -> str:
        name = self.name(prefix)
        self.inits.append(_tensor(name, array))
        return name

    def node(self, op: str, inputs: Sequence[str], attrs: Sequence[bytes] = ()) -> str:
        out = self.name(op.lower())
        body = b"".join(_str(1, i) for i in inputs) + _str(2, out) + _str(3, out) + _str(4, op)
        body += b"".join(_bytes(5, a) for a in attrs)
        self.nodes.append(body)
        return out


@dataclass
class _Shape:
    c: int
    h: int
    w: int


def _pool_out(size: int, k: int, s: int, p: int) -> int:
    return (size + 2 * p - k) // s + 1


def _window_attrs(*geom: int) -> list[bytes]:
    kh, kw, sy, sx, py, px = geom
    return [
        _attr_ints("kernel_shape", [kh, kw]),
        _attr_ints("strides", [sy, sx]),
        _attr_ints("pads", [py, px, py, px]),
    ]


class _Builder:
    """Walks dlib's layer list (input → output) and emits the equivalent ONNX nodes.

    dlib's residual blocks are ``add_prev<block<tag1<x>>>`` (identity shortcut) and
    ``add_prev<avg_pool<skip1<tag2<block<tag1<x>>>>>>`` (down-sampling shortcut: the block's
    *input* is average-pooled). A block starts at the first convolution after a ReLU that
    closed the previous block (or after the stem's max-pool).
    """

    def __init__(self, size: int) -> None:
        self.g = _Graph()
        self.x = "input"
        self.shape = _Shape(3, size, size)
        self.block_in: tuple[str, _Shape] | None = None
        self.pooled: tuple[str, _Shape] | None = None
        self.in_block = False
        self.stem_done = False

    def conv(self, layer: Layer, affine: Layer | None) -> None:
        assert layer.weights is not None and layer.biases is not None
        if self.stem_done and not self.in_block:
            self.block_in, self.in_block, self.pooled = (self.x, self.shape), True, None
        self.stem_done = True
        w, b = layer.weights, layer.biases
        if affine is not None:
            # Frozen batch-norm: y = gamma*(conv(x)+b) + beta folds into the convolution.
            assert affine.weights is not None and affine.biases is not None
            w = w * affine.weights[:, None, None, None]
            b = b * affine.weights + affine.biases
        nf, kh, kw, sy, sx, py, px = layer.geom
        inputs = [
            self.x,
            self.g.const("w", w.astype(np.float32)),
            self.g.const("b", b.astype(np.float32)),
        ]
        self.x = self.g.node("Conv", inputs, _window_attrs(kh, kw, sy, sx, py, px))
        s = self.shape
        self.shape = _Shape(nf, _pool_out(s.h, kh, sy, py), _pool_out(s.w, kw, sx, px))

    def max_pool(self, layer: Layer) -> None:
        kh, kw, sy, sx, py, px = layer.geom
        self.x = self.g.node("MaxPool", [self.x], _window_attrs(kh, kw, sy, sx, py, px))
        s = self.shape
        self.shape = _Shape(s.c, _pool_out(s.h, kh, sy, py), _pool_out(s.w, kw, sx, px))

    def avg_pool(self, layer: Layer) -> None:
        if layer.geom[0] == 0:  # avg_pool_everything
            self.x = self.g.node("GlobalAveragePool", [self.x])
            self.x = self.g.node("Flatten", [self.x], [_attr_int("axis", 1)])
            self.shape = _Shape(self.shape.c, 1, 1)
            return
        if self.block_in is None:
            raise ValueError("a pooling shortcut outside a residual block")
        kh, kw, sy, sx, py, px = layer.geom
        src, s = self.block_in
        out = self.g.node("AveragePool", [src], _window_attrs(kh, kw, sy, sx, py, px))
        self.pooled = (out, _Shape(s.c, _pool_out(s.h, kh, sy, py), _pool_out(s.w, kw, sx, px)))

    def add_prev(self) -> None:
        if self.block_in is None:
            raise ValueError("a residual addition outside a residual block")
        shortcut = self.pooled if self.pooled is not None else self.block_in
        self.x, self.shape = _add_padded(self.g, (self.x, self.shape), shortcut)
        self.in_block, self.pooled = False, None

    def fc(self, layer: Layer) -> None:
        assert layer.weights is not None
        self.x = self.g.node(
            "MatMul", [self.x, self.g.const("fc", layer.weights.astype(np.float32))]
        )


def build_onnx(net: DlibResNet) -> bytes:
    """Turn the parsed network into an ONNX model: NCHW float input already mean-subtracted."""
    b = _Builder(net.size)
    layers = net.layers
    i = 0
    while i < len(layers):
        layer = layers[i]
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if layer.kind == "con":
            affine = nxt if nxt is not None and nxt.kind == "affine" else None
            b.conv(layer, affine)
            i += 1 if affine is not None else 0
        elif layer.kind == "relu":
            b.x = b.g.node("Relu", [b.x])
        elif layer.kind == "max_pool":
            b.max_pool(layer)
        elif layer.kind == "avg_pool":
            b.avg_pool(layer)
        elif layer.kind == "add_prev":
            b.add_prev()
        elif layer.kind == "fc":
            b.fc(layer)
        else:
            raise ValueError(
                f"unsupported layer {layer.kind} (an affine layer must follow a convolution)"
            )
        i += 1
    g = b.g
    graph = (
        b"".join(_bytes(1, n) for n in g.nodes)
        + _str(2, "dlib_face_recognition_resnet_model_v1")
        + b"".join(_bytes(5, t) for t in g.inits)
        + _bytes(11, _value_info("input", ["n", 3, net.size, net.size]))
        + _bytes(12, _value_info(b.x, ["n", EMBEDDING_DIM]))
    )
    opset = _str(1, "") + _int(2, 13)
    return _int(1, 8) + _str(2, "asistencia") + _bytes(7, graph) + _bytes(8, opset)


def _add_padded(g: _Graph, a: tuple[str, _Shape], b: tuple[str, _Shape]) -> tuple[str, _Shape]:
    # dlib's add_prev sizes the output to the larger of each dimension and treats whatever
    # lies outside the smaller operand as zero; Pad at the end reproduces that exactly.
    out = _Shape(max(a[1].c, b[1].c), max(a[1].h, b[1].h), max(a[1].w, b[1].w))
    names = []
    for name, s in (a, b):
        padded = name
        if (s.c, s.h, s.w) != (out.c, out.h, out.w):
            pads = np.array([0, 0, 0, 0, 0, out.c - s.c, out.h - s.h, out.w - s.w], np.int64)
            padded = g.node("Pad", [name, g.const("pads", pads)])
        names.append(padded)
    return g.node("Add", names), out


def preprocess(chips_rgb: NDArray[np.uint8], mean_rgb: Sequence[float]) -> NDArray[np.float32]:
    """uint8 RGB chips (N, H, W, 3) → the network's input: (x - mean) / 256, NCHW."""
    x = chips_rgb.astype(np.float32)
    x -= np.asarray(mean_rgb, np.float32)
    x *= 1.0 / 256.0
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
