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
- PostgreSQL only: ``asistencia_report_changes``, a sequence that a statement-level trigger
  advances after every write to what the report's size depends on (records, employees,
  shifts, assignments, sites, their members and kiosks). The console keeps a period's counts
  while it has not moved (``core.sync.central_page``): counting a month of a company's
  records takes longer than a page may. A sequence, not a row, so that concurrent pushes
  never wait on each other for it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = "verified_at IS NOT NULL AND review IS NULL"
CHANGES = "asistencia_report_changes"
CHANGE_FUNCTION = "asistencia_report_changed"
# A trigger with a transition table takes one event: one trigger per event and table.
EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
WATCHED = (
    "attendance_events",
    "employees",
    "shifts",
    "shift_assignments",
    "sites",
    "site_employees",
    "kiosk_roles",
)


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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE {CHANGES}")
        # SECURITY DEFINER: a kiosk's role writes some of these tables and may not use the
        # sequence itself. Only a statement that changed rows counts: kiosks push every minute,
        # mostly nothing, and the counts must stay kept while nothing changes.
        op.execute(
            """
            CREATE FUNCTION asistencia_report_changed() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM changed) THEN
                    PERFORM nextval('asistencia_report_changes');
                END IF;
                RETURN NULL;
            END $$
            """
        )
        for table in WATCHED:
            for event, rows in EVENTS:
                op.execute(
                    f"CREATE TRIGGER trg_{table}_report_{event.lower()} AFTER {event} ON {table} "
                    f"REFERENCING {rows} TABLE AS changed "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {CHANGE_FUNCTION}()"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            for event, _rows in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_report_{event.lower()} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {CHANGE_FUNCTION}()")
        op.execute(f"DROP SEQUENCE IF EXISTS {CHANGES}")
    op.drop_index("ix_attendance_events_day_time", table_name="attendance_events")
    op.drop_index("ix_attendance_events_counted", table_name="attendance_events")
