"""Attendance rules and summaries: pure code, no I/O (see ``rules`` for the rules)."""

from core.attendance.rules import (
    Accepted,
    Decision,
    Ignored,
    IgnoreReason,
    Kind,
    PriorRecord,
    RulesConfig,
    ShiftSpec,
    decide,
    shift_occurrences,
    wall_clock_to_utc,
)
from core.attendance.summary import DaySummary, SummaryRecord, summarize_days

__all__ = [
    "Accepted",
    "DaySummary",
    "Decision",
    "IgnoreReason",
    "Ignored",
    "Kind",
    "PriorRecord",
    "RulesConfig",
    "ShiftSpec",
    "SummaryRecord",
    "decide",
    "shift_occurrences",
    "summarize_days",
    "wall_clock_to_utc",
]
