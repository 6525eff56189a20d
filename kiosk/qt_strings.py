"""Qt's own strings that Qt's Spanish catalogue (qtbase_es) lacks, translated in ours.

Qt 6.11's file dialog labels its fields "&Look in:" and "Files of &type:"; qtbase_es only
has the older "Look in:" and "Files of type:". The window installs its catalogue after
Qt's, so these entries fill the gaps. ``QT_TRANSLATE_NOOP`` only marks them for lupdate;
a test (tests/kiosk/test_kiosk_i18n.py) opens the real dialog in Spanish and fails on English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
