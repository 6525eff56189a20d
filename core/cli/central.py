"""``main.py central …``: administration of the central database (owner's URL).

All of them read CENTRAL_DATABASE_URL; none prints it with its password.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from core.cli.attendance import add_export_arguments
from core.cli.central_admins import register_admins
from core.cli.central_common import central_database, central_failure
from core.cli.central_fleet import register_fleet
from core.cli.central_kiosks import register_kiosks
from core.cli.central_sites import register_sites
from core.cli.common import SubParsers, print_table, read_secret
from core.context import AppContext
from core.errors import UsageError
from core.i18n import Message, say, text
from core.store import audit
from core.store.types import utcnow

if TYPE_CHECKING:
    from core.sync.review import Held


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "central", help="central database: migrate, status, erase biometrics, kiosk roles"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    actions.add_parser("migrate", help="bring the central schema up to date").set_defaults(
        handler=central_migrate
    )
    status = actions.add_parser("status", help="schema, counts and inbox problems")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=central_status_command)

    erase = actions.add_parser(
        "erase-biometrics",
        help="erase a person's face data centrally; every kiosk erases it at its next sync",
    )
    erase.add_argument("--code", required=True)
    erase.add_argument("--reason", required=True, help="why (kept in the audit log)")
    erase.set_defaults(handler=central_erase)

    role = actions.add_parser(
        "create-kiosk-role", help="print (or --apply) the SQL of a least-privilege kiosk role"
    )
    role.add_argument("--name", required=True, help="role name, e.g. kiosk_entrada")
    role.add_argument(
        "--kiosk-id",
        required=True,
        help="the kiosk_id setting of the kiosk that logs in as this role (the only one it "
        "may claim)",
    )
    role.add_argument(
        "--max-offline-days",
        type=int,
        default=14,
        help="records dated longer ago than this when they arrive are held for review (14)",
    )
    role.add_argument(
        "--password", help="with --apply: the role's password ('-' to type it hidden)"
    )
    role.add_argument("--apply", action="store_true", help="run it now (owner's URL)")
    role.set_defaults(handler=central_create_role)

    review = actions.add_parser(
        "review",
        help="records held for review (another kiosk's id, an unregistered role, a date far "
        "from the server's clock): list, release or reject them",
    )
    what = review.add_mutually_exclusive_group()
    what.add_argument("--release", nargs="+", metavar="ID", help="accept these records")
    what.add_argument("--reject", nargs="+", metavar="ID", help="keep these out for good")
    review.add_argument("--reason", help="why (kept in the audit log; needed to decide)")
    review.add_argument("--json", action="store_true")
    review.set_defaults(handler=central_review_command)

    inbox = actions.add_parser(
        "apply-inbox", help="apply kiosk-made changes now (the headless server does it)"
    )
    inbox.set_defaults(handler=central_apply_inbox)
    register_sites(actions)
    register_fleet(actions)
    register_admins(actions)
    register_kiosks(actions)

    export = actions.add_parser(
        "export",
        help="company-wide attendance report: every kiosk's records, with kiosk and site",
    )
    add_export_arguments(export, "NAME-summary.csv and NAME-totals.csv")
    export.add_argument("--site", help="only the records of this site's kiosks")
    export.set_defaults(handler=central_export_command)


def central_migrate(ctx: AppContext, _args: argparse.Namespace) -> int:
    keys = ctx.deployment_keys()  # recorded centrally by the first migration
    central = central_database(ctx)
    try:
        result = central.migrate(keys)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if result.changed:
        before = result.from_revision or text("migrate.empty")
        print(text("central.migrated", before=before, after=result.to_revision))
    else:
        print(text("central.up_to_date", revision=result.to_revision))
    return 0


def central_status_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.admin import central_status

    central = central_database(ctx)
    try:
        status = central_status(central)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if args.json:
        print(json.dumps(status.__dict__, indent=2, default=str))
        return 0
    revision = status.revision or text("central.no_schema")
    print(text("central.schema", url=central.safe_url, revision=revision))
    print(
        text(
            "central.counts",
            employees=status.employees,
            templates=status.templates,
            events=status.events,
        )
    )
    inbox = ", ".join(f"{k} {v}" for k, v in sorted(status.inbox.items()))
    print(text("central.inbox", items=inbox or text("central.inbox_empty")))
    held = {k: v for k, v in status.held.items() if v}
    if held:
        items = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(held.items()))
        print(text("central.held", items=items))
    if status.large_objects_open:
        from core.sync.roles import superuser_statements

        print(text("central.large_objects", statements="; ".join(superuser_statements())))
    if status.problems:
        print("\n" + text("central.problems"))
        print_table(
            [
                text("central.col_kiosk"),
                text("central.col_what"),
                text("central.col_status"),
                text("central.col_detail"),
            ],
            [(p["kiosk_id"], p["entity"], p["status"], p["detail"]) for p in status.problems],
        )
    return 0


def central_erase(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.admin import erase_biometrics

    central = central_database(ctx)
    try:
        keys = ctx.deployment_keys()
        removed = erase_biometrics(
            central, args.code, args.reason, keys=keys, actor=audit.cli_actor()
        )
        # This installation forgets the old data key now, as every kiosk will at its next sync.
        ctx.follow_central_epoch(central)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(
        text(
            "central.erased",
            count=removed,
            code=args.code.strip(),
            time=f"{utcnow():%Y-%m-%d %H:%M}",
        )
    )
    return 0


def _database_name(ctx: AppContext) -> str:
    url = ctx.settings.central_url()
    if url is None:
        return "asistencia"
    path = unquote(urlsplit(url).path.lstrip("/"))
    return path or "asistencia"


def central_create_role(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.roles import apply_role, check_kiosk_id, check_role_name, role_sql

    name, kiosk_id = check_role_name(args.name), check_kiosk_id(args.kiosk_id)
    if not 1 <= args.max_offline_days <= 3650:
        raise UsageError(Message("central.bad_offline_days"))
    if not args.apply:
        if args.password is not None:
            raise UsageError(Message("central.password_without_apply"))
        print(role_sql(name, _database_name(ctx), kiosk_id, args.max_offline_days), end="")
        return 0
    password = read_secret(args.password, text("central.role_password", name=name))
    central = central_database(ctx)
    try:
        created = apply_role(central, name, password, kiosk_id, args.max_offline_days)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    done = text(
        "central.role",
        name=name,
        done=text("central.role_created" if created else "central.role_updated"),
        kiosk=kiosk_id,
        days=args.max_offline_days,
    )
    if not password:
        done += "; " + text("central.role_no_password")
    print(done)
    return 0


def central_export_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.attendance.log import local_today
    from core.cli.attendance import export_output, export_period
    from core.reports import report_language
    from core.sync.central_export import stream_central_report
    from core.sync.site_admin import central_audit

    if args.output is None and args.format != "csv":
        raise UsageError(Message("export.xlsx_needs_file"))
    # The period before the URL and the connection: a wrong one is said first.
    start, end = export_period(args, ctx.settings, local_today(ctx.settings.zone))
    language = report_language(ctx.settings.language)
    central = central_database(ctx)
    try:
        central.check_schema()
        report = stream_central_report(
            central,
            start,
            end,
            datetime.now(UTC),
            site=args.site,
            fallback_zone=ctx.settings.zone,
            rules=ctx.rules,
        )
        written = export_output(args, report, language, ctx.paths)
        if not written:
            return 0
        now = utcnow()
        with central.begin() as connection:
            central_audit(
                connection,
                action="report.export",
                target=args.site or "",
                target_type="report",
                details={
                    "from": start,
                    "to": end,
                    "site": args.site,
                    "format": args.format,
                    "records": report.counts.records,
                    "files": [str(p) for p in written],
                },
                reason="",
                actor=audit.cli_actor(),
                now=now,
            )
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
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


def central_apply_inbox(ctx: AppContext, _args: argparse.Namespace) -> int:
    from core.sync.inbox import apply_inbox

    central = central_database(ctx)
    try:
        central.check_schema()
        report = apply_inbox(
            central, batch=ctx.settings.sync_batch_size, clock=utcnow, keys=ctx.deployment_keys()
        )
        if report.applied:  # an erasure among them moved the data key on: follow it here
            ctx.follow_central_epoch(central)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(report.outcomes.items()))
    print(text("central.inbox", items=outcomes or text("central.inbox_nothing")))
    return 0


def central_review_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.review import decide, held_records

    central = central_database(ctx)
    try:
        if args.release or args.reject:
            if not (args.reason and args.reason.strip()):
                raise UsageError(Message("central.reason_needed"))
            decided = decide(
                central,
                args.release or args.reject,
                release=bool(args.release),
                reason=args.reason.strip(),
                actor=audit.cli_actor(),
                kiosk_id=ctx.settings.kiosk_id,
            )
            print(text("central.released" if args.release else "central.rejected", count=decided))
            return 0
        held = held_records(central, zone=ctx.settings.zone)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if args.json:
        print(json.dumps([_held_json(h) for h in held], indent=2, ensure_ascii=False))
        return 0
    if not held:
        print(text("central.nothing_held"))
        return 0
    print_table(
        [
            text("central.col_id"),
            text("held.col_about"),
            text("central.col_kiosk"),
            text("central.col_sent_by"),
            text("central.col_received"),
            text("central.col_why_held"),
        ],
        [
            (h.id, say(h.what), h.kiosk_id, h.sent_by, f"{h.received_at:%Y-%m-%d %H:%M}", h.review)
            for h in held
        ],
    )
    return 0


def _held_json(held: Held) -> dict[str, object]:
    found = {k: v for k, v in held.__dict__.items() if k != "what"}
    found.update(
        {k: str(v) for k, v in found.items() if not isinstance(v, str | type(None))},
        what=say(held.what),
        what_key=held.what.key,
    )
    return found
