"""Recognition pieces that need no loaded model: gallery, voting, liveness, weights, metrics."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
import threading
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from core.context import AppContext
from core.host.images import ImageError, decode_image, header_size
from core.recognition import staging, weights
from core.recognition.config import DEFAULT_THRESHOLDS, RecognitionConfig
from core.recognition.detect import detection_plan
from core.recognition.evaluate import load_dataset
from core.recognition.gallery import Gallery
from core.recognition.liveness import BlinkDetector, EyeSample, eye_aspect_ratio
from core.recognition.metrics import (
    accuracy_at,
    best_threshold,
    leave_identities_out,
    rank1_and_strangers,
    roc_auc,
    tar_at_far,
)
from core.recognition.voting import Voter
from tests.support.paths import FACES, ROOT
from tools.bench.recognition_bench import bench_matching
from tools.harness.scene import letterbox

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


def unit(rng: np.random.Generator, n: int, dim: int = 128) -> NDArray[np.float32]:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    out: NDArray[np.float32] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


# --- gallery ---------------------------------------------------------------------------------


def test_gallery_match_at_10k_equals_brute_force() -> None:
    rng = np.random.default_rng(0)
    vectors = unit(rng, 10_000)
    gallery: Gallery[int] = Gallery(128)
    gallery.replace_all((i, vectors[i * 4 : i * 4 + 4]) for i in range(2_500))
    assert len(gallery) == 10_000 and gallery.people == 2_500
    for q in unit(rng, 20):
        match = gallery.match(q)
        distances = 1.0 - vectors @ q
        best = int(np.argmin(distances))
        assert match.key == best // 4
        assert match.distance == pytest.approx(float(distances[best]), abs=1e-5)
        others = np.where(np.arange(10_000) // 4 != best // 4, distances, np.inf)
        assert match.second_key == int(np.argmin(others)) // 4
        assert match.second_distance == pytest.approx(float(np.min(others)), abs=1e-5)


def test_gallery_match_is_one_matrix_product(monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching is a single matrix-vector product over the whole gallery, not a loop."""
    rng = np.random.default_rng(1)
    gallery: Gallery[int] = Gallery(128)
    gallery.replace_all((i, v) for i, v in enumerate(unit(rng, 10_000)))
    calls: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    real_matmul = np.matmul

    class Spy(np.ndarray):
        def __matmul__(self, other: np.ndarray) -> np.ndarray:  # type: ignore[override]
            calls.append((self.shape, np.shape(other)))
            return real_matmul(np.asarray(self), other)  # type: ignore[no-any-return]

    snap = gallery._snap
    monkeypatch.setattr(gallery, "_snap", dataclasses.replace(snap, matrix=snap.matrix.view(Spy)))
    gallery.match(unit(rng, 1)[0])
    assert calls == [((10_000, 128), (128,))]


def test_gallery_grows_person_by_person() -> None:
    rng = np.random.default_rng(2)
    a, b, c = unit(rng, 3), unit(rng, 2), unit(rng, 1)
    gallery: Gallery[str] = Gallery(128)
    assert gallery.match(a[0]).key is None
    gallery.add("ana", a)
    gallery.add("bob", b)
    assert gallery.match(b[1]).key == "bob" and gallery.match(b[1]).distance == pytest.approx(
        0, abs=1e-6
    )
    before = gallery._snap
    gallery.add("ana", c)
    assert len(gallery) == 6 and before.n == 5  # an older snapshot still sees its rows only
    assert gallery.templates("ana").shape == (4, 128) and gallery.keys() == ["ana", "bob"]
    with pytest.raises(ValueError, match="128-d"):
        gallery.add("x", np.ones((1, 64), np.float32))
    with pytest.raises(ValueError, match="NaN"):
        gallery.add("x", np.full((1, 128), np.nan, np.float32))


