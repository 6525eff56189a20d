"""report pages: the counted records of a period per employee, read from an index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 11:40:00

- ``ix_attendance_events_counted``: ``(employee_id, shift_day, kiosk_id)`` of the records a
  report counts (derived by the server, not held). The console's attendance page counts each
  employee's records and shift days of a period from it (an index-only scan, in employee
  order) to know which employees a page of the report needs, instead of building the whole
  period for each page.
- ``ix_attendance_events_day_time``: ``(shift_day, occurred_at)``, a day's records in time
  order a page at a time (the console's corrections page; a company's day is tens of
  thousands of records).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = "verified_at IS NOT NULL AND review IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_attendance_events_counted",
        "attendance_events",
        ["employee_id", "shift_day", "kiosk_id"],
        postgresql_where=sa.text(COUNTED),
        sqlite_where=sa.text(COUNTED),
    )
    op.create_index(
        "ix_attendance_events_day_time", "attendance_events", ["shift_day", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_attendance_events_day_time", table_name="attendance_events")
    op.drop_index("ix_attendance_events_counted", table_name="attendance_events")
