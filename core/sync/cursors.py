"""Small values kept in ``sync_state`` (pull cursors, the daily close's progress)."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.store.models import SyncState
from core.store.tables import SYNC_STATE
from core.store.types import utcnow


def get_value(session: Session | Connection, key: str) -> str | None:
    value = session.execute(select(SyncState.value).where(SyncState.key == key)).scalar()
    return None if value is None else str(value)


def set_value(session: Session | Connection, key: str, value: str) -> None:
    """Insert or replace one key (SQLite and PostgreSQL both have ON CONFLICT)."""
    dialect = (
        session.get_bind().dialect.name if isinstance(session, Session) else session.dialect.name
    )
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(SYNC_STATE).values(key=key, value=value, updated_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    session.execute(statement)


def get_int(session: Session | Connection, key: str, default: int = 0) -> int:
    value = get_value(session, key)
    try:
        return default if value is None else int(value)
    except ValueError:
        return default
