"""break kinds: an attendance record may say a break starts or ends

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 20:30:00

``attendance_events.kind`` held ``in`` or ``out`` in three characters; a record may now also
be ``break_start`` or ``break_end`` (``core.attendance.rules.Kind``), so the column widens to
16. PostgreSQL's push function reads rows through ``attendance_events%ROWTYPE`` and
``jsonb_populate_recordset``, which follow the column's new type without being recreated.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=3),
            type_=sa.String(length=16),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=16),
            type_=sa.String(length=3),
            existing_nullable=False,
        )
