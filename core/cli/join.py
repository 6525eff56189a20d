"""``main.py join FILE``: this kiosk joins a deployment with the join file that
``central add-kiosk`` wrote (core/runtime/join.py)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from core.cli.common import SubParsers
from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, say, text


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "join",
        help="join a deployment with a join file from `central add-kiosk`: keys, central "
        "database and password in one step, then a first sync",
    )
    parser.add_argument("file", type=Path, help="the join file (e.g. on a USB stick)")
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from standard input's first line (else it is asked, hidden)",
    )
    parser.set_defaults(handler=join_command)


def _passphrase(from_stdin: bool) -> str:
    if from_stdin:
        typed = sys.stdin.readline().strip()
    elif sys.stdin.isatty():
        typed = getpass.getpass(text("join.ask_passphrase")).strip()
    else:
        raise UsageError(Message("join.no_terminal"))
    if not typed:
        raise UsageError(Message("join.no_passphrase"))
    return typed


def join_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.runtime.join import join_deployment

    passphrase = _passphrase(args.passphrase_stdin)
    result = join_deployment(ctx, args.file.expanduser(), passphrase)
    site = text("join.site_part", site=result.site) if result.site else ""
    print(text("join.joined", kiosk_id=result.kiosk_id, site=site, central=result.central))
    print(say(result.synced))
    print(text("join.delete_file", path=args.file))
    return 0