def test_gallery_readers_never_see_a_torn_update() -> None:
    rng = np.random.default_rng(3)
    vectors = unit(rng, 200)
    gallery: Gallery[int] = Gallery(128)
    gallery.replace_all((i, vectors[i]) for i in range(100))
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                i = int(rng.integers(0, 100))
                m = gallery.match(vectors[i])
                assert m.key is not None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(100, 200):
        gallery.add(i, vectors[i])
        if i % 10 == 0:  # a rebuild from the store, as after a sync
            gallery.replace_all((j, vectors[j]) for j in range(i + 1))
    stop.set()
    thread.join(5)
    assert not errors


# --- voting ----------------------------------------------------------------------------------


def test_voting_needs_n_agreeing_frames_within_the_window() -> None:
    voter: Voter[str] = Voter(3, 1.5)
    assert [voter.push("ana", t).agreed for t in (0.0, 0.2, 0.4)] == [False, False, True]
    assert voter.push("bob", 0.6).count == 1  # another identity starts over
    assert voter.push(None, 0.7).count == 1  # and so does unknown
    assert [voter.push(None, t).agreed for t in (0.8, 0.9)] == [False, True]
    slow: Voter[str] = Voter(3, 1.0)
    assert [slow.push("ana", t).agreed for t in (0.0, 0.8, 1.6, 2.4)] == [
        False,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError):
        Voter(0, 1.0)


# --- liveness --------------------------------------------------------------------------------


def _run(
    detector: BlinkDetector,
    ears: list[float],
    step: float = 0.05,
    proportions: list[float] | None = None,
) -> bool:
    passed = False
    for i, ear in enumerate(ears):
        prop = proportions[i] if proportions else 0.9
        passed |= detector.update(EyeSample(ear, prop), i * step)
    return passed


def test_a_blink_open_closed_open_passes() -> None:
    assert _run(BlinkDetector(), [0.30, 0.31, 0.29, 0.30, 0.30, 0.12, 0.10, 0.28, 0.30])
    # Narrow eyes blink too: the baseline is the person's own.
    assert _run(BlinkDetector(), [0.20] * 5 + [0.09, 0.08] + [0.19, 0.20])
    # Plain floats are accepted.
    detector = BlinkDetector()
    assert not any(detector.update(v, t * 0.1) for t, v in enumerate([0.3, 0.3, 0.3, 0.1]))
    assert detector.update(0.3, 0.4) and detector.blinks == 1


def test_no_blink_from_noise_long_closure_or_a_tilted_photo() -> None:
    rng = np.random.default_rng(4)
    noisy = list(0.30 * (1 + rng.uniform(-0.08, 0.08, 200)))
    assert not _run(BlinkDetector(), noisy)  # a still photo's landmark jitter
    assert not _run(BlinkDetector(), [0.3] * 5 + [0.1] * 30 + [0.3] * 5)  # eyes shut 1.5 s
    # A photo tilted back: everything flattens together, the face proportion drops too.
    ears = [0.3] * 5 + [0.18, 0.18] + [0.3] * 3
    props = [0.9] * 5 + [0.55, 0.55] + [0.9] * 3
    assert not _run(BlinkDetector(), ears, proportions=props)
    with pytest.raises(ValueError):
        BlinkDetector(closed_ratio=0.9, open_ratio=0.8)


def test_eye_aspect_ratio() -> None:
    eye = np.array([[0, 0], [1, -1], [2, -1], [3, 0], [2, 1], [1, 1]], float)
    assert eye_aspect_ratio(eye) == pytest.approx(4 / 6)
    flat = eye * np.array([1, 0.1])
    assert eye_aspect_ratio(flat) == pytest.approx(0.4 / 6)


# --- config and detection plan ---------------------------------------------------------------


