"""One log line per decision, naming people by code and name (the pipeline knows only ids).

``recognised``, ``unknown``, ``waiting for a blink`` and ``refused: a photo or a screen`` are
what an operator reads when the kiosk did something unexpected: who it saw, at what distance
against which threshold, who came second, how many frames agreed, and what liveness saw.
"""

from __future__ import annotations

import logging
import uuid

from core.recognition.pipeline import FrameResult
from core.states import FaceState, Refusal

log = logging.getLogger(__name__)


class DecisionLog:
    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.people: dict[uuid.UUID, tuple[str, str]] = {}  # id → (code, name)
        self._awaiting_blink: uuid.UUID | None = None

    def who(self, employee_id: uuid.UUID | None) -> str:
        if employee_id is None:
            return "-"
        code, name = self.people.get(employee_id, ("?", "?"))
        return f"{code} {name}".strip()

    def name_of(self, employee_id: uuid.UUID | None) -> str | None:
        if employee_id is None:
            return None
        return self.people.get(employee_id, ("", ""))[1] or None

    def note(self, result: FrameResult[uuid.UUID]) -> None:
        """Log the frame's decision, if it made one (each once per presence)."""
        match = result.match
        if result.new_decision and result.state is FaceState.RECOGNISED:
            second = "" if match is None else f", next {self.who(match.second_key)}"
            log.info(
                "decision: recognised %s (distance %.4f, threshold %.4f%s, %d frames, liveness %s)",
                self.who(result.employee_id),
                result.distance or 0.0,
                self.threshold,
                second,
                result.votes,
                self._liveness_of(result),
            )
        elif result.new_decision and result.state is FaceState.UNKNOWN:
            nearest = "" if match is None else f"{self.who(match.key)} at {match.distance:.4f}"
            log.info(
                "decision: unknown face (nearest %s > threshold %.4f)",
                nearest or "none",
                self.threshold,
            )
        elif result.new_decision and result.reason is Refusal.SPOOF:
            log.info(
                "decision: %s matches, refused: %s; not recorded",
                self.who(result.employee_id),
                result.message,
            )
        elif result.state is FaceState.BLINK and result.employee_id != self._awaiting_blink:
            log.info(
                "decision: %s matches, waiting for a blink before recording (liveness)",
                self.who(result.employee_id),
            )
        self._awaiting_blink = result.employee_id if result.state is FaceState.BLINK else None

    def _liveness_of(self, result: FrameResult[uuid.UUID]) -> str:
        parts = []
        if result.liveness is not None:
            parts.append("blink seen" if result.liveness else "no blink")
        if result.passive is not None:
            parts.append(f"passive real {result.passive.real:.3f}")
        return ", ".join(parts) or "off"
