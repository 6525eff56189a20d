"""``main.py secrets …``: which deployment this installation belongs to, and joining one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.cli.common import SubParsers
from core.context import AppContext
from core.i18n import text
from core.store import audit


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "secrets", help="the deployment's keys: show their ids, or adopt a deployment's file"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="where the secrets file is and the ids of its keys (never the keys)"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=secrets_status, store=False)
    adopt = actions.add_parser(
        "import",
        help="take the deployment's secrets file (e.g. the headless server's): this kiosk's "
        "faces are sealed again with its key",
    )
    adopt.add_argument("file", type=Path, help="the deployment's secrets.toml")
    adopt.add_argument(
        "--forget-pins",
        action="store_true",
        help="clear PINs made with this kiosk's own pepper (they cannot be carried over)",
    )
    adopt.set_defaults(handler=secrets_import, store=False)


def secrets_status(ctx: AppContext, args: argparse.Namespace) -> int:
    keys = ctx.deployment_keys()
    info = {
        "secrets_file": str(ctx.paths.secrets_file),
        "data_key": keys.key_id,
        "pepper": keys.pepper_id,
    }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(
            text(
                "secrets.status",
                file=info["secrets_file"],
                key_id=keys.key_id,
                pepper_id=keys.pepper_id,
            )
        )
    return 0


def secrets_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.secrets.secrets_file import read_secrets
    from core.store.rekey import adopt_secrets

    # Read (with its bound) before the store opens: a file that is refused changes nothing.
    incoming = read_secrets(args.file.expanduser())
    store = ctx.store
    report = adopt_secrets(
        store,
        incoming,
        ctx.paths.secrets_file,
        forget_pins=args.forget_pins,
        actor=audit.cli_actor(),
        kiosk_id=ctx.settings.kiosk_id,
    )
    keys = store.keys
    done = text(
        "secrets.imported",
        key_id=keys.key_id,
        pepper_id=keys.pepper_id,
        templates=report.templates,
        photos=report.photos,
    )
    if report.pins_cleared:
        done += "; " + text("secrets.pins_cleared", codes=", ".join(report.pins_cleared))
    print(done)
    return 0
