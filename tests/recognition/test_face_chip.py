"""The aligned chip without dlib: dlib's own chips (tests/data/chips, written by
tools/models/chip_reference.py with dlib 20.0.1) are reproduced pixel for pixel, the embedding
does not move, a rolled head gives the same chip, and the module never needs dlib."""

from __future__ import annotations

import functools
import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from core.recognition.embed import OnnxDlibEmbedder
from core.recognition.face_chip import (
    chip_details,
    chip_template,
    face_chip,
    points_to_chip,
    pyramid_down,
)
from tests.support.paths import DATA, FACES, ROOT
from tools.models.chip_reference import case_image

CHIPS = DATA / "chips"
REFERENCE: dict[str, dict[str, Any]] = json.loads((CHIPS / "reference.json").read_text())


def dlib_chip(name: str) -> NDArray[np.uint8]:
    bgr = cv2.imread(str(CHIPS / f"{name}.png"))
    assert bgr is not None, name
    return np.ascontiguousarray(bgr[:, :, ::-1])


def case(name: str) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    ref = REFERENCE[name]
    return case_image(ref["photo"], ref["factor"]), np.array(ref["points"], np.float64)


def cosine(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    return 1.0 - float(a @ b)


@pytest.fixture(scope="module")
def embedder() -> OnnxDlibEmbedder:
    return OnnxDlibEmbedder.load(threads=1)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_the_chip_is_dlibs_chip(name: str) -> None:
    image, points = case(name)
    chip = face_chip(image, points, size=150, padding=0.25)
    assert chip.shape == (150, 150, 3) and chip.dtype == np.uint8
    diff = np.abs(chip.astype(int) - dlib_chip(name).astype(int))
    # Equal to the bit on this machine; a pixel may differ by one where another libm
    # rounds a transform coefficient the other way before truncation.
    assert diff.max() <= 1 and diff.mean() < 0.01, (name, diff.max(), diff.mean())


def test_its_embedding_is_the_embedding_of_dlibs_chip(embedder: OnnxDlibEmbedder) -> None:
    names = sorted(REFERENCE)
    ours = embedder.embed(np.stack([face_chip(*case(n)) for n in names]))
    theirs = embedder.embed(np.stack([dlib_chip(n) for n in names]))
    for name, a, b in zip(names, ours, theirs, strict=True):
        # The threshold is 0.066; the same person's photos are 0.014 apart at best.
        assert cosine(a, b) < 1e-5, name
    # ...where another person is far (so this is not a constant embedding), and the same
    # face enlarged four times (a chip from the pyramid's second level) is near.
    i = {n: k for k, n in enumerate(names)}
    assert cosine(ours[i["img1"]], ours[i["img39"]]) > 0.066
    assert cosine(ours[i["img1"]], ours[i["img1_x4"]]) < 0.01


def rolled(
    image: NDArray[np.uint8], points: NDArray[np.float64], degrees: float
) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    """The image turned about the face (on a canvas big enough to keep it whole)."""
    h, w = image.shape[:2]
    side = int(math.hypot(h, w)) + 2
    m = cv2.getRotationMatrix2D(tuple(points.mean(axis=0)), degrees, 1.0)
    m[:, 2] += ((side - w) / 2, (side - h) / 2)
    out = cv2.warpAffine(image, m, (side, side), flags=cv2.INTER_CUBIC)
    return np.asarray(out, np.uint8), points @ m[:, :2].T + m[:, 2]


@pytest.mark.parametrize("degrees", [25.0, -25.0])
def test_a_head_rolled_25_degrees_gives_the_upright_chip(
    degrees: float, embedder: OnnxDlibEmbedder
) -> None:
    image, points = case("img1")
    turned, turned_points = rolled(image, points, degrees)
    chip = face_chip(turned, turned_points)
    # The eyes and nose land where dlib's template puts them (within a hundredth of a px)...
    details = chip_details(turned_points)
    assert math.degrees(details.angle) == pytest.approx(
        -degrees + math.degrees(chip_details(points).angle), abs=1e-6
    )
    upright = face_chip(image, points)
    mapped = points_to_chip(turned_points, details)
    assert np.allclose(mapped, points_to_chip(points, chip_details(points)), atol=0.01)
    # ...so the chip is the upright one, but for the second resampling of the turned image.
    assert np.abs(chip.astype(int) - upright.astype(int)).mean() < 2.0  # measured 0.8
    a, b = embedder.embed(np.stack([chip, upright]))
    assert cosine(a, b) < 0.001  # measured 0.0001; his other photos are ≥ 0.014 away
    # Without alignment the rolled face would be a different picture altogether.
    unaligned = face_chip(turned, points_to_image_frame(points, turned_points))
    assert np.abs(unaligned.astype(int) - upright.astype(int)).mean() > 20


def points_to_image_frame(
    points: NDArray[np.float64], turned_points: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The upright points moved onto the turned face's centre (no roll): a control."""
    out: NDArray[np.float64] = points - points.mean(axis=0) + turned_points.mean(axis=0)
    return out


def test_dlib_itself_agrees_on_the_rolled_head() -> None:
    dlib = pytest.importorskip("dlib")
    image, points = case("img1_x4")
    for degrees in (25.0, -25.0):
        turned, pts = rolled(image, points, degrees)
        pts = np.round(pts)  # dlib's shapes hold whole pixels
        shape = dlib.full_object_detection(
            dlib.rectangle(0, 0, turned.shape[1] - 1, turned.shape[0] - 1),
            [dlib.point(int(x), int(y)) for x, y in pts],
        )
        theirs = dlib.get_face_chip(turned, shape, size=150, padding=0.25)
        assert np.abs(face_chip(turned, pts).astype(int) - theirs.astype(int)).max() <= 1


def reference_pyramid_down(img: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """dlib's pyramid_down<2> loop written out: rows then columns, 1-4-6-4-1, sum // 256."""
    rows, cols = img.shape[:2]
    out_r, out_c = (rows - 3) // 2, (cols - 3) // 2
    x = img.astype(np.int64)
    k = (1, 4, 6, 4, 1)
    across = np.zeros((rows, out_c, *img.shape[2:]), np.int64)
    for i, w in enumerate(k):
        across += w * x[:, i : i + 2 * out_c : 2]
    down = np.zeros((out_r, out_c, *img.shape[2:]), np.int64)
    for i, w in enumerate(k):
        down += w * across[i : i + 2 * out_r : 2]
    return np.asarray(down // 256, np.uint8)


@pytest.mark.parametrize("shape", [(9, 9, 3), (10, 13, 3), (301, 299, 3), (64, 50)])
def test_pyramid_down_is_dlibs_integer_filter(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(shape))
    img = rng.integers(0, 256, shape, dtype=np.uint8)
    img[: shape[0] // 3] = 255  # saturated rows: the largest sums (255 × 256)
    ours = pyramid_down(img)
    assert ours.shape[:2] == ((shape[0] - 3) // 2, (shape[1] - 3) // 2)
    assert np.array_equal(ours, reference_pyramid_down(img))


def test_a_face_at_the_edge_is_padded_black_and_bad_points_are_refused() -> None:
    image, points = case("img1")
    shifted = points - (points[:, 0].min() - 5, 0)  # the face cut by the left edge
    chip = face_chip(image, shifted)
    assert chip[:, :10].max() == 0 and chip[:, 75:].max() > 0
    tiny = np.full((6, 6, 3), 128, np.uint8)
    assert face_chip(tiny, [(4, 2), (3, 2), (1, 2), (2, 2), (2.5, 4)]).shape == (150, 150, 3)
    grey = face_chip(image[:, :, 1].copy(), points)
    assert grey.shape == (150, 150) and np.array_equal(grey, face_chip(image, points)[:, :, 1])
    with pytest.raises(ValueError, match="5 finite"):
        face_chip(image, points[:4])
    with pytest.raises(ValueError, match="5 finite"):
        face_chip(image, np.full((5, 2), np.nan))


def test_the_template_is_dlibs_mean_face() -> None:
    t = chip_template(150, 0.25)
    # dlib's constants: right eye outer corner at x 0.8596 of the unpadded face.
    assert t[0] == pytest.approx(
        ((0.25 + 0.8595674595992) / 1.5 * 150, (0.25 + 0.2134981538014) / 1.5 * 150)
    )
    _, points = case("img39")
    mapped = points_to_chip(points, chip_details(points))
    assert np.abs(mapped - t).max() < 6  # a least-squares fit: close, not exact


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_chip_needs_no_dlib() -> None:
    """With dlib made unimportable, the module loads and makes a chip (the product must
    not need dlib: dlib-bin requires AVX and is leaving)."""
    code = (
        "import sys\n"
        "sys.modules['dlib'] = None  # any 'import dlib' now raises ImportError\n"
        "import numpy as np\n"
        "from core.recognition import face_chip\n"
        "img = np.random.default_rng(0).integers(0, 256, (400, 300, 3), dtype=np.uint8)\n"
        "chip = face_chip.face_chip(img, [(195, 112), (172, 114), (114, 112), (137, 114), "
        "(154, 150)])\n"
        "assert chip.shape == (150, 150, 3)\n"
        "print(sorted(m for m, v in sys.modules.items() if 'dlib' in m.lower() and v))\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@functools.cache
def old_pipeline() -> Any:
    from tools.models.chip_compat import OldPipeline

    return OldPipeline()


def far_off(rgb: NDArray[np.uint8], box: Any) -> NDArray[np.float64]:
    """A landmark source that is badly wrong: dlib's points, a whole eye distance lower."""
    pts = old_pipeline().points(rgb, box)
    out: NDArray[np.float64] = pts + np.array([0.0, np.linalg.norm(pts[0] - pts[2])])
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "check"),
    [
        ("dlib", lambda r: r["distributions"]["self"]["max"] < 1e-6 and not r["people_lost"]),
        ("tests.recognition.test_face_chip:far_off", lambda r: r["probes_lost"]),
    ],
)
def test_chip_compat_says_who_would_stop_being_recognised(
    source: str, check: Callable[[dict[str, Any]], Any], tmp_path: Path
) -> None:
    pytest.importorskip("dlib")
    from io import StringIO

    from tools.models.chip_compat import run

    text = StringIO()
    result = run(FACES, source, tmp_path / "home", out=text)
    assert check(result), text.getvalue()
    old = result["verification"]["old templates, old probes"]["accuracy"]
    if source == "dlib":
        assert result["verification"]["old templates, new probes"]["accuracy"] == old
        assert "Would stop being recognised: nobody" in text.getvalue()
    else:
        assert result["verification"]["old templates, new probes"]["accuracy"] < old
