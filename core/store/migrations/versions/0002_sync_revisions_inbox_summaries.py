"""sync: change revisions, the sync inbox, daily summaries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:00:00

- ``revision BIGINT NULL`` (indexed) on the tables a kiosk pulls: employees, face_templates,
  shifts, shift_assignments, tombstones.
- PostgreSQL only: one sequence and a BEFORE INSERT OR UPDATE trigger that sets
  ``NEW.revision = nextval(...)`` after taking a transaction-scoped advisory lock. The lock
  serialises the writers of these tables, so revisions become visible in the order they were
  handed out: without it, a transaction holding revision 7 could commit after one holding 8,
  and a kiosk that had already pulled up to 8 would never see 7. Existing rows get revisions.
- ``sync_inbox``: the kiosk's outbox and the central inbox of kiosk-made changes.
- ``daily_summaries``: the headless server's daily close, one row per employee and shift day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PULLED_TABLES = ("employees", "face_templates", "shifts", "shift_assignments", "tombstones")
# Keep in step with core.sync.central.REVISION_LOCK_KEY and REVISION_SEQUENCE.
REVISION_LOCK_KEY = 4_170_519_201
REVISION_SEQUENCE = "sync_revision_seq"
REVISION_FUNCTION = "asistencia_set_revision"


def upgrade() -> None:
    for table in PULLED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("revision", sa.BigInteger(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_revision"), ["revision"], unique=False)

    op.create_table(
        "sync_inbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("synced_at", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("applied_at", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_inbox")),
    )
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_inbox_entity_entity_id", ["entity", "entity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sync_inbox_synced_at"), ["synced_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_inbox_applied_at"), ["applied_at"], unique=False)

    op.create_table(
        "daily_summaries",
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("shift_day", sa.Date(), nullable=False),
        sa.Column("first_in", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_out", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("worked_minutes", sa.Integer(), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.Column("early_leave_minutes", sa.Integer(), nullable=False),
        sa.Column("overtime_minutes", sa.Integer(), nullable=False),
        sa.Column("missing_checkout", sa.Boolean(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("computed_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_daily_summaries_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("employee_id", "shift_day", name=op.f("pk_daily_summaries")),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE {REVISION_SEQUENCE}")
        op.execute(
            f"""
            CREATE FUNCTION {REVISION_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                -- Serialise the writers of pulled tables until commit, so a revision is
                -- never visible before a smaller one (see this migration's docstring).
                PERFORM pg_advisory_xact_lock({REVISION_LOCK_KEY});
                NEW.revision := nextval('{REVISION_SEQUENCE}');
                RETURN NEW;
            END
            $$
            """
        )
        for table in PULLED_TABLES:
            op.execute(
                f"CREATE TRIGGER trg_{table}_revision BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {REVISION_FUNCTION}()"
            )
            # Rows that existed before: the trigger numbers them now.
            op.execute(f"UPDATE {table} SET revision = NULL")  # noqa: S608 (fixed names)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PULLED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_revision ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {REVISION_FUNCTION}()")
        op.execute(f"DROP SEQUENCE IF EXISTS {REVISION_SEQUENCE}")
    op.drop_table("daily_summaries")
    with op.batch_alter_table("sync_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_inbox_applied_at"))
        batch_op.drop_index(batch_op.f("ix_sync_inbox_synced_at"))
        batch_op.drop_index("ix_sync_inbox_entity_entity_id")
    op.drop_table("sync_inbox")
    for table in reversed(PULLED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_revision"))
            batch_op.drop_column("revision")
