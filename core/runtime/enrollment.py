"""Enrollment in the kiosk: from the live camera, or from photo files; on the worker thread.

Both run on the recognition worker's thread, the only one that uses the models (they are
not safe to share between threads), one enrollment at a time.

**The live camera.** An administrator starts it for one employee and a number of samples;
every ``SAMPLE_GAP_S`` the worker's newest frame is tried (one face, good quality, the same
person as the employee's enrolled faces and the samples so far, nobody else's face). A good
face is taken only from a head position not sampled yet (``core.recognition.head_pose``):
the page asks for a small turn (left, right, up, down) and waits until the head has really
moved, so the samples differ. Each sample is accepted or refused with a reason the page
shows, and once enough are in they are saved with a photo for the result card. Progress
goes to ``on_progress`` on the worker thread; the future completes at the end (done,
stopped at a face of someone else, cancelled, or stopped with the kiosk). A face refused as
someone else's is audited, and nothing is saved.

**Photo files.** The same checks as ``main.py enroll``, one file per turn of the worker's
loop (camera or not), each verdict reported as it is made; at the end the photos unlike the
others are refused, the faces refused as someone else's audited, and the rest saved. A file
that cannot be read (missing, too large, corrupt) is one refused line; the others go on.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.camera import Frame
from core.host.images import MAX_BYTES, ImageError
from core.recognition.config import RecognitionConfig
from core.recognition.head_pose import PoseGuide
from core.recognition.models import Models
from core.runtime.api import EnrollmentProgress, FileProblem, PhotoEnrollmentReport, PhotoVerdict
from core.states import Refusal
from core.store.database import Store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from core.recognition.enroll import EnrollmentRefusal, EnrollmentResult, EnrollmentSample
    from core.recognition.gallery import Gallery
    from core.recognition.quality import Pose

People = dict[uuid.UUID, tuple[str, str]]

log = logging.getLogger(__name__)

SAMPLE_GAP_S = 0.35  # samples this far apart differ a little (expression, pose)


@dataclass
class _Capture:
    code: str
    employee_id: uuid.UUID | None
    needed: int
    on_progress: Callable[[EnrollmentProgress], None]
    future: Future[EnrollmentProgress]
    actor: str
    samples: list[EnrollmentSample] = field(default_factory=list)
    photo: bytes | None = None
    last_at: float = 0.0
    guide: PoseGuide = field(default_factory=PoseGuide)
    waiting: bool = False  # "same position" was said; not again until something else is


@dataclass
class _PhotoJob:
    code: str
    employee_id: uuid.UUID | None
    photos: list[Path]
    on_verdict: Callable[[PhotoVerdict], None]
    future: Future[PhotoEnrollmentReport]
    actor: str
    verdicts: list[PhotoVerdict] = field(default_factory=list)
    result: EnrollmentResult[uuid.UUID] | None = None


class LiveEnrollment:
    """At most one enrollment at a time; ``start``, ``start_photos`` and ``cancel`` from any
    thread, ``step`` and ``photo_step`` from the recognition worker."""

    def __init__(self, store_of: Callable[[], Store], kiosk_id: str) -> None:
        self._store_of = store_of
        self._kiosk_id = kiosk_id
        self._lock = threading.Lock()
        self._capture: _Capture | None = None
        self._photos: _PhotoJob | None = None

    @property
    def active(self) -> bool:
        """A capture runs: the worker's frames go to ``step``."""
        return self._capture is not None

    @property
    def photos_waiting(self) -> bool:
        """Photo files wait: the worker calls ``photo_step`` on each turn of its loop."""
        return self._photos is not None

    def start(
        self,
        code: str,
        employee_id: uuid.UUID | None,
        samples: int,
        on_progress: Callable[[EnrollmentProgress], None],
        actor: str,
    ) -> Future[EnrollmentProgress]:
        future: Future[EnrollmentProgress] = Future()
        with self._lock:
            if self._capture is not None or self._photos is not None:
                raise RuntimeError("an enrollment is already running")
            self._capture = _Capture(code, employee_id, max(samples, 1), on_progress, future, actor)
        return future

    def start_photos(
        self,
        code: str,
        employee_id: uuid.UUID | None,
        photos: list[Path],
        on_verdict: Callable[[PhotoVerdict], None],
        actor: str,
    ) -> Future[PhotoEnrollmentReport]:
        future: Future[PhotoEnrollmentReport] = Future()
        if not photos:
            future.set_result(PhotoEnrollmentReport((), error="no photo was chosen"))
            return future
        with self._lock:
            if self._capture is not None or self._photos is not None:
                raise RuntimeError("an enrollment is already running")
            self._photos = _PhotoJob(code, employee_id, list(photos), on_verdict, future, actor)
        return future

    def cancel(self, why: str = "cancelled") -> None:
        with self._lock:
            capture, self._capture = self._capture, None
            job, self._photos = self._photos, None
        if capture is not None and not capture.future.done():
            capture.future.set_result(
                EnrollmentProgress(len(capture.samples), capture.needed, error=why, cancelled=True)
            )
        if job is not None and not job.future.done():
            job.future.set_result(
                PhotoEnrollmentReport(tuple(job.verdicts), error=why, cancelled=True)
            )

    def step(
        self,
        models: Models,
        config: RecognitionConfig,
        gallery: Gallery[uuid.UUID],
        frame: Frame,
        now: float,
        *,
        people: dict[uuid.UUID, tuple[str, str]],
    ) -> None:
        """Try this frame as the next sample (if the last one was long enough ago)."""
        from core.people.faces import FaceEnrollment, thumbnail_jpeg
        from core.recognition.enroll import EnrollmentRefusal

        capture = self._capture
        if capture is None or now - capture.last_at < SAMPLE_GAP_S:
            return
        capture.last_at = now
        image = frame.image.copy()
        tried = self._try_frame(
            capture, models, config, gallery, image=image, name=f"frame {frame.seq}"
        )
        if tried is None:
            return
        sample, pose = tried if isinstance(tried, tuple) else (tried, None)
        capture.waiting = False
        if isinstance(sample, EnrollmentRefusal):
            out = sample
            duplicate = None
            if out.reason is Refusal.DUPLICATE and out.other is not None:
                code, person = people.get(out.other, ("?", "?"))
                duplicate = f"{code} {person}"
            progress = replace(
                self._progress(capture), last_reason=out.reason, duplicate_of=duplicate
            )
            if duplicate is not None or out.reason is Refusal.OTHER_PERSON:
                self._audit(capture, models, config, out, people)
                why = (
                    f"already enrolled as {duplicate}"
                    if duplicate is not None
                    else f"{out.message}; nothing was saved"
                )
                self._finish(replace(progress, done=True, error=why))
            else:
                capture.on_progress(progress)
            return
        assert pose is not None
        capture.samples.append(sample)
        capture.guide.take(pose)
        thumbnail = thumbnail_jpeg(image, sample.box)
        if capture.photo is None:
            capture.photo = thumbnail
        progress = replace(self._progress(capture), thumbnail=thumbnail)
        if len(capture.samples) < capture.needed:
            capture.on_progress(progress)
            return
        try:
            FaceEnrollment(self._store_of(), models, config, self._kiosk_id).save(
                capture.actor, capture.code, None, capture.samples, photo_jpeg=capture.photo
            )
        except Exception as exc:
            self._finish(replace(progress, done=True, error=str(exc), turn=None))
            return
        self._finish(replace(progress, done=True, turn=None))

    @staticmethod
    def _try_frame(
        capture: _Capture,
        models: Models,
        config: RecognitionConfig,
        gallery: Gallery[uuid.UUID],
        *,
        image: NDArray[np.uint8],
        name: str,
    ) -> tuple[EnrollmentSample, Pose] | EnrollmentRefusal[uuid.UUID] | None:
        """The sample and its pose, a refusal, or None while the head has not moved since
        a sample (the page is told once; the turn asked for is awaited)."""
        import numpy as np

        from core.recognition.enroll import (
            EnrollmentRefusal,
            embed_candidate,
            examine_image,
            unlike,
        )

        candidate = examine_image(models, image, config, source="camera", name=name)
        if isinstance(candidate, EnrollmentRefusal):
            return candidate
        pose = candidate.quality.pose
        if not capture.guide.is_new(pose):
            if not capture.waiting:
                capture.waiting = True
                capture.on_progress(LiveEnrollment._progress(capture, same_pose=True))
            return None
        out = embed_candidate(
            models, candidate, config, gallery=gallery, employee=capture.employee_id
        )
        if isinstance(out, EnrollmentRefusal):
            return out
        if capture.samples:
            # A new person has no enrolled faces yet: the capture's own samples stand in.
            taken = np.stack([s.vector for s in capture.samples])
            refusal: EnrollmentRefusal[uuid.UUID] | None = unlike(
                taken, out.vector, config.effective_threshold, out.name
            )
            if refusal is not None:
                return refusal
        return out, pose

    @staticmethod
    def _progress(capture: _Capture, *, same_pose: bool = False) -> EnrollmentProgress:
        return EnrollmentProgress(
            len(capture.samples),
            capture.needed,
            turn=capture.guide.next_turn(),
            same_pose=same_pose,
        )

    # --- photo files ------------------------------------------------------------------
    def photo_step(
        self,
        models: Models,
        config: RecognitionConfig,
        gallery: Gallery[uuid.UUID],
        *,
        people: People,
    ) -> None:
        """Judge the next photo file; after the last, check them together and save."""
        from core.recognition.enroll import EnrollmentResult

        job = self._photos
        if job is None:
            return
        if job.result is None:
            job.result = EnrollmentResult()
        index = len(job.verdicts) + 1
        try:
            if index <= len(job.photos):
                verdict = self._judge_photo(
                    job, index, models=models, config=config, gallery=gallery, people=people
                )
                job.verdicts.append(verdict)
                job.on_verdict(verdict)
            if len(job.verdicts) >= len(job.photos):
                self._save_photos(job, models, config, people)
        except Exception as exc:  # never a stuck page: the job ends and says why
            log.exception("enrolling photos for %s failed", job.code)
            self._finish_photos(
                job, PhotoEnrollmentReport(tuple(job.verdicts), error=str(exc) or repr(exc))
            )

    def _judge_photo(
        self,
        job: _PhotoJob,
        index: int,
        *,
        models: Models,
        config: RecognitionConfig,
        gallery: Gallery[uuid.UUID],
        people: People,
    ) -> PhotoVerdict:
        from core.host.images import fit_within, read_image
        from core.people.faces import thumbnail_jpeg
        from core.recognition.enroll import (
            PHOTO_MAX_SIDE,
            EnrollmentRefusal,
            embed_enrollment_image,
        )

        assert job.result is not None
        path = job.photos[index - 1]
        total = len(job.photos)
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
            employee=job.employee_id,
            source="photo",
            name=str(index),
        )
        if isinstance(out, EnrollmentRefusal):
            job.result.refusals.append(out)
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
        job.result.samples.append(out)
        return PhotoVerdict(path.name, index, total, thumbnail=thumbnail_jpeg(image, out.box))

    def _save_photos(
        self, job: _PhotoJob, models: Models, config: RecognitionConfig, people: People
    ) -> None:
        from core.people.faces import FaceEnrollment, describe_refusal
        from core.recognition.enroll import drop_inconsistent

        result = job.result
        assert result is not None
        drop_inconsistent(result, config)
        verdicts = list(job.verdicts)
        for refusal in result.refusals:
            if refusal.reason is Refusal.INCONSISTENT:
                i = int(refusal.name) - 1
                verdicts[i] = replace(
                    verdicts[i], reason=Refusal.INCONSISTENT, detail=refusal.message
                )
        # The audit and the log name the files, not their positions.
        named = [replace(r, name=verdicts[int(r.name) - 1].name) for r in result.refusals]
        enrollment = FaceEnrollment(self._store_of(), models, config, self._kiosk_id)
        enrollment.audit_identity_refusals(job.actor, job.code, named, people, "photo")
        refused = [describe_refusal(r, people) for r in named] + [
            f"{v.name}: {v.detail}" for v in verdicts if v.reason is Refusal.UNREADABLE
        ]
        if not result.samples:
            report = PhotoEnrollmentReport(tuple(verdicts), error="no photo could be used")
            self._finish_photos(job, report)
            return
        photo = next((v.thumbnail for v in verdicts if v.accepted and v.thumbnail), None)
        try:
            saved = enrollment.save(
                job.actor, job.code, None, result.samples, refusals=refused, photo_jpeg=photo
            )
        except Exception as exc:
            self._finish_photos(job, PhotoEnrollmentReport(tuple(verdicts), error=str(exc)))
            return
        report = PhotoEnrollmentReport(tuple(verdicts), saved.saved, saved.total_templates)
        self._finish_photos(job, report)

    def _finish_photos(self, job: _PhotoJob, report: PhotoEnrollmentReport) -> None:
        with self._lock:
            if self._photos is job:
                self._photos = None
        if not job.future.done():
            job.future.set_result(report)

    def _audit(
        self,
        capture: _Capture,
        models: Models,
        config: RecognitionConfig,
        refusal: EnrollmentRefusal[uuid.UUID],
        people: dict[uuid.UUID, tuple[str, str]],
    ) -> None:
        from core.people.faces import FaceEnrollment

        try:
            FaceEnrollment(
                self._store_of(), models, config, self._kiosk_id
            ).audit_identity_refusals(capture.actor, capture.code, [refusal], people, "camera")
        except Exception:  # the refusal stands; a store that cannot write says so elsewhere
            log.exception("could not audit the refused enrollment of %s", capture.code)

    def _finish(self, progress: EnrollmentProgress) -> None:
        with self._lock:
            capture, self._capture = self._capture, None
        if capture is None:
            return
        capture.on_progress(progress)
        if not capture.future.done():
            capture.future.set_result(progress)


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
