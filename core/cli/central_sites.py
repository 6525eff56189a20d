"""``main.py central site …``: sites (places with kiosks and employees), which site a kiosk
serves, and who belongs to a site."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from core.cli.common import SubParsers, print_table
from core.context import AppContext
from core.i18n import text
from core.store import audit

if TYPE_CHECKING:
    pass


from core.cli.central_common import central_database, central_failure


def register_sites(actions: SubParsers) -> None:
    site = actions.add_parser(
        "site",
        help="sites: each kiosk of a site receives only its site's employees (faces, shifts)",
    )
    verbs = site.add_subparsers(dest="site_action", metavar="ACTION", required=True)
    create = verbs.add_parser("create", help="a new site")
    create.add_argument("--code", required=True, help="short code, e.g. norte")
    create.add_argument("--name", required=True, help="the name people know it by")
    create.add_argument("--reason", default="", help="why (kept in the audit log)")
    create.set_defaults(handler=central_site_create)
    listing = verbs.add_parser("list", help="sites, their kiosks and how many employees")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=central_site_list)
    assign = verbs.add_parser(
        "assign-kiosk", help="put a registered kiosk in a site (from its next sync)"
    )
    assign.add_argument("--kiosk-id", required=True, help="the kiosk's kiosk_id")
    where = assign.add_mutually_exclusive_group(required=True)
    where.add_argument("--site", help="site code")
    where.add_argument(
        "--no-site", action="store_true", help="no site: the kiosk receives every employee"
    )
    assign.add_argument("--reason", default="", help="why (kept in the audit log)")
    assign.set_defaults(handler=central_site_assign)
    for verb, helptext in (
        ("add-employee", "employees join a site: its kiosks get them at their next sync"),
        ("remove-employee", "employees leave a site: its kiosks drop their faces at next sync"),
    ):
        member = verbs.add_parser(verb, help=helptext)
        member.add_argument("--site", required=True, help="site code")
        member.add_argument("--code", required=True, nargs="+", help="employee code(s)")
        member.add_argument("--reason", default="", help="why (kept in the audit log)")
        member.set_defaults(handler=central_site_members, add=verb == "add-employee")


def central_site_create(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.site_admin import check_site_code, create_site

    code = check_site_code(args.code)
    central = central_database(ctx)
    try:
        create_site(central, code, args.name, reason=args.reason, actor=audit.cli_actor())
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    print(text("central.site_created", code=code))
    return 0


def central_site_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.site_admin import list_sites

    central = central_database(ctx)
    try:
        sites, unsited = list_sites(central)
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if args.json:
        listing = {"sites": [s.__dict__ for s in sites], "kiosks_without_site": unsited}
        print(json.dumps(listing, indent=2))
        return 0
    if not sites:
        print(text("central.no_sites"))
    else:
        print_table(
            [
                text("central.col_site"),
                text("central.col_name"),
                text("central.col_employees"),
                text("central.col_kiosks"),
            ],
            [(s.code, s.name, s.employees, ", ".join(s.kiosks) or "-") for s in sites],
        )
    if unsited:
        print(text("central.unsited", kiosks=", ".join(unsited)))
    return 0


def central_site_assign(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.roles import check_kiosk_id
    from core.sync.site_admin import assign_kiosk, check_site_code

    kiosk_id = check_kiosk_id(args.kiosk_id)
    site = None if args.no_site else check_site_code(args.site)
    central = central_database(ctx)
    try:
        before = assign_kiosk(central, kiosk_id, site, reason=args.reason, actor=audit.cli_actor())
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    now = text("central.site", site=site) if site else text("central.no_site_every")
    was = text("central.site", site=before) if before else text("central.no_site")
    print(text("central.kiosk_site", kiosk=kiosk_id, now=now, before=was))
    return 0


def central_site_members(ctx: AppContext, args: argparse.Namespace) -> int:
    from core.sync.site_admin import change_members, check_site_code

    site = check_site_code(args.site)
    central = central_database(ctx)
    try:
        changed, unchanged = change_members(
            central, site, args.code, add=args.add, reason=args.reason, actor=audit.cli_actor()
        )
    except Exception as exc:
        raise central_failure(central, exc) from None
    finally:
        central.dispose()
    if changed:
        print(
            text(
                "central.joined" if args.add else "central.left",
                codes=", ".join(changed),
                site=site,
            )
        )
    if unchanged:
        codes = ", ".join(unchanged)
        print(text("central.already_in" if args.add else "central.not_in", codes=codes, site=site))
    return 0
