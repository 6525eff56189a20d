"""Administrative commands: employees, shifts and users. Every change is audited."""

from __future__ import annotations

import argparse
import json
from datetime import time

from core.attendance.shifts import ShiftInput, list_shifts, save_shift
from core.cli.common import (
    SubParsers,
    ask,
    column_headers,
    iso_date,
    print_table,
    read_secret,
)
from core.context import AppContext
from core.errors import RefusedError
from core.i18n import Message, text
from core.secrets.passwords import MAX_PIN, MIN_PIN
from core.store import audit

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def register(subparsers: SubParsers) -> None:
    _register_employees(subparsers)
    _register_shifts(subparsers)
    _register_users(subparsers)


# --- employees -------------------------------------------------------------------------
def _register_employees(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("employees", help="add, list, deactivate or erase employees")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="create an employee")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True)
    add.add_argument(
        "--pin", help=f"{MIN_PIN}-{MAX_PIN} digits for the PIN pad ('-' to type it hidden)"
    )
    add.add_argument(
        "--shift", action="append", default=[], help="assign a shift by name (repeatable)"
    )
    add.set_defaults(handler=employees_add)

    listing = actions.add_parser("list", help="list employees")
    listing.add_argument("--all", action="store_true", help="include deactivated employees")
    listing.add_argument("--search", default="", help="part of a name or code")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=employees_list)

    for name, handler, help_text in (
        (
            "deactivate",
            employees_deactivate,
            "stop recognising and accepting an employee (records stay)",
        ),
        ("activate", employees_activate, "accept a deactivated employee again"),
    ):
        sub = actions.add_parser(name, help=help_text)
        sub.add_argument("--code", required=True)
        sub.add_argument("--reason", default="", help="why (kept in the audit log)")
        sub.set_defaults(handler=handler)

    erase = actions.add_parser("erase", help="erase an employee's biometric data everywhere")
    erase.add_argument("--code", required=True)
    erase.add_argument("--reason", required=True, help="why (kept in the audit log)")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=employees_erase)

    pin = actions.add_parser("set-pin", help="set or remove an employee's PIN")
    pin.add_argument("--code", required=True)
    group = pin.add_mutually_exclusive_group(required=True)
    group.add_argument("--pin", help=f"{MIN_PIN}-{MAX_PIN} digits ('-' to type it hidden)")
    group.add_argument("--remove", action="store_true")
    pin.set_defaults(handler=employees_set_pin)

    assign = actions.add_parser("assign-shift", help="assign a shift to an employee")
    assign.add_argument("--code", required=True)
    assign.add_argument("--shift", required=True, help="shift name, see `shifts list`")
    assign.add_argument("--from", dest="valid_from", type=iso_date)
    assign.add_argument("--to", dest="valid_to", type=iso_date)
    assign.set_defaults(handler=employees_assign)

    unassign = actions.add_parser("unassign-shift", help="remove a shift from an employee")
    unassign.add_argument("--code", required=True)
    unassign.add_argument("--shift", required=True)
    unassign.set_defaults(handler=employees_unassign)


def employees_add(ctx: AppContext, args: argparse.Namespace) -> int:
    service = ctx.employees()
    pin = read_secret(args.pin, Message("prompt.pin"))
    view = service.add(audit.cli_actor(), args.code, args.name, pin)
    for shift in args.shift:
        service.assign_shift(audit.cli_actor(), view.code, shift)
    if args.shift:
        shifts = ", ".join(args.shift)
        print(text("employees.added_with_shifts", code=view.code, name=view.name, shifts=shifts))
    else:
        print(text("employees.added", code=view.code, name=view.name))
    return 0


def employees_list(ctx: AppContext, args: argparse.Namespace) -> int:
    views = ctx.employees().list(include_inactive=args.all, search=args.search)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "code": v.code,
                        "name": v.name,
                        "active": v.active,
                        "has_pin": v.has_pin,
                        "face_templates": v.templates,
                        "shifts": list(v.shifts),
                    }
                    for v in views
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not views:
        print(text("employees.none"))
        return 0
    print_table(
        column_headers("code", "name", "active", "pin", "faces", "shifts"),
        [
            (v.code, v.name, _yes(v.active), _yes(v.has_pin), v.templates, ", ".join(v.shifts))
            for v in views
        ],
    )
    return 0


def _yes(value: bool) -> str:
    return text("yes" if value else "no")


def employees_deactivate(ctx: AppContext, args: argparse.Namespace) -> int:
    view = ctx.employees().set_active(audit.cli_actor(), args.code, False, args.reason)
    print(text("employees.deactivated", code=view.code, name=view.name))
    return 0


def employees_activate(ctx: AppContext, args: argparse.Namespace) -> int:
    view = ctx.employees().set_active(audit.cli_actor(), args.code, True, args.reason)
    print(text("employees.activated", code=view.code, name=view.name))
    return 0


def employees_erase(ctx: AppContext, args: argparse.Namespace) -> int:
    service = ctx.employees()
    view = service.get(args.code)
    if not args.yes:
        answer = ask(text("employees.erase_question", code=view.code, name=view.name), flag="--yes")
        if answer.strip() != view.code:
            print(text("employees.nothing_erased"))
            return 1
    removed = service.erase_biometrics(audit.cli_actor(), args.code, args.reason)
    print(text("employees.erased", count=removed, code=view.code, name=view.name))
    return 0