def test_config_validation_and_threshold() -> None:
    assert RecognitionConfig().effective_threshold == DEFAULT_THRESHOLDS["Dlib"]
    assert RecognitionConfig(threshold=0.05).effective_threshold == 0.05
    for bad in (
        {"threshold": 3.0},
        {"frames_to_agree": 0},
        {"liveness": "smile"},
        {"detect_upsample": 5},
    ):
        with pytest.raises(ValueError):
            RecognitionConfig(**bad)
    with pytest.raises(ValueError, match="no calibrated threshold"):
        _ = RecognitionConfig(model_name="Mystery").effective_threshold
    with pytest.raises(TypeError):
        RecognitionConfig().with_(nonsense=1)


def test_detection_plan_keeps_the_smallest_accepted_face_findable() -> None:
    assert detection_plan(640, 480, detector="dlib", min_face_px=80) == (1.0, 0)
    scale, up = detection_plan(640, 480, detector="dlib", min_face_px=160)
    assert (scale, up) == (0.5, 0)
    scale, up = detection_plan(640, 480, detector="dlib", min_face_px=60)
    assert up == 1 and scale == pytest.approx(80 / 60 / 2)
    assert detection_plan(640, 480, detector="mtcnn", min_face_px=80) == (0.5, 0)
    assert detection_plan(640, 480, detector="dlib", min_face_px=80, max_side=320) == (0.5, 1)
    # BlazeFace takes the whole frame; tiles only for faces too small for full-range
    assert detection_plan(640, 480, detector="mediapipe", min_face_px=80) == (1.0, 0)
    assert detection_plan(640, 480, detector="mediapipe", min_face_px=40) == (1.0, 0)
    assert detection_plan(1280, 720, detector="mediapipe", min_face_px=40) == (1.0, 1)


def test_blazeface_range_follows_the_smallest_face_wanted() -> None:
    from core.recognition.detect import MediaPipeDetector

    detector = MediaPipeDetector.load()
    assert detector.model_for(640, 480, 80) is detector.short
    assert detector.model_for(640, 480, 60) is detector.full
    assert detector.model_for(1280, 720, 80) is detector.full


# --- weights ---------------------------------------------------------------------------------


def test_stage_links_packaged_weights_and_restages_a_truncated_copy(tmp_path: Path) -> None:
    """dlib's own engine (the dlib extra) stages dlib's file from face-recognition-models."""
    pytest.importorskip("face_recognition_models")
    name = weights.DLIB_RESNET
    report = staging.stage_weights(tmp_path, [name])
    assert report.ok and report.files[0].action in ("linked", "copied")
    target = weights.weights_dir(tmp_path) / name
    assert target.stat().st_size == weights.PACKAGED_SIZES[name]
    assert staging.stage_weights(tmp_path, [name]).files[0].action == "present"
    data = target.read_bytes()
    target.unlink()
    target.write_bytes(data[:1000])  # a copy cut short
    again = staging.stage_weights(tmp_path, [name])
    assert again.ok and again.files[0].action == "restaged"
    assert target.stat().st_size == weights.PACKAGED_SIZES[name]
    assert not list(weights.weights_dir(tmp_path).glob("*.part"))


def test_stage_reports_a_damaged_package(tmp_path: Path) -> None:
    broken = tmp_path / "package"
    broken.mkdir()
    (broken / weights.DLIB_RESNET).write_bytes(b"short")
    report = staging.stage_weights(tmp_path / "home", [weights.DLIB_RESNET], source_dir=broken)
    assert not report.ok
    assert "damaged" in report.problems[0] and "reinstall" in report.problems[0]
    report = staging.stage_weights(tmp_path / "home", [weights.DLIB_RESNET], source_dir=tmp_path)
    assert "missing from" in report.problems[0]


