"""``make soak``: the real kiosk window for SOAK_MINUTES (default 60) on a looping camera.

What it does, as a kiosk at a door would live it:

1. a fresh data dir; two people enrolled from photos with ``main.py enroll``;
2. a video of an entrance (tools.harness.scene) where each enrolled person walks up,
   then a stranger, then the first person again inside the cooldown, with empty
   entrance between visits; the kiosk plays it in a loop (``camera_loop``), as a camera;
3. ``main.py`` (the kiosk window, through tools/bench/soak_child.py, which samples the process
   once a second) under Xvfb when it is installed, else Qt's offscreen platform;
4. after the time is up, SIGTERM (as ``systemctl stop`` does); the kiosk must exit 0.

It prints one JSON object and exits 1 when the kiosk died or exited badly, a stranger (or
anyone not in front of the camera) was recorded, nobody was recorded at all, or memory,
threads or open files grew without bound. Liveness is off: photos cannot blink, and the
soak is about the process surviving a working day, not about liveness.

Settings: SOAK_MINUTES (float), SOAK_DATASET (labelled photos: ../shared/data/faces, else
tests/data/faces), SOAK_PLATFORM (xcb or offscreen), SOAK_KEEP (a folder to keep the run's
files in). ``python -m tools.bench.soak --minutes 6`` does the same from the command line.
"""

from __future__ import annotations

from core.host.env import prepare_environment

prepare_environment()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from tools.harness.main_process import run_main, xvfb  # noqa: E402
from tools.harness.scene import Person, Visit, cast, write_scene  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHARED_FACES = ROOT.parent / "shared" / "data" / "faces"
TEST_FACES = ROOT / "tests" / "data" / "faces"
STRANGER = "stranger"
WARM_UP_S = 60.0  # models, first decisions, caches: growth is measured after this
EXIT_TIMEOUT_S = 30.0
# "Grew without bound": growth after the warm-up beyond what caches and allocator arenas
# explain. A real leak shows as a steady slope; measured runs of the fixed kiosk stay flat.
RSS_GROWTH_LIMIT_MB = 40.0
RSS_SLOPE_LIMIT_MB_PER_H = 30.0
THREADS_GROWTH_LIMIT = 2
FILES_GROWTH_LIMIT = 8
AFTER_VISIT_S = 2.5  # a face that left is still searched for this long (the presence)


def pick_people(dataset: Path) -> tuple[list[Person], Path]:
    try:
        return cast(dataset)
    except ValueError as exc:
        raise SystemExit(f"soak: {exc}") from None


def build_scene(people: Sequence[Person], stranger: Path, video: Path) -> Any:
    from core.host.images import read_image

    first, second = people
    visits = [
        Visit(first.code, read_image(first.shown)),
        Visit(STRANGER, read_image(stranger)),
        Visit(second.code, read_image(second.shown)),
        # Within the cooldown: recognised again, not recorded again.
        Visit(first.code, read_image(first.shown), gap_before_s=6.0),
        Visit(STRANGER, read_image(stranger), stay_s=5.0),
    ]
    return write_scene(video, visits, fps=30.0, tail_s=20.0)


@contextmanager
def display(platform: str) -> Iterator[dict[str, str]]:
    """Environment for the window: a private Xvfb server, or the offscreen platform."""
    if platform == "offscreen":
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    with xvfb(1280, 800, tool="soak") as server:
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": server}


def choose_platform() -> str:
    wanted = os.environ.get("SOAK_PLATFORM", "")
    if wanted in ("xcb", "offscreen"):
        return wanted
    return "xcb" if shutil.which("Xvfb") else "offscreen"


# --- reading the run back -------------------------------------------------------------------


