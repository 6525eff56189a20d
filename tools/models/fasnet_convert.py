"""Build DeepFace's two FasNet anti-spoofing ONNX graphs from the original PyTorch weights.

Run as ``python -m tools.models.fasnet_convert --weights DIR --out DIR``. ``DIR`` holds
``2.7_80x80_MiniFASNetV2.pth`` and ``4_0_0_80x80_MiniFASNetV1SE.pth`` from
Silent-Face-Anti-Spoofing (Apache-2.0, commit b6d5f04ad787); the output is
``2.7_80x80_MiniFASNetV2.onnx`` and ``4_0_0_80x80_MiniFASNetV1SE.onnx``, the names
``deepface.models.spoofing.onnx.FasNet`` loads. The shipped copies are in
``resources/models/antispoof/``; the same run gives the same bytes.

No torch is needed. The ``.pth`` files are torch's legacy (pre-1.6) serialisation: pickled
magic number, protocol version (1001) and system info, then the pickled state dict whose
tensors point (through persistent ids) at storages, then the pickled list of storage keys and,
for each key in that order, an int64 element count and the raw little-endian elements.
:class:`LegacyUnpickler` reads those pickles and resolves only ``collections.OrderedDict``,
``torch._utils._rebuild_tensor_v2`` (turned into a record of offset, size and stride) and the
``torch.*Storage`` type names (turned into numpy dtypes); any other global, e.g.
``os.system``, is refused, so a malicious weight file cannot run code.

The graphs (MiniFASNet, "1.8M" channel plan for V1SE and "1.8M_" for V2, embedding 128,
3 classes, conv6 kernel 5×5 for 80×80 inputs) are read off the state dict's names and shapes:

- ``conv1`` (3×3 stride 2) and ``conv2_dw`` (3×3 depthwise): Conv + BatchNorm + PReLU;
- ``conv_23``, ``conv_34``, ``conv_45``: a depthwise block with stride 2 (1×1 expand Conv+BN+
  PReLU, 3×3 depthwise Conv+BN+PReLU, 1×1 project Conv+BN); ``conv_3``, ``conv_4``,
  ``conv_5``: 4, 6 and 2 such blocks with stride 1 and a residual add; in V1SE the last block
  of each stage passes its projection through a squeeze-excitation module (global average
  pool, 1×1 Conv+BN, ReLU, 1×1 Conv+BN, Sigmoid, scale) before the add;
- ``conv_6_sep`` (1×1 Conv+BN+PReLU), ``conv_6_dw`` (5×5 depthwise Conv+BN, no activation),
  flatten, ``linear`` (512→128, no bias) + ``bn`` (BatchNorm1d), dropout (identity in
  inference), ``prob`` (128→3, no bias), Softmax.

Every BatchNorm (eps 1e-5) is folded into the weights and bias of the layer before it (in
float64, then rounded to float32). Every tensor of the state dict must be used exactly once
(``num_batches_tracked`` aside), so a file that does not fit the plan fails loudly. As
DeepFace's onnx back end feeds them (``deepface.commons.onnx_utils.run_session``), the graphs
take ``input``: float32 (N, 80, 80, 3), a BGR crop with pixels left at 0-255, channels last
(a Transpose inside makes it NCHW), and give ``output``: float32 (N, 3) softmax probabilities;
class 1 is real.

Checked against PyTorch once, in a scratch venv outside the repo and every lock (python3.11
-m venv /tmp/torch-ref; pip install torch==2.13.0 numpy opencv-python-headless): a script
defined the original architecture in torch (Conv_block/Linear_block/Depth_Wise(_SE)/SEModule/
MiniFASNet as published), loaded both ``.pth`` files with ``torch.load(weights_only=False)``
after stripping ``module.``, ran them in eval mode on the 2.7× and 4.0× crops (the
:mod:`core.recognition.antispoof_crop` rule) of the three Silent-Face samples and of eight
shared faces, with the boxes of the project's dlib HOG detector, and wrote each model's
softmax and their sum to ``tests/data/antispoof/reference_scores.json``;
``tests/recognition/test_fasnet_onnx.py`` holds these graphs to it within 1e-4.
"""

from __future__ import annotations

import argparse
import collections
import io
import pickle
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "resources" / "models" / "antispoof"
MODEL_NAMES = ("2.7_80x80_MiniFASNetV2", "4_0_0_80x80_MiniFASNetV1SE")
SIZE = 80  # the models' input: SIZE×SIZE BGR

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
BN_EPS = 1e-5
OPSET = 17
IR_VERSION = 8  # what onnxruntime 1.17 (pyproject's floor) reads

