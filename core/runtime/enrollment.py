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

**Photo files.** One file per turn of the worker's loop (camera or not), each verdict
reported as it is made, then checked together and saved: ``PhotoJob``
(core/runtime/enrollment_photos.py).
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
from core.recognition.config import RecognitionConfig
from core.recognition.head_pose import PoseGuide
from core.recognition.models import Models
from core.runtime.api import EnrollmentProgress, PhotoEnrollmentReport, PhotoVerdict
from core.runtime.enrollment_photos import People, PhotoJob
from core.states import Refusal
from core.store.database import Store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from core.recognition.enroll import EnrollmentRefusal, EnrollmentSample
    from core.recognition.gallery import Gallery
    from core.recognition.quality import Pose

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


class LiveEnrollment:
    """At most one enrollment at a time; ``start``, ``start_photos`` and ``cancel`` from any
    thread, ``step`` and ``photo_step`` from the recognition worker."""

    def __init__(self, store_of: Callable[[], Store], kiosk_id: str) -> None:
        self._store_of = store_of
        self._kiosk_id = kiosk_id
        self._lock = threading.Lock()
        self._capture: _Capture | None = None
        self._photos: PhotoJob | None = None

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
            self._photos = PhotoJob(code, employee_id, list(photos), on_verdict, future, actor)
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
        job = self._photos
        if job is None:
            return
        index = len(job.verdicts) + 1
        try:
            if index <= len(job.photos):
                verdict = job.judge(
                    index, models=models, config=config, gallery=gallery, people=people
                )
                job.verdicts.append(verdict)
                job.on_verdict(verdict)
            if len(job.verdicts) >= len(job.photos):
                report = job.save(self._store_of(), models, config, people, self._kiosk_id)
                self._finish_photos(job, report)
        except Exception as exc:  # never a stuck page: the job ends and says why
            log.exception("enrolling photos for %s failed", job.code)
            self._finish_photos(
                job, PhotoEnrollmentReport(tuple(job.verdicts), error=str(exc) or repr(exc))
            )

    def _finish_photos(self, job: PhotoJob, report: PhotoEnrollmentReport) -> None:
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
