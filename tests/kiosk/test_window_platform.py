"""A bare machine: the window's system libraries are named before Qt can abort."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.host.qt_platform import check_platform, missing_libraries, platform_name
from tests.support.cli import run_main
from tests.support.paths import ROOT

GONE = ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")


def test_this_machine_can_load_the_x11_plugin() -> None:
    """Whether this machine has Qt's X libraries is a question about the machine, which
    ``main.py doctor`` answers (its ``window`` line) and ``.ci/run`` settles by installing
    them; here it only skips, saying which are missing and the command that adds them."""
    result = check_platform({"QT_QPA_PLATFORM": "xcb"})
    assert result.plugin is not None and result.plugin.name == "libqxcb.so"
    if result.missing:
        pytest.skip(f"this machine lacks {', '.join(result.missing)}: {result.problem()}")
    assert result.problem() is None, result.problem()


def test_the_platform_is_the_one_qt_will_choose() -> None:
    assert platform_name({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"
    assert platform_name({"QT_QPA_PLATFORM": "xcb:display=:1"}) == "xcb"
    assert platform_name({"DISPLAY": ":0"}) == "xcb"
    assert platform_name({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}) == (
        "wayland"
    )


@pytest.fixture
def bare_machine(tmp_path: Path) -> dict[str, str]:
    """The real ldd's answer for the real plugin, as on a Debian machine without two of the
    xcb libraries (they cannot be removed from this one): a stand-in ``ldd`` on PATH."""
    plugin = check_platform({"QT_QPA_PLATFORM": "xcb"}).plugin
    real = shutil.which("ldd")
    assert plugin is not None and real is not None
    answer_run = subprocess.run([real, str(plugin)], check=True, capture_output=True, text=True)
    answer = answer_run.stdout
    for lib in GONE:
        assert lib in answer
        answer = "\n".join(
            f"\t{lib} => not found" if line.strip().startswith(lib) else line
            for line in answer.splitlines()
        )
    assert missing_libraries(answer) == GONE
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "answer.txt").write_text(answer, encoding="utf-8")
    fake = bin_dir / "ldd"
    fake.write_text(f"#!/bin/sh\ncat '{bin_dir / 'answer.txt'}'\n", encoding="utf-8")
    fake.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "QT_QPA_PLATFORM": "xcb"}


def test_doctor_names_the_missing_packages(tmp_path: Path, bare_machine: dict[str, str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    result = run_main(*data, "doctor", "--json", env={**bare_machine, "DISPLAY": ":0"})
    assert result.returncode == 1, result.stdout + result.stderr
    window = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["window"]
    assert window["status"] == "fail"
    assert "libxcb-icccm.so.4" in window["detail"] and "libxcb-keysyms.so.1" in window["detail"]
    assert window["fix"] == "sudo apt-get install libxcb-icccm4 libxcb-keysyms1"

    # With no display (a server, the container) the window is not expected: a warning.
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    headless = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *data, "doctor"],
        env={**env, **bare_machine},
        capture_output=True,
        text=True,
        check=False,
    )
    assert headless.returncode == 0, headless.stdout + headless.stderr
    assert "warn window" in headless.stdout


def test_the_window_refuses_to_start_with_a_sentence_not_an_abort(
    tmp_path: Path, bare_machine: dict[str, str]
) -> None:
    result = run_main("--data-dir", str(tmp_path / "d"), env={**bare_machine, "DISPLAY": ":0"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    # Nothing was set up before the refusal: the one-time password is not spent on it.
    assert "First administrator" not in result.stdout + result.stderr
