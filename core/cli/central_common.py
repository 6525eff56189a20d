"""What every ``central`` command shares: the central database from the owner's URL, and a
failure said as one sentence that names the database without its password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.context import AppContext
from core.errors import AsistenciaError, UsageError
from core.sync.errors import describe_error

if TYPE_CHECKING:
    from core.sync.central import CentralDatabase


def central_database(ctx: AppContext) -> CentralDatabase:
    url = ctx.settings.central_url()
    if url is None:
        raise UsageError("set CENTRAL_DATABASE_URL to the central PostgreSQL URL (owner role)")
    from core.sync.central import CentralDatabase  # imported when used: start-up stays fast

    return CentralDatabase(url, application_name="asistencia admin")


def central_failure(central: CentralDatabase, exc: Exception) -> AsistenciaError:
    if isinstance(exc, AsistenciaError):
        return exc
    return AsistenciaError(f"central database {central.safe_url}: {describe_error(exc)}")
