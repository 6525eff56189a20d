"""System commands: seed, migrate, doctor."""

from __future__ import annotations

import argparse
import json

from core.cli.common import SubParsers
from core.context import AppContext
from core.doctor.report import format_report, run_doctor
from core.i18n import text
from core.store.migrate import migrate


def register(subparsers: SubParsers) -> None:
    seed = subparsers.add_parser(
        "seed", help="create the standard roles, shifts and first administrator"
    )
    seed.set_defaults(handler=seed_command, store=False)
    migrate_parser = subparsers.add_parser(
        "migrate", help="bring the local database schema up to date"
    )
    migrate_parser.set_defaults(handler=migrate_command, store=False)
    doctor = subparsers.add_parser(
        "doctor", help="start-up diagnostics; exit 1 when something needs fixing"
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object")
    doctor.set_defaults(handler=doctor_command)


def seed_command(ctx: AppContext, _args: argparse.Namespace) -> int:
    from seeds import run_all

    store = ctx.open_store(seed=False)
    try:
        report = run_all(store, ctx.settings.kiosk_id)
    finally:
        store.dispose()
    if report.admin is not None and report.admin.generated_password is not None:
        print(
            text(
                "seed.admin",
                username=report.admin.username,
                password=report.admin.generated_password,
            )
        )
    print(
        "\n".join(text("seed.created", what=line) for line in report.created)
        or text("seed.nothing")
    )
    return 0


def migrate_command(ctx: AppContext, _args: argparse.Namespace) -> int:
    from core.config import keep_password_apart
    from core.store.deployment import claim_deployment

    # Files from before the private umask (0644 in 0755 folders) become 0600 in 0700 ones;
    # what cannot be tightened is a warning on stderr and in the log.
    permissions = ctx.paths.ensure()
    if permissions.tightened:
        print(permissions.tightened_sentence())
    store = ctx.open_keyed_store()
    try:
        result = migrate(store.engine, ctx.paths.database, ctx.paths.backups, keys=store.keys)
        claim_deployment(store)
        if result.changed:
            store.checkpoint()
    finally:
        store.dispose()
    if keep_password_apart(ctx.config_path, ctx.paths.secrets_file):
        print(
            text(
                "migrate.password_moved",
                config=ctx.config_path.name,
                secrets=ctx.paths.secrets_file,
            )
        )
    if not result.changed:
        print(text("migrate.up_to_date", revision=result.to_revision))
    else:
        before = result.from_revision or text("migrate.empty")
        done = text("migrate.migrated", before=before, after=result.to_revision)
        if result.backup:
            done += "; " + text("migrate.backup", path=result.backup)
        print(done)
    return 0


def doctor_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.doctor.central import register as register_central_check
    from core.doctor.recognition import register as register_recognition_checks

    register_recognition_checks()
    register_central_check()
    report = run_doctor(ctx)
    print(
        json.dumps(report.to_json(), indent=2, default=str) if args.json else format_report(report)
    )
    return 0 if report.healthy else 1
