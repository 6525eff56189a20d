"""Lengths of time as people say them: "45 min", "6 h 7 min", in the window's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def duration_text(minutes: int) -> str:
    """Minutes under an hour, else hours and minutes ("367 min" reads as "6 h 7 min")."""
    minutes = max(0, int(minutes))
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return translate("Durations", "{m} min").format(m=rest)
    if rest == 0:
        return translate("Durations", "{h} h").format(h=hours)
    return translate("Durations", "{h} h {m} min").format(h=hours, m=rest)
