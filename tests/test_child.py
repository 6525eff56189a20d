"""core/child.py: the program's helper processes start from a source tree and from a bundle."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from core.child import CHILD_FLAG, child_command
from core.recognition import weights
from tests.conftest import ROOT


def test_from_a_source_tree_a_child_is_python_dash_m() -> None:
    command = child_command("core.recognition.landmarks_child", "model.dat")
    assert command == [sys.executable, "-m", "core.recognition.landmarks_child", "model.dat"]


def test_in_a_bundle_a_child_is_the_executable_with_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    module = "core.recognition.landmarks_child"
    assert child_command(module, "model.dat") == [sys.executable, CHILD_FLAG, module, "model.dat"]


def test_only_the_named_modules_can_be_children() -> None:
    with pytest.raises(ValueError, match="not a child module"):
        child_command("os")
    done = subprocess.run(
        [sys.executable, "main.py", CHILD_FLAG, "http.server"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0 and "http.server is not a child module" in done.stderr


def test_main_runs_the_landmark_child_as_a_bundle_would() -> None:
    """The bundle's way in (main.py with the flag): the child loads the model, says R, and
    exits 0 at the end of its input."""
    source = weights.packaged_dir()
    assert source is not None
    done = subprocess.run(
        [sys.executable, "main.py", CHILD_FLAG, "core.recognition.landmarks_child",
         str(source / weights.SHAPE68)],
        input=b"",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, b"R"), done.stderr


def test_a_stop_signalled_while_the_child_loads_does_not_kill_it() -> None:
    """Ctrl+C or systemctl stop reach the kiosk's whole process group, the child too, even
    in its first milliseconds; the kiosk ends it by closing its input."""
    source = weights.packaged_dir()
    assert source is not None
    child = subprocess.Popen(
        child_command("core.recognition.landmarks_child", str(source / weights.SHAPE68)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        time.sleep(0.15)  # the interpreter is up; numpy and dlib are still being imported
        child.send_signal(signal.SIGTERM)
        child.send_signal(signal.SIGINT)
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.read(1) == b"R"  # it lived on and loaded the model
        child.stdin.close()
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stdout is not None
        child.stdout.close()
