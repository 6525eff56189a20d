"""Screenshots of the real kiosk under Xvfb, a video of a real face as its camera, and a PIN
entered with real pointer events (``make live-screenshots``).

For each screen size: a throw-away data dir; a person from the shared face photos enrolled
from their photos (``main.py enroll``) and another with a PIN (``main.py employees add``);
a video of an entrance where they walk up (tools.harness.scene, from another of their photos); a
private Xvfb server of that size with no window manager; the kiosk full screen, in the
chosen language, driven by tools/harness/live_child.py. This process taps the "Use code and PIN"
button and then the pad's keys with ``xdotool`` (the X server's own pointer events, the path
a touch screen takes) and the child grabs the X screen at each step. It fails unless the PIN
record is made.

With ``--wm openbox`` a window manager runs too, and Alt+F4 must be refused by the kiosk.
With ``--punch-mode ask`` the walk-up person was checked in an hour before (a record
entered with ``punch --at``), so the kiosk asks which record this is: the parent taps
"Break start" on the question with xdotool, and it fails unless that break is recorded.
Written to ``--out`` (default docs/screenshots/live): ``<size>_<lang>[_<wm>]_<step>.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from core.host.images import read_image
from tools.harness.main_process import run_main, xvfb
from tools.harness.scene import Visit, cast, write_scene

ROOT = Path(__file__).resolve().parents[2]
SHARED_FACES = ROOT.parent / "shared" / "data" / "faces"
OUT_DIR = ROOT / "docs" / "screenshots" / "live"
TOOL = "live-screenshots"
PIN = "4821"
PIN_CODE, PIN_NAME = "E7", "Lucía Fernández"
STEP_TIMEOUT_S = 180


def tap(display: str, x: int, y: int) -> None:
    env = {**os.environ, "DISPLAY": display}
    subprocess.run(
        ["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env, check=True, timeout=10
    )
    time.sleep(0.15)  # the kiosk handles each tap before the next, as with a finger


def type_by_taps(display: str, keys: dict[str, list[int]], field: str, text: str) -> None:
    tap(display, *keys[field])
    page = 0
    for char in text:
        wanted = 0 if char.isdigit() else 1
        if wanted != page:
            tap(display, *keys[f"{page}:{'ABC' if page == 0 else '123'}"])
            page = wanted
        tap(display, *keys[f"{page}:{char}"])
    if page != 0:
        tap(display, *keys["1:123"])


def prepare(
    work: Path, dataset: Path, language: str, *, windowed: bool, punch_mode: str = "shift"
) -> Path:
    """The data dir: one person enrolled, one with a PIN, the walk-up video as camera."""
    data_dir = work / "data"
    (person,), _stranger = cast(dataset, people=1)
    run_main(data_dir, "enroll", "--code", person.code, "--name", person.name,
             *map(str, person.enroll), tool=TOOL)  # fmt: skip
    if punch_mode == "ask":
        # In an hour ago (entered afterwards, as an administrator would): now she may go
        # out or start a break, so the kiosk asks.
        hour_ago = datetime.now().astimezone() - timedelta(hours=1)
        at = f"{hour_ago:%Y-%m-%d %H:%M}"
        run_main(data_dir, "punch", "--code", person.code, "--kind", "in", "--at", at,
                 "--reason", "live test", tool=TOOL)  # fmt: skip
    # Someone else records with the PIN: the face in the video keeps being recognised
    # meanwhile, and its cards must not close the pad of another person.
    run_main(data_dir, "employees", "add", "--code", PIN_CODE, "--name", PIN_NAME,
             "--pin", PIN, tool=TOOL)  # fmt: skip
    scene = write_scene(
        work / "entrance.avi",
        [Visit(person.code, read_image(person.shown), stay_s=6.0, gap_before_s=3.0)],
        fps=30.0,
        tail_s=6.0,
    )
    (data_dir / "asistencia.toml").write_text(
        f"camera = {json.dumps(str(scene.path))}\ncamera_loop = true\n"
        f'liveness = "off"\nsounds = false\nfullscreen = {str(not windowed).lower()}\n'
        f'language = "{language}"\npunch_mode = "{punch_mode}"\n',
        encoding="utf-8",
    )
    return data_dir


class Session:
    """What the parent does for each line the child prints, and what it saw."""

    def __init__(self, display: str, env: dict[str, str], corner: tuple[int, int]) -> None:
        self.display, self.env, self.corner = display, env, corner
        self.done, self.seen = "", set[str]()
        self.chosen = ""  # the card after the tapped choice (punch_mode = ask)

    def key(self, *keys: str) -> None:
        subprocess.run(["xdotool", "key", *keys], env=self.env, check=True, timeout=10)

    def handle(self, word: str, rest: str) -> None:
        self.seen.add(word)
        if word == "TAP":
            x, y = (int(n) for n in rest.split())
            tap(self.display, x, y)
        elif word == "KEYS":
            keys = json.loads(rest)
            type_by_taps(self.display, keys, "code", PIN_CODE)
            type_by_taps(self.display, keys, "pin", PIN)
            tap(self.display, *keys["ok"])
        elif word == "CHOOSE":
            choices = json.loads(rest)
            if "break_start" not in choices:
                raise SystemExit(f"live-screenshots: no 'Break start' to tap in {choices}")
            tap(self.display, *choices["break_start"])
        elif word == "CHOSEN":
            self.chosen = rest
        elif word == "DONE":
            self.done = rest
        elif word == "CLOSE":
            self.key("--clearmodifiers", "alt+F4")
        elif word == "F2":
            # The pointer off the window first: keys must reach the kiosk through its
            # keyboard focus, not because the pointer happens to be over it.
            x, y = self.corner
            subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=self.env, check=True)
            self.key("F2")


def drive(
    display: str, data_dir: Path, shots: Path, *, wm: bool, corner: tuple[int, int]
) -> Session:
    """Run the kiosk on ``display``, tap where it says; what it saw."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env["ASISTENCIA_LIVE_WM"] = "1" if wm else "0"
    session = Session(display, env, corner)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tools.harness.live_child",
            str(shots),
            "--",
            "--data-dir",
            str(data_dir),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert child.stdout is not None
    deadline = time.monotonic() + STEP_TIMEOUT_S
    try:
        for line in child.stdout:
            if time.monotonic() > deadline:
                raise SystemExit("live-screenshots: the kiosk did not get there in time")
            if "Traceback" in line or "Error" in line:
                print(line, end="", file=sys.stderr)
            word, _, rest = line.strip().partition(" ")
            session.handle(word, rest)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if "SIGNIN" not in session.seen:
        raise SystemExit("live-screenshots: F2 did not reach the kiosk (no keyboard focus)")
    if wm and "REFUSED" not in session.seen:
        raise SystemExit("live-screenshots: Alt+F4 through the window manager was not refused")
    return session


