"""Quality gates: a face is embedded only if it is big, sharp, well lit and roughly frontal.

Each refusal has a reason code (shown to the person and logged) and a sentence. Blur and
light are measured on the aligned chip, so they do not depend on the camera's resolution or
the distance to it; pose comes from the 5-point landmarks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from core.recognition.config import RecognitionConfig
from core.recognition.detect import DetectedFace, Image, eye_geometry
from core.states import Refusal

# In frontal faces the nose base lies about 0.75 eye-distances below the eye line
# (measured on the shared face set: 0.63-0.90).
FRONTAL_NOSE_DROP = 0.75


MESSAGES: dict[Refusal, str] = {
    Refusal.NO_FACE: "no face found",
    Refusal.SEVERAL_FACES: "several faces in the picture; one person at a time",
    Refusal.TOO_SMALL: "the face is too small; come closer",
    Refusal.BLURRY: "the face is blurred; hold still",
    Refusal.TOO_DARK: "the face is too dark; more light needed",
    Refusal.TOO_BRIGHT: "the face is overexposed; less light or no backlight",
    Refusal.POSE: "look straight at the camera",
    Refusal.DUPLICATE: "this face is already enrolled as someone else",
    Refusal.INCONSISTENT: "this photo does not look like the person's other photos",
    Refusal.OTHER_PERSON: "this face does not match the faces already enrolled for this employee",
    Refusal.UNREADABLE: "the image cannot be read",
}


@dataclass(frozen=True)
class Pose:
    yaw: float  # nose offset along the eye line / eye distance; 0 = frontal
    pitch: float  # nose drop / eye distance minus the frontal value; 0 = frontal
    roll_deg: float  # eye line angle


@dataclass(frozen=True)
class Quality:
    face_px: int
    sharpness: float
    brightness: float
    pose: Pose
    reason: Refusal | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def score(self) -> float:
        """0..1, for ranking templates: sharper, more frontal and bigger is better."""
        sharp = min(1.0, self.sharpness / 200.0)
        frontal = max(0.0, 1.0 - abs(self.pose.yaw) / 0.5 - abs(self.pose.pitch) / 1.0)
        size = min(1.0, self.face_px / 200.0)
        return round((sharp + frontal + size) / 3.0, 4)

    @property
    def message(self) -> str:
        if self.reason is None:
            return "ok"
        return MESSAGES[self.reason] + (f" ({self.detail})" if self.detail else "")


def pose_of(face: DetectedFace) -> Pose:
    eye_a, eye_b, dist = eye_geometry(face.landmarks)
    if dist < 1e-6:
        return Pose(1.0, 1.0, 0.0)
    # Orient the eye line left→right in the image so roll and the normal are well defined.
    left, right = (eye_a, eye_b) if eye_a[0] <= eye_b[0] else (eye_b, eye_a)
    u = (right - left) / dist
    normal = np.array([-u[1], u[0]])  # points down the face when u points right
    nose = face.landmarks[4].astype(np.float64) - (left + right) / 2.0
    yaw = float(nose @ u) / dist
    drop = float(nose @ normal) / dist
    roll = math.degrees(math.atan2(u[1], u[0]))
    return Pose(round(yaw, 4), round(drop - FRONTAL_NOSE_DROP, 4), round(roll, 2))


def measure_chip(chip_rgb: Image) -> tuple[float, float]:
    """(sharpness, brightness) on the central part of an aligned chip (mostly skin)."""
    gray = cv2.cvtColor(chip_rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    inner = gray[h // 5 : h - h // 5, w // 5 : w - w // 5]
    sharpness = float(cv2.Laplacian(inner, cv2.CV_64F).var())
    return sharpness, float(inner.mean())


def _first_failure(
    px: int, sharpness: float, brightness: float, pose: Pose, config: RecognitionConfig
) -> tuple[Refusal, str] | None:
    """The first gate failed, in the order a person can fix them: distance, light, pose, blur."""
    checks: list[tuple[bool, Refusal, str]] = [
        (px < config.min_face_px, Refusal.TOO_SMALL, f"{px} px wide, need {config.min_face_px}"),
        (
            brightness < config.min_brightness,
            Refusal.TOO_DARK,
            f"brightness {brightness:.0f} < {config.min_brightness:.0f}",
        ),
        (
            brightness > config.max_brightness,
            Refusal.TOO_BRIGHT,
            f"brightness {brightness:.0f} > {config.max_brightness:.0f}",
        ),
        (abs(pose.yaw) > config.max_yaw, Refusal.POSE, f"turned sideways (yaw {pose.yaw:+.2f})"),
        (
            abs(pose.pitch) > config.max_pitch,
            Refusal.POSE,
            f"head tilted up or down (pitch {pose.pitch:+.2f})",
        ),
        (
            abs(pose.roll_deg) > config.max_roll_deg,
            Refusal.POSE,
            f"head tilted sideways ({pose.roll_deg:+.0f}°)",
        ),
        (
            sharpness < config.min_sharpness,
            Refusal.BLURRY,
            f"sharpness {sharpness:.0f} < {config.min_sharpness:.0f}",
        ),
    ]
    return next(((reason, detail) for failed, reason, detail in checks if failed), None)


def assess(face: DetectedFace, chip_rgb: Image, config: RecognitionConfig) -> Quality:
    """Measure the face and apply the gates; ``reason`` is None when it may be embedded."""
    sharpness, brightness = measure_chip(chip_rgb)
    pose = pose_of(face)
    px = face.box.width
    failure = _first_failure(px, sharpness, brightness, pose, config)
    if failure is None:
        return Quality(px, sharpness, brightness, pose)
    return Quality(px, sharpness, brightness, pose, failure[0], failure[1])
