"""The converter that wrote the shipped ResNet (tools/models/dlib_resnet_convert.py) reads
dlib's file strictly and writes valid ONNX: the same bytes the program ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.recognition import weights
from core.recognition.embed import RESNET_FILE
from core.recognition.errors import CorruptWeightsError
from tools.models import dlib_net, dlib_onnx, model_manifest

pytest.importorskip("face_recognition_models")  # the dlib extra (dev.lock)


def source() -> Path:
    packaged = weights.packaged_dir()
    assert packaged is not None
    return packaged / weights.DLIB_RESNET


def test_a_truncated_dlib_model_is_a_clear_error(tmp_path: Path) -> None:
    data = source().read_bytes()
    for size in (0, 10, 400, len(data) // 2, len(data) - 3):
        cut = tmp_path / f"cut{size}.dat"
        cut.write_bytes(data[:size])
        with pytest.raises(CorruptWeightsError) as info:
            dlib_net.parse_dlib_resnet(cut)
        assert str(cut) in str(info.value)
    other = tmp_path / "other.dat"
    other.write_bytes(b"\x00\x01garbage" * 500)
    with pytest.raises(CorruptWeightsError):
        dlib_net.parse_dlib_resnet(other)


def test_the_converter_writes_the_shipped_file_byte_for_byte() -> None:
    net = dlib_net.parse_dlib_resnet(source())
    kinds = [layer.kind for layer in net.layers]
    assert kinds.count("con") == 29 and kinds.count("affine") == 29 and kinds[-1] == "fc"
    assert net.size == 150 and net.mean_rgb[0] == pytest.approx(122.782, abs=1e-3)
    shipped = (model_manifest.MODELS_ROOT / RESNET_FILE).read_bytes()
    assert dlib_onnx.build_onnx(net) == shipped


def test_the_hand_written_onnx_encoder_is_valid_onnx() -> None:
    """dlib_onnx writes the protobuf itself; the `onnx` library (a dev dependency) checks
    what it writes, shapes inferred end to end."""
    import onnx

    model = onnx.load_from_string(dlib_onnx.build_onnx(dlib_net.parse_dlib_resnet(source())))
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    (output,) = inferred.graph.output
    assert [d.dim_value or d.dim_param for d in output.type.tensor_type.shape.dim][1:] == [128]
    ops = {node.op_type for node in model.graph.node}
    assert {"Conv", "Relu", "Add", "MaxPool", "MatMul"} <= ops, ops
