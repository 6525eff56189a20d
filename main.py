#!/usr/bin/env python3
"""Asistencia's composition root: one program, several modes (see docs/DESIGN.md).

Start-up order, the lesson of the old server's ``free(): invalid pointer`` crash:
1. the environment (TensorFlow switches, thread counts), before any heavy import;
2. the model loader thread, before anything else that takes time (modes that recognise);
3. paths and settings, the local store and its migrations, the seeds, the scheduler;
4. the window or the headless loop, or the one-shot command.
Settings are read just before step 2 because they name the model to load; reading them
touches no database and no model.
"""

from __future__ import annotations

from core.env import prepare_environment

prepare_environment()

import argparse  # noqa: E402  (after the environment, on purpose)
import logging  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from core.app import AppContext  # noqa: E402
from core.cli import build_parser  # noqa: E402
from core.cli.common import SubParsers  # noqa: E402
from core.config import SettingsError, load_settings  # noqa: E402
from core.errors import AsistenciaError, UsageError  # noqa: E402
from core.logs import configure_logging  # noqa: E402
from core.paths import DataPaths, resolve_data_dir  # noqa: E402

log = logging.getLogger("asistencia")
# Long-running modes log progress to the console; one-shot commands only warnings.
LONG_RUNNING = {None, "headless", "sync"}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(extra=[register_bench])
    args = parser.parse_args(argv)
    try:
        paths = DataPaths(resolve_data_dir(args.data_dir))
        settings_file = Path(args.config).expanduser() if args.config else paths.settings_file
        if args.config and not settings_file.is_file():
            raise SettingsError([f"settings file {settings_file} does not exist"])
        settings = load_settings(settings_file)
    except SettingsError as exc:
        for line in exc.lines:
            print(f"asistencia: {line}", file=sys.stderr)
        return 2

    verbose = args.verbose or args.command in LONG_RUNNING
    configure_logging(paths.logs, "INFO" if verbose else "WARNING", settings.debug)
    ctx = AppContext(paths, settings, settings_file=settings_file)

    if args.command is None:
        return run_window(ctx, fullscreen=args.fullscreen)
    try:
        return int(args.handler(ctx, args))
    except AsistenciaError as exc:
        print(f"asistencia: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("asistencia: interrupted", file=sys.stderr)
        return 130
    except Exception:
        log.exception(
            "unexpected error in '%s' (please report it with the log file %s)",
            args.command,
            paths.logs / "asistencia.log",
        )
        return 1
    finally:
        ctx.close()


def run_window(ctx: AppContext, *, fullscreen: bool) -> int:
    """The kiosk window, in the start-up order above (imports stay lazy: no Qt elsewhere)."""
    import signal
    import threading

    from core.runtime import Runtime, start_model_loader

    # Until the window takes the signals over (kiosk/app.py), `systemctl stop` interrupts
    # the start-up like Ctrl+C does: the same ordered stop, instead of dying mid-way.
    original = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)}
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    shown = threading.Event()
    loader = start_model_loader(ctx, window_shown=shown)  # step 2: the loader thread first
    runtime = Runtime(ctx, loader, with_sync=True)
    try:
        ctx.store  # noqa: B018  step 3: the store, its migrations and the seeds
        runtime.start()  # the camera and the recognition worker
        from kiosk.app import run_kiosk

        # Step 4; it stops the runtime. The loader works in earnest once the window shows.
        return run_kiosk(ctx, runtime, fullscreen=fullscreen, on_shown=shown.set)
    except AsistenciaError as exc:
        runtime.stop()
        print(f"asistencia: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        runtime.stop()
        print("asistencia: interrupted", file=sys.stderr)
        return 130
    finally:
        ctx.close()
        if threading.current_thread() is threading.main_thread():
            for number, handler in original.items():
                if handler is not None:
                    signal.signal(number, handler)


def register_bench(subparsers: SubParsers) -> None:
    """``bench`` runs a developer tool (tools/bench.py): it is here, not in core/, because
    the product never imports tools/; a kiosk installed without them says so."""
    bench = subparsers.add_parser("bench", help="the performance suite (needs a source checkout)")
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
    bench.set_defaults(handler=run_bench)


def run_bench(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        from tools.bench import bench_command
    except ImportError as exc:
        raise UsageError(
            f"bench runs from a source checkout (its tools/ folder is not here: {exc})"
        ) from None
    return bench_command(ctx, args)


if __name__ == "__main__":
    sys.exit(main())