_STORAGE_DTYPES: dict[str, np.dtype[Any]] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}

Array = NDArray[Any]


class WeightsError(ValueError):
    """A weight file that is not a legacy torch state dict of the expected shape."""


# --- reading the legacy .pth -------------------------------------------------------------


@dataclass(frozen=True)
class _StorageType:
    dtype: np.dtype[Any]


@dataclass(frozen=True)
class _StorageRef:
    key: str


@dataclass(frozen=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(
    storage: object, offset: object, size: object, stride: object, *_rest: object
) -> _TensorRef:
    """Stands in for ``torch._utils._rebuild_tensor_v2``: records where the tensor lies."""
    if not (
        isinstance(storage, _StorageRef)
        and isinstance(offset, int)
        and isinstance(size, tuple)
        and isinstance(stride, tuple)
        and len(size) == len(stride)
        and all(isinstance(n, int) and n >= 0 for n in (*size, *stride))
    ):
        raise WeightsError("a tensor record of an unexpected form")
    return _TensorRef(storage, offset, size, stride)


class LegacyUnpickler(pickle.Unpickler):
    """Unpickles one pickle of a legacy torch file, allowing only what a state dict needs.

    With ``storages`` (the state dict's pickle) it resolves ``collections.OrderedDict``,
    ``torch._utils._rebuild_tensor_v2`` and the ``torch.*Storage`` names, and records each
    storage the persistent ids name in ``storages``; without it (the header and key-list
    pickles) it resolves no global at all.
    """

    def __init__(self, file: IO[bytes], storages: dict[str, tuple[np.dtype[Any], int]] | None):
        super().__init__(file)
        self._storages = storages

    def find_class(self, module: str, name: str) -> Any:
        if self._storages is not None:
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return _rebuild_tensor
            if module == "torch" and name in _STORAGE_DTYPES:
                return _StorageType(_STORAGE_DTYPES[name])
        raise pickle.UnpicklingError(f"refused global {module}.{name} in a weight file")

    def persistent_load(self, pid: Any) -> _StorageRef:
        if self._storages is None:
            raise pickle.UnpicklingError("a persistent id outside the state dict")
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"an unexpected persistent id {pid!r:.80}")
        _, storage_type, key, _location, numel, view = pid
        if not (isinstance(storage_type, _StorageType) and isinstance(key, str)):
            raise pickle.UnpicklingError("a storage of an unexpected form")
        if not isinstance(numel, int) or numel < 0 or view is not None:
            raise pickle.UnpicklingError("storage views are not supported")
        known = self._storages.setdefault(key, (storage_type.dtype, numel))
        if known != (storage_type.dtype, numel):
            raise pickle.UnpicklingError(f"storage {key} named twice with different types")
        return _StorageRef(key)


def _load(stream: IO[bytes], storages: dict[str, tuple[np.dtype[Any], int]] | None) -> Any:
    return LegacyUnpickler(stream, storages).load()


def read_legacy_state_dict(data: bytes) -> dict[str, Array]:
    """The tensors of a legacy (pre-1.6) ``torch.save`` state dict, as numpy arrays in file
    order; raises :class:`WeightsError` or :class:`pickle.UnpicklingError`."""
    stream = io.BytesIO(data)
    if _load(stream, None) != LEGACY_MAGIC:
        raise WeightsError("not a legacy torch file (wrong magic number)")
    if _load(stream, None) != LEGACY_PROTOCOL:
        raise WeightsError("not torch's legacy protocol 1001")
    sys_info = _load(stream, None)
    if not isinstance(sys_info, dict) or sys_info.get("little_endian") is not True:
        raise WeightsError("not a little-endian torch file")
    storages: dict[str, tuple[np.dtype[Any], int]] = {}
    state = _load(stream, storages)
    keys = _load(stream, None)
    if not isinstance(state, collections.OrderedDict) or not all(
        isinstance(k, str) and isinstance(v, _TensorRef) for k, v in state.items()
    ):
        raise WeightsError("not a state dict of tensors")
    if not isinstance(keys, list) or sorted(keys) != sorted(storages):
        raise WeightsError("the storage list does not match the state dict")
    raw: dict[str, Array] = {}
    for key in keys:
        dtype, numel = storages[key]
        (count,) = struct.unpack("<q", stream.read(8).ljust(8, b"\0"))
        if count != numel:
            raise WeightsError(f"storage {key}: {count} elements stored, {numel} expected")
        chunk = stream.read(count * dtype.itemsize)
        if len(chunk) != count * dtype.itemsize:
            raise WeightsError("the file ends inside a storage")
        raw[key] = np.frombuffer(chunk, dtype=dtype)
    if stream.read(1):
        raise WeightsError("bytes after the last storage")
    tensors: dict[str, Array] = {}
    for name, ref in state.items():
        storage = raw[ref.storage.key]
        last = ref.offset + sum((n - 1) * s for n, s in zip(ref.size, ref.stride, strict=True))
        if 0 in ref.size:
            tensors[name] = np.zeros(ref.size, dtype=storage.dtype)
            continue
        if ref.offset < 0 or last >= storage.size:
            raise WeightsError(f"{name} reaches past its storage")
        view = np.lib.stride_tricks.as_strided(
            storage[ref.offset :],
            shape=ref.size,
            strides=tuple(s * storage.itemsize for s in ref.stride),
            writeable=False,
        )
        tensors[name] = np.array(view, dtype=storage.dtype.newbyteorder("="))
    return tensors


