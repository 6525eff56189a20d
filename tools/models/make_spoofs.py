"""Synthetic presentation attacks made here from the shared face photos (developer tool).

    python -m tools.models.make_spoofs --faces ../shared/data/faces --out DIR

writes ``DIR/real/`` (the labelled photos of ``labels.csv``, copied as they are) and
``DIR/spoof/VARIANT/`` (this tool's renders of each of them, a folder per attack) for
``main.py evaluate-liveness``.
Every render is a 640×480 "kiosk camera" frame of one attack, seeded from the photo's name
and the variant, so a rerun gives the same bytes:

- ``screen_phone``: the photo on a phone held up to the camera: shown at the phone's own
  resolution on an RGB-stripe sub-pixel grid with a dark matrix between pixels, inside a
  black bezel, tilted in perspective and resampled onto the camera's pixels (which is
  what makes moiré), with the screen's lifted blacks and blue cast, a glare gradient,
  camera blur and noise, and JPEG re-compression;
- ``screen_monitor``: the same on a larger, coarser screen (a tablet or monitor) seen
  closer, in landscape, with a different pitch, tilt and glare;
- ``print``: the photo printed: the printer's reduced contrast and saturation, a white
  border, paper texture and grain, a tilt, light falling off across the sheet and a soft
  shadow on the background, camera blur and noise, JPEG.

These are our own renders, not a presentation-attack benchmark: they test that the
detector refuses the cues a replay carries (the grid, the bezel, the flat print), not
every real phone or printer.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

CANVAS_W, CANVAS_H = 640, 480
JPEG_EXT = ".jpg"

Image = NDArray[np.uint8]
Float = NDArray[np.float32]


def _rng(name: str, variant: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{name}:{variant}".encode()))


def _u8(a: NDArray[Any]) -> Image:
    return np.asarray(np.clip(np.rint(a), 0, 255), dtype=np.uint8)


def _f32(a: NDArray[Any]) -> Float:
    return np.asarray(a, dtype=np.float32)


def _fill(photo: Image, w: int, h: int) -> Image:
    """``photo`` scaled to cover w×h and centre-cropped (how a gallery app shows it)."""
    ph, pw = photo.shape[:2]
    scale = max(w / pw, h / ph)
    size = (max(w, round(pw * scale)), max(h, round(ph * scale)))
    big = cv2.resize(photo, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    x0, y0 = (big.shape[1] - w) // 2, max(0, (big.shape[0] - h) // 3)  # faces sit high
    return np.asarray(big[y0 : y0 + h, x0 : x0 + w], dtype=np.uint8)


def _background(rng: np.random.Generator) -> Float:
    """A wall behind the attack: a lit gradient, a few soft shapes, sensor-free."""
    base = rng.uniform(90, 200, 3)
    yy, xx = np.mgrid[0:CANVAS_H, 0:CANVAS_W].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / CANVAS_W + np.sin(angle) * yy / CANVAS_H)[..., None]
    bg = base + rng.uniform(-40, 40) * ramp
    for _ in range(int(rng.integers(1, 4))):
        x0, y0 = int(rng.integers(0, CANVAS_W)), int(rng.integers(0, CANVAS_H))
        x1, y1 = x0 + int(rng.integers(60, 300)), y0 + int(rng.integers(60, 300))
        colour = tuple(float(c) for c in rng.uniform(40, 230, 3))
        cv2.rectangle(bg, (x0, y0), (x1, y1), colour, -1)
    return _f32(cv2.GaussianBlur(bg.astype(np.float32), (0, 0), 6))


def _quad(rng: np.random.Generator, w: float, h: float, tilt: float) -> NDArray[np.float32]:
    """Where the object's corners land on the canvas: centred-ish, tilted in perspective."""
    cx = CANVAS_W / 2 + rng.uniform(-0.08, 0.08) * CANVAS_W
    cy = CANVAS_H / 2 + rng.uniform(-0.06, 0.06) * CANVAS_H
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]], np.float32) / 2
    roll = rng.uniform(-6, 6) * np.pi / 180
    rot = np.array([[np.cos(roll), -np.sin(roll)], [np.sin(roll), np.cos(roll)]], np.float32)
    corners = corners @ rot.T
    # perspective: one side nearer the camera than the other (yaw) and top vs bottom (pitch)
    yaw, pitch = rng.uniform(-tilt, tilt), rng.uniform(-tilt, tilt)
    for i, (x, y) in enumerate(corners):
        corners[i] = (x * (1 + pitch * np.sign(y)), y * (1 + yaw * np.sign(x)))
    return _f32(corners + np.array([cx, cy], np.float32))


