"""``main.py evaluate-liveness`` as a process on folders made from tests/data, and the
spoof renderer (tools/models/make_spoofs.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.recognition.evaluate_liveness import camera_sized, threshold_for_bpcer
from tests.support.cli import run_main
from tests.support.paths import DATA
from tools.models import make_spoofs

REAL = ["antispoof/image_T1.jpg", "faces/img1.jpg", "faces/img28.jpg", "faces/img39.jpg"]
SPOOF = ["antispoof/image_F1.jpg", "antispoof/image_F2.jpg"]


def dataset(root: Path, real: list[str], spoof: list[str]) -> Path:
    for kind, files in (("real", real), ("spoof", spoof)):
        (root / kind).mkdir(parents=True)
        for f in files:
            shutil.copyfile(DATA / f, root / kind / Path(f).name)
    return root


def test_the_samples_and_faces_at_the_shipped_threshold(tmp_path: Path) -> None:
    root = dataset(tmp_path / "set", [*REAL, "faces/no_face.jpg"], SPOOF)
    (root / "spoof" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    result = run_main("evaluate-liveness", "--dataset", str(root), "--json")
    assert result.returncode == 0, result.stderr
    r = json.loads(result.stdout)
    assert (r["apcer"], r["bpcer"]) == (0.0, 0.0)
    assert (r["real_faces"], r["spoof_faces"], r["real_images"], r["spoof_images"]) == (4, 2, 5, 3)
    assert r["faces_not_found"] == ["real/no_face.jpg: no face found"]
    assert len(r["unreadable"]) == 1 and r["unreadable"][0].startswith("spoof/broken.jpg: ")
    assert 0 < r["ms_median"] <= r["ms_p90"] < 1000
    assert [c["file"] for c in r["worst_spoof"]] == ["spoof/image_F1.jpg", "spoof/image_F2.jpg"]
    assert r["worst_spoof"][0]["real"] < r["threshold"] <= r["worst_real"][0]["real"]
    assert {c["file"] for c in r["worst_real"]} == {f"real/{Path(f).name}" for f in REAL}
    assert sorted(s["kind"] for s in r["scores"]) == ["real"] * 4 + ["spoof"] * 2


def test_the_threshold_option_and_the_text_report(tmp_path: Path) -> None:
    root = dataset(tmp_path / "set", REAL[:1], SPOOF)
    result = run_main("evaluate-liveness", "--dataset", str(root), "--threshold", "0.05")
    assert result.returncode == 0, result.stderr
    # F1 scores ~0.09 on the face BlazeFace finds: accepted at 0.05, F2 (~0.02) still refused
    assert "APCER (spoofs accepted)        50.00 % (1 of 2)" in result.stdout
    assert "BPCER (real faces refused)     0.00 % (0 of 1)" in result.stdout
    assert "Threshold  0.050" in result.stdout
    assert "spoof/image_F1.jpg" in result.stdout


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("missing", "does not exist"),
        ("no_subfolders", "has no real/ or spoof/ sub-folder"),
        ("empty", "no images"),
    ],
)
def test_an_unusable_folder_is_a_sentence_and_exit_2(
    tmp_path: Path, layout: str, message: str
) -> None:
    root = tmp_path / "set"
    if layout != "missing":
        root.mkdir()
        shutil.copyfile(DATA / REAL[0], root / "loose.jpg")  # not in real/ or spoof/
    if layout == "empty":
        (root / "real").mkdir()
        (root / "spoof" / "nested").mkdir(parents=True)
        (root / "spoof" / "notes.txt").write_text("not an image", encoding="utf-8")
    result = run_main("evaluate-liveness", "--dataset", str(root))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_threshold_outside_0_1_is_refused(tmp_path: Path) -> None:
    root = dataset(tmp_path / "set", REAL[:1], [])
    result = run_main("evaluate-liveness", "--dataset", str(root), "--threshold", "1.5")
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


def test_the_calibrated_threshold_refuses_at_most_2_percent() -> None:
    assert threshold_for_bpcer([]) is None
    reals = [0.9] * 45 + [0.3, 0.26, 0.8, 0.7, 0.6]  # 50 faces: one may be refused
    t = threshold_for_bpcer(reals)
    assert t == 0.3 and sum(r < t for r in reals) == 1
    assert threshold_for_bpcer([0.5, 0.6]) == 0.5  # two faces: none may be refused


def test_images_are_scored_at_the_cameras_size() -> None:
    assert camera_sized(np.zeros((1000, 2000, 3), np.uint8)).shape == (320, 640, 3)
    assert camera_sized(np.zeros((1280, 960, 3), np.uint8)).shape == (480, 360, 3)
    assert camera_sized(np.zeros((100, 50, 3), np.uint8)).shape == (100, 50, 3)  # never up


def test_the_spoof_renders_are_deterministic_camera_frames(tmp_path: Path) -> None:
    faces = tmp_path / "faces"
    faces.mkdir()
    shutil.copyfile(DATA / "faces" / "img39.jpg", faces / "img39.jpg")
    real, spoofs = make_spoofs.make(faces, tmp_path / "a")
    assert (real, spoofs) == (1, len(make_spoofs.VARIANTS))
    make_spoofs.make(faces, tmp_path / "b")
    assert (tmp_path / "a" / "real" / "img39.jpg").read_bytes() == (
        faces / "img39.jpg"
    ).read_bytes()
    for variant in make_spoofs.VARIANTS:
        name = Path("spoof") / variant / f"img39_{variant}.jpg"
        made = (tmp_path / "a" / name).read_bytes()
        assert made == (tmp_path / "b" / name).read_bytes(), f"{name} is not deterministic"
        image = cv2.imdecode(np.frombuffer(made, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None and image.shape == (make_spoofs.CANVAS_H, make_spoofs.CANVAS_W, 3)
