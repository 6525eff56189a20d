"""Waiting longer after each failure: exponential backoff with jitter, for everything that
retries (a camera that was lost, a central database that is away).

After ``n`` consecutive failures the wait is ``initial · factor^(n−1)``, at most ``cap``,
spread by ± ``jitter`` and never past ``cap``. The jitter keeps kiosks that lost the same
network camera or server from knocking again in lock-step.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["Backoff", "backoff_delay"]


def backoff_delay(
    failures: int,
    initial: float,
    *,
    cap: float,
    factor: float = 2.0,
    jitter: float = 0.2,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after ``failures`` consecutive failures (≥ 1)."""
    base = min(initial * factor ** max(failures - 1, 0), cap)
    return min(cap, max(0.0, base * (1 + jitter * (2 * rand() - 1))))


class Backoff:
    """The same, counting the failures itself: ``next_delay()`` after each, ``reset()``
    after a success so the next outage starts short again."""

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
        self.failures = 0

    def next_delay(self) -> float:
        self.failures += 1
        return backoff_delay(
            self.failures,
            self.initial,
            cap=self.cap,
            factor=self.factor,
            jitter=self.jitter,
            rand=self._rng.random,
        )

    def reset(self) -> None:
        self.failures = 0
