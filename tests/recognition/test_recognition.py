"""Recognition with the real models on the small photo set in tests/data/faces (see NOTICE)."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition import weights as weights_mod
from core.recognition.config import RecognitionConfig
from core.recognition.deepface_bridge import build_client, no_download_guard
from core.recognition.detect import detect_faces, prepare
from core.recognition.embed import DlibEmbedder, OnnxDlibEmbedder, face_chip
from core.recognition.enroll import (
    EnrollmentRefusal,
    EnrollmentResult,
    EnrollmentSample,
    embed_enrollment_image,
    enroll_images,
    photo_faces,
)
from core.recognition.errors import MissingWeightsError, ModelsNotReadyError
from core.recognition.evaluate import load_dataset, run_evaluate
from core.recognition.gallery import Gallery
from core.recognition.loader import LoaderStatus, ModelLoader, shared_loader
from core.recognition.models import Models
from core.recognition.pipeline import FrameResult, RecognitionPipeline
from core.states import FaceState, ModelState, Refusal
from tests.support.cli import run_main
from tests.support.paths import FACES, ROOT
from tools.harness.scene import Scene, Visit, letterbox, write_scene
from tools.models.closed_eyes import close_eyes

CONFIG = RecognitionConfig()

pytestmark = pytest.mark.slow


def _labels() -> dict[str, str]:
    with (FACES / "labels.csv").open() as fh:
        return {row["file"]: row["identity"] for row in csv.DictReader(fh)}


LABELS = _labels()


@pytest.fixture(scope="session")
def deepface_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deepface-home")


@pytest.fixture(scope="session")
def models(deepface_home: Path) -> Models:
    """One loaded set of real models for the whole session (the loader caches it anyway)."""
    loader = ModelLoader(CONFIG.with_(liveness="blink"), deepface_home).start()
    loaded = loader.wait_ready(timeout=180)
    loader.join(5)
    return loaded


@pytest.fixture(scope="session")
def photo_vectors(models: Models) -> dict[str, NDArray[np.float32]]:
    out = {}
    for name in LABELS:
        sample: EnrollmentSample | EnrollmentRefusal[str] = embed_enrollment_image(
            models, FACES / name, CONFIG
        )
        assert isinstance(sample, EnrollmentSample), (name, sample)
        out[name] = sample.vector
    return out


def frame_of(name: str, **shift: float) -> NDArray[np.uint8]:
    frame = letterbox(read_image(FACES / name))
    dx, dy, scale = shift.get("dx", 0.0), shift.get("dy", 0.0), shift.get("scale", 1.0)
    if (dx, dy, scale) != (0.0, 0.0, 1.0):
        m = cv2.getRotationMatrix2D((320, 240), 0.0, scale)
        m[:, 2] += np.array([dx, dy])
        frame = np.asarray(cv2.warpAffine(frame, m, (640, 480)), np.uint8)
    return frame


# --- the loader ------------------------------------------------------------------------------


def test_loader_reaches_ready_and_a_second_request_gets_the_same_models(
    models: Models, deepface_home: Path
) -> None:
    seen: list[LoaderStatus] = []
    loader = ModelLoader(CONFIG.with_(liveness="blink"), deepface_home)
    loader.subscribe(seen.append)
    again = loader.start().wait_ready(timeout=60)
    loader.join(5)
    assert again is models
    assert again.embedder is models.embedder and again.mesh is models.mesh
    assert loader.status.state is ModelState.READY
    assert [s.state for s in seen] == [ModelState.LOADING, ModelState.READY]
    assert models.embedder.engine == "onnx"
    assert models.iris() is models.iris()
    # The default models ship with the program: nothing was staged, nothing downloaded.
    assert not any(weights_mod.weights_dir(deepface_home).glob("*.dat"))


def test_the_default_models_load_without_tensorflow_or_dlib(tmp_path: Path) -> None:
    """The defaults, blink and passive liveness included, run on onnxruntime alone: dlib
    (AVX-only, and the home of the non-commercial 68-point model) is never imported."""
    code = (
        "import sys, time; from pathlib import Path;"
        "from core.recognition.loader import ModelLoader;"
        "from core.recognition.config import RecognitionConfig;"
        "l = ModelLoader(RecognitionConfig(liveness='both'), Path(sys.argv[1])).start();"
        "l.wait_ready(120);"
        "print('tensorflow' in sys.modules, 'deepface.DeepFace' in sys.modules,"
        " 'dlib' in sys.modules, 'face_recognition_models' in sys.modules,"
        " l.status.state.value)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "home")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        check=True,
    )
    assert out.stdout.split() == ["False", "False", "False", "False", "ready"]


def test_missing_weight_fails_with_its_path_and_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the loader tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv("DEEPFACE_HOME", str(tmp_path))  # restored after the test
    loader = ModelLoader(RecognitionConfig(model_name="Facenet"), tmp_path)
    with pytest.raises(ModelsNotReadyError) as info:
        loader.start().wait_ready(timeout=60)
    loader.join(5)
    status = loader.status
    assert status.state is ModelState.FAILED
    # .h5 with TensorFlow installed (make tensorflow), .onnx without (deepface's choice)
    facenet = weights_mod.find_spec("Facenet", "recognition").files[0].name
    expected = tmp_path / ".deepface" / "weights" / facenet
    assert status.reason is not None and str(expected) in status.reason
    assert "never downloads" in status.reason and str(expected) in str(info.value)

    # The guard that stands in for deepface's downloader, hit directly.
    with pytest.raises(MissingWeightsError) as missing:
        build_client("face_detector", "dlib", tmp_path / "empty-home")
    assert missing.value.path.name == "shape_predictor_5_face_landmarks.dat"
    with pytest.raises(MissingWeightsError):
        no_download_guard("yolov8n-face.pt", "https://example.invalid/x.pt")


def test_truncated_weight_file_fails_with_a_clear_reason(tmp_path: Path) -> None:
    """dlib's own engine (the dlib extra) stages dlib's file; a truncated one is refused."""
    source = weights_mod.packaged_dir()
    assert source is not None
    broken = tmp_path / "package"
    broken.mkdir()
    for name in weights_mod.PACKAGED_SIZES:
        data = (source / name).read_bytes()
        (broken / name).write_bytes(
            data[: len(data) // 3] if name == weights_mod.DLIB_RESNET else data
        )
    loader = ModelLoader(CONFIG.with_(embed_engine="dlib"), tmp_path / "home", source_dir=broken)
    loader.start().join(60)
    status = loader.status
    assert status.state is ModelState.FAILED
    assert status.reason is not None
    assert weights_mod.DLIB_RESNET in status.reason and "damaged" in status.reason
    assert "reinstall" in status.reason
    # Nothing half-written under the real name.
    assert not (weights_mod.weights_dir(tmp_path / "home") / weights_mod.DLIB_RESNET).exists()


def test_a_weight_placed_by_hand_with_an_impossible_size_is_reported(tmp_path: Path) -> None:
    wdir = weights_mod.weights_dir(tmp_path)
    wdir.mkdir(parents=True)
    facenet = weights_mod.find_spec("Facenet", "recognition").files[0].name
    (wdir / facenet).write_bytes(b"not really weights")
    loader = ModelLoader(RecognitionConfig(model_name="Facenet"), tmp_path).start()
    loader.join(60)
    assert loader.status.state is ModelState.FAILED
    reason = loader.status.reason or ""
    assert facenet in reason and "damaged" in reason


# --- embeddings and matching -----------------------------------------------------------------


def test_the_shipped_onnx_network_matches_dlibs_own_forward_pass(models: Models) -> None:
    """The file tools/models/dlib_resnet_convert.py wrote computes what dlib's own network does
    (dlib and its weights: the dlib extra, in dev.lock)."""
    dlib = pytest.importorskip("dlib")
    source = weights_mod.packaged_dir()
    assert source is not None
    assert isinstance(models.embedder, OnnxDlibEmbedder)
    reference = DlibEmbedder(dlib.face_recognition_model_v1(str(source / weights_mod.DLIB_RESNET)))
    chips = []
    for name in ("img1.jpg", "img39.jpg", "img26.jpg"):
        frame = prepare(read_image(FACES / name))
        face = photo_faces(models, frame)[0]
        chips.append(face_chip(frame.rgb, face, 150, 0.25))
    batch = np.stack(chips)
    assert np.max(np.abs(models.embedder.raw(batch) - reference.raw(batch))) < 1e-4


def test_same_person_matches_and_different_people_do_not(
    photo_vectors: dict[str, NDArray[np.float32]],
) -> None:
    threshold = CONFIG.effective_threshold
    for a, b in itertools.combinations(sorted(photo_vectors), 2):
        distance = 1.0 - float(photo_vectors[a] @ photo_vectors[b])
        same = LABELS[a] == LABELS[b]
        assert (distance <= threshold) == same, (a, b, distance)


# --- enrollment ------------------------------------------------------------------------------


def test_enrollment_refuses_a_photo_without_a_face(models: Models) -> None:
    out: EnrollmentSample | EnrollmentRefusal[str] = embed_enrollment_image(
        models, FACES / "no_face.jpg", CONFIG
    )
    assert isinstance(out, EnrollmentRefusal)
    assert out.reason is Refusal.NO_FACE and "no face" in out.message


@pytest.mark.parametrize("name", ["couple.jpg", "selfie-many-people.jpg"])
def test_enrollment_refuses_a_photo_with_several_faces(models: Models, name: str) -> None:
    out: EnrollmentSample | EnrollmentRefusal[str] = embed_enrollment_image(
        models, FACES / name, CONFIG
    )
    assert isinstance(out, EnrollmentRefusal)
    assert out.reason is Refusal.SEVERAL_FACES and "faces" in out.message


def test_enrollment_refuses_a_face_enrolled_as_someone_else_naming_them(models: Models) -> None:
    gallery: Gallery[str] = Gallery(models.embedder.dim, models.model_name)
    ana = enroll_images(
        models, [FACES / "img1.jpg", FACES / "img2.jpg"], CONFIG, gallery=gallery, employee="ana"
    )
    assert len(ana.samples) == 2 and not ana.refusals
    gallery.add("ana", ana.vectors)
    out = embed_enrollment_image(
        models, FACES / "img4.jpg", CONFIG, gallery=gallery, employee="bob"
    )
    assert isinstance(out, EnrollmentRefusal)
    assert out.reason is Refusal.DUPLICATE and out.other == "ana" and "ana" in out.message
    # Ana herself may add samples; someone new may enroll.
    more = embed_enrollment_image(
        models, FACES / "img4.jpg", CONFIG, gallery=gallery, employee="ana"
    )
    assert isinstance(more, EnrollmentSample) and more.model_name == "Dlib"
    other = embed_enrollment_image(
        models, FACES / "img39.jpg", CONFIG, gallery=gallery, employee="bob"
    )
    assert isinstance(other, EnrollmentSample)
    assert np.frombuffer(other.vector_bytes(), "<f4").shape == (128,)


def test_enrollment_refuses_a_sample_that_is_not_the_same_person(models: Models) -> None:
    result: EnrollmentResult[str] = enroll_images(
        models,
        [FACES / "img1.jpg", FACES / "img2.jpg", FACES / "img39.jpg"],
        CONFIG,
        names=["a", "b", "c"],
    )
    refusals = [r for r in result.refusals if r.reason is Refusal.INCONSISTENT]
    assert [r.name for r in refusals] == ["c"]


def _bad_inputs(tmp_path: Path) -> Iterator[tuple[str, Path | bytes, str]]:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    yield "empty file", empty, "empty"
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a picture")
    yield "text file", text, "not an image"
    good = (FACES / "img1.jpg").read_bytes()
    yield "truncated jpeg", good[: len(good) // 2], "truncated"
    yield "corrupt jpeg", good[:400] + bytes(range(256)) * 40 + good[-200:], "image"
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (100_000).to_bytes(4, "big") * 2
        + b"\x08\x02\x00\x00\x00"
    )
    yield "huge png header", bomb, "too large"
    yield "missing file", tmp_path / "nope.jpg", "does not exist"
    yield "a folder", tmp_path, "folder"


def test_bad_input_files_are_refused_with_a_clear_message(models: Models, tmp_path: Path) -> None:
    for label, source, words in _bad_inputs(tmp_path):
        out: EnrollmentSample | EnrollmentRefusal[str] = embed_enrollment_image(
            models, source, CONFIG, name=label
        )
        assert isinstance(out, EnrollmentRefusal), label
        assert out.reason is Refusal.UNREADABLE, label
        assert words in out.message, (label, out.message)


def test_the_pipeline_survives_bad_frames(models: Models) -> None:
    gallery: Gallery[str] = Gallery(models.embedder.dim)
    pipeline = RecognitionPipeline(models, gallery, CONFIG)
    for bad in (
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((10, 10, 3), np.float32),
        np.zeros((4, 4, 5), np.uint8),
    ):
        result = pipeline.process(bad, now=0.0)
        assert result.state is FaceState.REFUSED and result.reason is Refusal.UNREADABLE
    assert pipeline.process(np.zeros((480, 640, 3), np.uint8), now=0.0).state is FaceState.NONE


# --- the pipeline: gates, voting, liveness ---------------------------------------------------


@pytest.fixture
def gallery(models: Models, photo_vectors: dict[str, NDArray[np.float32]]) -> Gallery[str]:
    g: Gallery[str] = Gallery(models.embedder.dim, models.model_name)
    g.add("person01", photo_vectors["img1.jpg"])
    g.add("person13", photo_vectors["img39.jpg"])
    return g


def test_voting_needs_n_agreeing_frames(models: Models, gallery: Gallery[str]) -> None:
    pipeline = RecognitionPipeline(models, gallery, CONFIG)
    frame = frame_of("img2.jpg")
    states = [pipeline.process(frame, now=0.1 * i) for i in range(5)]
    assert [s.state for s in states] == [FaceState.CHECKING] * 2 + [FaceState.RECOGNISED] * 3
    assert [s.new_decision for s in states] == [False, False, True, False, False]
    assert states[2].employee_id == "person01" and states[2].votes == 3
    assert states[2].box is not None and states[2].distance is not None
    assert states[2].distance <= CONFIG.effective_threshold
    assert {"detect_ms", "quality_ms", "embed_ms", "match_ms", "total_ms"} <= set(
        states[2].timings_ms
    )
    # Another person in front of the kiosk starts counting again.
    other = [pipeline.process(frame_of("img40.jpg"), now=1.0 + 0.1 * i) for i in range(3)]
    assert [s.state for s in other] == [FaceState.CHECKING] * 2 + [FaceState.RECOGNISED]
    assert other[-1].employee_id == "person13" and other[-1].new_decision


def test_a_stranger_is_decided_unknown(models: Models, gallery: Gallery[str]) -> None:
    pipeline = RecognitionPipeline(models, gallery, CONFIG.with_(frames_to_agree=2))
    results = [pipeline.process(frame_of("img26.jpg"), now=0.1 * i) for i in range(3)]
    assert [r.state for r in results] == [
        FaceState.CHECKING,
        FaceState.UNKNOWN,
        FaceState.UNKNOWN,
    ]
    assert results[1].new_decision and not results[2].new_decision
    assert all(r.employee_id is None and r.candidate is None for r in results)


def test_quality_gates_refuse_with_a_reason(models: Models, gallery: Gallery[str]) -> None:
    frame = frame_of("img2.jpg")
    cases = {
        Refusal.BLURRY: (CONFIG, np.asarray(cv2.GaussianBlur(frame, (0, 0), 4), np.uint8)),
        Refusal.TOO_DARK: (CONFIG, (frame * 0.15).astype(np.uint8)),
        # The face is ~186 px wide; searched at full size so that it is found at all.
        Refusal.TOO_SMALL: (CONFIG.with_(min_face_px=250, detect_max_side=640), frame),
        Refusal.POSE: (CONFIG.with_(max_yaw=0.01), frame),
    }
    for reason, (config, image) in cases.items():
        result = RecognitionPipeline(models, gallery, config).process(image, now=0.0)
        assert result.state is FaceState.REFUSED, (reason, result.message)
        assert result.reason is reason and result.message
        assert result.box is not None and result.quality is not None


def test_a_still_photo_never_passes_blink(models: Models, gallery: Gallery[str]) -> None:
    pipeline = RecognitionPipeline(models, gallery, CONFIG.with_(liveness="blink"))
    rng = np.random.default_rng(3)
    states = set()
    for i in range(40):
        # The photo held up to the camera: the same picture, slightly moved each frame.
        shift = {
            "dx": float(rng.uniform(-4, 4)),
            "dy": float(rng.uniform(-4, 4)),
            "scale": float(rng.uniform(0.97, 1.03)),
        }
        result = pipeline.process(frame_of("img2.jpg", **shift), now=0.1 * i)
        states.add(result.state)
        assert result.state is not FaceState.RECOGNISED
        assert result.liveness is False
    assert FaceState.BLINK in states


def test_a_real_blink_passes(models: Models, gallery: Gallery[str]) -> None:
    """The photo's eyes closed for two frames (the upper lids drawn down, as in a blink)
    are seen as a blink, and only then is the person recognised."""
    pipeline = RecognitionPipeline(models, gallery, CONFIG.with_(liveness="blink"))
    frame = frame_of("img2.jpg")
    prepared = prepare(frame)
    (face,) = detect_faces(
        models.detector, models.mesh, prepared, scale=1.0, upsample=0, min_face_px=80
    )
    assert face.mesh is not None
    outlines = [
        models.iris().outline(prepared.rgb, face.mesh.points, side) for side in ("right", "left")
    ]
    closed = close_eyes(frame, outlines)
    sequence = [frame] * 5 + [closed] * 2 + [frame] * 2
    results = [pipeline.process(f, now=0.08 * i) for i, f in enumerate(sequence)]
    assert results[4].state is FaceState.BLINK and results[4].liveness is False
    assert results[-1].liveness is True
    assert results[-1].state is FaceState.RECOGNISED and results[-1].employee_id == "person01"


# --- evaluate --------------------------------------------------------------------------------


def test_evaluate_on_the_small_set(models: Models, deepface_home: Path) -> None:
    out = StringIO()
    code = run_evaluate(FACES, CONFIG, deepface_home, as_json=True, out=out)
    assert code == 0
    report = json.loads(out.getvalue())
    for key in (
        "verification_accuracy",
        "roc_auc",
        "tar_at_far_1pct",
        "tar_at_far_0_1pct",
        "rank1_accuracy",
        "strangers_accepted",
        "threshold",
    ):
        assert key in report, key
    assert report["verification_accuracy"] == 1.0
    assert report["strangers_accepted"] == 0
    assert report["rank1_accuracy"] == 1.0
    assert report["pairs"] == len(load_dataset(FACES).pairs) == 45
    text = StringIO()
    assert run_evaluate(FACES, CONFIG, deepface_home, out=text) == 0
    assert "Verification accuracy" in text.getvalue()


def test_evaluate_refuses_a_missing_dataset(tmp_path: Path, deepface_home: Path) -> None:
    assert run_evaluate(tmp_path / "nothing", CONFIG, deepface_home, out=StringIO()) == 2


def test_a_failed_load_can_be_retried_once_the_file_is_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged shipped model fails the load naming the file; once the file is right
    again, the same loader loads."""
    from core.recognition import model_files

    models_root = tmp_path / "models"
    shutil.copytree(model_files.MODELS_ROOT, models_root)
    monkeypatch.setattr(model_files, "MODELS_ROOT", models_root)
    mesh = models_root / "mediapipe" / "face_landmark.onnx"
    good = mesh.read_bytes()
    mesh.write_bytes(good[: len(good) // 2])
    seen: list[ModelState] = []
    # another thread count: not the models the other tests cached
    loader = ModelLoader(CONFIG.with_(threads=2), tmp_path / "home")
    loader.subscribe(lambda status: seen.append(status.state))
    loader.start().join(60)
    assert loader.status.state is ModelState.FAILED
    assert "face_landmark.onnx" in (loader.status.reason or "")
    mesh.write_bytes(good)
    loader.start()
    models = loader.wait_ready(120)
    loader.join(5)
    assert models.model_name == "Dlib"
    assert seen == [ModelState.LOADING, ModelState.FAILED, ModelState.LOADING, ModelState.READY]


def test_shared_loader_is_one_object_per_configuration(deepface_home: Path) -> None:
    a = shared_loader(CONFIG, deepface_home)
    assert shared_loader(RecognitionConfig(), deepface_home) is a
    assert shared_loader(CONFIG.with_(detector="mtcnn"), deepface_home) is not a


# --- the idle gate and the followed face (what keeps an empty entrance cheap) --------------


def scene_frames(tmp_path: Path, fps: float = 25.0) -> tuple[list[NDArray[np.uint8]], Scene]:
    """An entrance: 4 s empty, person01 (img4, not in the gallery) walks up and leaves."""
    visit = Visit("person01", read_image(FACES / "img4.jpg"), stay_s=2.0, gap_before_s=4.0)
    scene = write_scene(tmp_path / "entrance.avi", [visit], fps=fps, tail_s=3.0)
    capture = cv2.VideoCapture(str(scene.path))
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(np.ascontiguousarray(image, dtype=np.uint8))
    capture.release()
    assert len(frames) == scene.frames
    return frames, scene


def play(
    models: Models, gallery: Gallery[str], frames: list[NDArray[np.uint8]], *, gate: bool
) -> list[FrameResult[str]]:
    pipeline = RecognitionPipeline(models, gallery, CONFIG.with_(idle_gate=gate))
    return [pipeline.process(frame, now=i / 25.0) for i, frame in enumerate(frames)]


def test_the_idle_gate_skips_an_empty_entrance_and_sees_a_person_as_soon(
    models: Models, gallery: Gallery[str], tmp_path: Path
) -> None:
    frames, scene = scene_frames(tmp_path)
    every = play(models, gallery, frames, gate=False)
    gated = play(models, gallery, frames, gate=True)
    visit = scene.visits()[0]

    def first(results: list[FrameResult[str]], state: FaceState) -> int:
        return next(i for i, r in enumerate(results) if r.state is state)

    # The same frame brings the first face box and the same decision on the same frame.
    seen = next(i for i, r in enumerate(every) if r.box is not None)
    assert seen == next(i for i, r in enumerate(gated) if r.box is not None)
    assert visit.first <= seen <= visit.settled
    decided = first(every, FaceState.RECOGNISED)
    assert first(gated, FaceState.RECOGNISED) == decided
    assert gated[decided].employee_id == every[decided].employee_id == "person01"
    # Before anyone came (4 s of grain): searched about once a second, not 100 times.
    empty = gated[: visit.first]
    searched = [r for r in empty if not r.skipped]
    assert len(empty) == 100 and 2 <= len(searched) <= 6, len(searched)
    assert all(r.state is FaceState.NONE for r in empty)
    assert not any(r.skipped for r in every)
    # After the person left, the entrance is cheap again.
    after = gated[visit.last + round(2.5 * scene.fps) :]
    assert sum(not r.skipped for r in after) <= 3


def test_a_followed_face_is_found_in_a_smaller_copy_as_precisely(
    gallery: Gallery[str], deepface_home: Path
) -> None:
    """dlib's HOG (the dlib extra), whose cost grows with the pixels searched: a followed
    large face is searched for in a smaller copy. (BlazeFace letterboxes every frame to its
    own small input, so it has nothing to gain from this.)"""
    pytest.importorskip("dlib")
    config = CONFIG.with_(detector="dlib")
    loader = ModelLoader(config, deepface_home).start()
    models = loader.wait_ready(timeout=120)
    loader.join(5)
    frame = frame_of("img2.jpg")
    pipeline = RecognitionPipeline(models, gallery, config)
    first = pipeline.process(frame, now=0.0)
    followed = pipeline.process(frame, now=0.04)
    assert first.box is not None and followed.box is not None
    # The plan searches the whole 640×480 frame; a face this size is found in a copy that
    # keeps it 1.4 × the detector's 80 px.
    assert first.search_scale == 1.0
    assert followed.search_scale is not None and followed.search_scale < 0.9
    assert followed.search_scale * first.box[2] == pytest.approx(112, rel=0.05)
    (x0, y0, w0, h0), (x1, y1, w1, h1) = first.box, followed.box
    overlap = max(0, min(x0 + w0, x1 + w1) - max(x0, x1)) * max(
        0, min(y0 + h0, y1 + h1) - max(y0, y1)
    )
    assert overlap / (w0 * h0 + w1 * h1 - overlap) > 0.7
    assert followed.distance is not None and first.distance is not None
    assert abs(followed.distance - first.distance) < 0.01  # the same identity evidence
    # Gone: the full-size search runs again on the same frame and finds nobody.
    gone = pipeline.process(np.full_like(frame, 128), now=0.08)
    assert gone.state is FaceState.NONE and gone.search_scale == 1.0


def test_concurrent_first_calls_build_models_and_clients_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caching rule (core/recognition/models.py, deepface_bridge.py): six threads asking
    at the same moment for models nobody built yet get one build and the same object."""
    import threading
    import time

    from core.recognition import deepface_bridge
    from core.recognition import models as models_module

    home = tmp_path / "home"
    builds: list[int] = []
    build = models_module._build

    def slow_build(*args: Any, **kwargs: Any) -> Models:
        builds.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive meanwhile
        return build(*args, **kwargs)

    monkeypatch.setattr(models_module, "_build", slow_build)

    def at_once(call: Callable[[], object], count: int = 6) -> list[object]:
        barrier = threading.Barrier(count)
        results: list[object] = []

        def run() -> None:
            barrier.wait()
            results.append(call())

        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(results) == count
        return results

    got = at_once(lambda: models_module.get_models(CONFIG, home))
    assert len(builds) == 1
    assert all(m is got[0] for m in got)

    clients: list[int] = []
    constructors = deepface_bridge._clients
    assert not any(
        key[2] == str(home.resolve()) and key[0] == "face_detector" for key in constructors
    )
    # deepface's dlib detector, with its 5-point model placed by hand (the dlib extra's file)
    pytest.importorskip("dlib")
    source = weights_mod.packaged_dir()
    assert source is not None
    shape5 = "shape_predictor_5_face_landmarks.dat"
    weights_mod.weights_dir(home).mkdir(parents=True, exist_ok=True)
    (weights_mod.weights_dir(home) / shape5).symlink_to(source / shape5)
    made = at_once(lambda: deepface_bridge.build_client("face_detector", "dlib", home))
    clients.extend(id(c) for c in made)
    assert len(set(clients)) == 1


def test_an_image_bomb_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """A few kilobytes that would decode to 8000×8000 pixels, as WebP and TIFF (formats
    without a header check of our own): OpenCV's pixel limit refuses them from the header.
    Through the operator's own command, so the limit is the one main.py sets."""
    from core.host.env import EARLY_ENVIRONMENT
    from core.host.images import MAX_PIXELS

    assert int(EARLY_ENVIRONMENT["OPENCV_IO_MAX_IMAGE_PIXELS"]) == MAX_PIXELS
    blank = np.zeros((8000, 8000, 3), np.uint8)  # 64 MP, just over the limit
    bombs = []
    for suffix in (".webp", ".tiff"):
        ok, data = cv2.imencode(suffix, blank)
        assert ok
        path = tmp_path / f"bomb{suffix}"
        path.write_bytes(data.tobytes())
        bombs.append(path)
    del blank
    done = run_main("enroll", "--code", "B1", "--name", "Bomb", *map(str, bombs))
    assert done.returncode == 1, done.stdout + done.stderr
    for path in bombs:
        assert f"{path.name} is too large (over 60 megapixels)" in done.stdout + done.stderr