def strip_module_prefix(state: dict[str, Array]) -> dict[str, Array]:
    """``nn.DataParallel`` saved every name under ``module.``."""
    return {k.removeprefix("module."): v for k, v in state.items()}


# --- the graph ---------------------------------------------------------------------------


class _Graph:
    """Collects nodes and initializers in a fixed order and tracks which weights were used."""

    def __init__(self, state: dict[str, Array]) -> None:
        self.state = state
        self.unused = {k for k in state if not k.endswith("num_batches_tracked")}
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def take(self, name: str) -> NDArray[np.float64]:
        if name not in self.state:
            raise WeightsError(f"the weights lack {name}")
        self.unused.discard(name)
        return self.state[name].astype(np.float64)

    def const(self, name: str, value: Array) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def bn_scale_shift(self, prefix: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        gamma, beta = self.take(f"{prefix}.weight"), self.take(f"{prefix}.bias")
        mean, var = self.take(f"{prefix}.running_mean"), self.take(f"{prefix}.running_var")
        scale = gamma / np.sqrt(var + BN_EPS)
        return scale, beta - mean * scale

    def conv_bn(
        self, x: str, channels: int, conv: str, bn: str, *, stride: int = 1, pad: int | None = None
    ) -> tuple[str, int]:
        """Conv (no bias) with the BatchNorm after it folded in; returns (output, channels)."""
        weight = self.take(f"{conv}.weight")
        out_c, in_per_group, kh, kw = weight.shape
        if channels % in_per_group:
            raise WeightsError(f"{conv}: {channels} input channels, {in_per_group} per group")
        scale, shift = self.bn_scale_shift(bn)
        if scale.shape != (out_c,):
            raise WeightsError(f"{bn} does not fit {conv}")
        padding = kh // 2 if pad is None else pad
        w = self.const(f"{conv}.w", (weight * scale[:, None, None, None]).astype(np.float32))
        b = self.const(f"{conv}.b", shift.astype(np.float32))
        y = self.node(
            "Conv",
            [x, w, b],
            conv,
            kernel_shape=[kh, kw],
            strides=[stride, stride],
            pads=[padding] * 4,
            group=channels // in_per_group,
        )
        return y, out_c

    def prelu(self, x: str, prefix: str) -> str:
        slope = self.take(f"{prefix}.weight")
        s = self.const(f"{prefix}.slope", slope.reshape(-1, 1, 1).astype(np.float32))
        return self.node("PRelu", [x, s], prefix)

    def conv_block(self, x: str, c: int, prefix: str, stride: int = 1) -> tuple[str, int]:
        y, c = self.conv_bn(x, c, f"{prefix}.conv", f"{prefix}.bn", stride=stride)
        return self.prelu(y, f"{prefix}.prelu"), c

    def se_module(self, x: str, c: int, prefix: str) -> str:
        pooled = self.node("GlobalAveragePool", [x], f"{prefix}.avg_pool")
        y, r = self.conv_bn(pooled, c, f"{prefix}.fc1", f"{prefix}.bn1")
        y = self.node("Relu", [y], f"{prefix}.relu")
        y, _ = self.conv_bn(y, r, f"{prefix}.fc2", f"{prefix}.bn2")
        gate = self.node("Sigmoid", [y], f"{prefix}.sigmoid")
        return self.node("Mul", [x, gate], f"{prefix}.scale")

    def depth_wise(
        self, x: str, c: int, prefix: str, *, stride: int, residual: bool
    ) -> tuple[str, int]:
        y, c1 = self.conv_block(x, c, f"{prefix}.conv")
        y, c2 = self.conv_block(y, c1, f"{prefix}.conv_dw", stride)
        y, c3 = self.conv_bn(y, c2, f"{prefix}.project.conv", f"{prefix}.project.bn")
        if f"{prefix}.se_module.fc1.weight" in self.state:
            if not residual:
                raise WeightsError(f"{prefix}: a squeeze-excitation module off a residual block")
            y = self.se_module(y, c3, f"{prefix}.se_module")
        if residual:
            if c3 != c:
                raise WeightsError(f"{prefix}: a residual block from {c} to {c3} channels")
            y = self.node("Add", [x, y], f"{prefix}.add")
        return y, c3

    def blocks(self, stage: str) -> Iterator[str]:
        index = 0
        while f"{stage}.model.{index}.conv.conv.weight" in self.state:
            yield f"{stage}.model.{index}"
            index += 1


def build_model(state: dict[str, Array], name: str) -> onnx.ModelProto:
    """The MiniFASNet graph of a state dict (names without ``module.``)."""
    g = _Graph(state)
    x = g.node("Transpose", ["input"], "nchw", perm=[0, 3, 1, 2])
    c = 3
    x, c = g.conv_block(x, c, "conv1", stride=2)
    x, c = g.conv_block(x, c, "conv2_dw")
    for down, stage in (("conv_23", "conv_3"), ("conv_34", "conv_4"), ("conv_45", "conv_5")):
        x, c = g.depth_wise(x, c, down, stride=2, residual=False)
        for block in g.blocks(stage):
            x, c = g.depth_wise(x, c, block, stride=1, residual=True)
    x, c = g.conv_block(x, c, "conv_6_sep")
    x, c = g.conv_bn(x, c, "conv_6_dw.conv", "conv_6_dw.bn", pad=0)
    x = g.node("Flatten", [x], "conv_6_flatten", axis=1)
    linear = g.take("linear.weight")
    scale, shift = g.bn_scale_shift("bn")
    if linear.shape != (scale.size, c):
        raise WeightsError(f"linear.weight {linear.shape} does not follow {c} channels")
    w = g.const("linear.w", (linear * scale[:, None]).astype(np.float32))
    b = g.const("linear.b", shift.astype(np.float32))
    x = g.node("Gemm", [x, w, b], "linear", transB=1)
    prob = g.const("prob.w", g.take("prob.weight").astype(np.float32))
    x = g.node("Gemm", [x, prob], "prob", transB=1)
    g.node("Softmax", [x], "output", axis=1)
    if g.unused:
        raise WeightsError(f"weights the graph does not use: {sorted(g.unused)}")
    classes = int(state["prob.weight"].shape[0])
    graph = helper.make_graph(
        g.nodes,
        name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", SIZE, SIZE, 3])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", classes])],
        initializer=g.initializers,
    )
    model = helper.make_model(
        graph,
        # the path before tools/ was split: it is inside the shipped files, which this tool
        # must write again byte for byte
        producer_name="asistencia tools/fasnet_convert.py",
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        doc_string=(
            f"{name} from Silent-Face-Anti-Spoofing (Apache-2.0, commit b6d5f04ad787), "
            "BatchNorm folded. input: BGR (N, 80, 80, 3) float32 at 0-255; "
            "output: softmax (N, 3), class 1 real."
        ),
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def convert(weights: Path, out: Path, log: Callable[[str], None] = print) -> list[Path]:
    """Writes both ONNX files from the ``.pth`` files in ``weights``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MODEL_NAMES:
        state = strip_module_prefix(read_legacy_state_dict((weights / f"{name}.pth").read_bytes()))
        data = build_model(state, name).SerializeToString(deterministic=True)
        path = out / f"{name}.onnx"
        path.write_bytes(data)
        counters = sum(1 for k in state if k.endswith("num_batches_tracked"))
        log(f"{path}: {len(data)} bytes from {len(state)} tensors ({counters} BatchNorm counters)")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--weights", type=Path, required=True, help="folder with the .pth files")
    parser.add_argument("--out", type=Path, default=SHIPPED, help="folder for the .onnx files")
    args = parser.parse_args(argv)
    convert(args.weights, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
