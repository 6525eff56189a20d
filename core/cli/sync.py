"""``main.py sync [--once]``: push and pull with the central database now, or keep syncing."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

from core.cli.common import SubParsers
from core.context import AppContext
from core.errors import AsistenciaError, UsageError
from core.i18n import Message, text

if TYPE_CHECKING:
    from core.sync.engine import CycleResult, SyncEngine


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "sync", help="push and pull with the central database (CENTRAL_DATABASE_URL)"
    )
    parser.add_argument("--once", action="store_true", help="one cycle, then exit")
    parser.add_argument("--json", action="store_true", help="with --once: one JSON object")
    parser.set_defaults(handler=sync_command)


def _engine(ctx: AppContext) -> SyncEngine:
    from core.sync.engine import SyncEngine  # imported when used: start-up stays fast
    from core.sync.heartbeat import settings_report

    # The heartbeat of a sync run from here: no camera in this process (camera ""), the
    # model as set.
    engine = SyncEngine.from_settings(
        ctx.store, ctx.settings, report=lambda: settings_report(ctx.settings, ctx.paths.root)
    )
    if engine is None:
        raise UsageError(Message("sync.off"))
    return engine


def describe(result: CycleResult) -> str:
    pushed = sum(result.pushed.values())
    pulled = sum(result.pulled.values())
    line = text("sync.done", pushed=pushed, pulled=pulled, pending=result.pending)
    if result.held_back:
        line += " " + text("sync.held_back", count=result.held_back)
    if result.blocked:
        line += "; " + text("sync.waiting", reasons="; ".join(result.blocked.values()))
    return line


def sync_command(ctx: AppContext, args: argparse.Namespace) -> int:
    engine = _engine(ctx)
    try:
        if args.once:
            return _once(engine, args.json)
        return _forever(ctx, engine)
    finally:
        engine.close()


def _once(engine: SyncEngine, as_json: bool) -> int:
    engine.tracker.caller_reports = True  # the failure is said once, below
    result = engine.run_once()
    if as_json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "error": result.error,
                    "pushed": dict(result.pushed),
                    "pulled": dict(result.pulled),
                    "held_back": result.held_back,
                    "pending": result.pending,
                    "duration_s": round(result.duration_s, 3),
                },
                indent=2,
            )
        )
        return 0 if result.ok else 1
    if not result.ok:
        raise AsistenciaError(Message("sync.failed", error=result.error))
    print(describe(result))
    return 0


def _forever(ctx: AppContext, engine: SyncEngine) -> int:
    from core.sync.scheduler import SyncScheduler

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        engine.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = SyncScheduler(engine, ctx.settings.sync_interval_seconds)
    scheduler.start()
    print(
        text("sync.every", seconds=ctx.settings.sync_interval_seconds, url=engine.central.safe_url),
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    finally:
        scheduler.stop(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
