"""``main.py central add-kiosk | rotate-kiosk | remove-kiosk``: a kiosk joins in one step.

``add-kiosk`` and ``rotate-kiosk`` write a join file (core/sync/join_file.py) and print its
passphrase once; the kiosk imports it with ``main.py join`` (core/runtime/join.py).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from core.cli.central_common import central_database, central_failure
from core.cli.common import SubParsers
from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, text
from core.store import audit
from core.store.types import utcnow


def register_kiosks(actions: SubParsers) -> None:
    add = actions.add_parser(
        "add-kiosk",
        help="a new kiosk's role and its join file (sealed with a passphrase printed once)",
    )
    add.add_argument("--kiosk-id", required=True, help="the new kiosk's kiosk_id, e.g. entrada")
    add.add_argument("--site", help="the site it serves (a site's code; else every employee)")
    _file_arguments(add)
    add.set_defaults(handler=central_add_kiosk)
    rotate = actions.add_parser(
        "rotate-kiosk",
        help="a new join file for a kiosk already added (the old file and password stop working)",
    )
    rotate.add_argument("--kiosk-id", required=True, help="the kiosk's kiosk_id")
    _file_arguments(rotate)
    rotate.set_defaults(handler=central_rotate_kiosk)
    remove = actions.add_parser(
        "remove-kiosk",
        help="revoke a kiosk: its login, grants and registration go; what it sent stays",
    )
    remove.add_argument("--kiosk-id", required=True, help="the kiosk's kiosk_id")
    remove.add_argument("--reason", default="", help="why (kept in the audit log)")
    remove.set_defaults(handler=central_remove_kiosk)


def _file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expires-hours",
        type=float,
        default=72,
        help="the join file works for this long, and once (72)",
    )
    parser.add_argument(
        "--host", help="the central server's name as kiosks reach it (else the URL's host)"
    )
    parser.add_argument("--port", type=int, help="its port as kiosks reach it (else the URL's)")
    parser.add_argument(
        "--sslmode", help="kiosks' TLS mode (else the URL's; verify-full with a CA certificate)"
    )
    parser.add_argument(
        "--ca-file", type=Path, help="the CA certificate kiosks check the server with (PEM)"
    )
    parser.add_argument(
        "--out", type=Path, help="where to write the join file (else KIOSK_ID.join here)"
    )


def _out_path(args: argparse.Namespace) -> Path:
    out: Path = args.out or Path(re.sub(r"[^A-Za-z0-9_.-]+", "_", args.kiosk_id.strip()) + ".join")
    out = out.expanduser()
    if out.exists() or out.is_symlink():
        raise UsageError(Message("join.out_exists", path=out))
    if not out.parent.is_dir():
        raise UsageError(Message("join.out_folder_missing", path=out.parent))
    return out


def _issue(ctx: AppContext, args: argparse.Namespace, *, rotate: bool) -> int:
    from core.sync.join_file import new_passphrase, write_join_file
    from core.sync.kiosk_admin import access_from_url, add_kiosk, rotate_kiosk

    out = _out_path(args)  # before anything is made: a file that cannot be written is said first
    url = ctx.settings.central_url()
    if url is None:
        raise UsageError(Message("central.url_missing"))
    access = access_from_url(
        url, host=args.host, port=args.port, sslmode=args.sslmode, ca_file=args.ca_file
    )
    keys = ctx.deployment_keys()
    central = central_database(ctx)
    common = {"hours": args.expires_hours, "access": access, "actor": audit.cli_actor()}
    try:
        if rotate:
            payload = rotate_kiosk(central, keys, args.kiosk_id, now=utcnow(), **common)
        else:
            payload = add_kiosk(
                central, keys, args.kiosk_id, site=args.site, now=utcnow(), **common
            )
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    passphrase = new_passphrase()
    write_join_file(out, payload, passphrase)
    until = f"{payload.expires_at.astimezone(ctx.settings.zone):%Y-%m-%d %H:%M}"
    site = text("join.site_part", site=payload.site) if payload.site else ""
    done = "join.rotated" if rotate else "join.added"
    print(text(done, kiosk_id=payload.kiosk_id, role=payload.role, site=site))
    print(text("join.file_written", path=out, until=until, central=access.shown))
    print(text("join.passphrase", passphrase=passphrase))
    print(text("join.what_next", path=out.name, kiosk_id=payload.kiosk_id))
    return 0


def central_add_kiosk(ctx: AppContext, args: argparse.Namespace) -> int:
    return _issue(ctx, args, rotate=False)


def central_rotate_kiosk(ctx: AppContext, args: argparse.Namespace) -> int:
    return _issue(ctx, args, rotate=True)


def central_remove_kiosk(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.kiosk_admin import remove_kiosk

    central = central_database(ctx)
    try:
        removed = remove_kiosk(
            central, args.kiosk_id, reason=args.reason, actor=audit.cli_actor(), now=utcnow()
        )
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(
        text(
            "join.removed",
            kiosk_id=args.kiosk_id.strip(),
            role=removed.role,
            ended=removed.connections_ended,
        )
    )
    return 0
