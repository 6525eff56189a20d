"""The kinds of record and where a person stands in their shift day (rule 3 of
core/attendance/rules.py): which kinds each state allows, and the state a day's records
leave. Pure code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class Kind(StrEnum):
    """What a record says the person did. The stored value is the enum's value."""

    IN = "in"
    OUT = "out"
    BREAK_START = "break_start"  # an unpaid break begins (the person stays checked in)
    BREAK_END = "break_end"  # back from the break


class IgnoreReason(StrEnum):
    COOLDOWN = "cooldown"  # same person again within the cooldown
    OUT_OF_ORDER = "out_of_order"  # instant earlier than the person's latest record
    NOT_ALLOWED = "not_allowed"  # a kind the person's state does not allow (OUT while off)


class PunchMode(StrEnum):
    """How a face or a PIN becomes a kind of record (the ``punch_mode`` setting)."""

    TOGGLE = "toggle"  # the likely kind, in and out alternating; no breaks guessed
    ASK = "ask"  # the person chooses; the likely kind is offered first and taken after a while
    SHIFT = "shift"  # the likely kind from the shift and the last record, changeable for a moment


class DayState(StrEnum):
    """Where a person stands within one shift day (rule 3)."""

    OFF = "off"
    IN = "in"
    ON_BREAK = "on_break"


_ALLOWED: dict[DayState, tuple[Kind, ...]] = {
    DayState.OFF: (Kind.IN,),
    DayState.IN: (Kind.OUT, Kind.BREAK_START),
    DayState.ON_BREAK: (Kind.BREAK_END, Kind.OUT),
}


def allowed_kinds(state: DayState) -> tuple[Kind, ...]:
    """The kinds a record may have in ``state``, the usual one first."""
    return _ALLOWED[state]


def state_after(state: DayState, kind: Kind) -> DayState:
    """The state a record of ``kind`` leaves; one that ``state`` does not allow (old or
    corrected data) changes as little as it can: a second IN keeps the person in."""
    if kind is Kind.IN:
        return DayState.IN if state is DayState.OFF else state
    if kind is Kind.OUT:
        return DayState.OFF
    if kind is Kind.BREAK_START:
        return DayState.ON_BREAK if state is DayState.IN else state
    return DayState.IN if state is DayState.ON_BREAK else state


def day_state(kinds: Iterable[Kind]) -> DayState:
    """The state after one shift day's records, ``kinds`` in time order."""
    state = DayState.OFF
    for kind in kinds:
        state = state_after(state, kind)
    return state


def first_out_of_sequence(kinds: Sequence[Kind]) -> int | None:
    """The index of the first of one day's records (in time order) that its state before
    did not allow, or None when every record follows from the ones before it."""
    state = DayState.OFF
    for index, kind in enumerate(kinds):
        if kind not in _ALLOWED[state]:
            return index
        state = state_after(state, kind)
    return None
