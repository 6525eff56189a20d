"""The bundle's empty ICU data (packaging/icu) changes nothing the kiosk shows.

The bundle replaces Qt's 31 MB ICU data library with an empty ICU package. The same drawing
— Spanish and English text with accents, ñ and ¿, dates in both languages as the status bar
writes them, a text field, a right-to-left word — is made in two processes, one with Qt's
own ICU data and one with the stub loaded in its place (``LD_PRELOAD``, as the bundle's
loader would find it), and the pictures must be identical to the pixel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

STUB = ROOT / "packaging" / "icu" / "libicudata.so.73"

DRAW = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QDate, QLocale, QSize
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

app = QApplication([])
maps = Path("/proc/self/maps").read_text()
icu = sorted({line.split()[-1] for line in maps.splitlines() if "libicudata" in line})
window = QWidget()
layout = QVBoxLayout(window)
day = QDate(2026, 12, 7)
for text in (
    "¿Registrar la salida, señora Núñez? Año 2026 · Ünïcödé · Ωμέγα · 東京 · עברית",
    QLocale("es_ES").toString(day, "dddd, d 'de' MMMM 'de' yyyy"),
    QLocale("en_GB").toString(day, "dddd, d MMMM yyyy"),
    QLocale("es_ES").toString(1234567.89, "f", 2),
):
    layout.addWidget(QLabel(text))
field = QLineEdit("Pérez Ibáñez, José María")
layout.addWidget(field)
window.resize(QSize(640, 220))
window.show()
app.processEvents()
window.grab().save(sys.argv[1], "PNG")
print("\n".join(icu))
"""


def draw(out: Path, *, stub: bool) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LD_PRELOAD", None)
    if stub:
        env["LD_PRELOAD"] = str(STUB)
    done = subprocess.run(
        [sys.executable, "-c", DRAW, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the stub is for Linux")
def test_the_kiosk_draws_the_same_pixels_with_the_empty_icu_data(tmp_path: Path) -> None:
    own = draw(tmp_path / "own.png", stub=False)
    stubbed = draw(tmp_path / "stub.png", stub=True)
    assert stubbed == [str(STUB)], stubbed  # the stub, and only it, served ICU's data
    assert own and all(path != str(STUB) for path in own)
    assert (tmp_path / "own.png").read_bytes() == (tmp_path / "stub.png").read_bytes()


def test_the_stub_is_the_icu_version_pyside6_links() -> None:
    """A PySide6 with another ICU would make the spec stop; say so here first."""
    import PySide6

    qt_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    shipped = sorted(p.name for p in qt_lib.glob("libicudata.so.*"))
    assert shipped == [STUB.name], f"run python -m tools.release.icu_stub for {shipped}"
    assert STUB.stat().st_size < 64 * 1024


# What Qt reads ICU's data for, and so what the stub takes away (with the stub, a QCollator
# cannot be made and falls back to comparing code points; locale-aware case mapping does
# not apply): the kiosk must use none of it.
ICU_DATA_USERS = ("QCollator", "localeAwareCompare", "setSortLocaleAware", "QStringConverter")


def test_the_kiosk_uses_nothing_qt_reads_icu_data_for() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for folder in ("kiosk", "core")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in ICU_DATA_USERS
        if name in path.read_text(encoding="utf-8")
    ]
    assert not found, "Qt needs ICU's data for these; the bundle ships none: " + str(found)
