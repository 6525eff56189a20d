"""Sync errors and how they are told to people: one sentence, never a password."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from core.errors import AsistenciaError
from core.host.redact import mask_secrets

MAX_REASON = 300


class CentralError(AsistenciaError):
    """The central database cannot be used (unreachable, wrong schema, refused)."""


class CentralSchemaError(CentralError):
    """The central schema is not the one this program expects."""


def describe_error(exc: BaseException) -> str:
    """A short, password-free sentence for a database (or any) error.

    SQLAlchemy's messages append the SQL, its parameters (face vectors, photos) and a link;
    psycopg's can quote the connection string. Keep the driver's first line, masked.
    """
    if isinstance(exc, AsistenciaError):
        text = str(exc)
    else:
        original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        text = str(original).strip() or type(original).__name__
    first = next((line.strip() for line in text.splitlines() if line.strip()), text)
    first = mask_secrets(first)
    if len(first) > MAX_REASON:
        first = first[: MAX_REASON - 1] + "…"
    return first


def is_connectivity_error(exc: BaseException) -> bool:
    """True when the server could not be reached or the connection broke (worth a retry)."""
    if isinstance(exc, CentralSchemaError):
        return False
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, ConnectionError | TimeoutError)
