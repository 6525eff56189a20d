"""Enrollment, the engine side: photos or camera frames → checked templates, or a refusal.

Every sample goes through the same detection, quality gates and embedding as the kiosk, so a
template is never better or worse than what the camera will later compare it with. Refused:
no face, several faces, any quality gate, a face already enrolled as someone else (naming
them), a face that does not match the faces the employee already has (another person's face
under their code would then be recognised as them), and a sample that does not look like
the person's other samples. Templates carry the model name: they are only ever compared with
embeddings of the same model.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from core.host.images import ImageError, decode_image, fit_within, read_image
from core.recognition.config import RecognitionConfig
from core.recognition.detect import (
    DetectedFace,
    PreparedFrame,
    detect_faces,
    detection_plan,
    prepare,
    primary_face,
)
from core.recognition.embed import face_chip
from core.recognition.gallery import Gallery
from core.recognition.models import Models
from core.recognition.quality import MESSAGES, Quality, assess
from core.states import Refusal

K = TypeVar("K", bound=Hashable)

# Photos are processed at this size at most: plenty for a face, bounded in time and memory.
PHOTO_MAX_SIDE = 1280
# Photos are searched at a larger scale than camera frames: the face may be small in them.
PHOTO_DETECT_MAX_SIDE = 640
# a face in a photo may be this small (photos are searched finer than the camera)
PHOTO_MIN_FACE_PX = 40
# Samples of one person further apart than this × the threshold are not the same person.
CONSISTENCY_FACTOR = 1.5


@dataclass(frozen=True)
class EnrollmentSample:
    vector: NDArray[np.float32]  # unit length
    model_name: str
    quality: Quality
    box: tuple[int, int, int, int]
    source: str = "photo"  # photo | camera
    name: str = ""

    def vector_bytes(self) -> bytes:
        """float32 little-endian, as stored in face_templates.vector."""
        return self.vector.astype("<f4").tobytes()


@dataclass(frozen=True)
class EnrollmentRefusal(Generic[K]):
    reason: Refusal
    message: str
    name: str = ""
    other: K | None = None  # DUPLICATE: whom the face is already enrolled as; OTHER_PERSON: whose
    distance: float | None = None
    faces: int = 0  # SEVERAL_FACES: how many


@dataclass
class EnrollmentResult(Generic[K]):
    samples: list[EnrollmentSample] = field(default_factory=list)
    refusals: list[EnrollmentRefusal[K]] = field(default_factory=list)

    @property
    def vectors(self) -> NDArray[np.float32]:
        if not self.samples:
            return np.zeros((0, 0), np.float32)
        return np.stack([s.vector for s in self.samples])


def vector_from_bytes(data: bytes, dim: int) -> NDArray[np.float32]:
    vec = np.frombuffer(data, dtype="<f4")
    if vec.size != dim:
        raise ValueError(f"template has {vec.size} values, expected {dim}")
    return vec.astype(np.float32)


def photo_faces(models: Models, frame: PreparedFrame) -> list[DetectedFace]:
    """Faces in a photo: searched finer than the kiosk does (the face may be small in it)."""
    h, w = frame.gray.shape
    scale, upsample = detection_plan(
        w,
        h,
        detector=models.detector_name,
        min_face_px=PHOTO_MIN_FACE_PX,
        max_side=PHOTO_DETECT_MAX_SIDE,
    )
    return detect_faces(
        models.detector,
        models.mesh,
        frame,
        scale=scale,
        upsample=upsample,
        min_face_px=PHOTO_MIN_FACE_PX,
    )


def _faces(
    models: Models, frame: PreparedFrame, config: RecognitionConfig, photo: bool
) -> list[DetectedFace]:
    if photo:
        return photo_faces(models, frame)
    h, w = frame.gray.shape
    scale, upsample = detection_plan(
        w,
        h,
        detector=models.detector_name,
        min_face_px=config.min_face_px,
        max_side=config.detect_max_side,
        upsample=config.detect_upsample,
    )
    return detect_faces(
        models.detector,
        models.mesh,
        frame,
        scale=scale,
        upsample=upsample,
        min_face_px=config.min_face_px,
    )


@dataclass(frozen=True, eq=False)
class FaceCandidate:
    """One face that passed detection and the quality gates, not embedded yet (a live
    capture looks at its pose first: embedding is the costly step)."""

    image: NDArray[np.uint8]  # the picture the box is in (a photo already scaled down)
    face: DetectedFace
    chip: NDArray[np.uint8]
    quality: Quality
    source: str
    name: str


def examine_image(
    models: Models,
    image: NDArray[np.uint8] | Path | bytes,
    config: RecognitionConfig,
    *,
    source: str = "photo",
    name: str = "",
) -> FaceCandidate | EnrollmentRefusal[Any]:
    """Read, find the one face and apply the quality gates (never raises for bad input)."""
    try:
        if isinstance(image, Path):
            name = name or image.name
            bgr = read_image(image)
        elif isinstance(image, bytes | bytearray):
            bgr = decode_image(bytes(image), name or "the image")
        else:
            bgr = image
        frame = prepare(fit_within(bgr, PHOTO_MAX_SIDE) if source == "photo" else bgr)
    except ImageError as exc:
        return EnrollmentRefusal(Refusal.UNREADABLE, str(exc), name)
    faces = _faces(models, frame, config, photo=source == "photo")
    if not faces:
        return EnrollmentRefusal(Refusal.NO_FACE, MESSAGES[Refusal.NO_FACE], name)
    h, w = frame.gray.shape
    largest = max(f.box.width for f in faces)
    big = [f for f in faces if f.box.width >= config.several_faces_ratio * largest]
    if len(big) > 1:
        return EnrollmentRefusal(
            Refusal.SEVERAL_FACES,
            f"{MESSAGES[Refusal.SEVERAL_FACES]} ({len(big)} faces)",
            name,
            faces=len(big),
        )
    face = primary_face(big, w, h)
    assert face is not None
    embedder = models.embedder
    chip = face_chip(frame.rgb, face, embedder.chip_size, embedder.chip_padding)
    quality = assess(face, chip, config)
    if not quality.ok:
        assert quality.reason is not None
        return EnrollmentRefusal(quality.reason, quality.message, name)
    return FaceCandidate(frame.bgr, face, chip, quality, source, name)


def embed_candidate(
    models: Models,
    candidate: FaceCandidate,
    config: RecognitionConfig,
    *,
    gallery: Gallery[K] | None = None,
    employee: K | None = None,
) -> EnrollmentSample | EnrollmentRefusal[K]:
    """The face's template, or a refusal when it is someone else's (see the module doc)."""
    vector = models.embedder.embed(candidate.chip[None])[0]
    name = candidate.name
    if gallery is not None:
        threshold = config.effective_threshold
        refusal = duplicate_of(gallery, vector, employee, threshold, name)
        if refusal is None and employee is not None:
            refusal = unlike(gallery.templates(employee), vector, threshold, name, employee)
        if refusal is not None:
            return refusal
    return EnrollmentSample(
        vector,
        models.model_name,
        candidate.quality,
        candidate.face.box.xywh(),
        candidate.source,
        name,
    )


def embed_enrollment_image(
    models: Models,
    image: NDArray[np.uint8] | Path | bytes,
    config: RecognitionConfig,
    *,
    gallery: Gallery[K] | None = None,
    employee: K | None = None,
    source: str = "photo",
    name: str = "",
) -> EnrollmentSample | EnrollmentRefusal[K]:
    """One photo or frame → a sample, or a refusal with a message (never raises for bad input)."""
    candidate = examine_image(models, image, config, source=source, name=name)
    if isinstance(candidate, EnrollmentRefusal):
        return candidate
    return embed_candidate(models, candidate, config, gallery=gallery, employee=employee)


def duplicate_of(
    gallery: Gallery[K],
    vector: NDArray[np.float32],
    employee: K | None,
    threshold: float,
    name: str = "",
) -> EnrollmentRefusal[K] | None:
    """A refusal naming the other person if this face already matches someone else."""
    match = gallery.match(vector)
    if match.key is None:
        return None
    other: K | None = match.key
    distance = match.distance
    if other == employee:
        other, distance = match.second_key, match.second_distance
    if other is None or distance > threshold:
        return None
    return EnrollmentRefusal(
        Refusal.DUPLICATE,
        f"{MESSAGES[Refusal.DUPLICATE]}: {other} (distance {distance:.3f})",
        name,
        other=other,
        distance=distance,
    )


def unlike(
    enrolled: NDArray[np.float32],
    vector: NDArray[np.float32],
    threshold: float,
    name: str = "",
    employee: K | None = None,
) -> EnrollmentRefusal[K] | None:
    """A refusal when the person has faces ``enrolled`` (unit rows) and this one matches none
    of them at the recognition threshold: it is someone else's, and once stored that someone
    would be recognised as the person. None when nothing is enrolled yet or it matches."""
    if len(enrolled) == 0:
        return None
    distance = float(1.0 - np.max(enrolled @ vector))
    if distance <= threshold:
        return None
    return EnrollmentRefusal(
        Refusal.OTHER_PERSON,
        f"{MESSAGES[Refusal.OTHER_PERSON]} (distance {distance:.3f}, threshold {threshold:.3f})",
        name,
        other=employee,
        distance=distance,
    )


def enroll_images(
    models: Models,
    images: Sequence[NDArray[np.uint8] | Path | bytes],
    config: RecognitionConfig,
    *,
    gallery: Gallery[K] | None = None,
    employee: K | None = None,
    source: str = "photo",
    names: Sequence[str] = (),
) -> EnrollmentResult[K]:
    """Several samples of one person; each checked alone, then against the others."""
    result: EnrollmentResult[K] = EnrollmentResult()
    for i, image in enumerate(images):
        name = (
            names[i] if i < len(names) else (image.name if isinstance(image, Path) else f"#{i + 1}")
        )
        out = embed_enrollment_image(
            models, image, config, gallery=gallery, employee=employee, source=source, name=name
        )
        if isinstance(out, EnrollmentSample):
            result.samples.append(out)
        else:
            result.refusals.append(out)
    drop_inconsistent(result, config)
    return result


def drop_inconsistent(result: EnrollmentResult[K], config: RecognitionConfig) -> None:
    """Refuse the samples of one batch that do not look like the others (a wrong photo)."""
    _drop_inconsistent(result, config.effective_threshold * CONSISTENCY_FACTOR)


def _drop_inconsistent(result: EnrollmentResult[K], limit: float) -> None:
    """Refuse samples that agree with fewer than half of the others (a wrong photo).

    When no sample agrees with any other there is no majority to trust: the first is kept.
    """
    samples = result.samples
    if len(samples) < 2:
        return
    vecs = np.stack([s.vector for s in samples])
    dist = 1.0 - vecs @ vecs.T
    odd = []
    for i in range(len(samples)):
        others = np.delete(dist[i], i)
        odd.append(int(np.sum(others <= limit)) * 2 < len(others))
    if all(odd):
        odd[0] = False
    keep: list[EnrollmentSample] = []
    for i, sample in enumerate(samples):
        if not odd[i]:
            keep.append(sample)
            continue
        nearest = float(np.min(np.delete(dist[i], i)))
        result.refusals.append(
            EnrollmentRefusal(
                Refusal.INCONSISTENT,
                f"{MESSAGES[Refusal.INCONSISTENT]} (nearest distance {nearest:.3f})",
                sample.name,
            )
        )
    result.samples = keep