def test_list_models_says_what_is_missing_and_where(tmp_path: Path) -> None:
    rows = {(r.name, r.kind): r for r in staging.list_models(tmp_path, backend="tensorflow")}
    assert rows[("Dlib", "recognition")].available
    assert rows[("mediapipe", "detector")].available
    assert rows[("mediapipe-iris", "landmarks")].available
    facenet = rows[("Facenet", "recognition")]
    assert not facenet.available
    assert facenet.missing_paths == (weights.weights_dir(tmp_path) / "facenet_weights.h5",)
    opencv = rows[("opencv", "detector")]
    assert (
        weights.weights_dir(tmp_path) / "haarcascade_frontalface_default.xml"
        in opencv.missing_paths
    )
    assert rows[("centerface", "detector")].missing_paths
    text = staging.format_models(list(rows.values()), tmp_path)
    assert "Facenet" in text and str(weights.weights_dir(tmp_path) / "facenet_weights.h5") in text
    onnx = {r.name: r for r in staging.list_models(tmp_path, backend="onnx")}
    assert onnx["ArcFace"].missing_paths[0].name == "arcface_weights.onnx"


def _deepface_file_names() -> set[str]:
    """Every literal ``file_name=`` deepface passes to its downloader, read from its source."""
    spec = importlib.util.find_spec("deepface")
    assert spec is not None and spec.origin is not None
    root = Path(spec.origin).parent / "models"
    names = set()
    files = [*(root / "facial_recognition").rglob("*.py"), *(root / "face_detection").rglob("*.py")]
    for path in files:
        if "pytorch" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "file_name"
                and isinstance(node.value, ast.Constant)
            ):
                names.add(str(node.value.value))
    return names


def test_the_registry_knows_every_weight_file_deepface_would_fetch() -> None:
    registered = {
        wf.name
        for backend in ("tensorflow", "onnx")
        for s in weights.model_specs(backend)
        for wf in s.files
    }
    # dlib's own files: the ResNet is staged from face-recognition-models for the dlib
    # extra's engines; deepface's dlib detector (5-point model) is never built (the "dlib"
    # detector is core.recognition.dlib_hog, with the face mesh's landmarks)
    registered |= {*weights.PACKAGED_SIZES, "shape_predictor_5_face_landmarks.dat"}
    assert _deepface_file_names() <= registered, _deepface_file_names() - registered


# --- images ----------------------------------------------------------------------------------


def test_image_headers_and_bad_bytes() -> None:
    jpeg = (FACES / "img1.jpg").read_bytes()
    image = decode_image(jpeg)
    assert header_size(jpeg) == (image.shape[1], image.shape[0])
    for data, words in (
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 20, "not an image"),
        (jpeg[:5000], "truncated"),
    ):
        with pytest.raises(ImageError, match=words):
            decode_image(data)


# --- metrics ---------------------------------------------------------------------------------


def test_verification_metrics_on_known_numbers() -> None:
    d = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.25])
    same = np.array([True, True, True, False, False, False])
    assert accuracy_at(d, same, 0.35) == pytest.approx(5 / 6)
    assert roc_auc(d, same) == pytest.approx(8 / 9)
    assert 0.3 < best_threshold(d[:5], same[:5]) < 0.6
    tar, t = tar_at_far(d, same, 0.01)
    assert t == 0.25 and tar == pytest.approx(2 / 3)
    ids = [
        frozenset({"a"}),
        frozenset({"b"}),
        frozenset({"c"}),
        frozenset({"a", "b"}),
        frozenset({"b", "c"}),
        frozenset({"a", "c"}),
    ]
    acc, thresholds = leave_identities_out(d, same, ids)
    assert 0.0 <= acc <= 1.0 and thresholds


