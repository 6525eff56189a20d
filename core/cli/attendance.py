"""Attendance commands: punch (PIN/manual), the log and its corrections, exports."""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from core import audit
from core.app import AppContext
from core.attendance.log import list_attendance, local_instant, local_today
from core.attendance.rules import Kind
from core.attendance.service import KIND_WORDS, PunchChoice, Recorded
from core.cli.common import SubParsers, iso_date, print_table, read_secret
from core.errors import RefusedError, UsageError
from core.reports import (
    RECORD_COLUMNS,
    SUMMARY_COLUMNS,
    audit_export,
    build_report,
    write_csv,
    write_report,
)


def register(subparsers: SubParsers) -> None:
    punch = subparsers.add_parser(
        "punch", help="record a check-in/out by PIN or manually, through the same rules"
    )
    punch.add_argument("--code", required=True, help="employee code")
    punch.add_argument(
        "--pin", help="the employee's PIN ('-' to type it hidden); without it, a manual record"
    )
    punch.add_argument(
        "--reason",
        default="manual record from the command line",
        help="why a manual record is made (audit log)",
    )
    punch.add_argument(
        "--at",
        help="a record the person forgot, at this local time ('YYYY-MM-DD HH:MM'; needs "
        "--reason); without it, now",
    )
    punch.add_argument(
        "--kind",
        type=_kind,
        help="in, out, break-start or break-end (default: what the rules expect then)",
    )
    punch.set_defaults(handler=punch_command)

    log_parser = subparsers.add_parser("attendance", help="list records or void a wrong one")
    actions = log_parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="records of a day")
    listing.add_argument("--day", type=iso_date, help="shift day YYYY-MM-DD (default today)")
    listing.add_argument("--code", help="only this employee")
    listing.set_defaults(handler=attendance_list)
    void = actions.add_parser("void", help="void a wrong record (kept, marked, audited)")
    void.add_argument("event_id", type=uuid.UUID)
    void.add_argument("--reason", required=True)
    void.set_defaults(handler=attendance_void)
    change = actions.add_parser(
        "change",
        help="change a record's kind or time (the original is voided and kept; audited)",
    )
    change.add_argument("event_id", type=uuid.UUID)
    change.add_argument("--kind", type=_kind, help="in, out, break-start or break-end")
    change.add_argument("--at", help="the right local time, 'YYYY-MM-DD HH:MM'")
    change.add_argument("--reason", required=True)
    change.set_defaults(handler=attendance_change)

    export = subparsers.add_parser("export", help="attendance report for a range of days")
    summary = add_export_arguments(export, "NAME-summary.csv")
    summary.add_argument(
        "--summary", action="store_true", help="on stdout, print the daily summary instead"
    )
    export.add_argument("--code", help="only this employee")
    export.set_defaults(handler=export_command)


def add_export_arguments(
    export: argparse.ArgumentParser, companions: str
) -> argparse._MutuallyExclusiveGroup:
    """The options a kiosk's export and the central one share; returns the group of what
    goes to stdout instead of the records."""
    export.add_argument(
        "--from", dest="start", required=True, type=iso_date, help="first day YYYY-MM-DD"
    )
    export.add_argument(
        "--to", dest="end", required=True, type=iso_date, help="last day YYYY-MM-DD"
    )
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        help=f"file to write; CSV also writes {companions} (default: CSV to stdout)",
    )
    return export.add_mutually_exclusive_group()


def _kind(text: str) -> Kind:
    try:
        return Kind(text.strip().lower().replace("-", "_"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a kind of record; use in, out, break-start or break-end"
        ) from None


def _at(text: str | None, ctx: AppContext) -> datetime | None:
    if text is None:
        return None
    try:
        return local_instant(text, ctx.settings.zone)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def punch_command(ctx: AppContext, args: argparse.Namespace) -> int:
    service = ctx.attendance()
    at = _at(args.at, ctx)
    if args.pin is not None:
        if at is not None or args.kind is not None:
            raise UsageError("--at and --kind are for manual records; leave out --pin")
        pin = read_secret(args.pin, "PIN: ") or ""
        outcome = service.record_pin(args.code, pin)
    else:
        outcome = service.record_manual(
            audit.cli_actor(), args.code, args.reason, at=at, kind=args.kind
        )
    assert not isinstance(outcome, PunchChoice)  # a terminal is never asked (ask=False)
    if not isinstance(outcome, Recorded):
        raise RefusedError(f"not recorded: {outcome.message}")
    _say_recorded(outcome)
    return 0


def _say_recorded(outcome: Recorded, what: str = "recorded") -> None:
    late = f", {outcome.late_minutes} min late" if outcome.late_minutes else ""
    print(
        f"{KIND_WORDS[outcome.kind]} {what} for {outcome.employee_code} "
        f"{outcome.employee_name} at {outcome.local_time:%Y-%m-%d %H:%M:%S %Z}{late} "
        f"({outcome.method}, record {outcome.event_id})"
    )


def attendance_list(ctx: AppContext, args: argparse.Namespace) -> int:
    zone = ctx.settings.zone
    day = args.day or local_today(zone)
    rows = [
        (
            str(r.event_id),
            r.code,
            r.name,
            r.kind,
            f"{r.local_time:%H:%M:%S}",
            r.method,
            r.late_minutes or "",
            "voided" if r.voided else "",
        )
        for r in list_attendance(ctx.store, zone, day, args.code)
    ]
    if not rows:
        print(f"no records on {day}")
        return 0
    print_table(("record", "code", "name", "kind", "time", "method", "late", "status"), rows)
    return 0


def attendance_void(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.attendance().void(audit.cli_actor(), args.event_id, args.reason)
    print(f"record {args.event_id} voided")
    return 0


def attendance_change(ctx: AppContext, args: argparse.Namespace) -> int:
    replacement = ctx.attendance().amend(
        audit.cli_actor(), args.event_id, args.reason, kind=args.kind, at=_at(args.at, ctx)
    )
    print(f"record {args.event_id} voided and replaced:", end=" ")
    _say_recorded(replacement, "recorded")
    return 0


def export_command(ctx: AppContext, args: argparse.Namespace) -> int:
    report = build_report(
        ctx.store,
        args.start,
        args.end,
        ctx.settings.zone,
        datetime.now(UTC),
        rules=ctx.rules,
        employee_code=args.code,
    )
    if args.output is None:
        if args.format != "csv":
            raise UsageError("XLSX needs a file: add -o FILE.xlsx")
        if args.summary:
            write_csv(sys.stdout, SUMMARY_COLUMNS, report.summary)
        else:
            write_csv(sys.stdout, RECORD_COLUMNS, report.records)
        return 0
    written = write_report(report, args.output, args.format, store_files=ctx.paths)
    audit_export(
        ctx.store,
        audit.cli_actor(),
        ctx.settings.kiosk_id,
        {
            "from": args.start,
            "to": args.end,
            "format": args.format,
            "records": len(report.records),
            "files": [str(p) for p in written],
        },
    )
    print(
        f"{len(report.records)} records, {len(report.summary)} daily summaries -> "
        + ", ".join(str(p) for p in written),
        file=sys.stderr,
    )
    return 0
