"""Recognition settings as one immutable value (the settings layer builds it from user settings).

Distances are **cosine distances between L2-normalised embeddings** (``1 - a·b``, 0 = same
direction): the gallery stores unit vectors, so one matrix product gives every distance.
A face is accepted as someone when its distance is at most ``threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

Liveness = Literal["off", "blink", "passive", "both"]
LIVENESS_MODES: tuple[Liveness, ...] = ("off", "blink", "passive", "both")
EmbedEngine = Literal["auto", "onnx", "dlib", "deepface"]

# Operating thresholds per recognition model (cosine distance, see the module docstring).
# Dlib's value is calibrated for zero false accepts on data other than the pairs it is scored
# on: the 1,310 impostor pairs of the shared face set (../shared/data/faces) that are not among
# its 520 verification pairs; the closest of them is 0.0665 (two lookalikes), rounded down to
# 0.066. `main.py evaluate` recomputes this as `calibrated_threshold`. Scored on the 520 pairs
# it gives 99.62 % with no false accept and no stranger accepted; leave-identities-out
# cross-validation (each pair's threshold chosen on pairs sharing none of its people) also
# gives 99.62 %. The other values are DeepFace's defaults for its own alignment: unverified
# here, because those weights do not ship with the kiosk.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "Dlib": 0.066,
    "VGG-Face": 0.68,
    "Facenet": 0.40,
    "Facenet512": 0.30,
    "ArcFace": 0.68,
    "SFace": 0.593,
    "OpenFace": 0.10,
    "DeepFace": 0.23,
    "DeepID": 0.015,
    "GhostFaceNet": 0.65,
    "Buffalo_L": 0.55,
}


@dataclass(frozen=True)
class RecognitionConfig:
    """Everything the loader, the pipeline, enrollment, evaluate and bench need to know."""

    model_name: str = "Dlib"
    detector: str = "mediapipe"
    # None: the model's calibrated value from DEFAULT_THRESHOLDS.
    threshold: float | None = None
    # Voting: an identity is accepted after this many agreeing frames within the window.
    frames_to_agree: int = 3
    agree_window_s: float = 1.5
    # Quality gates. Sizes are in pixels of the original frame.
    min_face_px: int = 80
    min_sharpness: float = 25.0  # variance of the Laplacian on the 150 px aligned chip
    min_brightness: float = 45.0  # mean grey level of the face
    max_brightness: float = 215.0
    max_yaw: float = 0.35  # nose offset from the eye midpoint / eye distance (0 = frontal)
    max_pitch: float = 0.4  # nose drop below the eye line / eye distance, minus frontal 0.75
    max_roll_deg: float = 35.0
    # None = automatic (detect.py's detection_plan): MediaPipe takes the whole frame, and
    # picks its short- or full-range model by min_face_px; dlib's HOG (an optional extra)
    # the smallest copy in which a min_face_px face is still 80 px; 320 px for other
    # detectors. Set both to force a size and upsampling.
    detect_max_side: int | None = None
    detect_upsample: int | None = None
    # While nobody is followed, search only frames that changed (core/recognition/motion.py);
    # off: every frame, as bench's "before" figure.
    idle_gate: bool = True
    # While a face is followed, search a copy small enough that it is still this many
    # times the detector's minimum (dlib: 80 px), when that is smaller than the plan's.
    tracked_face_margin: float = 1.4
    # Liveness: off; blink (a blink seen in the iris model's eyelids); passive (the FasNet
    # anti-spoofing models on the deciding frame: core/recognition/antispoof.py); both.
    liveness: Liveness = "off"
    # passive: a face is a spoof when its real score is under this; None: antispoof's
    # PASSIVE_THRESHOLD (kept there so this module stays light)
    passive_threshold: float | None = None
    blink_closed_ratio: float = 0.72  # eyes count as closed below this × the open baseline
    blink_open_ratio: float = 0.88  # ...and open again above this × the baseline
    blink_max_closed_s: float = 0.8  # a longer "closure" is looking down, not a blink
    blink_valid_s: float = 6.0  # a blink counts for this long (to let voting finish)
    # Embedding engine for Dlib: auto/onnx (the shipped ONNX file) or, with the dlib extra,
    # dlib itself or DeepFace's client.
    embed_engine: EmbedEngine = "auto"
    threads: int = 1  # inference threads; the kiosk keeps the other core for camera and GUI
    # Enrollment: a second face at least this fraction of the largest one's width counts.
    several_faces_ratio: float = 0.4

    def __post_init__(self) -> None:
        problems = []
        if self.threshold is not None and not 0.0 < self.threshold < 2.0:
            problems.append("threshold must be a cosine distance in (0, 2)")
        if self.frames_to_agree < 1:
            problems.append("frames_to_agree must be at least 1")
        if self.agree_window_s <= 0:
            problems.append("agree_window_s must be positive")
        if self.min_face_px < 16:
            problems.append("min_face_px must be at least 16")
        if self.detect_max_side is not None and self.detect_max_side < 64:
            problems.append("detect_max_side must be at least 64")
        if self.detect_upsample not in (None, 0, 1, 2):
            problems.append("detect_upsample must be 0, 1 or 2")
        if self.liveness not in LIVENESS_MODES:
            problems.append("liveness must be 'off', 'blink', 'passive' or 'both'")
        if self.passive_threshold is not None and not 0.0 < self.passive_threshold < 1.0:
            problems.append("passive_threshold must be in (0, 1)")
        if not 0.0 < self.blink_closed_ratio < self.blink_open_ratio <= 1.0:
            problems.append("need 0 < blink_closed_ratio < blink_open_ratio <= 1")
        if self.threads < 1:
            problems.append("threads must be at least 1")
        if self.tracked_face_margin < 1.0:
            problems.append("tracked_face_margin must be at least 1")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def needs_blink(self) -> bool:
        return self.liveness in ("blink", "both")

    @property
    def needs_passive(self) -> bool:
        return self.liveness in ("passive", "both")

    @property
    def effective_threshold(self) -> float:
        if self.threshold is not None:
            return self.threshold
        try:
            return DEFAULT_THRESHOLDS[self.model_name]
        except KeyError:
            raise ValueError(
                f"no calibrated threshold for model {self.model_name!r}; set one explicitly"
            ) from None

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> RecognitionConfig:
        """From the app's Settings (model_name, detector, match_threshold, frames_to_agree,
        liveness, passive_threshold, min_face_px); fields it lacks keep their defaults."""
        mapping = {
            "model_name": "model_name",
            "detector": "detector",
            "threshold": "match_threshold",
            "frames_to_agree": "frames_to_agree",
            "liveness": "liveness",
            "passive_threshold": "passive_threshold",
            "min_face_px": "min_face_px",
        }
        values = {
            field: getattr(settings, name)
            for field, name in mapping.items()
            if hasattr(settings, name)
        }
        return cls(**{**values, **overrides})

    def with_(self, **changes: Any) -> RecognitionConfig:
        """A copy with some fields changed (validated again)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown recognition settings: {', '.join(sorted(unknown))}")
        return replace(self, **changes)
