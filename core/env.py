"""Process environment that must be in place before any heavy library is imported.

This is step 1 of the start-up order (docs/DESIGN.md): TensorFlow reads its logging and oneDNN
switches when it is first imported, and BLAS libraries size their thread pools at load time,
so these values are set at the very top of ``main.py``, before the model loader starts.
Values an operator has already exported win: ``setdefault`` only fills gaps.
"""

from __future__ import annotations

import os

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
    "PYTHONUNBUFFERED": "1",
}


def prepare_environment() -> None:
    """Fill in the early environment; never overrides what the operator set."""
    for key, value in EARLY_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