def _place(
    canvas: Float, obj: Float, quad: NDArray[np.float32], interpolation: int
) -> tuple[Float, Float]:
    """Warp ``obj`` onto ``quad`` of the canvas; returns the canvas and the object's mask."""
    h, w = obj.shape[:2]
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, quad)
    size = (CANVAS_W, CANVAS_H)
    warped = cv2.warpPerspective(obj, m, size, flags=interpolation)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, size, flags=cv2.INTER_LINEAR)
    mask3 = mask[..., None]
    return _f32(canvas * (1 - mask3) + warped * mask3), _f32(mask)


def _camera(image: Float, rng: np.random.Generator) -> Image:
    """The kiosk camera photographing the attack: a bit of blur, sensor noise, its JPEG."""
    sigma = float(rng.uniform(0.5, 1.1))
    out = cv2.GaussianBlur(image, (0, 0), sigma)
    out = out + np.asarray(rng.normal(0, rng.uniform(1.5, 4.0), out.shape), np.float32)
    quality = int(rng.integers(60, 88))
    ok, data = cv2.imencode(JPEG_EXT, _u8(out), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR), dtype=np.uint8)


def _glare(mask: Float, quad: NDArray[np.float32], rng: np.random.Generator) -> Float:
    """A soft highlight of a ceiling light on the glass, inside the screen only."""
    yy, xx = np.mgrid[0:CANVAS_H, 0:CANVAS_W].astype(np.float32)
    corner = quad[int(rng.integers(0, 4))]
    centre = quad.mean(axis=0)
    gx, gy = centre + (corner - centre) * rng.uniform(0.2, 0.8)
    radius = rng.uniform(60, 200)
    strength = rng.uniform(40, 110)
    angle = rng.uniform(0, np.pi)
    dx, dy = xx - gx, yy - gy
    u = dx * np.cos(angle) + dy * np.sin(angle)
    v = -dx * np.sin(angle) + dy * np.cos(angle)
    spot = np.exp(-(u**2 / (2 * radius**2) + v**2 / (2 * (radius * 0.45) ** 2)))
    return _f32((strength * spot * mask)[..., None])


