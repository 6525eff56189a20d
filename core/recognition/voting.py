"""Temporal voting: an identity is accepted only after N agreeing frames within a window.

One frame can be fooled (motion blur, a half-turned head, someone walking past); N frames in a
row rarely are. A different identity or "unknown" starts the count again, and so does a gap
longer than the window. "Unknown" is itself decided the same way, so the kiosk says "not
recognised" only when it is sure of that too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Vote(Generic[K]):
    key: K | None  # the identity being counted (None = unknown)
    count: int  # agreeing frames within the window, this one included
    agreed: bool  # count reached the number needed


class Voter(Generic[K]):
    def __init__(self, frames: int, window_s: float) -> None:
        if frames < 1 or window_s <= 0:
            raise ValueError("frames must be >= 1 and window_s > 0")
        self.frames = frames
        self.window_s = window_s
        self._times: deque[float] = deque()
        self._key: K | None = None

    def push(self, key: K | None, now: float) -> Vote[K]:
        if self._times and (key != self._key or now < self._times[-1]):
            self._times.clear()
        self._key = key
        self._times.append(now)
        while self._times and now - self._times[0] > self.window_s:
            self._times.popleft()
        count = len(self._times)
        return Vote(key, count, count >= self.frames)

    def reset(self) -> None:
        self._times.clear()
        self._key = None
