"""Typed recognition errors; each message says what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path

from core.errors import AsistenciaError


class RecognitionError(AsistenciaError):
    """Base class for everything this package raises on purpose."""


class MissingWeightsError(RecognitionError):
    """A weight file is not on disk. Raised instead of letting deepface download it."""

    def __init__(self, path: Path, what: str = "", hint: str = "") -> None:
        self.path = path
        label = f"{what} weights" if what else "weight file"
        fix = hint or f"place the file at {path} (this kiosk never downloads models)"
        super().__init__(f"{label} missing: {path}; {fix}")


class CorruptWeightsError(RecognitionError):
    """A weight file exists but cannot be loaded (truncated copy, wrong file, bad disk)."""

    def __init__(self, path: Path, detail: str, fix: str = "") -> None:
        self.path = path
        self.detail = detail
        fix = fix or (
            "delete it and run `python main.py models` to restage it, or copy an intact "
            "file to that path"
        )
        super().__init__(f"weight file {path} is damaged: {detail}; {fix}")


class ModelsNotReadyError(RecognitionError):
    """The loader has not published models (still loading or failed)."""
