"""The states that both the recognition engine and the window speak of, defined once.

A light module (only ``enum``): the pipeline, the model loader and the runtime produce
these, the window (through core/runtime/api.py) shows them, and nobody translates one enum
into a look-alike on the way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ModelState(enum.Enum):
    """The face models: the loader publishes it, the window and /health show it."""

    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class FaceState(enum.Enum):
    """What a frame showed, for the pipeline's result and the window's overlay."""

    NONE = "none"  # nobody in view (or nothing new: the idle gate skipped the frame)
    CHECKING = "checking"  # a usable face; votes are being collected
    BLINK = "blink"  # voting agreed on someone, but liveness wants a blink first
    RECOGNISED = "recognised"  # voting agreed on an enrolled person (and liveness passed)
    UNKNOWN = "unknown"  # voting agreed that the face is nobody enrolled
    REFUSED = "refused"  # a quality gate (or passive liveness) refused it; the reason says which


class Refusal(enum.Enum):
    """Why a face (or a photo, at enrollment) was not used: each one a person can act on."""

    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"  # one person at a time (enrollment)
    TOO_SMALL = "too_small"  # come closer
    BLURRY = "blurry"  # hold still
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    POSE = "pose"  # look at the camera
    DUPLICATE = "duplicate"  # enrollment: already enrolled as someone else
    INCONSISTENT = "inconsistent"  # enrollment: unlike the person's other samples
    OTHER_PERSON = "other_person"  # enrollment: unlike the faces already enrolled for them
    UNREADABLE = "unreadable"  # a frame or photo that cannot be decoded
    SPOOF = "spoof"  # passive liveness: a photo, a screen or a mask, not a person


@dataclass(frozen=True)
class ModelStatus:
    """The face models as the window and /health show them: what the loader published."""

    state: ModelState
    model_name: str
    detail: str = ""  # LOADING: the step; FAILED: the reason and the fix
    elapsed_s: float = 0.0
