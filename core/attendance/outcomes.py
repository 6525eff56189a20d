"""What recording attendance answers: a record, a refusal, a question, or a record the
disk could not keep; and the names of the kinds of record in core's sentences."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.attendance.rules import IgnoreReason, Kind
from core.i18n import SOURCE, Message, text_in


@dataclass(frozen=True)
class Recorded:
    """An accepted record, with what the result card shows."""

    event_id: uuid.UUID
    employee_id: uuid.UUID
    employee_code: str
    employee_name: str
    kind: Kind
    occurred_at: datetime
    local_time: datetime
    shift_day: date
    method: str
    late_minutes: int
    early_leave_minutes: int
    overtime_minutes: int
    # The other kinds its person may still change it to (``shift`` mode, for a moment).
    alternatives: tuple[Kind, ...] = ()


@dataclass(frozen=True)
class NotRecorded:
    """A record the rules refused, with a sentence for people and the machine reason."""

    employee_code: str
    employee_name: str
    reason: IgnoreReason
    retry_after: timedelta | None
    message: str
    # COOLDOWN: the record made a moment ago, so the card can say what it was and when.
    last_kind: Kind | None = None
    last_local_time: datetime | None = None
    # ``message`` to be said in another language (the command line's).
    wording: Message | None = None


@dataclass(frozen=True)
class PunchChoice:
    """A recognised person who is to say which kind of record this is (``punch_mode =
    ask``): nothing is written until ``AttendanceService.choose(token, kind)``."""

    token: uuid.UUID
    employee_code: str
    employee_name: str
    allowed: tuple[Kind, ...]  # the likely kind first
    local_time: datetime  # when the person was recognised: the record's time
    method: str

    @property
    def likely(self) -> Kind:
        return self.allowed[0]


Outcome = Recorded | NotRecorded
# What a kiosk's face or PIN may lead to: a record, a refusal, or a question.
KioskOutcome = Recorded | NotRecorded | PunchChoice


@dataclass(frozen=True)
class NotSaved:
    """A record the rules accepted but the store could not keep (its commit failed: a full
    disk, a failing one); nothing of it was saved. ``message`` is the store's sentence."""

    employee_code: str
    employee_name: str
    message: str
    disk_full: bool


def kind_noun(kind: Kind) -> Message:
    """A kind of record as a sentence names it ("check-in"), in whichever language."""
    return Message(f"kind_noun.{kind.value}")


# The English names, for the sentences core logs and raises (and kiosk/messages.py reads).
KIND_WORDS = {kind: text_in(SOURCE, f"kind_noun.{kind.value}") for kind in Kind}
