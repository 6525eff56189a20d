"""Face data in the store and the recognition engine: the gallery and enrollment.

The gallery holds the templates of active employees for the configured model, keyed by
employee id. It is rebuilt from the store when the store's face data changes (an enrollment,
an erasure, a deactivation, a sync pull) — detected by a cheap fingerprint query, so no
screen or job has to remember to refresh it.

A face is added to someone who already has templates only if it matches them at the
recognition threshold (else another person, enrolled under their code, would then be
recognised as them); such a refusal, like a face already enrolled as someone else, is
audited even when nothing is saved.

Enrolling means the administrator attests that the person consented to biometric
processing; the time is stored (``consent_at``) and the action audited. Nothing is written
unless at least one sample passed every check, and all samples are written in one
transaction with the thumbnail, the consent time and the audit line.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import RefusedError, UsageError
from core.people.employees import get_by_code, normalise_code, normalise_name
from core.recognition.config import RecognitionConfig
from core.recognition.enroll import (
    EnrollmentRefusal,
    EnrollmentResult,
    EnrollmentSample,
    enroll_images,
    vector_from_bytes,
)
from core.recognition.gallery import Gallery
from core.recognition.models import Models
from core.secrets.keys import SealError, sealing_key_id
from core.secrets.sealed import open_photo, open_template, seal_photo, seal_template
from core.states import Refusal
from core.store import audit
from core.store.database import Store
from core.store.models import Employee, FaceTemplate, PersonKeyRow, new_id
from core.store.person_keys import key_for_blob, key_for_sealing, keyring
from core.store.types import utcnow

log = logging.getLogger(__name__)
EmployeeId = uuid.UUID
THUMBNAIL_PX = 160
MAX_TEMPLATES_PER_PERSON = 12


# --- the gallery ----------------------------------------------------------------------------


def gallery_fingerprint(session: Session, model_name: str) -> tuple[Any, ...]:
    """Changes whenever the gallery's content could have changed. The highest revisions
    too: a sync's pull keeps the central database's times, older than a change made here."""
    faces = select(func.count(), func.max(FaceTemplate.created_at), func.max(FaceTemplate.revision))
    people = select(func.count(), func.max(Employee.updated_at), func.max(Employee.revision))
    keys = select(func.count(), func.max(PersonKeyRow.revision))  # a face opens with its key
    return (
        *session.execute(faces.where(FaceTemplate.model_name == model_name)).one(),
        *session.execute(people).one(),
        *session.execute(keys).one(),
    )


def load_gallery(
    store: Store, model_name: str, dim: int
) -> tuple[Gallery[EmployeeId], dict[EmployeeId, tuple[str, str]], tuple[Any, ...]]:
    """(gallery, id → (code, name), fingerprint) for active employees."""
    gallery: Gallery[EmployeeId] = Gallery(dim, model_name)
    with store.read() as session:
        fingerprint = gallery_fingerprint(session, model_name)
        people = {
            row.id: (row.code, row.name)
            for row in session.execute(select(Employee.id, Employee.code, Employee.name))
        }
        rows = session.execute(
            select(FaceTemplate.id, FaceTemplate.employee_id, FaceTemplate.vector, FaceTemplate.dim)
            .join(Employee, Employee.id == FaceTemplate.employee_id)
            .where(FaceTemplate.model_name == model_name, Employee.active.is_(True))
        ).all()
        ring = keyring(session, store.keys, {row.employee_id for row in rows})
    vectors: dict[EmployeeId, list[NDArray[np.float32]]] = defaultdict(list)
    skipped = 0
    unopened: list[str] = []
    for template_id, employee_id, blob, stored_dim in rows:
        if stored_dim != dim:
            skipped += 1
            continue
        try:
            person = ring.get(sealing_key_id(blob))  # type: ignore[arg-type]
            if person is None:
                raise SealError(f"the person key of a template of {employee_id} is not here")
            plain = open_template(person, template_id, employee_id, blob)
        except SealError as exc:
            unopened.append(str(exc))
            continue
        vectors[employee_id].append(vector_from_bytes(plain, dim))
    if skipped:
        log.warning("%d %s templates have the wrong size and were ignored", skipped, model_name)
    if unopened:
        # Never a crash: the kiosk goes on with the faces it can open, and says why not.
        log.error("%d face template(s) could not be opened: %s", len(unopened), unopened[0])
    gallery.replace_all((key, np.stack(vecs)) for key, vecs in vectors.items())
    log.info(
        "gallery loaded: %d templates of %d people (%s)", len(gallery), gallery.people, model_name
    )
    return gallery, people, fingerprint


# --- enrollment -------------------------------------------------------------------------------


@dataclass
class EnrollmentReport:
    employee_code: str
    employee_name: str
    saved: int = 0
    total_templates: int = 0
    refusals: list[str] = field(default_factory=list)  # one sentence per refused sample


def describe_refusal(
    refusal: EnrollmentRefusal[EmployeeId], people: dict[EmployeeId, tuple[str, str]]
) -> str:
    """A sentence naming the file and, for a duplicate, the other person by code and name
    (for a face unlike the employee's own, the employee)."""
    prefix = f"{refusal.name}: " if refusal.name else ""
    if refusal.reason is Refusal.DUPLICATE and refusal.other is not None:
        code, name = people.get(refusal.other, ("?", "someone no longer listed"))
        return f"{prefix}this face is already enrolled as {code} {name}"
    if refusal.reason is Refusal.OTHER_PERSON and refusal.other is not None:
        code, name = people.get(refusal.other, ("?", "this employee"))
        return (
            f"{prefix}this face does not match the faces already enrolled for {code} {name}; "
            "if it is the same person, erase their face data first and enroll again"
        )
    return prefix + refusal.message


# Refusals that are about who the person is, not about the picture: audited.
IDENTITY_REFUSALS = (Refusal.DUPLICATE, Refusal.OTHER_PERSON)


def thumbnail_jpeg(image_bgr: NDArray[np.uint8], box: tuple[int, int, int, int]) -> bytes | None:
    """A small square crop around the face, for the result card."""
    x, y, w, h = box
    side = int(max(w, h) * 1.6)
    cx, cy = x + w // 2, y + h // 2
    height, width = image_bgr.shape[:2]
    x0, y0 = max(cx - side // 2, 0), max(cy - side // 2, 0)
    crop = image_bgr[y0 : min(y0 + side, height), x0 : min(x0 + side, width)]
    if crop.size == 0:
        return None
    small = cv2.resize(crop, (THUMBNAIL_PX, THUMBNAIL_PX), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return encoded.tobytes() if ok else None


class FaceEnrollment:
    """Turns photos or camera frames into stored templates for one employee."""

    def __init__(
        self, store: Store, models: Models, config: RecognitionConfig, kiosk_id: str
    ) -> None:
        self.store = store
        self.models = models
        self.config = config
        self.kiosk_id = kiosk_id

    def check(
        self,
        employee_id: EmployeeId | None,
        images: Sequence[NDArray[np.uint8] | Path | bytes],
        source: str,
        names: Sequence[str] = (),
    ) -> tuple[list[EnrollmentSample], list[str], dict[EmployeeId, tuple[str, str]]]:
        """Run every image through the engine; (accepted samples, refusal sentences, people)."""
        result, people = self._checked(employee_id, images, source, names)
        refusals = [describe_refusal(r, people) for r in result.refusals]
        return result.samples, refusals, people

    def _checked(
        self,
        employee_id: EmployeeId | None,
        images: Sequence[NDArray[np.uint8] | Path | bytes],
        source: str,
        names: Sequence[str] = (),
    ) -> tuple[EnrollmentResult[EmployeeId], dict[EmployeeId, tuple[str, str]]]:
        gallery, people, _ = load_gallery(
            self.store, self.models.model_name, self.models.embedder.dim
        )
        result = enroll_images(
            self.models,
            images,
            self.config,
            gallery=gallery,
            employee=employee_id,
            source=source,
            names=names,
        )
        return result, people

    def audit_identity_refusals(
        self,
        actor: str,
        code: str,
        refusals: Sequence[EnrollmentRefusal[EmployeeId]],
        people: dict[EmployeeId, tuple[str, str]],
        source: str,
    ) -> int:
        """An audit line for the faces refused as someone else's (committed on its own: the
        attempt is recorded even when nothing is saved); returns how many were."""
        refused = [r for r in refusals if r.reason in IDENTITY_REFUSALS]
        if not refused:
            return 0
        with self.store.write() as session:
            audit.record(
                session,
                actor=actor,
                action="employee.enroll_refused",
                target_type="employee",
                target_id=code,
                kiosk_id=self.kiosk_id,
                details={
                    "source": source,
                    "model": self.models.model_name,
                    "refused": [
                        {
                            "sample": r.name,
                            "reason": r.reason.value,
                            "distance": None if r.distance is None else round(r.distance, 4),
                            "as": " ".join(people.get(r.other, ("?", ""))).strip()
                            if r.reason is Refusal.DUPLICATE and r.other is not None
                            else None,
                        }
                        for r in refused
                    ],
                },
            )
        log.warning("enrolling %s: %d face(s) refused as someone else's", code, len(refused))
        return len(refused)

    def enroll_photos(
        self, actor: str, code: str, name: str | None, photos: Sequence[Path]
    ) -> EnrollmentReport:
        """``main.py enroll``: create or update the employee, then enroll the photos."""
        code = normalise_code(code)
        if name and name.strip():
            name = normalise_name(name)  # before the photos: a refusal should not wait
        if not photos:
            raise UsageError("give at least one photo")
        with self.store.read() as session:
            existing = session.scalar(select(Employee).where(Employee.code == code))
        if existing is None and not (name and name.strip()):
            raise UsageError(f"no employee with code '{code}'; give --name to create one")
        employee_id = existing.id if existing else None
        result, people = self._checked(employee_id, list(photos), "photo")
        self.audit_identity_refusals(actor, code, result.refusals, people, "photo")
        samples = result.samples
        refusals = [describe_refusal(r, people) for r in result.refusals]
        if not samples:
            raise RefusedError(
                "no photo could be enrolled:\n  " + "\n  ".join(refusals or ["no usable face"])
            )
        first = samples[0]
        image = _read_for_thumbnail(photos, first.name)
        photo = thumbnail_jpeg(image, first.box) if image is not None else None
        return self.save(actor, code, name, samples, refusals=refusals, photo_jpeg=photo)

    def save(
        self,
        actor: str,
        code: str,
        name: str | None,
        samples: Sequence[EnrollmentSample],
        *,
        refusals: Sequence[str] = (),
        photo_jpeg: bytes | None = None,
    ) -> EnrollmentReport:
        """Write accepted samples (and create the employee if needed) in one transaction."""
        with self.store.write() as session:
            employee = session.scalar(select(Employee).where(Employee.code == code))
            created = employee is None
            if employee is None:
                if not (name and name.strip()):
                    raise UsageError(f"no employee with code '{code}'; give a name to create one")
                employee = Employee(code=code, name=normalise_name(name))
                session.add(employee)
                session.flush()
            elif name and " ".join(name.split()) != employee.name:
                employee.name = normalise_name(name)
            if not employee.active:
                raise RefusedError(f"employee '{code}' is deactivated; activate them first")
            # The person's own key (a new one for a first enrollment): erasing them shreds it.
            keys = key_for_sealing(session, self.store.keys, employee.id)
            for sample in samples:
                template_id = new_id()
                session.add(
                    FaceTemplate(
                        id=template_id,
                        employee_id=employee.id,
                        model_name=sample.model_name,
                        vector=seal_template(keys, template_id, employee.id, sample.vector_bytes()),
                        dim=int(sample.vector.size),
                        quality=sample.quality.score,
                        source=sample.source,
                    )
                )
            session.flush()
            total = _trim_templates(session, employee.id, self.models.model_name)
            employee.consent_at = employee.consent_at or utcnow()
            employee.biometrics_erased_at = None
            if photo_jpeg is not None:
                employee.photo_jpeg = seal_photo(keys, employee.id, photo_jpeg)
            employee.sync_pending = True
            audit.record(
                session,
                actor=actor,
                action="employee.enroll",
                target_type="employee",
                target_id=employee.code,
                kiosk_id=self.kiosk_id,
                details={
                    "created": created,
                    "samples": len(samples),
                    "source": samples[0].source if samples else "",
                    "refused": len(refusals),
                    "model": self.models.model_name,
                },
            )
            report = EnrollmentReport(
                employee.code, employee.name, len(samples), total, list(refusals)
            )
        log.info("enrolled %d sample(s) for %s (%d refused)", report.saved, code, len(refusals))
        return report


def _trim_templates(session: Session, employee_id: EmployeeId, model_name: str) -> int:
    """Keep each person's newest templates (up to MAX_TEMPLATES_PER_PERSON; quality breaks
    ties): matching stays fast and an old look fades out as new samples come in."""
    templates = session.scalars(
        select(FaceTemplate)
        .where(FaceTemplate.employee_id == employee_id, FaceTemplate.model_name == model_name)
        .order_by(FaceTemplate.created_at.desc(), FaceTemplate.quality.desc())
    ).all()
    for stale in templates[MAX_TEMPLATES_PER_PERSON:]:
        session.delete(stale)
    return min(len(templates), MAX_TEMPLATES_PER_PERSON)


def _read_for_thumbnail(photos: Sequence[Path], name: str) -> NDArray[np.uint8] | None:
    from core.host.images import ImageError, fit_within, read_image
    from core.recognition.enroll import PHOTO_MAX_SIDE

    for path in photos:
        if path.name == name:
            try:
                return fit_within(read_image(path), PHOTO_MAX_SIDE)
            except ImageError:
                return None
    return None


def employee_photo(store: Store, employee_id: EmployeeId) -> bytes | None:
    """The person's thumbnail (JPEG), or None when there is none or it cannot be opened."""
    with store.read() as session:
        blob = session.scalar(select(Employee.photo_jpeg).where(Employee.id == employee_id))
    if blob is None:
        return None
    try:
        with store.read() as session:
            person = key_for_blob(session, store.keys, employee_id, blob)
        return open_photo(person, employee_id, blob)
    except SealError as exc:
        log.error("the photo of employee %s could not be opened: %s", employee_id, exc)
        return None


__all__ = [
    "EnrollmentReport",
    "FaceEnrollment",
    "employee_photo",
    "gallery_fingerprint",
    "get_by_code",
    "load_gallery",
]
