"""Exponential backoff with jitter for reconnecting to cameras."""

from __future__ import annotations

import random

__all__ = ["Backoff"]


class Backoff:
    """Delays of ``initial * factor**n`` seconds, capped, each spread by +/- ``jitter``.

    The jitter keeps several kiosks that lost the same network camera (or a camera
    server that restarted) from reconnecting in lock-step.
    """

    def __init__(
        self,
        initial: float = 0.5,
        cap: float = 10.0,
        factor: float = 2.0,
        jitter: float = 0.2,
        rng: random.Random | None = None,
    ) -> None:
        if initial <= 0 or cap < initial or factor < 1 or not 0 <= jitter < 1:
            raise ValueError("backoff needs 0 < initial <= cap, factor >= 1, 0 <= jitter < 1")
        self.initial = initial
        self.cap = cap
        self.factor = factor
        self.jitter = jitter
        # Not for security: only spreads retries in time.
        self._rng = rng or random.Random()  # noqa: S311
        self._base = initial

    def next_delay(self) -> float:
        """The delay before the next attempt; each call grows the following one."""
        base = self._base
        self._base = min(self._base * self.factor, self.cap)
        spread = base * self.jitter
        return min(self.cap, max(0.0, base + self._rng.uniform(-spread, spread)))

    def reset(self) -> None:
        """Call after a success so the next outage starts with a short delay again."""
        self._base = self.initial
