"""Every screen and dialog fits 1024×768, 1280×800 and 1920×1080, in Spanish and English.

The scenes are the screenshot tool's (tools/harness/screenshots.py: the real window and pages on a
scripted runtime, with employees, shifts and records in a real store), walked at each size;
at each scene tests/support/layout_check.py looks for controls off the window and text that does
not fit the room it was given.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from kiosk.main_window import KioskWindow
from tests.support.layout_check import layout_problems
from tools.harness.screenshots import render_language

SIZES = ((1024, 768), (1280, 800), (1920, 1080))


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(language: str, size: tuple[int, int], tmp_path: Path) -> None:
    screen = QSize(*size)
    seen: list[str] = []
    problems: list[str] = []

    def check(name: str, window: KioskWindow) -> None:
        seen.append(name)
        problems.extend(f"{name}: {p}" for p in layout_problems(window, screen))

    render_language(language, tmp_path, set(), size=size, on_scene=check)
    assert len(seen) >= 30, seen  # every screen and dialog was visited
    assert not problems, "\n".join(problems)
