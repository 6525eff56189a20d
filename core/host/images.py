"""Reading images: the one reader for photos (enrollment, evaluation), image-folder camera
sources and camera frames, with every guard on every path.

Every bad input becomes a clear ``ImageError``: empty files, files too large to be a photo,
non-images, truncated JPEGs (libjpeg would fill the rest with grey) and decompression bombs.
The pixel limit is checked before anything is decoded, for every format: from the header
here for PNG and JPEG, and by OpenCV's own decoders for the rest (TIFF, WebP, BMP, …),
which refuse more than ``OPENCV_IO_MAX_IMAGE_PIXELS`` pixels; core/host/env.py sets that to
``MAX_PIXELS`` and core/__init__.py makes sure it is set before any module of the product
can load OpenCV (it reads the variable once, at import; tests/security/test_image_limits.py loads it
through each module in turn).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from core.errors import AsistenciaError
from core.host.bounded_read import PHOTO, FileRefusedError, read_bounded
from core.i18n import Message

MAX_BYTES = PHOTO.limit  # a larger file is not a photo of a person; it is not even read
MAX_PIXELS = 60_000_000  # a 60 MP photo decodes to ~180 MB; beyond that is not a face photo


class ImageError(AsistenciaError):
    """An input image cannot be used: unreadable, empty, not an image, or too large."""


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")


def header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG or JPEG header, without decoding; None if unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
    return None


def decode_image(
    data: bytes, name: str = "the image", *, max_pixels: int = MAX_PIXELS
) -> NDArray[np.uint8]:
    """Bytes → BGR uint8, or ImageError saying what is wrong with them."""
    if not data:
        raise ImageError(f"{name} is empty (0 bytes)")
    if len(data) > MAX_BYTES:
        raise ImageError(
            f"{name} is too large ({len(data) / 2**20:.0f} MB; limit {MAX_BYTES // 2**20} MB)"
        )
    size = header_size(data)
    if size is not None and size[0] * size[1] > max_pixels:
        raise ImageError(
            f"{name} is too large ({size[0]}×{size[1]} px; limit {max_pixels / 1e6:.0f} megapixels)"
        )
    if data[:2] == b"\xff\xd8" and data.rfind(b"\xff\xd9") == -1:
        # libjpeg decodes a cut-off JPEG with a grey bottom instead of failing.
        raise ImageError(f"{name} is a truncated JPEG (the file was cut short); copy it again")
    try:
        # IMREAD_COLOR: three channels, the EXIF orientation applied.
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error as exc:
        if "CV_IO_MAX_IMAGE_PIXELS" in str(exc):
            raise ImageError(
                f"{name} is too large (over {max_pixels / 1e6:.0f} megapixels)"
            ) from exc
        raise ImageError(f"{name} cannot be decoded ({exc.err})") from exc
    if image is None or image.size == 0:
        raise ImageError(f"{name} is not an image (corrupt, or another kind of file)")
    return np.ascontiguousarray(image, dtype=np.uint8)


def read_image(path: Path, *, max_pixels: int = MAX_PIXELS) -> NDArray[np.uint8]:
    """Read a photo from disk (any file name, non-ASCII included) as BGR uint8.

    Only a regular file of at most ``MAX_BYTES`` is read (core/host/bounded_read.py): a named
    pipe in a folder of photos or ``/dev/zero`` given to ``enroll`` is refused by its type,
    without blocking or reading a byte of it."""
    try:
        data = read_bounded(path, PHOTO)
    except FileRefusedError as exc:
        if exc.why == Message("read.missing"):
            raise ImageError(f"{path} does not exist") from None
        if exc.why == Message("export.is_folder"):
            raise ImageError(f"{path} is a folder, not an image") from None
        if isinstance(exc.why, Message) and exc.why.key == "read.too_large":
            raise ImageError(f"{path.name} is too large (over {MAX_BYTES // 2**20} MB)") from None
        raise ImageError(exc.message) from None
    return decode_image(data, path.name, max_pixels=max_pixels)


def fit_within(image: NDArray[np.uint8], max_side: int) -> NDArray[np.uint8]:
    """Scale ``image`` down (never up) so its longer side is at most ``max_side``."""
    h, w = image.shape[:2]
    scale = max_side / float(max(h, w))
    if scale >= 1.0:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return _u8(cv2.resize(image, size, interpolation=cv2.INTER_AREA))


def as_bgr(image: NDArray[Any]) -> NDArray[np.uint8]:
    """Validate a frame and make it contiguous 3-channel BGR uint8 (cameras and files can
    decode to grey or BGRA)."""
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise ImageError("the image is empty")
    if image.dtype != np.uint8:
        raise ImageError(f"expected 8-bit pixels, got {image.dtype}")
    if image.ndim == 2:
        return _u8(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    if image.ndim == 3 and image.shape[2] == 4:
        return _u8(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR))
    if image.ndim == 3 and image.shape[2] == 3:
        return np.ascontiguousarray(image)
    raise ImageError(f"expected a colour or grey image, got shape {image.shape}")


def _u8(mat: Any) -> NDArray[np.uint8]:
    return np.ascontiguousarray(mat, dtype=np.uint8)
