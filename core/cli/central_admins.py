"""``main.py central add-admin | list-admins | remove-admin | unlock-admin``: the accounts that
sign in to the web console, rows of the central database's ``users`` table (owner's URL).
An account locked after wrong passwords is unlocked here (the kiosk's ``users unlock``, on
the central rows, audited): the console itself never says whether an account is locked.

A password is typed twice, hidden, or read as one line from standard input with
``--password-stdin`` (never an argument: shell history and process lists would keep it).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from core.cli.central_common import central_database, central_failure
from core.cli.common import SubParsers, print_table
from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, say, text
from core.people.users import username_problem
from core.secrets.passwords import password_problem
from core.store import audit

if TYPE_CHECKING:
    from core.people.users import AuthService
    from core.sync.central import CentralDatabase

ADMIN_ROLE = "admin"


def register_admins(actions: SubParsers) -> None:
    add = actions.add_parser(
        "add-admin", help="a central administrator account, for the web console"
    )
    add.add_argument("username")
    add.add_argument("--display-name", default="", help="the name shown (default: the username)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password as one line from stdin"
    )
    add.set_defaults(handler=central_add_admin)
    listing = actions.add_parser("list-admins", help="the central administrator accounts")
    listing.set_defaults(handler=central_list_admins)
    remove = actions.add_parser(
        "remove-admin",
        help="disable a central administrator account (kept, disabled, for the audit trail)",
    )
    remove.add_argument("username")
    remove.set_defaults(handler=central_remove_admin)
    unlock = actions.add_parser(
        "unlock-admin", help="lift a central administrator's lockout after wrong passwords"
    )
    unlock.add_argument("username")
    unlock.set_defaults(handler=central_unlock_admin)


def _new_password(from_stdin: bool) -> str:
    """The new password: one line from stdin, or typed twice on the terminal."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            what = say(Message("console.cli_password_prompt")).strip(": ").lower()
            raise UsageError(Message("cli.expected_on_stdin", what=what))
    else:
        password = getpass.getpass(text("console.cli_password_prompt"))
        if getpass.getpass(text("console.cli_password_again")) != password:
            raise UsageError(Message("console.cli_passwords_differ"))
    if problem := password_problem(password):
        raise UsageError(problem)
    return password


def _accounts(ctx: AppContext) -> tuple[CentralDatabase, AuthService]:
    from core.sync.central_store import central_accounts

    central = central_database(ctx)
    return central, central_accounts(central, ctx.lockout)


def central_add_admin(ctx: AppContext, args: argparse.Namespace) -> int:
    username = args.username.strip()
    if problem := username_problem(username):  # said before the password is asked for
        raise UsageError(problem)
    password = _new_password(args.password_stdin)
    central, accounts = _accounts(ctx)
    try:
        accounts.add_user(audit.cli_actor(), username, password, ADMIN_ROLE, args.display_name)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(text("console.cli_admin_added", username=username))
    return 0


def central_list_admins(ctx: AppContext, _args: argparse.Namespace) -> int:
    central, accounts = _accounts(ctx)
    try:
        found = accounts.accounts()
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if not found:
        print(text("console.cli_no_admins"))
        return 0
    print_table(
        [
            text("console.cli_col_user"),
            text("console.cli_col_name"),
            text("console.cli_col_role"),
            text("console.cli_col_state"),
            text("console.cli_col_last"),
        ],
        [
            (
                a.username,
                a.display_name,
                a.role,
                text("console.cli_active" if a.active else "console.cli_disabled"),
                f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "-",
            )
            for a in found
        ],
    )
    return 0


def central_remove_admin(ctx: AppContext, args: argparse.Namespace) -> int:
    central, accounts = _accounts(ctx)
    try:
        accounts.set_active(audit.cli_actor(), args.username.strip(), False)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(text("console.cli_admin_removed", username=args.username.strip()))
    return 0


def central_unlock_admin(ctx: AppContext, args: argparse.Namespace) -> int:
    central, accounts = _accounts(ctx)
    try:
        accounts.unlock(audit.cli_actor(), args.username.strip())
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(text("console.cli_admin_unlocked", username=args.username.strip()))
    return 0
