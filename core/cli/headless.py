"""``main.py headless [--camera SRC] [--exit-at-end]``: the server side, without Qt."""

from __future__ import annotations

import argparse
import signal
from types import FrameType
from typing import TYPE_CHECKING

from core.app import AppContext
from core.cli.common import SubParsers
from core.errors import UsageError

if TYPE_CHECKING:  # the server (APScheduler, prometheus_client) loads only for this command
    from core.server.headless import Recognition


def register(subparsers: SubParsers) -> None:
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
    parser.set_defaults(handler=headless_command)


def _recognition(ctx: AppContext, camera: str, exit_at_end: bool) -> Recognition:
    try:
        from core.server.recognition import RuntimeRecognition
    except ImportError as exc:  # e.g. an image built without the recognition packages
        raise UsageError(f"recognition from a camera is not available here: {exc}") from None
    # Run to the end of a file: every frame, as fast as it can be processed.
    return RuntimeRecognition(ctx, camera, realtime=not exit_at_end)


def headless_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.server.headless import HeadlessServer, ServerOptions

    recognition = _recognition(ctx, args.camera, args.exit_at_end) if args.camera else None
    server = HeadlessServer(
        ctx,
        recognition,
        ServerOptions(
            exit_at_end=args.exit_at_end,
            # Not a setting yet (see the README); None keeps deactivated people's data.
            retention_days=ctx.settings.biometric_retention_days,
        ),
    )

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        server.request_stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
