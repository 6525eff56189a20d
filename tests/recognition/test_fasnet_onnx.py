"""The FasNet anti-spoofing ONNX graphs (resources/models/antispoof/), made by
tools/models/fasnet_convert.py from the original weights, held to the PyTorch reference in
tests/data/antispoof/reference_scores.json (see that tool's docstring for how it was made)."""

from __future__ import annotations

import collections
import hashlib
import io
import json
import pickle
import struct
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]
import pytest
from numpy.typing import NDArray

from core.recognition.antispoof_crop import V1SE_SCALE, V2_SCALE, crop, crop_window, model_inputs
from tests.support.paths import DATA, ROOT
from tools.models import fasnet_convert

SHIPPED = ROOT / "resources" / "models" / "antispoof"
WEIGHTS = DATA / "antispoof"
FILES = {"MiniFASNetV2": "2.7_80x80_MiniFASNetV2", "MiniFASNetV1SE": "4_0_0_80x80_MiniFASNetV1SE"}
SCALES = {"MiniFASNetV2": V2_SCALE, "MiniFASNetV1SE": V1SE_SCALE}
TOLERANCE = 1e-4
REAL = 1


def reference() -> dict[str, dict[str, Any]]:
    data = json.loads((WEIGHTS / "reference_scores.json").read_text(encoding="utf-8"))
    images: dict[str, dict[str, Any]] = data["images"]
    return images


def session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@cache
def shipped(model: str) -> ort.InferenceSession:
    return session(SHIPPED / f"{FILES[model]}.onnx")


def box_of(entry: dict[str, Any]) -> tuple[float, float, float, float]:
    x, y, w, h = entry["box_xywh"]
    return float(x), float(y), float(w), float(h)


def read(image: str) -> NDArray[np.uint8]:
    frame = cv2.imread(str(DATA / image))
    assert frame is not None, image
    return np.asarray(frame, dtype=np.uint8)


@cache
def crops(image: str) -> dict[str, NDArray[np.float32]]:
    """Both models' inputs for one fixture image, checked against the reference's crops."""
    entry = reference()[image]
    frame = read(image)
    result = {}
    for model, scale in SCALES.items():
        pixels = crop(frame, box_of(entry), scale, face_width=None)  # deepface's own crop
        assert hashlib.sha256(pixels.tobytes()).hexdigest() == entry["crop_sha256"][model], (
            f"{image}: the {model} crop differs from deepface's"
        )
        result[model] = pixels[np.newaxis].astype(np.float32)
    return result


def run(sess: ort.InferenceSession, x: NDArray[np.float32]) -> NDArray[np.float32]:
    out: NDArray[np.float32] = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    return out


def test_the_graphs_take_what_deepface_feeds() -> None:
    for model in FILES:
        sess = shipped(model)
        (inp,) = sess.get_inputs()
        (out,) = sess.get_outputs()
        assert (inp.type, inp.shape[1:]) == ("tensor(float)", [80, 80, 3])
        assert (out.type, out.shape[1:]) == ("tensor(float)", [3])


def test_a_rerun_of_the_converter_gives_the_shipped_graphs(tmp_path: Path) -> None:
    written = fasnet_convert.convert(WEIGHTS, tmp_path, log=lambda _line: None)
    assert [p.name for p in written] == [f"{stem}.onnx" for stem in FILES.values()]
    images = sorted(reference())
    for model, stem in FILES.items():
        made = tmp_path / f"{stem}.onnx"
        assert made.read_bytes() == (SHIPPED / made.name).read_bytes(), f"{made.name} differs"
        fresh = session(made)
        batch = np.concatenate([crops(image)[model] for image in images])
        np.testing.assert_array_equal(run(fresh, batch), run(shipped(model), batch))


@pytest.mark.parametrize("image", sorted(reference()))
def test_onnx_matches_the_pytorch_reference(image: str) -> None:
    entry = reference()[image]
    total = np.zeros(3)
    for model in FILES:
        probs = run(shipped(model), crops(image)[model])[0]
        expected = np.asarray(entry[model])
        assert np.abs(probs - expected).max() <= TOLERANCE, (model, probs, expected)
        total += probs
    assert np.abs(total - np.asarray(entry["sum"])).max() <= 2 * TOLERANCE


@pytest.mark.parametrize(
    ("image", "real"),
    [("antispoof/image_T1.jpg", True), ("antispoof/image_F1.jpg", False),
     ("antispoof/image_F2.jpg", False)],
)  # fmt: skip
def test_the_samples_under_deepfaces_rule(image: str, real: bool) -> None:
    """deepface: the two softmaxes summed, argmax, class 1 real (score: that sum / 2)."""
    frame = read(image)
    v2, v1se = model_inputs(frame, box_of(reference()[image]), face_width=None)
    total = run(shipped("MiniFASNetV2"), v2)[0] + run(shipped("MiniFASNetV1SE"), v1se)[0]
    label = int(np.argmax(total))
    print(f"{image}: summed {np.round(total, 4)}, label {label}, score {total[label] / 2:.4f}")
    assert (label == REAL) is real


