"""Enrollment from photo files: one file judged per turn of the worker's loop, then saved.

The same checks as ``main.py enroll``, each verdict reported as it is made; at the end the
photos unlike the others are refused, the faces refused as someone else's audited, and the
rest saved. A file that cannot be read (missing, too large, corrupt) is one refused line;
the others go on. ``LiveEnrollment`` (core/runtime/enrollment.py) owns the job and runs it
on the recognition worker's thread, the only one that uses the models.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.host.images import MAX_BYTES, ImageError
from core.recognition.config import RecognitionConfig
from core.recognition.models import Models
from core.runtime.api import FileProblem, PhotoEnrollmentReport, PhotoVerdict
from core.states import Refusal
from core.store.database import Store

if TYPE_CHECKING:
    from core.recognition.enroll import EnrollmentResult
    from core.recognition.gallery import Gallery

People = dict[uuid.UUID, tuple[str, str]]

log = logging.getLogger(__name__)


@dataclass
class PhotoJob:
    """One employee's photo files, judged one at a time (``judge``), then ``save``d."""

    code: str
    employee_id: uuid.UUID | None
    photos: list[Path]
    on_verdict: Callable[[PhotoVerdict], None]
    future: Future[PhotoEnrollmentReport]
    actor: str
    verdicts: list[PhotoVerdict] = field(default_factory=list)
    result: EnrollmentResult[uuid.UUID] | None = None

    def judge(
        self,
        index: int,
        *,
        models: Models,
        config: RecognitionConfig,
        gallery: Gallery[uuid.UUID],
        people: People,
    ) -> PhotoVerdict:
        """The verdict on the ``index``-th photo (from 1); a good face joins ``result``."""
        from core.host.images import fit_within, read_image
        from core.people.faces import thumbnail_jpeg
        from core.recognition.enroll import (
            PHOTO_MAX_SIDE,
            EnrollmentRefusal,
            EnrollmentResult,
            embed_enrollment_image,
        )

        if self.result is None:
            self.result = EnrollmentResult()
        path = self.photos[index - 1]
        total = len(self.photos)
        try:
            image = fit_within(read_image(path), PHOTO_MAX_SIDE)
        except ImageError as exc:
            problem = _file_problem(path, exc)
            log.info("enrollment photo %s refused: %s", path.name, exc)
            return PhotoVerdict(
                path.name, index, total, Refusal.UNREADABLE, str(exc), file_problem=problem
            )
        # Named by position: two files may share a name (from two folders).
        out = embed_enrollment_image(
            models,
            image,
            config,
            gallery=gallery,
            employee=self.employee_id,
            source="photo",
            name=str(index),
        )
        if isinstance(out, EnrollmentRefusal):
            self.result.refusals.append(out)
            duplicate = None
            if out.reason is Refusal.DUPLICATE and out.other is not None:
                duplicate = " ".join(people.get(out.other, ("?", "?")))
            return PhotoVerdict(
                path.name,
                index,
                total,
                out.reason,
                out.message,
                duplicate_of=duplicate,
                faces=out.faces,
            )
        self.result.samples.append(out)
        return PhotoVerdict(path.name, index, total, thumbnail=thumbnail_jpeg(image, out.box))

    def save(
        self,
        store: Store,
        models: Models,
        config: RecognitionConfig,
        people: People,
        kiosk_id: str,
    ) -> PhotoEnrollmentReport:
        """Check the judged photos together, audit the refused faces, save the rest."""
        from core.people.faces import FaceEnrollment, describe_refusal
        from core.recognition.enroll import EnrollmentResult, drop_inconsistent

        result = self.result if self.result is not None else EnrollmentResult()
        drop_inconsistent(result, config)
        verdicts = list(self.verdicts)
        for refusal in result.refusals:
            if refusal.reason is Refusal.INCONSISTENT:
                i = int(refusal.name) - 1
                verdicts[i] = replace(
                    verdicts[i], reason=Refusal.INCONSISTENT, detail=refusal.message
                )
        # The audit and the log name the files, not their positions.
        named = [replace(r, name=verdicts[int(r.name) - 1].name) for r in result.refusals]
        enrollment = FaceEnrollment(store, models, config, kiosk_id)
        enrollment.audit_identity_refusals(self.actor, self.code, named, people, "photo")
        refused = [describe_refusal(r, people) for r in named] + [
            f"{v.name}: {v.detail}" for v in verdicts if v.reason is Refusal.UNREADABLE
        ]
        if not result.samples:
            return PhotoEnrollmentReport(tuple(verdicts), error="no photo could be used")
        photo = next((v.thumbnail for v in verdicts if v.accepted and v.thumbnail), None)
        try:
            saved = enrollment.save(
                self.actor, self.code, None, result.samples, refusals=refused, photo_jpeg=photo
            )
        except Exception as exc:
            return PhotoEnrollmentReport(tuple(verdicts), error=str(exc))
        return PhotoEnrollmentReport(tuple(verdicts), saved.saved, saved.total_templates)


def _file_problem(path: Path, exc: ImageError) -> FileProblem:
    """Which of the three things a person can do about an unreadable file applies."""
    try:
        if not path.is_file():
            return FileProblem.MISSING
        if path.stat().st_size > MAX_BYTES or "too large" in str(exc):
            return FileProblem.TOO_LARGE
    except OSError:
        return FileProblem.MISSING
    if "cannot read" in str(exc):
        return FileProblem.MISSING
    return FileProblem.CORRUPT
