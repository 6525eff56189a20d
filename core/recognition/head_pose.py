"""Guided capture: which way to turn the head next, and whether the head really moved.

Samples of one person taken from a few head positions recognise them better than five
copies of the same look, so the live enrollment asks for a small turn between samples and
takes the next one only once the head is in a position it has not sampled yet.

The head's position is the pose the quality gates already measure from dlib's 5 landmarks
(``core.recognition.quality.pose_of``): ``yaw`` is the nose's offset along the eye line in
eye distances (positive: the nose towards the right of the picture), ``pitch`` the nose's
drop below the eye line minus a frontal value (negative: the head tilted up). Both vary
from person to person by more than a small turn, so positions are only ever compared with
the same person's earlier samples, never with fixed values.

Directions are named for the person in front of a camera that does not mirror: turning to
their left moves the nose to the right of the picture. A camera that mirrors swaps left
and right; that does no harm, because any clearly new position is taken and the next
request is for a direction still missing.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Protocol

# A "little turn" (about 12-15 degrees) moves the nose this far, in eye distances; the
# landmarks of a still face jitter by about 0.01-0.02 between frames (measured on the
# photos in tests/data/faces and their mirror images, whose yaw differs by 0.05-0.19).
YAW_STEP = 0.07
# Tilting up or down moves the nose less along the face than turning does across it.
PITCH_STEP = 0.06
# A direction counts as sampled once a sample moved this far along it (in steps), and
# mostly along it (a turn to the left does not sample "up and to the left").
COVERED = 0.7
ALONG = 0.85  # the cosine of the angle between the move and the direction, at least


class HeadTurn(enum.Enum):
    """What the person is asked to do before the next sample."""

    STRAIGHT = "straight"  # the first sample: look at the camera
    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"
    UP_LEFT = "up_left"
    UP_RIGHT = "up_right"
    DOWN_LEFT = "down_left"
    DOWN_RIGHT = "down_right"
    ANY = "any"  # every direction sampled: any new position


# (yaw, pitch) in steps; LEFT is +yaw (see the module docstring), UP is -pitch.
_DIAGONAL = 1 / math.sqrt(2)
DIRECTIONS: dict[HeadTurn, tuple[float, float]] = {
    HeadTurn.LEFT: (1.0, 0.0),
    HeadTurn.RIGHT: (-1.0, 0.0),
    HeadTurn.UP: (0.0, -1.0),
    HeadTurn.DOWN: (0.0, 1.0),
    HeadTurn.UP_LEFT: (_DIAGONAL, -_DIAGONAL),
    HeadTurn.UP_RIGHT: (-_DIAGONAL, -_DIAGONAL),
    HeadTurn.DOWN_LEFT: (_DIAGONAL, _DIAGONAL),
    HeadTurn.DOWN_RIGHT: (-_DIAGONAL, _DIAGONAL),
}


class PoseLike(Protocol):
    @property
    def yaw(self) -> float: ...
    @property
    def pitch(self) -> float: ...


@dataclass(frozen=True)
class HeadPose:
    yaw: float
    pitch: float


class PoseGuide:
    """The positions sampled so far; ``is_new`` says whether a face is in another one."""

    def __init__(self, yaw_step: float = YAW_STEP, pitch_step: float = PITCH_STEP) -> None:
        self.yaw_step = yaw_step
        self.pitch_step = pitch_step
        self.taken: list[HeadPose] = []

    def _steps(self, pose: PoseLike, origin: HeadPose) -> tuple[float, float]:
        return (pose.yaw - origin.yaw) / self.yaw_step, (
            pose.pitch - origin.pitch
        ) / self.pitch_step

    def distance(self, pose: PoseLike) -> float:
        """How far (in steps) this pose is from the nearest sampled one; inf if none."""
        if not self.taken:
            return math.inf
        return min(math.hypot(*self._steps(pose, taken)) for taken in self.taken)

    def is_new(self, pose: PoseLike) -> bool:
        """True for the first sample, then only a pose at least one step from every sample."""
        return self.distance(pose) >= 1.0

    def take(self, pose: PoseLike) -> None:
        self.taken.append(HeadPose(pose.yaw, pose.pitch))

    def next_turn(self) -> HeadTurn:
        """The first direction (left, right, up, down, then the diagonals) that no sample
        has moved along yet, from the first sample; STRAIGHT before any."""
        if not self.taken:
            return HeadTurn.STRAIGHT
        origin = self.taken[0]
        moves = [self._steps(pose, origin) for pose in self.taken[1:]]
        for turn, (dy, dp) in DIRECTIONS.items():
            along = [(y * dy + p * dp, math.hypot(y, p)) for y, p in moves]
            if not any(a >= COVERED and a >= ALONG * size for a, size in along):
                return turn
        return HeadTurn.ANY
