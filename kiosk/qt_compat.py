"""Work-arounds for defects of the pinned Qt binding, each probed at import.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference to
it, so every emit from Python lowers ``True``'s reference count by one. At 30 frames a
second the count reaches zero within minutes and the interpreter aborts ("Fatal Python
error: bool_dealloc"). Every emit in the kiosk goes through ``emit`` below, which gives
the reference back when the probe found the defect, and does nothing otherwise (a fixed
binding, or another one). An extra reference to ``True`` is harmless either way.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 200


class _Probe(QObject):
    signal = Signal()


def _emit_drops_a_reference_to_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.signal.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:
        _give_back(lost)  # undo what the probe itself cost
    # Other threads may touch True meanwhile; the defect costs one reference per emit.
    return lost >= _PROBES // 2


def _give_back(count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


EMIT_LOSES_TRUE = _emit_drops_a_reference_to_true()


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, safe from the reference leak described above."""
    signal.emit(*args)
    if EMIT_LOSES_TRUE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
