"""Process environment that must be in place before any heavy library is imported.

This is step 1 of the start-up order (docs/develop/architecture.md): TensorFlow reads its
logging and oneDNN switches when it is first imported, and BLAS libraries size their thread
pools at load time, so these values are set at the very top of ``main.py``, before the model
loader starts. Values an operator has already exported win: ``setdefault`` only fills gaps.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_IMPORTED_AT = time.monotonic()

# The old server's container lacked TERM and crashed in components that read it.
EARLY_ENVIRONMENT: dict[str, str] = {
    "TERM": "xterm-256color",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "KMP_DUPLICATE_LIB_OK": "True",
    # The kiosk has two cores: one for the camera/GUI, one for recognition. A BLAS pool per
    # core oversubscribes the machine: under load a 10k-template match went from 0.3 ms to
    # 16 ms at p90 with two BLAS threads (measured), so numeric libraries get one.
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "2",
    "TF_NUM_INTEROP_THREADS": "1",
    # OpenCV's own logging goes to stderr on every failed camera probe; keep it to errors.
    "OPENCV_LOG_LEVEL": "ERROR",
    # OpenCV's decoders refuse images over this many pixels, reading only the header: the
    # one guard against decompression bombs in every format (a 455 KB WebP or a 15 MB TIFF
    # decoded to gigabytes). It is read once, when OpenCV is imported. = images.MAX_PIXELS
    "OPENCV_IO_MAX_IMAGE_PIXELS": "60000000",
    "PYTHONUNBUFFERED": "1",
}


def prepare_environment() -> None:
    """Fill in the early environment; never overrides what the operator set."""
    for key, value in EARLY_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


def process_age_s() -> float:
    """Seconds since this process started, to 10 ms (Linux), for start-up timings.

    psutil's create_time adds the boot time in whole seconds, which is too coarse here; the
    kernel's own tick counts are not. Elsewhere: seconds since this module was imported.
    """
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22 of stat(5)
        since_boot = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        return max(0.0, since_boot - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED_AT


def frozen() -> bool:
    """Whether this is a PyInstaller bundle (its executable is the program itself)."""
    import sys

    return bool(getattr(sys, "frozen", False))
