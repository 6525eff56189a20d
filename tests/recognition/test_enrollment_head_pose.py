"""Guided capture: a sample only from a new head position, and the turn asked for next
(issue 21, item 4). The five samples used to be taken in under 2 s from one position.

Real models and real photos (tests/data/faces, see its NOTICE); a photo's mirror image is
the same face turned the other way (its yaw changes sign), so person01's img4 and its
mirror are two positions of one person, and img2 (nearly frontal) a third.
"""

from __future__ import annotations

import math
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest

from core.camera import Frame
from core.context import AppContext
from core.host.images import read_image
from core.people.faces import load_gallery
from core.recognition.config import RecognitionConfig
from core.recognition.enroll import EnrollmentRefusal, examine_image
from core.recognition.head_pose import HeadPose, HeadTurn, PoseGuide
from core.recognition.loader import ModelLoader
from core.recognition.models import Models
from core.recognition.quality import Pose
from core.runtime.api import EnrollmentProgress
from core.runtime.enrollment import SAMPLE_GAP_S, LiveEnrollment
from tests.support.paths import FACES
from tools.harness.scene import letterbox

CONFIG = RecognitionConfig()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Models:
    loader = ModelLoader(CONFIG, tmp_path_factory.mktemp("deepface-home")).start()
    loaded = loader.wait_ready(timeout=180)
    loader.join(5)
    return loaded


def picture(photo: str, *, mirrored: bool = False) -> np.ndarray:
    image = letterbox(read_image(FACES / photo))
    return np.ascontiguousarray(image[:, ::-1]) if mirrored else image


def pose(models: Models, photo: str, *, mirrored: bool = False) -> Pose:
    candidate = examine_image(
        models, picture(photo, mirrored=mirrored), CONFIG, source="camera", name=photo
    )
    assert not isinstance(candidate, EnrollmentRefusal), candidate
    return candidate.quality.pose


# --- the pose, from the landmarks the pipeline already has --------------------------------


def test_a_face_turned_the_other_way_has_the_opposite_yaw(models: Models) -> None:
    for photo in ("img4.jpg", "img13.jpg", "img28.jpg"):
        straight, mirrored = pose(models, photo), pose(models, photo, mirrored=True)
        assert straight.yaw * mirrored.yaw < 0, (photo, straight, mirrored)
        assert abs(straight.yaw + mirrored.yaw) < 0.035, (photo, straight, mirrored)  # img13: 0.033
        # The face mesh sees a photo and its mirror image a little differently up and down
        # (0.045-0.05 eye distances on img4 and img13; dlib's 5 points stayed under 0.03):
        # under one pitch step (0.06), so a mirrored face is still the same position.
        assert abs(straight.pitch - mirrored.pitch) < 0.055, (photo, straight, mirrored)


def test_the_same_position_is_not_new_a_turned_head_is(models: Models) -> None:
    guide = PoseGuide()
    first = pose(models, "img4.jpg")  # turned a little to one side
    assert guide.is_new(first)
    guide.take(first)
    assert not guide.is_new(pose(models, "img4.jpg"))
    # A face that barely moved (nearly frontal photos and their mirror images differ by
    # 0.02-0.04 eye distances) is not a new position either...
    for photo in ("img2.jpg", "img39.jpg"):
        almost = PoseGuide()
        almost.take(pose(models, photo))
        assert not almost.is_new(pose(models, photo, mirrored=True)), photo
    # ...but the head turned to the other side is.
    turned = pose(models, "img4.jpg", mirrored=True)
    assert guide.is_new(turned)
    guide.take(turned)
    assert guide.is_new(pose(models, "img2.jpg"))  # straight, between the two


def test_the_guide_asks_for_each_direction_in_turn() -> None:
    guide = PoseGuide()
    assert guide.next_turn() is HeadTurn.STRAIGHT
    # Pitch varies by person: only moves from the first sample count.
    guide.take(HeadPose(0.02, 0.10))
    assert guide.next_turn() is HeadTurn.LEFT
    guide.take(HeadPose(0.10, 0.10))  # the nose to the right of the picture: their left
    assert guide.next_turn() is HeadTurn.RIGHT
    guide.take(HeadPose(-0.06, 0.11))
    assert guide.next_turn() is HeadTurn.UP
    guide.take(HeadPose(0.02, 0.03))  # the nose nearer the eye line: chin up
    assert guide.next_turn() is HeadTurn.DOWN
    guide.take(HeadPose(0.02, 0.16))
    assert guide.next_turn() is HeadTurn.UP_LEFT


def test_a_mirroring_camera_is_asked_for_what_is_still_missing() -> None:
    guide = PoseGuide()
    guide.take(HeadPose(0.0, 0.0))
    assert guide.next_turn() is HeadTurn.LEFT
    # Asked for the left, the picture shows the other way (a camera that mirrors): that
    # position is taken, and the left is asked for again.
    turned = HeadPose(-0.09, 0.0)
    assert guide.is_new(turned)
    guide.take(turned)
    assert guide.next_turn() is HeadTurn.LEFT
    assert math.isinf(PoseGuide().distance(turned))


# --- the live capture ---------------------------------------------------------------------


def test_the_live_capture_waits_for_a_new_head_position(
    ctx: AppContext, models: Models, tmp_path: Path
) -> None:
    ctx.start_store()
    ctx.employees().add("cli:test", "E1", "Ana")
    employee = ctx.employees().get("E1")
    live = LiveEnrollment(lambda: ctx.store, "kiosk-test")
    updates: list[EnrollmentProgress] = []
    future: Future[EnrollmentProgress] = live.start("E1", employee.id, 3, updates.append, "admin")
    gallery, people, _ = load_gallery(ctx.store, models.model_name, models.embedder.dim)
    clock = 0.0

    def show(image: np.ndarray, frames: int) -> None:
        nonlocal clock
        for _ in range(frames):
            clock += SAMPLE_GAP_S + 0.01
            seq = int(clock * 100)
            live.step(models, CONFIG, gallery, Frame(image, seq, clock, seq), clock, people=people)

    show(picture("img4.jpg"), 8)  # 8 tries, one position: one sample
    taken = [u for u in updates if u.thumbnail is not None]
    assert len(taken) == 1 and taken[0].accepted == 1
    assert taken[0].turn is HeadTurn.LEFT
    waiting = [u for u in updates if u.same_pose]
    assert len(waiting) == 1 and waiting[0].accepted == 1  # said once, not at every frame
    assert not future.done()

    show(picture("img4.jpg", mirrored=True), 1)  # turned the other way: taken at once
    assert updates[-1].accepted == 2 and updates[-1].thumbnail is not None
    show(picture("img4.jpg", mirrored=True), 4)
    assert updates[-1].accepted == 2 and updates[-1].same_pose

    show(picture("img2.jpg"), 1)
    assert future.done(), updates[-3:]
    result = future.result()
    assert result.done and result.error is None and result.accepted == 3
    assert ctx.employees().get("E1").templates == 3