def test_the_crop_window_stays_inside_the_frame() -> None:
    # a box at the top-left corner: the window slides right/down instead of leaving the frame
    assert crop_window(640, 480, (0, 0, 100, 100), 2.7) == (0, 0, 270, 270)
    # a box at the bottom-right corner
    assert crop_window(640, 480, (600, 440, 40, 40), 4.0) == (479, 319, 639, 479)
    # a window larger than the frame shrinks to the frame
    assert crop_window(300, 200, (100, 50, 100, 100), 4.0) == (50, 0, 249, 199)
    with pytest.raises(ValueError, match="empty"):
        crop_window(640, 480, (10, 10, 0, 5), 2.7)
    frame = np.zeros((480, 640, 3), np.uint8)
    assert crop(frame, (300, 200, 60, 60), 2.7).shape == (80, 80, 3)


def test_the_crop_window_is_deepfaces() -> None:
    from deepface.models.spoofing.FasNetUtils import _get_new_box  # noqa: TID251 - the rule to match

    rng = np.random.default_rng(13)
    for _ in range(2000):
        frame_w, frame_h = (int(v) for v in rng.integers(40, 1920, 2))
        w, h = float(rng.uniform(2, frame_w)), float(rng.uniform(2, frame_h))
        x, y = float(rng.uniform(-w / 2, frame_w - w / 2)), float(rng.uniform(-h / 2, frame_h))
        for scale in (V2_SCALE, V1SE_SCALE):
            box = (x, y, w, h)
            assert crop_window(frame_w, frame_h, box, scale) == _get_new_box(
                frame_w, frame_h, box, scale
            ), (frame_w, frame_h, box, scale)


# --- the restricted unpickler ------------------------------------------------------------

# GLOBAL 'os system', MARK, 'echo owned', TUPLE, REDUCE, STOP: what a malicious .pth holds
EVIL = b"cos\nsystem\n(S'echo owned'\ntR."


def legacy_file(state_pickle: bytes) -> bytes:
    head = pickle.dumps(fasnet_convert.LEGACY_MAGIC, protocol=2)
    head += pickle.dumps(fasnet_convert.LEGACY_PROTOCOL, protocol=2)
    head += pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2)
    return head + state_pickle + pickle.dumps([], protocol=2)


def test_the_unpickler_refuses_any_other_global(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[object] = []
    monkeypatch.setattr("os.system", lambda *a: called.append(a))
    with pytest.raises(pickle.UnpicklingError, match=r"refused global os\.system"):
        fasnet_convert.read_legacy_state_dict(legacy_file(EVIL))
    with pytest.raises(pickle.UnpicklingError, match=r"refused global os\.system"):
        fasnet_convert.LegacyUnpickler(io.BytesIO(EVIL), {}).load()
    # the header pickles may name no global at all, not even the state dict's
    with pytest.raises(pickle.UnpicklingError, match=r"refused global collections\.OrderedDict"):
        fasnet_convert.read_legacy_state_dict(pickle.dumps(collections.OrderedDict()))
    builtins_eval = b"cbuiltins\neval\n(S'1'\ntR."
    with pytest.raises(pickle.UnpicklingError, match=r"refused global builtins\.eval"):
        fasnet_convert.read_legacy_state_dict(legacy_file(builtins_eval))
    assert not called


def test_the_weights_read_with_numpy_alone() -> None:
    for stem, tensors in (("2.7_80x80_MiniFASNetV2", 334), ("4_0_0_80x80_MiniFASNetV1SE", 370)):
        state = fasnet_convert.read_legacy_state_dict((WEIGHTS / f"{stem}.pth").read_bytes())
        assert len(state) == tensors and all(k.startswith("module.") for k in state)
        counters = {k for k in state if k.endswith("num_batches_tracked")}
        assert all(state[k].dtype == np.int64 for k in counters)
        assert all(v.dtype == np.float32 for k, v in state.items() if k not in counters)
        assert state["module.conv1.conv.weight"].shape == (32, 3, 3, 3)


def test_a_truncated_weight_file_is_refused() -> None:
    data = (WEIGHTS / "2.7_80x80_MiniFASNetV2.pth").read_bytes()
    with pytest.raises(fasnet_convert.WeightsError, match="ends inside a storage"):
        fasnet_convert.read_legacy_state_dict(data[:-100])
    with pytest.raises(fasnet_convert.WeightsError, match="after the last storage"):
        fasnet_convert.read_legacy_state_dict(data + struct.pack("<q", 0))
