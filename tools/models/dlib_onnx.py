"""dlib's parsed ResNet as an ONNX graph, written with a minimal protobuf encoder.

Each ``affine`` (frozen batch-norm) is folded into the convolution before it; dlib's
``add_prev`` is reproduced with zero padding. The encoder writes only the few messages and
fields an ONNX model of this graph needs (the ``onnx`` package is not a dependency).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tools.models.dlib_net import EMBEDDING_DIM, DlibResNet, Layer


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
