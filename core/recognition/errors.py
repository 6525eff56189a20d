"""Typed recognition errors; each message says what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path

from core.errors import AsistenciaError
from core.i18n import Message


class RecognitionError(AsistenciaError):
    """Base class for everything this package raises on purpose."""


class MissingWeightsError(RecognitionError):
    """A weight file is not on disk. Raised instead of letting deepface download it."""

    def __init__(self, path: Path, what: str = "", hint: Message | None = None) -> None:
        self.path = path
        label = Message("weights.of", what=what) if what else Message("weights.file")
        fix = hint or Message("weights.place_it", path=path)
        super().__init__(Message("weights.missing", label=label, path=path, fix=fix))


class CorruptWeightsError(RecognitionError):
    """A weight file exists but cannot be loaded (truncated copy, wrong file, bad disk)."""

    def __init__(self, path: Path, detail: str | Message, fix: Message | None = None) -> None:
        self.path = path
        self.detail = detail
        fix = fix or Message("weights.restage")
        super().__init__(Message("weights.damaged", path=path, detail=detail, fix=fix))


class ModelsNotReadyError(RecognitionError):
    """The loader has not published models (still loading or failed)."""
