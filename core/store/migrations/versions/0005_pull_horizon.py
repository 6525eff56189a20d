"""pull horizon: an idle pull of a site's kiosk reads nothing; the export's day index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09 09:00:00

- ``ix_attendance_events_shift_day``: the reports (the kiosk's export and ``central
  export``) select a period by ``shift_day``; without it the central export scanned every
  record ever pushed.
- PostgreSQL only: ``asistencia_pull_horizon(table text)``, the highest ``revision`` of one
  site-scoped pulled table (employees, shift_assignments, face_templates), whatever rows
  the caller may see (NULL for any other name). Row-level security (0004) shows a site's
  kiosk only its members' rows, so its cursor used to stop at the last row *it* could see
  and every cycle scanned again all newer rows of the other sites (``make load``: the pull
  queries went from ~0.4 ms at 20 kiosks to ~4 ms at 200). Read in the same snapshot as a
  pull's fetch that came back short, the horizon is where the cursor may go: revisions
  become visible in commit order (0002's trigger takes them under a transaction-scoped
  advisory lock), so no row at or below it can still appear, and a row that becomes
  visible later (someone joining the site) gets a new revision above it. The function
  tells a kiosk a counter, never a row. SECURITY DEFINER (the owner reads the whole
  table); STABLE, so it sees the calling statement's snapshot; a fixed list of tables,
  no dynamic SQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HORIZON_FUNCTION = "asistencia_pull_horizon"
# The pulled tables that row-level security scopes by employee (0004's SCOPED_BY_EMPLOYEE;
# kept in step with core.sync.pull.HORIZON_TABLES). The others need no horizon: shifts and
# tombstones are seen whole, and a site's memberships are read through their own
# (site_id, revision) index, which never meets another site's rows.
PULLED_TABLES = ("employees", "shift_assignments", "face_templates")


def upgrade() -> None:
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_events_shift_day"), ["shift_day"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        _horizon_function()


def _horizon_function() -> None:
    cases = "\n".join(
        f"        WHEN '{name}' THEN (SELECT max(revision) FROM {name})"  # noqa: S608
        for name in PULLED_TABLES
    )
    op.execute(
        f"""
        CREATE FUNCTION {HORIZON_FUNCTION}(pulled text) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
            SELECT CASE pulled
{cases}
            END
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {HORIZON_FUNCTION}(text) FROM PUBLIC")
    bind = op.get_bind()
    # whoever reads what is pulled (the registered kiosk roles, and any role granted SELECT
    # on employees by an older create-kiosk-role) may ask for its horizon
    readers = bind.execute(
        sa.text(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_schema = 'public' AND table_name = 'employees' "
            "AND privilege_type = 'SELECT' AND grantee <> current_user "
            "AND grantee NOT IN (SELECT rolname FROM pg_roles WHERE rolsuper) "
            "UNION SELECT role_name FROM kiosk_roles "
            "WHERE role_name IN (SELECT rolname FROM pg_roles)"
        )
    ).scalars()
    for role in readers:
        ident = '"' + str(role).replace('"', '""') + '"'
        op.execute(f"GRANT EXECUTE ON FUNCTION {HORIZON_FUNCTION}(text) TO {ident}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {HORIZON_FUNCTION}(text)")
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_events_shift_day"))
