"""``main.py central fleet [--json]``: every registered kiosk, when it was last heard from, and
what needs a person (core/sync/fleet.py says what each problem means).

Exit status: 0 when every kiosk is well, ``ATTENTION`` (3) when at least one needs
attention (so a cron job or a monitoring check can act on it), 1 when the central
database cannot be read, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.cli.central_common import central_database, central_failure
from core.cli.common import SubParsers, print_table
from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, say, text

if TYPE_CHECKING:
    from core.sync.fleet import KioskHealth

ATTENTION = 3
# A camera's state in the table: "ok" when streaming, the state's own word otherwise.
CAMERA_OK = "streaming"


def register_fleet(actions: SubParsers) -> None:
    fleet = actions.add_parser(
        "fleet",
        help="every kiosk: last seen, version, records waiting, camera, and what needs "
        "attention (exit status 3 when a kiosk does)",
    )
    fleet.add_argument("--json", action="store_true", help="one JSON object per kiosk")
    fleet.add_argument(
        "--intervals",
        type=int,
        default=3,
        metavar="N",
        help="a kiosk silent for more than N of its sync intervals needs attention (3)",
    )
    fleet.set_defaults(handler=central_fleet_command)


def central_fleet_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.fleet import fleet_snapshot

    if not 1 <= args.intervals <= 1000:
        raise UsageError(Message("fleet.bad_intervals"))
    central = central_database(ctx)
    try:
        central.check_schema()
        # "Last seen" by the server's clock, the one every heartbeat is dated by.
        now, kiosks = fleet_snapshot(
            central,
            silent_intervals=args.intervals,
            default_interval_s=ctx.settings.sync_interval_seconds,
        )
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if args.json:
        print(json.dumps([_as_json(k, now) for k in kiosks], indent=2, ensure_ascii=False))
    else:
        _print(kiosks, now)
    return ATTENTION if any(k.needs_attention for k in kiosks) else 0


def _seen(kiosk: KioskHealth, now: datetime) -> str:
    from core.sync.fleet import ago

    if kiosk.last_seen is None:
        return text("fleet.never")
    return say(ago((now - kiosk.last_seen).total_seconds()))


def _camera(kiosk: KioskHealth) -> str:
    if not kiosk.camera:
        return text("fleet.camera_unknown")
    from core.sync.fleet import camera_words

    return text("fleet.camera_ok") if kiosk.camera == CAMERA_OK else say(camera_words(kiosk.camera))


def _print(kiosks: list[KioskHealth], now: datetime) -> None:
    if not kiosks:
        print(text("fleet.no_kiosks"))
        return
    print_table(
        [
            text("central.col_kiosk"),
            text("fleet.col_site"),
            text("fleet.col_last_seen"),
            text("fleet.col_version"),
            text("fleet.col_waiting"),
            text("fleet.col_camera"),
            text("fleet.col_problems"),
        ],
        [
            (
                k.kiosk_id,
                k.site or "",
                _seen(k, now),
                k.version,
                k.records_waiting if k.last_seen is not None else "",
                _camera(k),
                "; ".join(say(p) for p in k.problems),
            )
            for k in kiosks
        ],
    )
    attention = sum(1 for k in kiosks if k.needs_attention)
    print()
    if attention:
        print(text("fleet.attention", count=attention, total=len(kiosks)))
    else:
        print(text("fleet.all_well", total=len(kiosks)))


def _as_json(kiosk: KioskHealth, now: datetime) -> dict[str, Any]:
    found: dict[str, Any] = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in kiosk.__dict__.items()
        if name != "problems"
    }
    found["seconds_since_seen"] = (
        None if kiosk.last_seen is None else round((now - kiosk.last_seen).total_seconds(), 1)
    )
    found["needs_attention"] = kiosk.needs_attention
    found["problems"] = [{"key": p.key, "text": say(p)} for p in kiosk.problems]
    return found
