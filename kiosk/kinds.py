"""What each kind of record is called on screen, in the window's language: one place for
the result card, the choice of record and the settings' attendance log."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.attendance.rules import Kind

translate = QCoreApplication.translate

# The order of the choice buttons: always the same, so a thumb learns where each is.
KIND_ORDER = (Kind.IN, Kind.OUT, Kind.BREAK_START, Kind.BREAK_END)


def kind_text(kind: Kind) -> str:
    texts = {
        Kind.IN: translate("Kinds", "Check-in"),
        Kind.OUT: translate("Kinds", "Check-out"),
        Kind.BREAK_START: translate("Kinds", "Break start"),
        Kind.BREAK_END: translate("Kinds", "Break end"),
    }
    return texts[kind]


def kind_tone(kind: Kind) -> str:
    """The card's colour: green in, blue out, violet for a break."""
    if kind is Kind.IN:
        return "in"
    if kind is Kind.OUT:
        return "out"
    return "break"
