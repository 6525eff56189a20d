"""The real kiosk under a real X server, used as a person at a touch screen would.

tools/harness/live_screenshots.py runs ``main.py`` full screen under Xvfb at 1024×768 with a video
of a real face as its camera; the kiosk recognises the enrolled person, then ``xdotool``
taps "Use code and PIN", the code box, the letter and digit keys, the PIN box and
"Record" (pointer events through the X server, as a touch screen sends them), and the PIN
record must be made; then F2 must open the sign-in (the window took the keyboard focus
itself). With a window manager (openbox) Alt+F4 must be refused. It needs
Xvfb and xdotool (.ci/run installs them) and is skipped without them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import FACES, ROOT

needs_x = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Xvfb and xdotool (apt-get install xvfb xdotool)",
)


def live(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.harness.live_screenshots", "--out", str(tmp_path),
         "--size", "1024x768", "--dataset", str(FACES), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip


@pytest.mark.slow
@needs_x
def test_a_pin_tapped_on_the_real_window_records_without_a_window_manager(
    tmp_path: Path,
) -> None:
    done = live(tmp_path, "--lang", "es")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PIN record by taps: Lucía Fernández | Registrado con PIN" in done.stdout
    shots = {p.name for p in tmp_path.glob("*.png")}
    assert {f"1024x768_es_{s}.png" for s in ("idle", "recognised", "pin_pad")} <= shots
    assert "1024x768_es_f2_sign_in.png" in shots  # F2 reached a window with no manager


@pytest.mark.slow
@needs_x
@pytest.mark.skipif(shutil.which("openbox") is None, reason="needs openbox")
def test_alt_f4_through_a_window_manager_is_refused(tmp_path: Path) -> None:
    """Also punch_mode = ask, in the same run (one window start less): the walk-up person,
    checked in an hour before, is asked which record this is, and "Break start" is tapped
    with xdotool; the card must say the break."""
    done = live(tmp_path, "--lang", "en", "--wm", "openbox", "--punch-mode", "ask")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1024x768_en_openbox: chosen by a tap: Break start" in done.stdout
    assert (tmp_path / "1024x768_en_openbox_choose.png").is_file()
    assert "PIN record by taps: Lucía Fernández | Recorded with PIN" in done.stdout
    assert (tmp_path / "1024x768_en_openbox_close_refused.png").is_file()


@pytest.mark.slow
@needs_x
def test_keys_reach_a_window_with_no_manager_and_the_pointer_elsewhere(tmp_path: Path) -> None:
    """1280x800 on a 1920x1080 screen, the pointer in the far corner, nothing tapped yet:
    X gives the keyboard only to the window that asked for the focus."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.harness.live_screenshots", "--out", str(tmp_path),
         "--size", "1920x1080", "--dataset", str(FACES), "--lang", "en", "--windowed"],
        cwd=ROOT, capture_output=True, text=True, timeout=400, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "1920x1080_en_windowed_f2_sign_in.png").is_file()
