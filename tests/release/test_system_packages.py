"""packaging/system-packages.sh: what `make run` and `make test` ask of the system first.

The checker is run for real with stand-ins on PATH: ``dpkg-query`` answering for a machine
without two of the xcb libraries, ``id`` saying who runs it, ``apt-get`` writing down what it
was asked, and a ``python3.11`` without its venv module. Nothing is installed on this machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.host.qt_platform import PACKAGES, check_platform
from tests.support.paths import ROOT

# fast and self-contained (stand-ins for apt and dpkg): `make quick` runs it, and so the
# fresh machine of .ci/fresh-machine runs it with shellcheck installed
pytestmark = pytest.mark.quick

SCRIPT = ROOT / "packaging" / "system-packages.sh"
GONE = ("libxcb-icccm4", "libxcb-keysyms1")
# PYTHON for the checker: this one is 3.11 with venv and ensurepip.


def listed(purpose: str) -> list[str]:
    done = subprocess.run(
        ["bash", str(SCRIPT), "--list", purpose], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def write_tool(folder: Path, name: str, body: str) -> None:
    tool = folder / name
    tool.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    tool.chmod(0o755)


class Machine:
    """A Debian machine as the checker sees it, through the tools it calls."""

    def __init__(self, tmp_path: Path, *, uid: int, missing: tuple[str, ...] = GONE) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.log = tmp_path / "apt.log"
        self.lists = tmp_path / "lists"
        self.lists.mkdir()
        (self.lists / "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages").touch()
        installed = tmp_path / "installed"
        installed.write_text("", encoding="utf-8")
        gone = " ".join(missing)
        # dpkg-query -W -f='${Package} ${Status}\n' NAMES: every name but the missing ones
        # (unless apt-get installed them since); a name dpkg never heard of is not printed.
        write_tool(
            self.bin,
            "dpkg-query",
            f'shift 2\nfor p in "$@"; do\n  case " {gone} " in\n'
            f'    *" $p "*) grep -qx "$p" "{installed}" || continue ;;\n  esac\n'
            '  echo "$p install ok installed"\ndone\n',
        )
        write_tool(self.bin, "id", f"echo {uid}\n")
        # apt-get: writes each call down; `install` fails until `update` ran when asked to
        # (the lists are stale), then records the packages as installed.
        self.stale = tmp_path / "stale"
        write_tool(
            self.bin,
            "apt-get",
            f'echo "$*" >> "{self.log}"\n'
            f'if [ "$1" = update ]; then rm -f "{self.stale}"; exit 0; fi\n'
            f'[ -e "{self.stale}" ] && exit 100\n'
            'for p in "$@"; do case "$p" in -*|install) ;; *) echo "$p" >> '
            f'"{installed}" ;; esac; done\n',
        )
        self.env = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "PYTHON": sys.executable,
            "ASISTENCIA_APT_LISTS": str(self.lists),
        }

    def check(self, purpose: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), purpose],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    def apt_calls(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines() if self.log.exists() else []


def test_a_user_is_stopped_with_the_one_command_to_run(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    started = time.monotonic()
    done = machine.check("run")
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("asistencia: missing system packages for the window (make run);")
    command = re.search(r"run: (sudo apt-get install [^(]+?) \(", lines[0])
    assert command is not None, lines[0]
    assert command.group(1) == (
        "sudo apt-get install --no-install-recommends libxcb-icccm4 libxcb-keysyms1"
    )
    assert "ASISTENCIA_SKIP_SYSTEM_CHECK=1" in lines[0]
    assert done.stdout == "" and machine.apt_calls() == []
    assert elapsed < 1.0, f"the check took {elapsed:.2f} s"


def test_the_tests_ask_for_their_x_server_and_tools_too(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000, missing=("xvfb", "xdotool", *GONE))
    done = machine.check("test")
    assert done.returncode == 1
    assert "for the tests (make test)" in done.stderr
    assert "--no-install-recommends libxcb-icccm4 libxcb-keysyms1 xvfb xdotool (" in done.stderr
    # The venv alone needs none of them.
    assert machine.check("python").returncode == 0


def test_root_installs_what_is_missing_and_updates_only_when_needed(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=0)
    done = machine.check("run")
    assert done.returncode == 0, done.stderr
    install = "install -y -q --no-install-recommends libxcb-icccm4 libxcb-keysyms1"
    assert machine.apt_calls() == [install]
    assert "installing the system packages the window (make run) needs" in done.stderr
    # Now installed: nothing more is asked of apt.
    assert machine.check("run").returncode == 0 and machine.apt_calls() == [install]


def test_root_updates_stale_or_absent_package_lists(tmp_path: Path) -> None:
    (tmp_path / "stale").mkdir()
    stale = Machine(tmp_path / "stale", uid=0)
    stale.stale.touch()  # lists that name versions the mirror no longer has
    assert stale.check("run").returncode == 0
    assert [call.split()[0] for call in stale.apt_calls()] == ["install", "update", "install"]

    (tmp_path / "fresh").mkdir()
    fresh = Machine(tmp_path / "fresh", uid=0)
    for lists in fresh.lists.iterdir():
        lists.unlink()  # a fresh container: apt has no lists at all
    assert fresh.check("run").returncode == 0
    assert [call.split()[0] for call in fresh.apt_calls()] == ["update", "install"]


def test_debians_python_without_venv_names_python3_11_venv(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000, missing=())
    fake = tmp_path / "python3.11"
    # What Debian's python3.11 answers without python3.11-venv (ensurepip lives there).
    fake.write_text("#!/bin/sh\necho no-venv /usr\n", encoding="utf-8")
    fake.chmod(0o755)
    done = machine.check("python", PYTHON=str(fake))
    assert done.returncode == 1
    assert "run: sudo apt-get install --no-install-recommends python3.11-venv (" in done.stderr

    other = tmp_path / "python3"
    other.write_text("#!/bin/sh\necho version 3.13.1\n", encoding="utf-8")
    other.chmod(0o755)
    done = machine.check("python", PYTHON=str(other))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "Python 3.11 is needed" in done.stderr and "3.13.1" in done.stderr


def test_another_distribution_is_told_what_is_needed_and_how_to_skip(tmp_path: Path) -> None:
    # A PATH without dpkg-query: only what the script needs besides it.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "awk", "grep", "id"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    env = {
        **os.environ,
        "PATH": str(bin_dir),
        "PYTHON": sys.executable,
    }
    run = ["bash", str(SCRIPT), "run"]
    done = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "not a Debian or Ubuntu system" in done.stderr
    assert "libxcb-icccm4" in done.stderr and "ASISTENCIA_SKIP_SYSTEM_CHECK=1" in done.stderr
    skipped = {**env, "ASISTENCIA_SKIP_SYSTEM_CHECK": "1"}
    done = subprocess.run(run, env=skipped, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stderr == ""


def test_the_run_list_holds_every_package_the_x11_plugin_links_to() -> None:
    """The script's list and core/host/qt_platform.py's library → package table cannot drift:
    every library Qt's xcb plugin needs (ldd) that the table knows is in the run list."""
    plugin = check_platform({"QT_QPA_PLATFORM": "xcb"}).plugin
    ldd = shutil.which("ldd")
    assert plugin is not None and ldd is not None
    answer = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=True).stdout
    libraries = {line.split()[0] for line in answer.splitlines() if "=>" in line}
    needed = {PACKAGES[lib] for lib in libraries if lib in PACKAGES}
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libgl1", "libegl1"} <= needed
    assert needed - set(listed("run")) == set()
    assert set(listed("run")) < set(listed("test")) < set(listed("ci"))
    assert {"xvfb", "xdotool", "openbox"} <= set(listed("test")) and listed("python") == []


@pytest.mark.parametrize(
    ("goals", "purpose"),
    [("run", "run"), ("test", "test"), ("lint", "python"), ("lint test", "test")],
)
def test_make_asks_the_system_before_anything_else(goals: str, purpose: str) -> None:
    """`make -n` prints what make would do: the check comes first, with the goal's list."""
    # Not the flags of a make this suite may run under (`make SYSTEM_PURPOSE=test test`).
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "SYSTEM_PURPOSE"}
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), *goals.split()],
        env={key: value for key, value in os.environ.items() if key not in outer},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    first = next(line for line in done.stdout.splitlines() if not line.startswith("make"))
    assert first.endswith(f"packaging/system-packages.sh {purpose}"), done.stdout


def test_the_script_passes_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("needs shellcheck (apt-get install shellcheck)")
    done = subprocess.run([shellcheck, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
