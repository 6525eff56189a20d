"""Every model file shipped in resources/models/ has its NOTICE entry, a permissive licence
and the digest the manifest pins; loading one checks that digest first."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from core.recognition import model_files
from core.recognition.errors import CorruptWeightsError, MissingWeightsError
from tests.support.paths import ROOT
from tools.models import model_manifest

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MODELS = ROOT / "resources" / "models"
# licences that allow commercial use and redistribution (SPDX ids)
PERMISSIVE = {"Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "CC0-1.0"}
ALLOWED_OTHER_FILES = {"NOTICE.md", "LICENSE"}


def shipped_manifest() -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = json.loads(
        (MODELS / "manifest.json").read_text(encoding="utf-8")
    )["files"]
    return files


def test_every_file_under_resources_models_is_a_listed_model_or_its_notice_or_licence() -> None:
    listed = set(shipped_manifest())
    for path in sorted(p for p in MODELS.rglob("*") if p.is_file()):
        rel = path.relative_to(MODELS).as_posix()
        if rel == "manifest.json" or path.name in ALLOWED_OTHER_FILES:
            continue
        assert rel in listed, f"{rel} is shipped but not in resources/models/manifest.json"


def test_the_manifest_pins_the_files_as_they_are() -> None:
    """A model file replaced, truncated or edited without updating the manifest fails here
    (run `python -m tools.models.model_manifest` after a deliberate change, and update
    NOTICE.md)."""
    assert model_manifest.manifest(MODELS)["files"] == shipped_manifest()


def test_each_model_has_a_notice_naming_its_digest_and_a_permissive_licence() -> None:
    for rel, entry in shipped_manifest().items():
        folder = MODELS / rel.split("/", 1)[0]
        notice = (MODELS / str(entry["notice"])).read_text(encoding="utf-8")
        name = Path(rel).name
        assert name in notice, f"{entry['notice']} does not name {name}"
        assert str(entry["sha256"]) in notice, f"{entry['notice']} lacks the sha256 of {name}"
        assert entry["licence"] in PERMISSIVE, f"{rel}: {entry['licence']}"
        assert (folder / "LICENSE").is_file(), f"{folder} has no LICENSE text"
        assert entry["licence"] in notice


def test_the_shipped_models_load_after_their_digest_is_checked() -> None:
    for rel in shipped_manifest():
        session = model_files.onnx_session(rel)
        assert session.get_inputs()


@pytest.fixture
def copy_of_models(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    shutil.copytree(MODELS, root)
    return root


MESH = "mediapipe/face_landmark.onnx"


def test_a_changed_model_file_is_refused_naming_both_digests(copy_of_models: Path) -> None:
    path = copy_of_models / MESH
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte different
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptWeightsError) as caught:
        model_files.onnx_session(MESH, root=copy_of_models)
    message = str(caught.value)
    assert str(path) in message
    assert str(shipped_manifest()[MESH]["sha256"]) in message
    assert "reinstall" in message


def test_a_truncated_model_file_is_refused_by_its_size(copy_of_models: Path) -> None:
    path = copy_of_models / MESH
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CorruptWeightsError, match="1000 bytes"):
        model_files.verified_bytes(MESH, copy_of_models)


def test_a_missing_model_file_is_one_clear_error_and_nothing_is_fetched(
    copy_of_models: Path,
) -> None:
    (copy_of_models / MESH).unlink()
    with pytest.raises(MissingWeightsError, match=r"face_landmark\.onnx"):
        model_files.verified_bytes(MESH, copy_of_models)
    assert not (copy_of_models / MESH).exists()


def test_a_file_the_manifest_does_not_list_is_refused(copy_of_models: Path) -> None:
    with pytest.raises(CorruptWeightsError, match="not listed"):
        model_files.verified_bytes("mediapipe/LICENSE", copy_of_models)


def test_a_missing_or_broken_manifest_is_refused(copy_of_models: Path) -> None:
    manifest = copy_of_models / "manifest.json"
    manifest.write_text("{not json", encoding="utf-8")
    with pytest.raises(CorruptWeightsError, match="manifest"):
        model_files.verified_bytes(MESH, copy_of_models)
    manifest.unlink()
    with pytest.raises(MissingWeightsError, match="manifest"):
        model_files.verified_bytes(MESH, copy_of_models)


@pytest.mark.parametrize(
    "relpath",
    [
        "mediapipe/face_detection_short_range.onnx",
        "mediapipe/iris_landmark.onnx",
        "dlib/dlib_face_recognition_resnet_model_v1.onnx",
        "antispoof/2.7_80x80_MiniFASNetV2.onnx",
    ],
)
def test_every_default_model_refuses_a_changed_file_when_it_loads(
    copy_of_models: Path, monkeypatch: pytest.MonkeyPatch, relpath: str
) -> None:
    """Through the loaders the kiosk uses, not only model_files: one flipped byte in any
    default model and the load fails naming the file."""
    from core.recognition import antispoof
    from core.recognition.blazeface import BlazeFaceDetector
    from core.recognition.embed import OnnxDlibEmbedder
    from core.recognition.iris import IrisModel

    monkeypatch.setattr(model_files, "MODELS_ROOT", copy_of_models)
    monkeypatch.setattr(antispoof, "MODELS_DIR", copy_of_models / "antispoof")
    path = copy_of_models / relpath
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x10
    path.write_bytes(bytes(data))
    loaders: dict[str, Callable[[], object]] = {
        "mediapipe/face_detection_short_range.onnx": lambda: BlazeFaceDetector.load("short"),
        "mediapipe/iris_landmark.onnx": IrisModel.load,
        "dlib/dlib_face_recognition_resnet_model_v1.onnx": OnnxDlibEmbedder.load,
        "antispoof/2.7_80x80_MiniFASNetV2.onnx": antispoof.PassiveLiveness.load,
    }
    load = loaders[relpath]
    with pytest.raises(CorruptWeightsError, match=Path(relpath).name.replace(".", r"\.")):
        load()
