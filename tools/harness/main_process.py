"""The processes the window tools start: ``python main.py --data-dir DIR ARGS...`` the way an
operator would, and a private Xvfb server (the soak, the live screenshots)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_main(data_dir: Path, *args: str, tool: str) -> None:
    """Run it; a failure stops ``tool`` with main.py's own message."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tool}: main.py {' '.join(args)} failed:\n{done.stderr}")


@contextmanager
def xvfb(width: int, height: int, *, tool: str) -> Iterator[str]:
    """A private X server of that size; yields its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten",
         "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit(f"{tool}: Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)
