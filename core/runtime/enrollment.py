"""Enrollment from the live camera: while it runs, the recognition worker hands it frames.

An administrator starts it for one employee and a number of samples; every
``SAMPLE_GAP_S`` the worker's newest frame is tried (one face, good quality, the same
person as the employee's enrolled faces and the samples so far, nobody else's face),
accepted or refused with a reason the page shows, and once enough are in they are saved
with a photo for the result card. Progress goes to ``on_progress`` on the worker thread;
the future completes at the end (done, stopped at a face of someone else, cancelled, or
stopped with the kiosk). A face refused as someone else's is audited, and nothing is saved.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.camera import Frame
from core.recognition.config import RecognitionConfig
from core.recognition.models import Models
from core.runtime_api import EnrollmentProgress
from core.states import Refusal
from core.store.database import Store

if TYPE_CHECKING:
    from core.recognition.enroll import EnrollmentRefusal, EnrollmentSample
    from core.recognition.gallery import Gallery

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


class LiveEnrollment:
    """At most one capture at a time; ``start`` and ``cancel`` from any thread, ``step``
    from the recognition worker."""

    def __init__(self, store_of: Callable[[], Store], kiosk_id: str) -> None:
        self._store_of = store_of
        self._kiosk_id = kiosk_id
        self._lock = threading.Lock()
        self._capture: _Capture | None = None

    @property
    def active(self) -> bool:
        return self._capture is not None

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
            if self._capture is not None:
                raise RuntimeError("an enrollment is already running")
            self._capture = _Capture(code, employee_id, max(samples, 1), on_progress, future, actor)
        return future

    def cancel(self, why: str = "cancelled") -> None:
        with self._lock:
            capture, self._capture = self._capture, None
        if capture is not None and not capture.future.done():
            capture.future.set_result(
                EnrollmentProgress(len(capture.samples), capture.needed, error=why, cancelled=True)
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
        import numpy as np

        from core.faces import FaceEnrollment, thumbnail_jpeg
        from core.recognition.enroll import EnrollmentRefusal, embed_enrollment_image, unlike

        capture = self._capture
        if capture is None or now - capture.last_at < SAMPLE_GAP_S:
            return
        capture.last_at = now
        image = frame.image.copy()
        out = embed_enrollment_image(
            models,
            image,
            config,
            gallery=gallery,
            employee=capture.employee_id,
            source="camera",
            name=f"frame {frame.seq}",
        )
        if not isinstance(out, EnrollmentRefusal) and capture.samples:
            # A new person has no enrolled faces yet: the capture's own samples stand in.
            taken = np.stack([s.vector for s in capture.samples])
            out = unlike(taken, out.vector, config.effective_threshold, out.name) or out
        if isinstance(out, EnrollmentRefusal):
            duplicate = None
            if out.reason is Refusal.DUPLICATE and out.other is not None:
                code, name = people.get(out.other, ("?", "?"))
                duplicate = f"{code} {name}"
            progress = EnrollmentProgress(
                len(capture.samples), capture.needed, out.reason, duplicate
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
        capture.samples.append(out)
        if capture.photo is None:
            capture.photo = thumbnail_jpeg(image, out.box)
        progress = EnrollmentProgress(len(capture.samples), capture.needed)
        if len(capture.samples) < capture.needed:
            capture.on_progress(progress)
            return
        try:
            FaceEnrollment(self._store_of(), models, config, self._kiosk_id).save(
                capture.actor, capture.code, None, capture.samples, photo_jpeg=capture.photo
            )
        except Exception as exc:
            self._finish(replace(progress, done=True, error=str(exc)))
            return
        self._finish(replace(progress, done=True))

    def _audit(
        self,
        capture: _Capture,
        models: Models,
        config: RecognitionConfig,
        refusal: EnrollmentRefusal[uuid.UUID],
        people: dict[uuid.UUID, tuple[str, str]],
    ) -> None:
        from core.faces import FaceEnrollment

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