def render_screen(photo: Image, rng: np.random.Generator, *, phone: bool) -> Image:
    """The photo replayed on a screen held up to the camera."""
    # pitch: one display pixel in camera pixels. A real phone at arm's length is finer than
    # the camera (~0.2-0.4), a monitor nearer ~0.4-0.8; the grid shows as moiré only where
    # the lens passes some of it, so both the pitch and the lens blur are drawn per render
    if phone:  # a phone in portrait: most of the camera's height
        screen_h = rng.uniform(0.78, 0.95) * CANVAS_H
        pitch = rng.uniform(0.45, 0.75)
        disp_h = int(screen_h * 0.88 / pitch)
        disp_w = int(disp_h * rng.uniform(0.5, 0.6))
        tilt = 0.12
    else:  # a tablet or monitor in landscape, nearer: the face fills more of it
        screen_h = rng.uniform(0.85, 1.05) * CANVAS_H
        pitch = rng.uniform(0.5, 0.85)
        disp_h = int(screen_h * 0.92 / pitch)
        disp_w = int(disp_h * rng.uniform(1.3, 1.6))
        tilt = 0.08
    sub = 3  # hi-res pixels per display pixel: one per R, G, B stripe
    content = _f32(_fill(photo, disp_w, disp_h))
    # the panel: blacks lifted, contrast down, a cool cast, its own gamma
    lift, gain = rng.uniform(10, 30), rng.uniform(0.78, 0.92)
    cast = np.array([rng.uniform(1.0, 1.12), rng.uniform(0.97, 1.03), rng.uniform(0.86, 0.98)])
    content = lift + gain * 255 * (content / 255) ** rng.uniform(0.85, 1.1) * cast
    # RGB-stripe sub-pixels: each display pixel is three vertical bars (B, G, R in BGR
    # order), with a darker row of "black matrix" under each pixel
    big = np.repeat(np.repeat(content, sub, axis=0), sub, axis=1)
    stripes = np.zeros((sub, sub, 3), np.float32)
    for bgr_channel, col in ((2, 0), (1, 1), (0, 2)):
        stripes[:, col, bgr_channel] = 3.0
    stripes[-1, :, :] *= 0.5
    tiles = np.tile(stripes, (disp_h, disp_w, 1))
    lit = big * tiles * rng.uniform(0.85, 1.0)
    # the bezel: black glass around the panel, a grey rim, rounded corners
    # the camera's lens: a little of the grid survives to be aliased by the resampling below
    lens = float(rng.uniform(0.15, 0.3)) * sub / pitch  # in hi-res pixels
    lit = _f32(cv2.GaussianBlur(_f32(lit), (0, 0), lens))
    bezel = int(sub * disp_w * rng.uniform(0.04, 0.08))
    chin = int(bezel * (rng.uniform(1.5, 3.0) if phone else 1.0))
    device = np.full((lit.shape[0] + bezel + chin, lit.shape[1] + 2 * bezel, 3), 14, np.float32)
    device[bezel : bezel + lit.shape[0], bezel : bezel + lit.shape[1]] = lit
    rim = max(2, bezel // 6)
    dh, dw = device.shape[:2]
    cv2.rectangle(device, (0, 0), (dw - 1, dh - 1), (70, 70, 75), rim)
    radius = int(min(dh, dw) * 0.06)
    corner_mask = np.ones((dh, dw), np.float32)
    for cx, cy in ((radius, radius), (dw - radius, radius), (radius, dh - radius),
                   (dw - radius, dh - radius)):  # fmt: skip
        x0, x1 = (0, radius) if cx == radius else (dw - radius, dw)
        y0, y1 = (0, radius) if cy == radius else (dh - radius, dh)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        corner_mask[y0:y1, x0:x1] = ((xx - cx) ** 2 + (yy - cy) ** 2 <= radius**2).astype(
            np.float32
        )
    canvas = _background(rng)
    scale = screen_h / dh
    quad = _quad(rng, dw * scale, dh * scale, tilt)
    # resampled with INTER_LINEAR from a grid several times finer than the camera: aliasing
    # of the sub-pixel pattern is the moiré a camera sees on a screen
    rgba = np.dstack([device, corner_mask])
    src = np.array([[0, 0], [dw - 1, 0], [dw - 1, dh - 1], [0, dh - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, quad)
    warped = cv2.warpPerspective(rgba, m, (CANVAS_W, CANVAS_H), flags=cv2.INTER_LINEAR)
    alpha = warped[..., 3:4]
    canvas = canvas * (1 - alpha) + warped[..., :3] * alpha
    canvas = canvas + _glare(_f32(alpha[..., 0]), quad, rng)
    return _camera(_f32(canvas), rng)


def render_print(photo: Image, rng: np.random.Generator) -> Image:
    """The photo printed on paper with a white border, held up or pinned in front."""
    print_h = int(rng.integers(300, 420)) * 2  # rendered at twice the camera's resolution
    print_w = int(print_h * rng.uniform(0.7, 0.85))
    content = _f32(_fill(photo, print_w, print_h))
    # the printer's gamut: paper-white highlights, lifted blacks, less saturation, warm
    grey = content.mean(axis=2, keepdims=True)
    content = grey + (content - grey) * rng.uniform(0.65, 0.85)
    content = rng.uniform(20, 40) + content * rng.uniform(0.78, 0.88)
    content = content * np.array([rng.uniform(0.9, 0.97), 1.0, rng.uniform(1.0, 1.06)])
    border = int(print_w * rng.uniform(0.05, 0.1))
    paper = np.full((print_h + 2 * border, print_w + 2 * border, 3), 0.0, np.float32)
    paper[...] = rng.uniform(228, 245) * np.array([0.97, 1.0, 1.0])
    paper[border : border + print_h, border : border + print_w] = content
    ph, pw = paper.shape[:2]
    # paper texture: a fibrous low-frequency mottle and a fine grain, multiplied in
    mottle = cv2.GaussianBlur(rng.normal(0, 1, (ph, pw)).astype(np.float32), (0, 0), 6)
    mottle = mottle / (mottle.std() + 1e-6) * rng.uniform(0.015, 0.035)
    grain = rng.normal(0, rng.uniform(0.01, 0.025), (ph, pw)).astype(np.float32)
    paper = paper * (1 + mottle + grain)[..., None]
    # light falling off across the sheet (a lamp to one side) and towards its corners
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * (xx / pw - 0.5) + np.sin(angle) * (yy / ph - 0.5)
    falloff = 1 - rng.uniform(0.15, 0.35) * (ramp + 0.5)
    vignette = 1 - rng.uniform(0.05, 0.15) * (((xx / pw - 0.5) ** 2 + (yy / ph - 0.5) ** 2) * 2)
    paper = paper * (falloff * vignette)[..., None]
    canvas = _background(rng)
    scale = 0.5
    quad = _quad(rng, pw * scale, ph * scale, 0.1)
    # a soft shadow just behind the sheet
    shadow_quad = quad + np.array(rng.uniform(3, 10, 2), np.float32)
    shadow = np.zeros((CANVAS_H, CANVAS_W), np.float32)
    cv2.fillConvexPoly(shadow, shadow_quad.astype(np.int32), 1.0)
    shadow = _f32(cv2.GaussianBlur(shadow, (0, 0), 6))
    canvas = canvas * (1 - 0.45 * shadow[..., None])
    canvas, _ = _place(canvas, paper, quad, cv2.INTER_AREA)
    return _camera(canvas, rng)


VARIANTS: dict[str, Callable[[Image, np.random.Generator], Image]] = {
    "screen_phone": lambda photo, rng: render_screen(photo, rng, phone=True),
    "screen_monitor": lambda photo, rng: render_screen(photo, rng, phone=False),
    "print": render_print,
}


def labelled_faces(faces: Path) -> list[Path]:
    """The photos ``labels.csv`` names (one face each), else every image in the folder."""
    labels = faces / "labels.csv"
    if labels.is_file():
        with labels.open(newline="", encoding="utf-8-sig") as fh:
            rows = [r for r in csv.reader(fh) if r and r[0].strip()]
        names = [r[0].strip() for r in rows if r[0].strip().lower() != "file"]
        return [faces / n for n in names]
    return sorted(p for p in faces.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def make(faces: Path, out: Path, variants: Sequence[str] = tuple(VARIANTS)) -> tuple[int, int]:
    """Write ``out/real`` and ``out/spoof``; returns (real photos, spoof renders)."""
    photos = labelled_faces(faces)
    missing = [str(p) for p in photos if not p.is_file()]
    if missing:
        raise SystemExit(f"make_spoofs: missing photos: {', '.join(missing[:5])}")
    (out / "real").mkdir(parents=True, exist_ok=True)
    for variant in variants:
        (out / "spoof" / variant).mkdir(parents=True, exist_ok=True)
    spoofs = 0
    for photo_path in photos:
        shutil.copyfile(photo_path, out / "real" / photo_path.name)
        photo = cv2.imread(str(photo_path), cv2.IMREAD_COLOR)
        if photo is None:
            raise SystemExit(f"make_spoofs: cannot read {photo_path}")
        for variant in variants:
            image = VARIANTS[variant](np.asarray(photo, np.uint8), _rng(photo_path.name, variant))
            target = out / "spoof" / variant / f"{photo_path.stem}_{variant}{JPEG_EXT}"
            cv2.imwrite(str(target), image, [cv2.IMWRITE_JPEG_QUALITY, 95])
            spoofs += 1
    return len(photos), spoofs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faces", type=Path, required=True, help="a folder of face photos")
    parser.add_argument("--out", type=Path, required=True, help="writes real/ and spoof/ here")
    parser.add_argument("--variants", nargs="+", choices=tuple(VARIANTS), default=list(VARIANTS))
    args = parser.parse_args(argv)
    if not args.faces.is_dir():
        print(f"make_spoofs: {args.faces} is not a folder", file=sys.stderr)
        return 2
    real, spoofs = make(args.faces, args.out, args.variants)
    print(f"{args.out}: {real} real photos in real/, {spoofs} renders in spoof/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
