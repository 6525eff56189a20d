"""Frame → identity: detect, pick the face, gate quality, check liveness, embed, match, vote.

One ``RecognitionPipeline`` belongs to the recognition worker (one thread). ``process`` never
raises for a bad frame; it returns a ``FrameResult`` saying what it saw. A decision — an
identity accepted after N agreeing frames, or "unknown" decided the same way — is reported
once per presence with ``new_decision=True`` (the attendance rules act on that frame only),
and logged with who, the distance, or why not.

**Liveness** (``config.liveness``): ``blink`` holds a decision (``BLINK``) until a blink was
seen within ``blink_valid_s``; ``passive`` scores the face box with the FasNet models
(``antispoof``) on the frame that would decide someone, never on the others, and refuses a
spoof (``REFUSED``/``Refusal.SPOOF``, once per presence and candidate: the person steps out of
view to try again); ``both`` asks for the blink first, then scores the deciding frame.

A *presence* is one person in front of the kiosk: it continues while a face keeps being seen
near the same place; a gap longer than the voting window or a jump across the frame starts a
new one (and new voting and liveness).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from core.host.images import ImageError, as_bgr
from core.recognition.antispoof import PASSIVE_THRESHOLD, LivenessScore
from core.recognition.config import RecognitionConfig
from core.recognition.detect import (
    DetectedFace,
    FaceBox,
    PreparedFrame,
    detect_faces,
    detection_plan,
    prepare,
    primary_face,
    tracked_scale,
)
from core.recognition.embed import face_chip
from core.recognition.gallery import Gallery, Match
from core.recognition.iris import EYE_SIDES, Side
from core.recognition.liveness import BlinkDetector, EyeSample
from core.recognition.models import Models
from core.recognition.motion import ChangeGate
from core.recognition.quality import Quality, assess
from core.recognition.voting import Voter
from core.states import FaceState, Refusal

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
_EyeReading = tuple["Side", Future[EyeSample]]  # which eye, and its reading under way


@dataclass(frozen=True)
class FrameResult(Generic[K]):
    state: FaceState
    box: tuple[int, int, int, int] | None = None  # x, y, w, h in frame pixels
    employee_id: K | None = None  # RECOGNISED, who waits for a blink, or a refused spoof's match
    distance: float | None = None  # this frame's nearest distance
    candidate: K | None = None  # this frame's match under the threshold, if any
    votes: int = 0
    new_decision: bool = False  # True once per decision per presence
    reason: Refusal | None = None
    message: str = ""
    liveness: bool | None = None  # None: no blink asked; else whether a blink was seen
    passive: LivenessScore | None = None  # passive liveness, on the frame that decided
    quality: Quality | None = None
    match: Match[K] | None = None
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    skipped: bool = False  # not searched: nothing changed since the last searched frame
    search_scale: float | None = None  # the scale of the copy the faces were found in


@dataclass
class _Presence(Generic[K]):
    box: FaceBox
    last_seen: float
    decided: K | None = None
    decided_unknown: bool = False
    last_reason: Refusal | None = None
    spoof: LivenessScore | None = None  # passive liveness refused this presence's candidate...
    spoof_of: K | None = None  # ...this one


class RecognitionPipeline(Generic[K]):
    def __init__(self, models: Models, gallery: Gallery[K], config: RecognitionConfig) -> None:
        if gallery.dim != models.embedder.dim:
            raise ValueError(
                f"gallery holds {gallery.dim}-d templates but {models.model_name} makes "
                f"{models.embedder.dim}-d embeddings"
            )
        self.models = models
        self.gallery = gallery
        self.config = config
        self.threshold = config.effective_threshold
        self.passive_threshold = (
            PASSIVE_THRESHOLD if config.passive_threshold is None else config.passive_threshold
        )
        self._voter: Voter[K] = Voter(config.frames_to_agree, config.agree_window_s)
        # One blink detector per eye, each fed on every other frame (see _start_eye_sample).
        self._blinks = {
            side: BlinkDetector(
                closed_ratio=config.blink_closed_ratio,
                open_ratio=config.blink_open_ratio,
                max_closed_s=config.blink_max_closed_s,
            )
            for side in EYE_SIDES
        }
        self._next_eye = 0
        self._presence: _Presence[K] | None = None
        self._gate = ChangeGate() if config.idle_gate else None
        self._eye_thread: ThreadPoolExecutor | None = None  # started with blink's first use

    def reset(self) -> None:
        """Forget the current presence (e.g. after the attendance screen was shown)."""
        self._presence = None
        self._voter.reset()
        for detector in self._blinks.values():
            detector.reset()
        self._next_eye = 0

    def process(self, frame: NDArray[Any], now: float | None = None) -> FrameResult[K]:
        now = time.monotonic() if now is None else now
        t_start = time.perf_counter()
        timings: dict[str, float] = {}
        presence = self._presence
        if presence is not None and now - presence.last_seen > self.config.agree_window_s:
            self.reset()  # the face left: the next one is a new presence
        try:
            # Nobody is followed: a frame like the last one searched holds no new face.
            gate = self._gate if self._presence is None else None
            if gate is not None and not gate.should_detect(as_bgr(frame), now):
                timings["total_ms"] = (time.perf_counter() - t_start) * 1000
                return FrameResult(
                    FaceState.NONE, message="no change", skipped=True, timings_ms=timings
                )
            prepared = prepare(frame)
        except ImageError as exc:
            return FrameResult(FaceState.REFUSED, reason=Refusal.UNREADABLE, message=str(exc))
        t = time.perf_counter()
        faces, search_scale = self._detect(prepared)
        timings["detect_ms"] = (time.perf_counter() - t) * 1000
        h, w = prepared.gray.shape
        face = primary_face(faces, w, h)
        if face is None:
            timings["total_ms"] = (time.perf_counter() - t_start) * 1000
            return FrameResult(
                FaceState.NONE,
                message="no face",
                timings_ms=timings,
                search_scale=search_scale,
            )

        cfg = self.config
        presence = self._follow(face.box, now)
        # The blink sample (the iris model, ~6 ms) runs on the other core while this thread
        # cuts, checks and embeds the face; it is collected before anything is decided.
        eyes = self._start_eye_sample(prepared.rgb, face)

        t = time.perf_counter()
        embedder = self.models.embedder
        chip = face_chip(prepared.rgb, face, embedder.chip_size, embedder.chip_padding)
        quality = assess(face, chip, cfg)
        timings["quality_ms"] = (time.perf_counter() - t) * 1000
        box = face.box.xywh()
        if not quality.ok:
            # Before the quality gates: the very frames of a blink are often the blurry ones.
            liveness = self._update_liveness(eyes, now, timings)
            timings["total_ms"] = (time.perf_counter() - t_start) * 1000
            if quality.reason != presence.last_reason:
                log.info("face refused: %s", quality.message)
                presence.last_reason = quality.reason
            return FrameResult(
                FaceState.REFUSED,
                box,
                reason=quality.reason,
                message=quality.message,
                liveness=liveness,
                quality=quality,
                timings_ms=timings,
                search_scale=search_scale,
            )
        presence.last_reason = None

        t = time.perf_counter()
        vector = embedder.embed(chip[None])[0]
        timings["embed_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        match = self.gallery.match(vector)
        timings["match_ms"] = (time.perf_counter() - t) * 1000
        liveness = self._update_liveness(eyes, now, timings)
        candidate = match.key if match.accepted(self.threshold) else None
        vote = self._voter.push(candidate, now)

        def passive_score() -> LivenessScore:
            score = self.models.passive().score(prepared.bgr, box)
            timings["passive_ms"] = score.ms
            return score

        result = self._decide(
            presence=presence,
            match=match,
            candidate=candidate,
            votes=vote.count,
            agreed=vote.agreed,
            liveness=liveness,
            passive_score=passive_score if cfg.needs_passive else None,
        )
        spoof = result[0] is FaceState.REFUSED
        timings["total_ms"] = (time.perf_counter() - t_start) * 1000
        return FrameResult(
            result[0],
            box,
            employee_id=result[1],
            distance=match.distance if math.isfinite(match.distance) else None,
            candidate=candidate,
            votes=vote.count,
            new_decision=result[2],
            reason=Refusal.SPOOF if spoof else None,
            message=result[3],
            liveness=liveness,
            passive=result[4],
            quality=quality,
            match=match,
            timings_ms=timings,
            search_scale=search_scale,
        )

    # -- steps ----------------------------------------------------------------------------

    def _detect(self, prepared: PreparedFrame) -> tuple[list[DetectedFace], float]:
        """Every face in the frame, and the scale they were found at: the plan's, or a
        smaller one while a large face is followed (the plan's again if that finds none)."""
        cfg = self.config
        h, w = prepared.gray.shape
        plan = detection_plan(
            w,
            h,
            detector=self.models.detector_name,
            min_face_px=cfg.min_face_px,
            max_side=cfg.detect_max_side,
            upsample=cfg.detect_upsample,
        )
        detector, mesh = self.models.detector, self.models.mesh
        presence = self._presence
        if presence is not None and cfg.detect_max_side is None:
            reduced = tracked_scale(
                plan,
                presence.box.width,
                detector=self.models.detector_name,
                margin=cfg.tracked_face_margin,
            )
            if reduced is not None:
                faces = detect_faces(
                    detector, mesh, prepared, scale=reduced, upsample=0, min_face_px=cfg.min_face_px
                )
                if faces:
                    return faces, reduced
        found = detect_faces(
            detector, mesh, prepared, scale=plan[0], upsample=plan[1], min_face_px=cfg.min_face_px
        )
        return found, plan[0] * 2 ** plan[1]

    def _follow(self, box: FaceBox, now: float) -> _Presence[K]:
        p = self._presence
        if p is not None:
            gap = now - p.last_seen
            (x0, y0), (x1, y1) = p.box.center, box.center
            jump = math.hypot(x1 - x0, y1 - y0) / max(p.box.width, box.width, 1)
            if gap > self.config.agree_window_s or jump > 0.75:
                self.reset()
                p = None
        if p is None:
            p = _Presence(box, now)
            self._presence = p
        p.box, p.last_seen = box, now
        return p

    def _start_eye_sample(self, rgb: NDArray[np.uint8], face: DetectedFace) -> _EyeReading | None:
        """One eye's reading by the iris model, started on the eye thread; None when blink
        liveness is off, the face is too small to judge or has no mesh.

        The eyes take turns, one per frame: a blink closes both, and at a camera's 25-30
        frames per second even an 80 ms blink shows each eye closed in at least one of the
        frames it is read in, while the iris model's cost per frame halves (3.3 ms instead of
        6.6 on this project's CPU; ``bench``)."""
        if not self.config.needs_blink or face.mesh is None:
            return None
        if face.box.width < self.config.min_face_px:
            return None
        if self._eye_thread is None:
            self._eye_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blink")
        side = EYE_SIDES[self._next_eye]
        self._next_eye = 1 - self._next_eye
        iris = self.models.iris()
        return side, self._eye_thread.submit(iris.eye_sample, rgb, face.mesh.points, (side,))

    def _update_liveness(
        self, eyes: _EyeReading | None, now: float, timings: dict[str, float]
    ) -> bool | None:
        if not self.config.needs_blink:
            return None
        if eyes is not None:
            side, reading = eyes
            t = time.perf_counter()
            self._blinks[side].update(reading.result(), now)
            timings["liveness_wait_ms"] = (time.perf_counter() - t) * 1000
        seen = [d.last_blink_at for d in self._blinks.values() if d.last_blink_at is not None]
        return bool(seen) and now - max(seen) <= self.config.blink_valid_s

    def _decide(
        self,
        *,
        presence: _Presence[K],
        match: Match[K],
        candidate: K | None,
        votes: int,
        agreed: bool,
        liveness: bool | None,
        passive_score: Callable[[], LivenessScore] | None,
    ) -> tuple[FaceState, K | None, bool, str, LivenessScore | None]:
        """(state, who, new decision, message, the passive score of a deciding frame)."""
        if not agreed:
            return (
                FaceState.CHECKING,
                None,
                False,
                f"checking ({votes}/{self.config.frames_to_agree})",
                None,
            )
        if candidate is None:
            new = not presence.decided_unknown
            presence.decided_unknown, presence.decided = True, None
            if new:
                log.debug(
                    "decision: unknown face (nearest %s at distance %.4f > threshold %.4f)",
                    match.key,
                    match.distance,
                    self.threshold,
                )
            return FaceState.UNKNOWN, None, new, "not recognised", None
        if liveness is False:
            return FaceState.BLINK, candidate, False, "please blink", None
        if presence.spoof is not None and presence.spoof_of == candidate:
            # refused already: the same answer, not scored again
            return FaceState.REFUSED, candidate, False, self._spoof(presence.spoof), presence.spoof
        new = presence.decided != candidate
        score = None
        if new and passive_score is not None:
            # the frame that decides someone: a person, or a photo or a screen?
            score = passive_score()
            if score.real < self.passive_threshold:
                presence.decided, presence.decided_unknown = None, False
                presence.spoof, presence.spoof_of = score, candidate
                log.debug("decision: %s refused: %s", candidate, self._spoof(score))
                return FaceState.REFUSED, candidate, True, self._spoof(score), score
        presence.decided, presence.decided_unknown = candidate, False
        if new:
            log.debug(
                "decision: recognised %s (distance %.4f, threshold %.4f, next %s at %.4f, "
                "%d frames, liveness %s)",
                candidate,
                match.distance,
                self.threshold,
                match.second_key,
                match.second_distance,
                votes,
                self.config.liveness,
            )
        return FaceState.RECOGNISED, candidate, new, "recognised", score

    def _spoof(self, score: LivenessScore) -> str:
        return (
            f"a photo or a screen, not a person (passive liveness: real {score.real:.3f} "
            f"< threshold {self.passive_threshold:.3f})"
        )


def liveness_record(mode: str, result: FrameResult[Any]) -> str:
    """What a recorded face keeps about liveness (``attendance_events.liveness``, 16
    characters at most, central included): ``off``; ``blink`` (blink mode: a blink seen);
    ``passive 0.987`` (the deciding frame's real score); ``both 0.987 blink``."""
    if mode == "blink":
        return "blink" if result.liveness else "none"
    if mode not in ("passive", "both"):
        return "off"
    score = "-" if result.passive is None else f"{result.passive.real:.3f}"
    if mode == "passive":
        return f"passive {score}"
    return f"both {score} {'blink' if result.liveness else 'none'}"
