"""Attendance commands: punch (PIN/manual), the log and its corrections, exports."""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from core.attendance.log import list_attendance, local_instant, local_today
from core.attendance.outcomes import NotRecorded, PunchChoice, Recorded
from core.attendance.rules import Kind
from core.cli.common import SubParsers, column_headers, iso_date, print_table, read_secret
from core.config import Settings
from core.context import AppContext
from core.errors import RefusedError, UsageError
from core.host.paths import DataPaths
from core.i18n import Message, knows, text
from core.reports import (
    CSV_STYLES,
    Language,
    ReportSource,
    audit_export,
    check_period,
    report_language,
    stream_report,
    write_csv,
    write_report,
)
from core.reports.pay_period import current_and_previous
from core.store import audit


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

    export = subparsers.add_parser(
        "export",
        help="payroll report of a period: records, each employee's days, the period's totals",
    )
    add_export_arguments(export, "NAME-summary.csv and NAME-totals.csv")
    export.add_argument("--code", help="only this employee")
    export.set_defaults(handler=export_command)


def add_export_arguments(export: argparse.ArgumentParser, companions: str) -> None:
    """The options a kiosk's export and the central one share."""
    export.add_argument("--from", dest="start", type=iso_date, help="first day YYYY-MM-DD")
    export.add_argument("--to", dest="end", type=iso_date, help="last day YYYY-MM-DD")
    export.add_argument(
        "--period",
        choices=("current", "previous"),
        help="the current or previous pay period (settings pay_period and "
        "pay_period_start_day) instead of --from/--to",
    )
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument(
        "--csv-style",
        choices=CSV_STYLES,
        help="spreadsheet: what the language's spreadsheet opens (UTF-8 with BOM; ';' and "
        "decimal commas in Spanish), the default for files; rfc4180: plain CSV (',', '.'), "
        "the default on stdout",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        help=f"file to write; CSV also writes {companions} (default: CSV to stdout)",
    )
    what = export.add_mutually_exclusive_group()
    what.add_argument(
        "--summary", action="store_true", help="on stdout, each employee's days instead"
    )
    what.add_argument(
        "--totals", action="store_true", help="on stdout, each employee's period totals instead"
    )


def export_period(args: argparse.Namespace, settings: Settings, today: date) -> tuple[date, date]:
    """The days to report: --period from the pay period settings, else --from/--to."""
    if args.period is not None:
        if args.start is not None or args.end is not None:
            raise UsageError(Message("period.both"))
        current, previous = current_and_previous(
            today, settings.pay_period, settings.pay_period_start_day
        )
        chosen = current if args.period == "current" else previous
        return chosen.start, chosen.end
    if args.start is None or args.end is None:
        raise UsageError(Message("period.missing"))
    check_period(args.start, args.end)
    return args.start, args.end


def export_output(
    args: argparse.Namespace, report: ReportSource, language: Language, store_files: DataPaths
) -> list[Path]:
    """Write the report where the arguments say: files (returned), or one sheet on stdout;
    either way as it is read (``report`` may be streamed)."""
    if args.output is None:
        wanted = (
            "sheet.totals" if args.totals else "sheet.days" if args.summary else "sheet.records"
        )
        write_csv(report, {wanted: sys.stdout}, language, args.csv_style or "rfc4180")
        return []
    return write_report(
        report,
        args.output,
        args.format,
        store_files=store_files,
        language=language,
        csv_style=args.csv_style or "spreadsheet",
    )


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
    except ValueError:
        raise UsageError(Message("cli.bad_time", text=text)) from None


def punch_command(ctx: AppContext, args: argparse.Namespace) -> int:
    service = ctx.attendance()
    at = _at(args.at, ctx)
    if args.pin is not None:
        if at is not None or args.kind is not None:
            raise UsageError(Message("cli.pin_and_time"))
        pin = read_secret(args.pin, Message("prompt.pin")) or ""
        outcome = service.record_pin(args.code, pin)
    else:
        outcome = service.record_manual(
            audit.cli_actor(), args.code, args.reason, at=at, kind=args.kind
        )
    assert not isinstance(outcome, PunchChoice)  # a terminal is never asked (ask=False)
    if not isinstance(outcome, Recorded):
        raise RefusedError(Message("record.not_recorded", why=_why(outcome)))
    print(_recorded_text(outcome))
    return 0


def _why(outcome: NotRecorded) -> Message | str:
    return outcome.wording if outcome.wording is not None else outcome.message


def _recorded_text(outcome: Recorded) -> str:
    """ "check-in recorded for E1 Ana at 2026-12-05 09:00:00 CET (pin, record ...)"."""
    return text(
        "punch.recorded_late" if outcome.late_minutes else "punch.recorded",
        recorded=Message(f"recorded.{outcome.kind.value}"),
        code=outcome.employee_code,
        name=outcome.employee_name,
        date=f"{outcome.local_time:%Y-%m-%d}",
        time=f"{outcome.local_time:%H:%M:%S %Z}",
        late=outcome.late_minutes,
        method=Message(f"method_noun.{outcome.method}"),
        record=outcome.event_id,
    )


def attendance_list(ctx: AppContext, args: argparse.Namespace) -> int:
    zone = ctx.settings.zone
    day = args.day or local_today(zone)
    rows = [
        (
            str(r.event_id),
            r.code,
            r.name,
            _word("kind", r.kind),
            f"{r.local_time:%H:%M:%S}",
            _word("method", r.method),
            r.late_minutes or "",
            text("status.voided") if r.voided else "",
        )
        for r in list_attendance(ctx.store, zone, day, args.code)
    ]
    if not rows:
        print(text("attendance.none", day=day))
        return 0
    headers = column_headers("record", "code", "name", "kind", "time", "method", "late", "status")
    print_table(headers, rows)
    return 0


def _word(prefix: str, value: str) -> str:
    """A stored value spelled out as the report spells it ("in" → "Entrada" / "In")."""
    return text(f"{prefix}.{value}") if knows(f"{prefix}.{value}") else value


def attendance_void(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.attendance().void(audit.cli_actor(), args.event_id, args.reason)
    print(text("attendance.voided", record=args.event_id))
    return 0


def attendance_change(ctx: AppContext, args: argparse.Namespace) -> int:
    replacement = ctx.attendance().amend(
        audit.cli_actor(), args.event_id, args.reason, kind=args.kind, at=_at(args.at, ctx)
    )
    print(text("attendance.replaced", record=args.event_id), _recorded_text(replacement))
    return 0


def export_command(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.output is None and args.format != "csv":
        raise UsageError(Message("export.xlsx_needs_file"))
    zone = ctx.settings.zone
    start, end = export_period(args, ctx.settings, local_today(zone))
    report = stream_report(
        ctx.store,
        start,
        end,
        zone,
        datetime.now(UTC),
        rules=ctx.rules,
        employee_code=args.code,
    )
    written = export_output(args, report, report_language(ctx.settings.language), ctx.paths)
    if not written:
        return 0
    audit_export(
        ctx.store,
        audit.cli_actor(),
        ctx.settings.kiosk_id,
        {
            "from": start,
            "to": end,
            "format": args.format,
            "records": report.counts.records,
            "files": [str(p) for p in written],
        },
    )
    summary = text(
        "export.written",
        start=start,
        end=end,
        records=report.counts.records,
        days=report.counts.days,
        employees=report.counts.employees,
        files=", ".join(str(p) for p in written),
    )
    print(summary, file=sys.stderr)
    return 0
