"""Decompression bombs in every format OpenCV decodes, whichever module loads OpenCV first.

A 15 MB TIFF of 30000×30000 pixels reached 5.6 GB of memory and a 455 KB WebP 1.9 GB: only
PNG and JPEG had a header check of our own. OpenCV's own pixel limit
(``OPENCV_IO_MAX_IMAGE_PIXELS``) refuses every format from its header, but OpenCV reads it
once, when it is loaded: so each case here runs in a fresh interpreter *without* the variable
(as a tool, a test or a module imported on its own would start), loads OpenCV through one of
the product's modules first, then reads small files that declare huge images. Each must be
refused with a sentence while the process's peak memory stays near its start.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.host.images import MAX_PIXELS, decode_image
from tests.support.paths import ROOT

# --- small files that declare huge images --------------------------------------------------


def webp_solid(width: int, height: int) -> bytes:
    """A lossless WebP of one colour: every prefix code has a single symbol, so no pixel
    costs a bit and 16383×16383 pixels take 34 bytes."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(width - 1, 14)
    put(height - 1, 14)
    put(0, 1)  # no alpha
    put(0, 3)  # version 0
    put(0, 1)  # no transform
    put(0, 1)  # no colour cache
    put(0, 1)  # no meta prefix codes
    for symbol in (0x80, 0x40, 0x20, 0xFF, 0):  # green, red, blue, alpha, distance
        put(1, 1)  # a simple code
        put(0, 1)  # of one symbol
        put(1, 1)  # written in 8 bits
        put(symbol, 8)
    bits.extend([0] * (-len(bits) % 8))
    data = bytes([0x2F]) + bytes(
        sum(bit << i for i, bit in enumerate(bits[k : k + 8])) for k in range(0, len(bits), 8)
    )
    data += b"\0" * (len(data) % 2)
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def tiff_tiled(width: int, height: int, tile: int = 256) -> bytes:
    """A grey, deflate-compressed tiled TIFF whose tiles all point at one tiny black tile:
    30000×30000 pixels take ~110 KB (the tile tables)."""
    data = zlib.compress(bytes(tile * tile))
    data += b"\0" * (len(data) % 2)
    count = -(-width // tile) * -(-height // tile)
    offsets_at = 8 + len(data)
    counts_at = offsets_at + 4 * count
    ifd_at = counts_at + 4 * count
    short, long_ = 3, 4
    tags = [
        (256, long_, 1, width),
        (257, long_, 1, height),
        (258, short, 1, 8),  # bits per sample
        (259, short, 1, 8),  # deflate
        (262, short, 1, 1),  # black is zero
        (277, short, 1, 1),  # one sample per pixel
        (284, short, 1, 1),  # chunky
        (322, short, 1, tile),
        (323, short, 1, tile),
        (324, long_, count, offsets_at),
        (325, long_, count, counts_at),
    ]
    ifd = struct.pack("<H", len(tags))
    for tag, kind, n, value in tags:
        packed = struct.pack("<HH", value, 0) if kind == short else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, n) + packed
    ifd += struct.pack("<I", 0)
    return (
        b"II*\0"
        + struct.pack("<I", ifd_at)
        + data
        + struct.pack(f"<{count}I", *([8] * count))
        + struct.pack(f"<{count}I", *([len(data) - len(data) % 2] * count))
        + ifd
    )


def bmp_header(width: int, height: int) -> bytes:
    """A 24-bit BMP header with a few bytes of pixels (OpenCV reads the size first)."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    pixels = bytes(64)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 54) + info + pixels


def bombs() -> dict[str, bytes]:
    """File name → bytes, each declaring far more than MAX_PIXELS."""
    side = 30000
    return {
        "huge.tiff": tiff_tiled(side, side),
        "huge.webp": webp_solid(16383, 16383),
        "huge.bmp": bmp_header(side, side),
        "huge.ppm": f"P6\n{side} {side}\n255\n".encode() + bytes(64),
        "huge.pgm": f"P5\n{side} {side}\n255\n".encode() + bytes(64),
        "huge.pfm": f"Pf\n{side} {side}\n-1.0\n".encode() + bytes(64),
        "huge.hdr": f"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {side} +X {side}\n".encode()
        + bytes(64),
        "huge.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        + struct.pack(">II", side, side)
        + b"\x08\x02\x00\x00\x00",
    }


def test_the_small_versions_of_the_crafted_files_are_real_images() -> None:
    """The bombs are honest: the same construction at a small size decodes to what it says."""
    webp = decode_image(webp_solid(64, 48), "small.webp")
    assert webp.shape == (48, 64, 3) and webp[10, 10].tolist() == [0x20, 0x80, 0x40]
    tiff = decode_image(tiff_tiled(600, 500), "small.tiff")
    assert tiff.shape == (500, 600, 3) and int(tiff.max()) == 0
    assert MAX_PIXELS < 16383 * 16383 and len(webp_solid(16383, 16383)) < 100
    assert len(tiff_tiled(30000, 30000)) < 200_000


# --- each in a fresh interpreter, OpenCV loaded first by one of the product's modules ------

CHILD = r"""
import json, os, resource, sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
for name in sys.argv[3].split(","):
    __import__(name)  # OpenCV is loaded here, by this module, before anything else
import cv2

# Whatever the outcome, no case may take the test machine's memory: past this much more
# address space an allocation fails (and the test fails) instead.
vm = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 1536 * 2**20, resource.RLIM_INFINITY))
from core.host.images import ImageError, read_image

start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
results = {}
for path in sorted(Path(sys.argv[2]).iterdir()):
    try:
        image = read_image(path)
        results[path.name] = f"decoded {image.shape}"
    except ImageError as exc:
        results[path.name] = str(exc)
    except MemoryError:
        results[path.name] = "MemoryError"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"results": results, "grew_kb": peak - start, "peak_kb": peak}))
"""


def _product_modules_loading_opencv() -> list[str]:
    """Every module of the product whose source imports OpenCV (cv2), by dotted name."""
    found = []
    for package in ("core", "kiosk"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "import cv2" in text:
                found.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


FIRST_LOADERS = [
    *_product_modules_loading_opencv(),
    "core.recognition.deepface_bridge,deepface",  # deepface, as the bridge imports it
    "main",  # the operator's entry: its early environment
]


def test_the_list_of_first_loaders_is_the_products() -> None:
    """New modules that import OpenCV join the cases below by themselves."""
    modules = _product_modules_loading_opencv()
    assert {"core.host.images", "core.people.faces", "core.camera.capture"} <= set(modules)
    assert "core.recognition.detect" in modules and "kiosk.camera_view" in modules


@pytest.mark.parametrize("first", FIRST_LOADERS)
def test_huge_images_are_refused_with_a_sentence_and_little_memory(
    first: str, tmp_path: Path
) -> None:
    folder = tmp_path / "bombs"
    folder.mkdir()
    for name, data in bombs().items():
        ok, _ = cv2.imencode(Path(name).suffix, np.zeros((8, 8, 3), np.uint8))
        if ok:  # a format this OpenCV build can encode, so it can decode it too
            (folder / name).write_bytes(data)
    assert {"huge.tiff", "huge.webp"} <= {p.name for p in folder.iterdir()}
    env = {k: v for k, v in os.environ.items() if k != "OPENCV_IO_MAX_IMAGE_PIXELS"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(folder), first],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for name, message in report["results"].items():
        assert message.startswith(f"{name} is too large"), (first, name, message)
        assert "megapixels" in message, message
    # Refused from the header: nothing near a decoded image (805 MB for the WebP).
    assert report["grew_kb"] < 64 * 1024, report
