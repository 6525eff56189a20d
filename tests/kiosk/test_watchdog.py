"""systemd's watchdog: pinged only while the GUI thread and the recognition worker answer."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.host.watchdog import Watchdog
from tests.support.keys import ADMIN_PASSWORD
from tests.support.paths import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    """What systemd listens on: a Unix datagram socket (NOTIFY_SOCKET)."""
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.5)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    messages: list[str] = []
    try:
        while True:
            messages.append(sock.recv(4096).decode())
    except TimeoutError:
        return messages


def test_a_frozen_part_stops_the_pings_and_says_which(
    listener: tuple[str, socket.socket], caplog: pytest.LogCaptureFixture
) -> None:
    path, sock = listener
    clock = Clock()
    dog = Watchdog(path, 10.0, ("GUI thread", "recognition worker"), clock=clock)
    try:
        dog.ready()
        assert dog.check()
        clock.now += 4
        dog.beat("GUI thread")
        dog.beat("recognition worker")
        assert dog.check()
        # The GUI thread freezes: the worker goes on beating, the pings stop.
        for _ in range(2):  # 2 and 4 s without the GUI thread: under half the interval
            clock.now += 2
            dog.beat("recognition worker")
            assert dog.check()
        clock.now += 2
        dog.beat("recognition worker")
        with caplog.at_level(logging.ERROR, logger="core.host.watchdog"):
            assert not dog.check()
            assert not dog.check()
        assert "the GUI thread has not answered for 6 s" in caplog.text
        assert caplog.text.count("has not answered") == 1  # said once, not every check
        dog.beat("GUI thread")
        assert dog.check()
        assert received(sock) == ["READY=1"] + ["WATCHDOG=1"] * 5
    finally:
        dog.stop()


def test_it_runs_only_when_systemd_asks_for_it(tmp_path: Path) -> None:
    assert Watchdog.from_environment(("gui",), {}) is None
    other = {"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}
    assert Watchdog.from_environment(("gui",), other) is None  # meant for pid 1
    mine = Watchdog.from_environment(("gui",), {**other, "WATCHDOG_PID": str(os.getpid())})
    assert mine is not None and mine.interval_s == 30.0
    mine.stop()
    under_cage = Watchdog.from_environment(("gui",), {**other, "WATCHDOG_PID": str(os.getppid())})
    assert under_cage is not None
    under_cage.stop()
    abstract = Watchdog("@asistencia-test", 0, ("gui",))
    assert abstract.address == "\0asistencia-test" and abstract.stale_part() is None
    abstract.stop()


@pytest.mark.slow
def test_the_real_window_says_ready_pings_and_says_stopping(
    listener: tuple[str, socket.socket], tmp_path: Path
) -> None:
    path, sock = listener
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASISTENCIA_")}
    env |= {
        "ASISTENCIA_DATA_DIR": str(tmp_path / "data"),
        "ASISTENCIA_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "ASISTENCIA_CAMERA": str(tmp_path / "no-camera"),
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": path,
        "WATCHDOG_USEC": "1500000",
    }
    kiosk = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    messages: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while messages.count("WATCHDOG=1") < 4 and time.monotonic() < deadline:
            messages += received(sock)
        kiosk.send_signal(signal.SIGTERM)
        _, errors = kiosk.communicate(timeout=30)
        messages += received(sock)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
    assert kiosk.returncode == 0, errors
    assert messages[0] == "READY=1", messages
    assert messages.count("WATCHDOG=1") >= 4 and messages[-1] == "STOPPING=1"


def test_the_kiosk_unit_file_is_one_systemd_accepts(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the unit, in a root with the programs it starts."""
    import shutil

    analyze = shutil.which("systemd-analyze")
    system_units = Path("/usr/lib/systemd/system")
    if analyze is None or not system_units.is_dir():
        pytest.skip("needs systemd-analyze and systemd's own units (apt-get install systemd)")
    unit = ROOT / "packaging" / "systemd" / "asistencia-kiosk.service"
    root = tmp_path / "root"
    for program in ("usr/bin/cage", "opt/asistencia/asistencia"):
        path = root / program
        path.parent.mkdir(parents=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    installed = root / "etc/systemd/system" / unit.name
    installed.parent.mkdir(parents=True)
    shutil.copy(unit, installed)
    done = subprocess.run(
        [analyze, "verify", f"--root={root}", str(installed)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    text = unit.read_text()
    for line in ("Type=notify", "NotifyAccess=all", "WatchdogSec=", "Restart=always",
                 "StartLimitBurst=", "UMask=0077", "StateDirectoryMode=0700"):  # fmt: skip
        assert line in text