def employees_set_pin(ctx: AppContext, args: argparse.Namespace) -> int:
    pin = None if args.remove else read_secret(args.pin, Message("prompt.new_pin"))
    ctx.employees().set_pin(audit.cli_actor(), args.code, pin)
    print(text("employees.pin_removed" if pin is None else "employees.pin_set", code=args.code))
    return 0


def employees_assign(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.employees().assign_shift(
        audit.cli_actor(), args.code, args.shift, args.valid_from, args.valid_to
    )
    print(text("employees.on_shift", code=args.code, shift=args.shift))
    return 0


def employees_unassign(ctx: AppContext, args: argparse.Namespace) -> int:
    removed = ctx.employees().unassign_shift(audit.cli_actor(), args.code, args.shift)
    if not removed:
        raise RefusedError(Message("employee.not_on_shift", code=args.code, shift=args.shift))
    print(text("employees.off_shift", code=args.code, shift=args.shift))
    return 0


# --- shifts ----------------------------------------------------------------------------
def _register_shifts(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("shifts", help="list or add shifts (turnos)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list shifts")
    listing.set_defaults(handler=shifts_list)
    add = actions.add_parser("add", help="create a shift; an end before the start crosses midnight")
    add.add_argument("--name", required=True)
    add.add_argument("--start", required=True, type=_clock_time, help="HH:MM")
    add.add_argument("--end", required=True, type=_clock_time, help="HH:MM")
    add.add_argument(
        "--days",
        default="mon,tue,wed,thu,fri",
        type=_weekdays,
        help="days the shift starts on, e.g. mon,tue,wed or all (default mon-fri)",
    )
    add.add_argument("--grace", type=int, default=5, help="minutes of tolerance before 'late'")
    add.set_defaults(handler=shifts_add)


def _clock_time(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time; use HH:MM") from None


def _weekdays(text: str) -> frozenset[int]:
    if text.strip().lower() == "all":
        return frozenset(range(7))
    days = set()
    for part in text.lower().split(","):
        if part.strip() not in WEEKDAY_NAMES:
            raise argparse.ArgumentTypeError(
                f"'{part}' is not a day; use {','.join(WEEKDAY_NAMES)} or all"
            )
        days.add(WEEKDAY_NAMES.index(part.strip()))
    return frozenset(days)


def shifts_list(ctx: AppContext, _args: argparse.Namespace) -> int:
    rows = [
        (
            s.name,
            f"{s.start:%H:%M}",
            f"{s.end:%H:%M}",
            ",".join(WEEKDAY_NAMES[d] for d in sorted(s.weekdays)),
            s.grace_in,
            _yes(s.active),
            s.members,
        )
        for s in list_shifts(ctx.store)
    ]
    print_table(column_headers("name", "start", "end", "days", "grace", "active", "people"), rows)
    return 0


def shifts_add(ctx: AppContext, args: argparse.Namespace) -> int:
    data = ShiftInput(args.name, args.start, args.end, args.days, grace_in=args.grace)
    save_shift(ctx.store, audit.cli_actor(), ctx.settings.kiosk_id, None, data)
    start, end = f"{args.start:%H:%M}", f"{args.end:%H:%M}"
    print(text("shifts.created", name=args.name, start=start, end=end))
    return 0


# --- users -----------------------------------------------------------------------------
def _register_users(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("users", help="administrator accounts")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list accounts")
    listing.set_defaults(handler=users_list)
    add = actions.add_parser("add", help="create an account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", default="admin", help="admin or supervisor")
    add.add_argument(
        "--password", default="-", help="'-' (default) to type it hidden or read stdin"
    )
    add.set_defaults(handler=users_add)
    passwd = actions.add_parser("passwd", help="set an account's password")
    passwd.add_argument("--username", required=True)
    passwd.add_argument(
        "--password", default="-", help="'-' (default) to type it hidden or read stdin"
    )
    passwd.set_defaults(handler=users_passwd)
    unlock = actions.add_parser("unlock", help="lift a lockout after failed sign-ins")
    unlock.add_argument("--username", required=True)
    unlock.set_defaults(handler=users_unlock)


def users_list(ctx: AppContext, _args: argparse.Namespace) -> int:
    rows = [
        (u, r, _yes(a), "" if lock is None else lock.isoformat(timespec="seconds"))
        for u, r, a, lock in ctx.auth().list_users()
    ]
    print_table(column_headers("user", "role", "active", "locked_until"), rows)
    return 0


def users_add(ctx: AppContext, args: argparse.Namespace) -> int:
    password = read_secret(args.password, Message("prompt.password")) or ""
    ctx.auth().add_user(audit.cli_actor(), args.username, password, args.role)
    print(text("users.created", user=args.username, role=args.role))
    return 0


def users_passwd(ctx: AppContext, args: argparse.Namespace) -> int:
    password = read_secret(args.password, Message("prompt.new_password")) or ""
    ctx.auth().change_password(audit.cli_actor(), args.username, password)
    print(text("users.password_changed", user=args.username))
    return 0


def users_unlock(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.auth().unlock(audit.cli_actor(), args.username)
    print(text("users.unlocked", user=args.username))
    return 0
