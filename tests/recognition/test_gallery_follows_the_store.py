"""Recognition's gallery follows the store, whoever changes it: an enrolment here, an
erasure, a deactivation (a sync's pull: tests/sync/test_sync.py). ``FollowedGallery`` is the
recognition worker's one way to learn of it: a fingerprint of the store's face data, asked
at most every ``GALLERY_CHECK_S``; nobody has to remember to tell recognition.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest

from core.context import AppContext
from core.people.faces import FaceEnrollment
from core.recognition.config import RecognitionConfig
from core.recognition.gallery import Gallery
from core.runtime.worker import GALLERY_CHECK_S, FollowedGallery

DIM = 128


def face(seed: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return cast("np.ndarray[Any, np.dtype[np.float32]]", vector / np.linalg.norm(vector))


def enrol(ctx: AppContext, code: str, seed: int) -> uuid.UUID:
    """The kiosk's own enrolment path (``FaceEnrollment.save``) for one known face."""
    employee = ctx.employees().add("cli:admin", code, f"Person {code}")
    models = cast("Any", SimpleNamespace(model_name="Dlib"))
    samples = [
        SimpleNamespace(
            vector=vector,
            model_name="Dlib",
            quality=SimpleNamespace(score=0.9),
            source="photo",
            vector_bytes=vector.astype("<f4").tobytes,
        )
        for vector in (face(seed), face(seed + 1))
    ]
    enrollment = FaceEnrollment(ctx.store, models, RecognitionConfig(), ctx.settings.kiosk_id)
    enrollment.save("cli:admin", code, None, cast("Any", samples))
    return employee.id


def recognised(gallery: Gallery[uuid.UUID], seed: int) -> uuid.UUID | None:
    if len(gallery) == 0:
        return None
    match = gallery.match(face(seed))  # the very face enrolled: a distance of about 0
    return match.key if match.distance < 1e-3 else None


@pytest.fixture
def followed(ctx: AppContext) -> FollowedGallery:
    ctx.start_store()
    return FollowedGallery(lambda: ctx.store)


def test_an_enrolment_reaches_recognition_at_the_next_check(
    ctx: AppContext, followed: FollowedGallery
) -> None:
    gallery, people = followed.load("Dlib", DIM, now=0.0)
    assert recognised(gallery, 1) is None and people == {}
    ana = enrol(ctx, "E1", seed=1)
    # Not before the next check: the store is not asked at every frame.
    assert followed.changed("Dlib", DIM, now=GALLERY_CHECK_S / 2) is None
    fresh = followed.changed("Dlib", DIM, now=GALLERY_CHECK_S)
    assert fresh is not None
    gallery, people = fresh
    assert recognised(gallery, 1) == ana and people[ana] == ("E1", "Person E1")
    # Nothing changed since: no reload.
    assert followed.changed("Dlib", DIM, now=2 * GALLERY_CHECK_S) is None


def test_an_erasure_and_a_deactivation_leave_recognition_at_the_next_check(
    ctx: AppContext, followed: FollowedGallery
) -> None:
    ana, luis = enrol(ctx, "E1", seed=1), enrol(ctx, "E2", seed=5)
    gallery, _people = followed.load("Dlib", DIM, now=0.0)
    assert recognised(gallery, 1) == ana and recognised(gallery, 5) == luis

    assert ctx.employees().erase_biometrics("user:admin", "E1", "asked to be forgotten") == 2
    fresh = followed.changed("Dlib", DIM, now=GALLERY_CHECK_S)
    assert fresh is not None
    gallery, _people = fresh
    assert recognised(gallery, 1) is None and recognised(gallery, 5) == luis

    ctx.employees().set_active("user:admin", "E2", False, "left the company")
    fresh = followed.changed("Dlib", DIM, now=2 * GALLERY_CHECK_S)
    assert fresh is not None
    gallery, _people = fresh
    assert recognised(gallery, 5) is None and len(gallery) == 0
