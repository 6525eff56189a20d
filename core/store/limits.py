"""Length limits of text columns: the central schema's, enforced where a value enters.

SQLite keeps a string of any length in a ``String(n)`` column; PostgreSQL refuses one longer
than ``n``. A kiosk that stored what the central database refuses stranded that change for
good, and with it the records of a person it had created ("1 wait for the server to accept
new employees"). So the limit read here, from the models both databases share, is the one
every entry point checks (core/people/employees.py, core/attendance/shifts.py, the kiosk's
forms, the
commands), and the server checks it once more when it applies a kiosk's change
(core/sync/inbox.py), for rows stored before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.orm import InstrumentedAttribute

# What people call a column, for the sentences; others are named table.column.
_LABELS: dict[tuple[str, str], str] = {
    ("employees", "code"): "the employee's code",
    ("employees", "name"): "the employee's name",
    ("shifts", "name"): "the shift's name",
}


def max_length(column: InstrumentedAttribute[Any] | Column[Any]) -> int:
    """The most characters ``column`` holds (its ``String(n)``)."""
    length = getattr(column.type, "length", None)
    if not length:
        raise TypeError(f"{column} has no length limit")
    return int(length)


def label(table: Table, column: str) -> str:
    return _LABELS.get((table.name, column), f"{table.name}.{column}")


def too_long(table: Table, values: Mapping[str, Any]) -> str | None:
    """A sentence for the first value in ``values`` longer than its column allows, or None."""
    for column in table.columns:
        value = values.get(column.name)
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            return (
                f"{label(table, column.name)} is {len(value)} characters; the central database "
                f"allows at most {length}"
            )
    return None


__all__ = ["label", "max_length", "too_long"]
