"""The command line: one sub-command per module, registered here in the order of --help.

Each module exposes ``register(subparsers)`` and sets ``handler(ctx, args) -> int`` on its
parsers, and ``needs=("models",)`` where the command uses the face models (main.py then
starts the model loader before anything else).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from core.cli import admin, attendance, central, join, recognition, secrets, sync, system
from core.cli.common import SubParsers

COMMAND_MODULES = (admin, attendance, recognition, system, sync, join, central, secrets)


def build_parser(
    extra: Iterable[Callable[[SubParsers], None]] = (),
) -> argparse.ArgumentParser:
    """The whole command line; ``extra`` registers the commands main.py composes itself
    (``headless``, a mode with its own start-up order, and ``bench``, a developer tool)."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Asistencia: attendance kiosk with face recognition.",
        epilog="Without a command, the kiosk window starts.",
    )
    parser.add_argument(
        "--data-dir", help="data folder (else ASISTENCIA_DATA_DIR, else the user data dir)"
    )
    parser.add_argument("--config", help="settings file (default: asistencia.toml in the data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to the console")
    parser.add_argument(
        "--fullscreen",
        action="store_true",
        help="kiosk window: fill the screen (else the 'fullscreen' setting)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    for register in extra:
        register(subparsers)
    return parser