@contextmanager
def window_manager(display: str, wm: str | None) -> Iterator[None]:
    if wm is None:
        yield
        return
    manager = subprocess.Popen(
        [wm], env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # it takes the screen's root window before the kiosk maps its own
    try:
        yield
    finally:
        manager.terminate()
        manager.wait(10)


def shoot(
    size: tuple[int, int],
    language: str,
    dataset: Path,
    out: Path,
    wm: str | None,
    *,
    windowed: bool = False,
    punch_mode: str = "shift",
) -> list[Path]:
    width, height = size
    label = f"{width}x{height}_{language}" + (f"_{Path(wm).name}" if wm else "")
    label += "_windowed" if windowed else ""
    work = Path(tempfile.mkdtemp(prefix="asistencia-live-"))
    try:
        data_dir = prepare(work, dataset, language, windowed=windowed, punch_mode=punch_mode)
        shots = work / "shots"
        shots.mkdir()
        with xvfb(width, height, tool=TOOL) as display, window_manager(display, wm):
            corner = (width - 1, height - 1)
            session = drive(display, data_dir, shots, wm=wm is not None, corner=corner)
        if not session.done:
            raise SystemExit("live-screenshots: no PIN record was made by tapping the pad")
        if punch_mode == "ask":
            if not session.chosen:
                raise SystemExit("live-screenshots: the kiosk did not ask which record this is")
            print(f"{label}: chosen by a tap: {session.chosen}")
        print(f"{label}: PIN record by taps: {session.done}")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for shot in sorted(shots.glob("*.png")):
            target = out / f"{label}_{shot.name}"
            shutil.copyfile(shot, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--size", action="append", help="WIDTHxHEIGHT (repeatable)")
    parser.add_argument("--lang", action="append", choices=("es", "en"))
    parser.add_argument("--dataset", type=Path, default=SHARED_FACES)
    parser.add_argument("--wm", help="a window manager to run (openbox); default: none")
    parser.add_argument(
        "--windowed", action="store_true", help="a window (1280x800 at most), not full screen"
    )
    parser.add_argument(
        "--punch-mode", choices=("shift", "ask"), default="shift",
        help="ask: the walk-up person is asked which record and 'Break start' is tapped",
    )  # fmt: skip
    args = parser.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"live-screenshots: {tool} is needed (apt-get install xvfb xdotool)")
    sizes = [tuple(int(n) for n in s.lower().split("x")) for s in args.size or ["1024x768"]]
    for size in sizes:
        for language in args.lang or ["es"]:
            shots = shoot(
                (size[0], size[1]), language, args.dataset, args.out, args.wm,
                windowed=args.windowed, punch_mode=args.punch_mode,
            )  # fmt: skip
            for path in shots:
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
