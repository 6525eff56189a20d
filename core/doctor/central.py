"""The central-database line of ``main.py doctor``."""

from __future__ import annotations

from core.context import AppContext
from core.doctor.report import Check
from core.sync.central import CentralDatabase
from core.sync.errors import CentralSchemaError, describe_error

TLS_HINT = (
    "check host, port, user, password and database in CENTRAL_DATABASE_URL; with TLS add "
    "?sslmode=verify-full&sslrootcert=/path/ca.pem (see docs/install/central.md, 'TLS')"
)


def check_central_database(ctx: AppContext) -> Check:
    url = ctx.settings.central_url()
    if url is None:
        return Check("central_db", "ok", "not configured: records stay on this kiosk")
    central = CentralDatabase(url, application_name="asistencia doctor")
    try:
        revision = central.check_schema()
    except CentralSchemaError as exc:
        return Check("central_db", "fail", f"{central.safe_url}: {exc}", str(exc))
    except Exception as exc:
        # Unreachable is a warning, not a failure: the kiosk records offline and syncs later.
        return Check(
            "central_db",
            "warn",
            f"{central.safe_url}: {describe_error(exc)}; records stay here until it answers",
            TLS_HINT,
        )
    finally:
        central.dispose()
    return Check("central_db", "ok", f"{central.safe_url}: reachable, schema {revision}")


def register() -> None:
    from core.doctor.report import EXTRA_CHECKS

    if check_central_database not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(check_central_database)