def test_rank1_and_strangers() -> None:
    v = np.array([[1, 0], [0.99, 0.141], [0, 1], [0.141, 0.99]], np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    stats = rank1_and_strangers(v, ["a", "a", "b", "b"], threshold=0.05)
    assert stats["rank1_accuracy"] == 1.0 and stats["strangers_accepted"] == 0
    loose = rank1_and_strangers(v, ["a", "a", "b", "b"], threshold=0.9)
    assert loose["strangers_accepted"] == 4


def test_dataset_loading(tmp_path: Path) -> None:
    ds = load_dataset(FACES)
    assert len(ds.labels) == 10 and ds.pairs_source == "every pair of labelled photos"
    folder = tmp_path / "people"
    for person, files in {"ana": ["img1.jpg", "img2.jpg"], "bob": ["img39.jpg"]}.items():
        (folder / person).mkdir(parents=True)
        for f in files:
            (folder / person / f).write_bytes((FACES / f).read_bytes())
    (folder / "pairs.csv").write_text(
        "file_x,file_y,decision\nana/img1.jpg,img2.jpg,Yes\nimg1.jpg,bob/img39.jpg,No\n"
    )
    ds = load_dataset(folder)
    assert ds.pairs_source == "pairs.csv"
    assert sorted(s for *_, s in ds.pairs) == [False, True]


# --- bench helpers ---------------------------------------------------------------------------


def test_letterbox_and_matching_bench() -> None:
    frame = letterbox(np.full((1000, 500, 3), 200, np.uint8))
    assert frame.shape == (480, 640, 3) and frame[0, 0, 0] == 0 and frame[240, 320, 0] == 200
    result = bench_matching(sizes=(1_000,), queries=5)
    assert result["match_1k_ms"] >= 0


def test_no_module_but_the_deepface_bridge_imports_deepface() -> None:
    """deepface (and TensorFlow behind it) is imported in one module, inside functions:
    nothing else pays for it, and the no-download guard is always in place first."""
    root = ROOT
    files = [root / "main.py"]
    for package in ("core", "kiosk", "seeds", "tools"):
        files += (root / package).rglob("*.py")
    for path in files:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            heavy = [n for n in names if n.split(".")[0] in ("deepface", "tensorflow")]
            if heavy:
                assert path.name == "deepface_bridge.py", (path, heavy)
                assert node.col_offset > 0, "only inside functions"


def test_models_command_stages_and_lists(tmp_path: Path) -> None:
    out = StringIO()
    assert staging.run_models(tmp_path, as_json=True, out=out) == 0
    data = json.loads(out.getvalue())
    assert {f["file"] for f in data["staged"]} == set(weights.PACKAGED_SIZES)
    by_name = {(m["name"], m["kind"]): m for m in data["models"]}
    assert by_name[("Dlib", "recognition")]["available"]
    assert by_name[("yunet", "detector")]["missing_paths"] == [
        str(weights.weights_dir(tmp_path) / "face_detection_yunet_2023mar.onnx")
    ]
    text = StringIO()
    assert staging.run_models(tmp_path, out=text) == 0
    assert "place the file at" in text.getvalue()


def test_models_names_the_licence_of_every_default_model(tmp_path: Path) -> None:
    """An operator deciding on a commercial deployment reads each default model's licence
    in `main.py models`, and the one that forbids it says so."""
    out = StringIO()
    assert staging.run_models(tmp_path, as_json=True, out=out) == 0
    data = json.loads(out.getvalue())
    licences = {(m["name"], m["kind"]): m["licence"] for m in data["models"]}
    defaults = RecognitionConfig(liveness="both")
    for wanted in weights.configured(defaults.model_name, defaults.detector, blink=True):
        assert licences[wanted], f"{wanted} has no licence recorded"
        assert "commercial" not in licences[wanted], wanted
    assert data["passive_licence"].startswith("Apache-2.0")
    assert licences[("mediapipe", "detector")].startswith("Apache-2.0")
    assert licences[("mediapipe-iris", "landmarks")].startswith("Apache-2.0")
    assert licences[("Dlib", "recognition")].startswith("CC0-1.0")
    text = StringIO()
    assert staging.run_models(tmp_path, out=text) == 0
    assert "licence: Apache-2.0" in text.getvalue()
    assert f"licence: {staging.UNRECORDED_LICENCE}" in text.getvalue()  # e.g. VGG-Face


def test_config_from_settings() -> None:
    class FakeSettings:
        model_name = "Dlib"
        detector = "dlib"
        match_threshold = 0.05
        frames_to_agree = 4
        liveness = "blink"
        min_face_px = 100

    config = RecognitionConfig.from_settings(FakeSettings(), agree_window_s=2.0)
    assert config.effective_threshold == 0.05 and config.frames_to_agree == 4
    assert config.liveness == "blink" and config.min_face_px == 100 and config.agree_window_s == 2.0


def test_doctor_check_reports_missing_weights(ctx: AppContext) -> None:
    from core.doctor.recognition import check_recognition_weights, register

    assert check_recognition_weights(ctx).status == "ok"
    register()
    register()
    from core.doctor.report import EXTRA_CHECKS

    assert EXTRA_CHECKS.count(check_recognition_weights) == 1
    EXTRA_CHECKS.remove(check_recognition_weights)
    broken = AppContext(ctx.paths, ctx.settings.model_copy(update={"model_name": "ArcFace"}))
    check = check_recognition_weights(broken)
    assert check.status == "fail" and "arcface_weights" in check.detail


def test_doctor_names_a_shipped_model_file_that_was_changed(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from core.doctor.recognition import check_recognition_weights
    from core.recognition import model_files

    root = tmp_path / "models"
    shutil.copytree(model_files.MODELS_ROOT, root)
    monkeypatch.setattr(model_files, "MODELS_ROOT", root)
    assert check_recognition_weights(ctx).status == "ok"
    iris = root / "mediapipe" / "iris_landmark.onnx"
    data = bytearray(iris.read_bytes())
    data[1000] ^= 0x01
    iris.write_bytes(bytes(data))
    check = check_recognition_weights(ctx)
    assert check.status == "fail" and "iris_landmark.onnx" in check.detail
    assert "reinstall" in check.fix


def test_gallery_from_stored_templates_keeps_one_model() -> None:
    rng = np.random.default_rng(5)
    a, b = unit(rng, 2)
    rows = [
        ("ana", "Dlib", a.astype("<f4").tobytes()),
        ("ana", "Facenet", np.ones(128, "<f4").tobytes()),
        ("bob", "Dlib", b.astype("<f4").tobytes()),
    ]
    gallery: Gallery[str] = Gallery.from_templates(128, "Dlib", rows)
    assert len(gallery) == 2 and gallery.match(b).key == "bob"
    with pytest.raises(ValueError, match="expected 128"):
        Gallery.from_templates(128, "Dlib", [("ana", "Dlib", b"\x00" * 12)])


def test_the_change_gate_ignores_grain_and_sees_a_person_walk_in() -> None:
    from core.recognition.motion import ChangeGate
    from tools.harness.scene import background

    rng = np.random.default_rng(3)
    gate = ChangeGate(recheck_s=1.0)
    base = background()

    def grainy(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
        noise = rng.normal(0.0, 3.0, image.shape)
        return np.asarray(np.clip(image + noise, 0, 255), np.uint8)

    assert gate.should_detect(grainy(base), now=0.0)  # nothing to compare with yet
    assert not any(gate.should_detect(grainy(base), now=0.01 * i) for i in range(1, 90))
    assert gate.should_detect(grainy(base), now=1.0)  # a second without a search
    # A head-sized dark shape stepping into a corner, far from the centre.
    visitor = base.copy()
    visitor[10:90, 10:70] = 40
    assert gate.should_detect(grainy(visitor), now=1.05)
    assert not gate.should_detect(grainy(visitor), now=1.1)  # standing still: nothing new
    assert gate.skipped == 90


def test_a_dlib_detector_without_dlib_says_the_way_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk whose settings still say detector = "dlib" (before MediaPipe), installed
    without the dlib extra: the loader's reason names the default and where to choose it."""
    from core.recognition import models as models_module
    from core.recognition.errors import RecognitionError

    real = weights.importable
    monkeypatch.setattr(staging, "importable", lambda module: module != "dlib" and real(module))
    with pytest.raises(RecognitionError) as caught:
        models_module._stage(RecognitionConfig(detector="dlib"), tmp_path, None)
    message = str(caught.value)
    assert "needs the Python package(s) dlib" in message
    assert 'detector = "mediapipe"' in message and "Settings → Recognition" in message
