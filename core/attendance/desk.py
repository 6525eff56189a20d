"""What a kiosk remembers between a face (or PIN) and the person's answer, in memory only.

- **Choices** (``punch_mode = ask``): the rules have said which kinds the person may record;
  nothing is written until they tap one (or the window takes the likely one after a few
  seconds). The window holds only an opaque token: what was recognised, with which score
  and liveness, and when, stays here, so a window cannot record for someone it was not
  shown. A token is good for one use within ``CHOICE_TTL``.
- **Changeable records** (``punch_mode = shift``): a record the kiosk just made on its own
  guess may be changed to another allowed kind by the same person within ``CHANGE_TTL``.
- **Wrong PINs for codes that do not exist**, counted like a real employee's so that the
  answers (and the lock that follows) are the same whether or not the code exists.

Lost at a restart by design: a choice nobody made records nothing, and a change window of
seconds is over anyway.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from core.attendance.rules import Kind
from core.secrets.passwords import LockState

CHOICE_TTL = timedelta(seconds=30)
CHANGE_TTL = timedelta(seconds=20)
_MAX_ENTRIES = 256  # a kiosk serves one person at a time; this bounds a flood


@dataclass(frozen=True)
class PendingPunch:
    """A recognised person waiting to say which kind of record this is."""

    employee_id: uuid.UUID
    method: str  # face | pin
    occurred_at: datetime  # when the person was recognised: the record's instant
    allowed: tuple[Kind, ...]
    score: float | None = None
    liveness: str | None = None


K = TypeVar("K")
T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    until: datetime


class _Expiring(Generic[K, T]):
    """A small map whose entries vanish after their deadline or when taken."""

    def __init__(self) -> None:
        self._items: OrderedDict[K, _Entry[T]] = OrderedDict()

    def put(self, key: K, value: T, until: datetime) -> None:
        self._items[key] = _Entry(value, until)
        self._items.move_to_end(key)
        while len(self._items) > _MAX_ENTRIES:
            self._items.popitem(last=False)

    def take(self, key: K, now: datetime) -> T | None:
        entry = self._items.pop(key, None)
        return entry.value if entry is not None and now <= entry.until else None

    def peek(self, key: K, now: datetime) -> T | None:
        entry = self._items.get(key)
        return entry.value if entry is not None and now <= entry.until else None


class PunchDesk:
    """Thread-safe: the recognition worker offers, the window's requests take."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._choices: _Expiring[uuid.UUID, PendingPunch] = _Expiring()
        self._changeable: _Expiring[uuid.UUID, uuid.UUID] = _Expiring()
        self._unknown_codes: OrderedDict[str, LockState] = OrderedDict()

    def offer(self, pending: PendingPunch, now: datetime) -> uuid.UUID:
        token = uuid.uuid4()
        with self._lock:
            self._choices.put(token, pending, now + CHOICE_TTL)
        return token

    def take(self, token: uuid.UUID, now: datetime) -> PendingPunch | None:
        with self._lock:
            return self._choices.take(token, now)

    def changeable(self, event_id: uuid.UUID, employee_id: uuid.UUID, now: datetime) -> None:
        with self._lock:
            self._changeable.put(event_id, employee_id, now + CHANGE_TTL)

    def take_changeable(self, event_id: uuid.UUID, now: datetime) -> uuid.UUID | None:
        """The employee whose record this is, once, while it may still be changed."""
        with self._lock:
            return self._changeable.take(event_id, now)

    def unknown_code_state(self, code: str) -> LockState:
        with self._lock:
            return self._unknown_codes.get(code, LockState())

    def set_unknown_code_state(self, code: str, state: LockState) -> None:
        with self._lock:
            self._unknown_codes[code] = state
            self._unknown_codes.move_to_end(code)
            while len(self._unknown_codes) > _MAX_ENTRIES:
                self._unknown_codes.popitem(last=False)
