"""Asistencia's core: everything without Qt (see docs/develop/architecture.md)."""

from __future__ import annotations

import os as _os

from core.host.env import EARLY_ENVIRONMENT as _EARLY

# OpenCV reads its decoders' pixel limit (the guard against decompression bombs in TIFF,
# WebP and every other format) once, when it is loaded, and any module here may be the first
# to load it, directly or through deepface. main.py sets the whole early environment first;
# this covers every other way in (a tool, a test, a module imported on its own).
_os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", _EARLY["OPENCV_IO_MAX_IMAGE_PIXELS"])
