#!/usr/bin/env python3
"""Asistencia's composition root: one program, several modes (see docs/develop/architecture.md).

Start-up order, the lesson of the old server's ``free(): invalid pointer`` crash:
1. the environment (TensorFlow switches, thread counts), before any heavy import;
2. the model loader thread, before anything else that takes time (modes that recognise);
3. paths and settings, the local store and its migrations, the seeds, the scheduler;
4. the window or the headless loop, or the one-shot command.
Settings are read just before step 2 because they name the model to load; reading them
touches no database and no model.
"""

from __future__ import annotations

import gc
import os
import sys

if __name__ == "__main__":
    # Start-up allocates a few hundred thousand objects that live for the whole run
    # (modules, classes, ORM mappers, Qt wrappers), and the cyclic collector scanned them
    # again and again while they were made: ~10 % of the imports before the window. It is
    # off until the window is shown or the command starts (resume_collector).
    gc.disable()

from core.host.env import prepare_environment

prepare_environment()

import argparse  # noqa: E402  (after the environment, on purpose)
import functools  # noqa: E402
import logging  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from core.cli import build_parser  # noqa: E402
from core.cli.common import SubParsers  # noqa: E402
from core.cli.outcome import failed, flush_stdout  # noqa: E402
from core.config import SettingsError, env_name, load_settings  # noqa: E402
from core.context import AppContext  # noqa: E402
from core.errors import AsistenciaError, UsageError  # noqa: E402
from core.host.logs import configure_logging  # noqa: E402
from core.host.paths import DataPaths, private_umask, resolve_data_dir  # noqa: E402
from core.host.watchdog import Watchdog  # noqa: E402
from core.i18n import (  # noqa: E402
    LANGUAGES,
    Message,
    current_language,
    resolve_language,
    set_language,
)

if TYPE_CHECKING:
    import threading

    from core.config import Settings
    from core.recognition.loader import ModelLoader
    from core.runtime import Runtime
    from core.server.headless import HeadlessServer
    from core.sync.scheduler import SyncScheduler

log = logging.getLogger("asistencia")
# The parts systemd's watchdog waits for (their names are in the log when one freezes).
GUI_PART, WORKER_PART = "GUI thread", "recognition worker"
# Long-running modes log progress to the console; one-shot commands only warnings.
LONG_RUNNING = {None, "headless", "sync"}


def main(argv: list[str] | None = None) -> int:
    """Every mode (the window, headless, each command) runs with the private umask, set
    before anything writes a file: templates, photos and hashes are for this user only."""
    with private_umask():
        return _main(argv)