def read_samples(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def records(data_dir: Path) -> list[tuple[float, str, str]]:
    """(unix time, employee code, method) of every attendance record the kiosk stored."""
    from core.config import load_settings
    from core.context import AppContext
    from core.host.paths import DataPaths
    from core.store.models import AttendanceEvent

    paths = DataPaths(data_dir)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    try:
        with ctx.store.read() as session:
            rows = session.query(AttendanceEvent).all()
            return [(r.occurred_at.timestamp(), r.employee.code, r.method) for r in rows]
    finally:
        ctx.close()


def who_was_there(scene: Any, samples: list[dict[str, Any]], when: float) -> str | None:
    """Who was in front of the camera at ``when``: from the frame on screen at the sample
    before it, run on at the video's rate (a decision comes a few frames after its frame)."""
    before = [s for s in samples if s["t"] <= when and s.get("position") is not None]
    if not before:
        return None
    last = before[-1]
    position = last["position"] + round((when - last["t"]) * scene.fps)
    for back in range(0, round(scene.fps)):  # up to a second earlier
        who: str | None = scene.who_at(position - back)
        if who is not None:
            return who
    return None


def phase_cpu(scene: Any, samples: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """CPU in % of one core while nobody was in view, and while someone stood there: the
    whole process, and the recognition worker, GUI and camera threads on their own."""
    settle_frames = round(AFTER_VISIT_S * scene.fps)

    def phase(position: int) -> str | None:
        position %= scene.frames
        for segment in scene.segments:
            if segment.first <= position <= segment.last:
                if segment.who is None:
                    return "idle" if position - segment.first >= settle_frames else None
                return "face" if position >= segment.settled else None
        return None

    def thread_cpu(sample: dict[str, Any], prefix: str) -> float:
        return float(sum(v for k, v in sample["thread_cpu_s"].items() if k.startswith(prefix)))

    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a, b in itertools.pairwise(samples):
        if a.get("position") is None or b.get("position") is None or "census" in b:
            continue
        wall = b["t"] - a["t"]
        frames = round(wall * scene.fps)
        kinds = {phase(a["position"] + i) for i in range(0, frames + 1, 5)}
        if len(kinds) != 1 or None in kinds or wall <= 0:
            continue
        kind = kinds.pop()
        assert kind is not None
        totals = sums[kind]
        totals["wall"] += wall
        totals["process"] += b["cpu_s"] - a["cpu_s"] + b["children_cpu_s"] - a["children_cpu_s"]
        for name, prefix in (
            ("recognition", "recognition-worker"),
            ("gui", "MainThread"),
            ("camera", "camera-reader"),
        ):
            totals[name] += thread_cpu(b, prefix) - thread_cpu(a, prefix)
    return {
        kind: {k: round(100 * v / totals["wall"], 1) for k, v in totals.items() if k != "wall"}
        | {"seconds": round(totals["wall"])}
        for kind, totals in sums.items()
        if totals["wall"] > 0
    }


def census_growth(censuses: list[dict[str, Any]], top: int = 8) -> dict[str, dict[str, int]]:
    """What grew between the first and the last census: object types and weak-reference
    targets, the largest growths first (where to look when memory is not flat)."""
    if len(censuses) < 2:
        return {}
    first, last = censuses[0], censuses[-1]
    out: dict[str, dict[str, int]] = {}
    for key in ("objects_by_type", "weakrefs_to"):
        before, after = first.get(key, {}), last.get(key, {})
        grown = {name: after[name] - before.get(name, 0) for name in after}
        ranked = sorted(((n, d) for n, d in grown.items() if d > 0), key=lambda x: -x[1])
        out[key] = dict(ranked[:top])
    return out


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    if len(points) < 10:
        return 0.0
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return float(statistics.linear_regression(xs, ys).slope * 3600)


@dataclass(frozen=True)
class Run:
    """What one soak left behind."""

    scene: Any
    people: Sequence[Person]
    samples: list[dict[str, Any]]
    stored: list[tuple[float, str, str]]
    log: str
    exit_code: int | None
    minutes: float
    platform: str


def summarise(run: Run) -> dict[str, Any]:
    scene, people, samples, stored, log = run.scene, run.people, run.samples, run.stored, run.log
    minutes = run.minutes
    steady = [s for s in samples if s["age_s"] >= min(WARM_UP_S, minutes * 60 / 3)]
    first, last = (steady[0], steady[-1]) if steady else ({}, {})
    decisions = log.count("decision: recognised") + log.count("decision: unknown face")
    wrong: list[str] = []
    strangers = 0
    for when, code, method in stored:
        if method != "face":
            continue
        who = who_was_there(scene, samples, when)
        if who != code:
            wrong.append(f"{code} recorded while {who or 'nobody'} was in view")
            strangers += who == STRANGER
    rss = [(s["age_s"], s["rss_mb"]) for s in steady]
    half = rss[len(rss) // 2 :]
    censuses = [s["census"] | {"age_s": s["age_s"]} for s in samples if "census" in s]
    growth = census_growth(censuses)
    alive_s = samples[-1]["age_s"] if samples else 0.0
    result: dict[str, Any] = {
        "platform": run.platform,
        "minutes_asked": minutes,
        "minutes_alive": round(alive_s / 60, 2),
        "exit_code": run.exit_code,
        "frames_shown": last.get("frames_shown", 0),
        "decisions": decisions,
        "records": len(stored),
        "records_by_person": {
            p.code: sum(1 for _, code, _m in stored if code == p.code) for p in people
        },
        "visits_per_loop": len(scene.visits()),
        "loops": round(alive_s / scene.seconds, 1),
        "strangers_recorded": strangers,
        "wrong_records": wrong,
        "rss_mb": {
            "start": first.get("rss_mb"),
            "end": last.get("rss_mb"),
            "peak": last.get("peak_rss_mb"),
            "growth_after_warm_up": round(last.get("rss_mb", 0) - first.get("rss_mb", 0), 1),
            "slope_mb_per_hour_second_half": round(slope_per_hour(half), 1),
        },
        "threads": {"start": first.get("threads"), "end": last.get("threads")},
        "open_files": {"start": first.get("open_files"), "end": last.get("open_files")},
        "refs": {
            key: {"start": first.get(f"refs_{key}"), "end": last.get(f"refs_{key}")}
            for key in ("none", "true", "false")
        },
        "cpu_pct_of_one_core": phase_cpu(scene, samples),
        "longest_gui_stall_ms": max((s.get("stall_ms", 0.0) for s in steady), default=None),
        "census": [
            {"age_s": c["age_s"], "gc_objects": c["gc_objects"], "weakrefs": c["weakrefs"]}
            for c in censuses
        ],
        "census_growth": growth,
        "fatal_errors": log.count("Fatal Python error"),
        "warnings_logged": log.count(" WARNING "),
        "errors_logged": log.count(" ERROR "),
    }
    result["problems"] = problems(result, first, last, alive_s, minutes)
    return result


def problems(
    result: dict[str, Any],
    first: dict[str, Any],
    last: dict[str, Any],
    alive_s: float,
    minutes: float,
) -> list[str]:
    """Why the soak failed: each a sentence; none when it passed."""
    found = []
    if result["exit_code"] != 0:
        found.append(f"the kiosk exited with {result['exit_code']} (0 expected after SIGTERM)")
    if alive_s < minutes * 60 - 5:
        found.append(f"the kiosk was alive for {alive_s:.0f} s of {minutes * 60:.0f}")
    if result["fatal_errors"]:
        found.append("'Fatal Python error' in the kiosk's output")
    if result["strangers_recorded"]:
        found.append(f"{result['strangers_recorded']} record(s) of a stranger")
    if result["wrong_records"]:
        found.append(f"{len(result['wrong_records'])} record(s) of someone not in view")
    if not result["records"] or not result["decisions"]:
        found.append("nobody was recognised and recorded: the soak tested nothing")
    if not first:
        return found
    growth = result["rss_mb"]["growth_after_warm_up"]
    slope = result["rss_mb"]["slope_mb_per_hour_second_half"]
    if growth > RSS_GROWTH_LIMIT_MB and slope > RSS_SLOPE_LIMIT_MB_PER_H:
        found.append(f"memory grew {growth} MB after the warm-up ({slope} MB/hour)")
    if last["threads"] > first["threads"] + THREADS_GROWTH_LIMIT:
        found.append(f"threads grew from {first['threads']} to {last['threads']}")
    if last["open_files"] > first["open_files"] + FILES_GROWTH_LIMIT:
        found.append(f"open files grew from {first['open_files']} to {last['open_files']}")
    return found


def soak(minutes: float, dataset: Path, keep: Path | None) -> int:
    platform = choose_platform()
    work = Path(tempfile.mkdtemp(prefix="asistencia-soak-"))
    try:
        data_dir = work / "data"
        people, stranger = pick_people(dataset)
        for person in people:
            who = ["--code", person.code, "--name", person.name]
            run_main(data_dir, "enroll", *who, *map(str, person.enroll), tool="soak")
        scene = build_scene(people, stranger, work / "entrance.avi")
        (data_dir / "asistencia.toml").write_text(
            f"camera = {json.dumps(str(scene.path))}\n"
            'camera_loop = true\nliveness = "off"\nsounds = false\nlanguage = "es"\n',
            encoding="utf-8",
        )
        samples_path = work / "samples.jsonl"
        log_path = work / "kiosk.log"
        census = [WARM_UP_S, max(WARM_UP_S + 1, minutes * 60 - 20)]
        print(
            f"soak: {minutes:g} min of the kiosk window ({platform}) on a {scene.seconds:.0f} s "
            f"loop of {len(scene.visits())} visits; files in {work}",
            file=sys.stderr,
        )
        with display(platform) as env, log_path.open("w", encoding="utf-8") as log_file:
            child = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tools.bench.soak_child",
                    str(samples_path),
                    *map(str, census),
                    "--",
                    "--data-dir",
                    str(data_dir),
                ],
                cwd=ROOT,
                env={**os.environ, **env, "ASISTENCIA_ADMIN_PASSWORD": "soak-admin-password"},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + minutes * 60
            while time.monotonic() < deadline and child.poll() is None:
                time.sleep(1.0)
            exit_code = child.poll()
            if exit_code is None:
                child.send_signal(signal.SIGTERM)
                try:
                    exit_code = child.wait(EXIT_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
                    exit_code = None
        result = summarise(
            Run(
                scene,
                people,
                read_samples(samples_path),
                records(data_dir),
                log_path.read_text(encoding="utf-8", errors="replace"),
                exit_code,
                minutes,
                platform,
            )
        )
        print(json.dumps(result, indent=2))
        if result["problems"]:
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
            print("soak: the kiosk's last lines:", *tail, sep="\n  ", file=sys.stderr)
        for problem in result["problems"]:
            print(f"soak: FAILED: {problem}", file=sys.stderr)
        return 1 if result["problems"] else 0
    finally:
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    minutes = float(os.environ.get("SOAK_MINUTES") or 60)
    parser.add_argument("--minutes", type=float, default=minutes)
    default_dataset = os.environ.get("SOAK_DATASET") or (
        SHARED_FACES if SHARED_FACES.is_dir() else TEST_FACES
    )
    parser.add_argument("--dataset", type=Path, default=Path(default_dataset))
    keep = os.environ.get("SOAK_KEEP")
    parser.add_argument("--keep", type=Path, default=Path(keep) if keep else None)
    args = parser.parse_args(argv)
    return soak(args.minutes, args.dataset, args.keep)


if __name__ == "__main__":
    sys.exit(main())
