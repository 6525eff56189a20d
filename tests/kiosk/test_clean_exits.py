"""The kiosk window ends with exit code 0 however it is closed, after recognition has run.

Each run is a real process (tests/support/exit_driver.py around ``main.main``): the real models, a
looping video of an enrolled person walking up to the camera, blink liveness (the iris
model runs on every frame with a face), until the worker has followed the face through the
whole pipeline. Then SIGTERM (``systemctl stop``), SIGINT (Ctrl+C), the window manager's
close button (which the kiosk refuses: then SIGTERM) or the administrator's confirmed
"Close Asistencia", five times each: every run must
exit 0, with no "Fatal Python error" and no child process left behind. Signals go to the
whole process group, as a terminal's Ctrl+C and systemd's stop do.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from core.host.images import read_image
from tests.support.keys import ADMIN_PASSWORD
from tests.support.paths import FACES, ROOT
from tools.harness.scene import Visit, write_scene

RUNS_EACH = 5
READY_TIMEOUT_S = 120.0
EXIT_TIMEOUT_S = 30.0
SIGNALS = {"sigterm": signal.SIGTERM, "sigint": signal.SIGINT}

pytestmark = pytest.mark.slow


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASISTENCIA_")}
    env.pop("CENTRAL_DATABASE_URL", None)
    return env | {
        "ASISTENCIA_DATA_DIR": str(data_dir),
        "ASISTENCIA_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "ASISTENCIA_TIMEZONE": "Europe/Madrid",
        "ASISTENCIA_KIOSK_ID": "kiosk-exits",
        "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen"),
    }


@pytest.fixture(scope="module")
def kiosk_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir with one enrolled person and a looping video of them walking up."""
    home = tmp_path_factory.mktemp("exits")
    data_dir = home / "data"
    photos = [str(FACES / "img1.jpg"), str(FACES / "img2.jpg")]
    enrolled = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "enroll",
            "--code",
            "E01",
            "--name",
            "Ana",
            *photos,
        ],
        cwd=ROOT,
        env=clean_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    visit = Visit("E01", read_image(FACES / "img4.jpg"), stay_s=4.0, gap_before_s=1.0)
    scene = write_scene(home / "door.avi", [visit], fps=25.0, tail_s=1.0)
    (data_dir / "asistencia.toml").write_text(
        f"camera = {str(scene.path)!r}\ncamera_loop = true\nliveness = 'blink'\nsounds = false\n",
        encoding="utf-8",
    )
    yield data_dir


def run_and_close(data_dir: Path, how: str) -> tuple[int, str, list[int]]:
    """Start the kiosk, wait until recognition has run, close it ``how``; (code, output,
    the pids of its child processes while it ran)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.exit_driver", how, "--"],
        cwd=ROOT,
        env=clean_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a service or a terminal job
    )
    assert process.stdout is not None
    output: list[str] = []
    children: list[int] = []
    deadline = time.monotonic() + READY_TIMEOUT_S
    # a kiosk that never prints READY (or never ends) would block the read forever
    killer = threading.Timer(READY_TIMEOUT_S + EXIT_TIMEOUT_S, process.kill)
    killer.start()
    try:
        for line in process.stdout:
            output.append(line)
            if line.startswith("READY"):
                children = [int(pid) for pid in line.split()[1:]]
                if how in SIGNALS:
                    os.killpg(process.pid, SIGNALS[how])
                if how != "close":
                    break
            if line.startswith("CLOSE REFUSED"):
                # The window manager's close left the kiosk running: stop it as systemd does.
                os.killpg(process.pid, signal.SIGTERM)
                break
            assert time.monotonic() < deadline, "recognition never ran:\n" + "".join(output)
        output.extend(process.stdout)  # to the end: the process closes its output at exit
        code = process.wait(EXIT_TIMEOUT_S)
    finally:
        killer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    return code, "".join(output), children


@pytest.mark.parametrize("how", [how for how in ("sigterm", "sigint", "close", "admin")
                                 for _ in range(RUNS_EACH)])  # fmt: skip
def test_the_window_exits_cleanly(kiosk_home: Path, how: str) -> None:
    code, output, children = run_and_close(kiosk_home, how)
    assert "READY" in output, output
    assert "Fatal Python error" not in output, output
    assert code == 0, f"exit code {code} after {how}:\n{output[-3000:]}"
    assert "EXIT 0" in output
    if how == "close":
        assert "CLOSE REFUSED" in output, output
    assert "Traceback" not in output, output
    left = [pid for pid in children if psutil.pid_exists(pid)]
    assert not left, f"child processes left running: {left}"