def resume_collector() -> None:
    """Start-up is over: what it made lives for the whole run, so it is frozen out of the
    collector's scans (a first full collection would otherwise stall the GUI thread ~70 ms;
    the few hundred unreachable start-up objects stay), and the collector runs again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _main(argv: list[str] | None) -> int:
    parser = build_parser(extra=[register_headless, register_bench])
    args = parser.parse_args(argv)
    try:
        paths = DataPaths(resolve_data_dir(args.data_dir))
        settings_file = Path(args.config).expanduser() if args.config else paths.settings_file
        if args.config and not settings_file.exists():
            raise SettingsError([Message("settings.file_missing", path=settings_file)])
        settings = load_settings(settings_file)  # a pipe or a device is refused, not read
    except (SettingsError, AsistenciaError, OSError) as exc:
        return _refused_before_settings(exc, args.command)

    # `sync --once` is a one-shot command: its outcome is its one line.
    verbose = args.verbose or (args.command in LONG_RUNNING and not getattr(args, "once", False))
    configure_logging(paths.logs, "INFO" if verbose else "WARNING", settings.debug)
    ctx = AppContext(paths, settings, settings_file=settings_file)

    language = current_language()  # given back at the end, as the umask, to an embedding program
    try:
        if args.command is None:
            return run_window(ctx, fullscreen=args.fullscreen)
        resume_collector()
        # A command speaks the language setting's language (the window has Qt's).
        set_language(resolve_language(settings.language))
        return run_command(ctx, args)
    except (Exception, KeyboardInterrupt) as exc:
        # One sentence for what was expected, a pointer to the log for what was not
        # (core/cli/outcome.py): never a traceback on the console.
        return failed(exc, args.command, paths.logs / "asistencia.log")
    finally:
        set_language(language)
        ctx.close()


def run_command(ctx: AppContext, args: argparse.Namespace) -> int:
    """A one-shot command, in the start-up order: the model loader first when it needs the
    models (``needs``), so they load while the store opens; the store at its first use."""
    if "models" in getattr(args, "needs", ()):
        ctx.model_loader().start()  # 2; the command waits for it (ctx.model_loader())
    return int(args.handler(ctx, args))


def _refused_before_settings(exc: BaseException, command: str | None) -> int:
    """Settings that cannot be read say so in the language the environment names
    (ASISTENCIA_LANGUAGE=es or en), the one setting still known; else in English, the
    source language. Nothing is logged yet."""
    language = current_language()
    named = os.environ.get(env_name("language"), "").strip().lower()
    if command is not None and named in LANGUAGES:
        set_language(named)
    try:
        return failed(exc, command, None)
    finally:
        set_language(language)


def run_window(ctx: AppContext, *, fullscreen: bool) -> int:
    """The kiosk window, in the start-up order above (imports stay lazy: no Qt elsewhere)."""
    import signal
    import threading

    from core.host.qt_platform import check_platform

    if problem := check_platform().problem():
        # Before Qt aborts the process with a message that names another library.
        raise UsageError(problem)
    main_thread = threading.current_thread() is threading.main_thread()
    original = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)}
    if main_thread:
        # Until the window takes the signals over (kiosk/app.py), `systemctl stop`
        # interrupts the start-up like Ctrl+C: the same ordered stop, not death mid-way.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    shown = threading.Event()
    runtime: Runtime | None = None
    # Under systemd with WatchdogSec: pinged only while the GUI thread and the recognition
    # worker both answer, so a frozen window is restarted too.
    watchdog = Watchdog.from_environment((GUI_PART, WORKER_PART))

    def on_shown() -> None:
        resume_collector()
        shown.set()
        if watchdog is not None:
            watchdog.ready()

    try:
        runtime = start_kiosk(ctx, window_shown=shown)
        from kiosk.app import run_kiosk

        on_beat = None
        if watchdog is not None:
            runtime.worker.on_tick = functools.partial(watchdog.beat, WORKER_PART)
            on_beat = functools.partial(watchdog.beat, GUI_PART)
            watchdog.start()
        # Step 4. The loader works in earnest once the window shows. From the end of its
        # event loop until the stop below is done, signals are ignored.
        return run_kiosk(
            ctx,
            runtime,
            fullscreen=fullscreen,
            on_shown=on_shown,
            on_beat=on_beat,
            restore_signals=False,
        )
    finally:
        if watchdog is not None:
            watchdog.stopping()
            watchdog.stop()
        if runtime is not None:
            runtime.stop()
        ctx.close()
        log.info("kiosk stopped")
        if main_thread:
            for number, handler in original.items():
                if handler is not None:
                    signal.signal(number, handler)


# --- the kiosk's parts, in order (the window, headless --camera, the bench and tests) ------


def start_kiosk(ctx: AppContext, *, window_shown: threading.Event | None = None) -> Runtime:
    """The model loader first (``window_shown``: it leaves the interpreter to the window
    until then), then the store with its migrations and seeds, then the kiosk core: the
    camera, sync and the recognition worker. ``Runtime.stop`` undoes the last part."""
    loader = ctx.model_loader().start(yield_until=window_shown)  # 2
    ctx.start_store()  # 3
    runtime = build_runtime(ctx, loader, with_sync=True)
    runtime.worker.interactive = True  # the window can ask which record this is
    runtime.start()
    return runtime


def build_runtime(
    ctx: AppContext,
    loader: ModelLoader,
    *,
    camera: str | None = None,
    realtime: bool = True,
    with_sync: bool = False,
) -> Runtime:
    """The kiosk core's parts, wired and not started. ``camera``: a source other than the
    setting's; ``realtime=False``: a file is read frame by frame as fast as it is processed
    (headless ``--exit-at-end``); ``with_sync``: the kiosk's own sync (the headless server
    runs its own)."""
    from core.camera.slot import CameraSlot
    from core.recognition.config import RecognitionConfig
    from core.runtime import LiveEnrollment, RecognitionWorker, Runtime

    settings = ctx.settings
    slot = CameraSlot(realtime=realtime)
    enrollment = LiveEnrollment(lambda: ctx.store, settings.kiosk_id)
    worker = RecognitionWorker(
        loader,
        RecognitionConfig.from_settings(settings),
        slot,
        store_of=lambda: ctx.store,
        attendance_of=ctx.attendance,
        enrollment=enrollment,
    )

    def kiosk_sync(settings: Settings) -> SyncScheduler | None:
        """Sync in the background, when a central database is configured."""
        if not settings.central_configured:
            return None  # nothing imported (APScheduler, psycopg): start-up time
        from core.runtime.kiosk_report import kiosk_report_of
        from core.sync.engine import SyncEngine
        from core.sync.scheduler import SyncScheduler

        # Called by Runtime.start, once ``runtime`` below exists: each cycle ends with the
        # kiosk's heartbeat (its camera, model, disk) read from the running core.
        report = kiosk_report_of(runtime)
        engine = SyncEngine.from_settings(ctx.store, settings, report=report)
        if engine is None:
            return None
        # What a pull changes reaches recognition as any change does: the worker's gallery
        # follows the store (core/runtime/worker.py, FollowedGallery).
        return SyncScheduler(engine, settings.sync_interval_seconds)

    sync = kiosk_sync if with_sync else None
    runtime = Runtime(
        ctx, loader, slot, worker, enrollment, camera_source=camera, sync_factory=sync
    )
    return runtime


def register_headless(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "headless",
        help="the server side: sync scheduler, daily jobs, /health and /metrics (no window)",
    )
    parser.add_argument(
        "--camera", help="also recognise faces from this source (device, file, URL, folder)"
    )
    parser.add_argument(
        "--exit-at-end",
        action="store_true",
        help="stop when the camera source ends; without a camera, sync once and exit",
    )
    parser.set_defaults(handler=run_headless)


def run_headless(ctx: AppContext, args: argparse.Namespace) -> int:
    """The server side, started by ``start_headless``; SIGTERM and SIGINT stop it in order.
    With ``--exit-at-end`` a camera file is read frame by frame, losing none."""
    import signal

    from core.server.headless import HeadlessServer, ServerOptions

    # Its console is a log (the container's, journald's): the first administrator's one-time
    # password goes only to the 0600 file in the data dir, and the console says where.
    ctx.first_password_on_terminal = False
    runtime = None
    if args.camera:
        loader = ctx.model_loader().start()  # 1, before anything else that takes time
        runtime = build_runtime(ctx, loader, camera=args.camera, realtime=not args.exit_at_end)
    options = ServerOptions(
        exit_at_end=args.exit_at_end, retention_days=ctx.settings.biometric_retention_days
    )
    server = HeadlessServer(ctx, runtime, options)
    numbers = (signal.SIGTERM, signal.SIGINT)
    previous = {n: signal.signal(n, lambda _n, _f: server.request_stop()) for n in numbers}
    try:
        start_headless(server)
        return server.serve()
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)


def start_headless(server: HeadlessServer) -> None:
    """The headless server's parts, in the order core/server/headless.py explains (step 1,
    the model loader, comes with the kiosk core its caller built)."""
    from core.server.central_link import CentralLink
    from core.server.health import HealthServer
    from core.server.job_runner import ServerJobs
    from core.sync.central import CentralDatabase
    from core.sync.engine import SyncEngine

    ctx, options = server.ctx, server.options
    settings = ctx.settings
    server.phase = "starting"
    port = settings.health_port if options.health_port is None else options.health_port
    host = options.health_host or settings.health_host
    server.health = HealthServer(host, port, server.readiness.report, server.metrics.render)
    server.health.start()  # 2
    store = server.open_store()  # 3
    url = settings.central_url()
    if url is not None:  # 4
        name = f"asistencia server {settings.kiosk_id}"
        central = CentralDatabase(url, application_name=name)
        probe = CentralDatabase(url, application_name=f"{name} health", connect_timeout_s=2)
        engine = SyncEngine(
            store,
            central,
            kiosk_id=settings.kiosk_id,
            batch_size=settings.sync_batch_size,
            apply_inbox=True,
            rules=ctx.rules,  # the server derives each record with the kiosks' rules
            clock=server.clock,
        )
        server.connect(CentralLink(central, probe, engine, auto_migrate=settings.auto_migrate))
    server.jobs = ServerJobs(
        ctx,
        server.link,
        server.metrics,
        clock=server.clock,
        retention_days=options.retention_days,
        daily_close_at=options.daily_close_at,
        purge_at=options.purge_at,
    )
    if not options.exit_at_end or server.recognition is not None:  # 5
        interval = options.sync_interval_s or settings.sync_interval_seconds
        server.jobs.start(interval, options.max_backoff_s)
        if settings.console_listen and server.link is not None:
            # The web console on the same central database; its own thread (console/server.py).
            from console.server import start_console

            server.console = start_console(ctx, server.link.central, clock=server.clock)
    if server.recognition is not None:  # 6
        server.recognition.start()
    server.running()


def register_bench(subparsers: SubParsers) -> None:
    """``bench`` runs a developer tool (tools/bench/suite.py): it is here, not in core/, because
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
        choices=("sync", "window", "live", "bundle"),
        help="leave a part out (repeatable)",
    )
    bench.set_defaults(handler=run_bench)


def run_bench(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        from tools.bench.suite import bench_command
    except ImportError as exc:
        raise UsageError(Message("cli.bench_needs_checkout", why=str(exc))) from None
    return bench_command(ctx, args)


if __name__ == "__main__":
    sys.exit(flush_stdout(main()))
