"""sites: kiosks and employees by site, and a kiosk that reads only its site's people

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 09:00:00

- ``sites`` (code, name) and ``site_employees`` (one row per site and employee, never
  deleted: leaving sets ``removed_at``; its ``revision`` comes from the same trigger as the
  other pulled tables, so a site's kiosks pull the change by cursor).
- ``kiosk_roles.site_id``: the site of each registered kiosk, set by the owner only. NULL is
  the behaviour before sites: the kiosk receives every employee.
- PostgreSQL only:
  - ``asistencia_kiosk_site()``: the site of the session's role (``session_user``, which a
    login cannot set), NULL for the owner and for kiosks without a site.
  - Row-level security on ``employees``, ``face_templates``, ``shift_assignments``,
    ``site_employees`` and ``sites``: a login whose kiosk has a site SELECTs only the rows of
    that site's current members (and that site's own rows). The owner, who owns the tables,
    is not subject to it; writes keep their grants (a policy per command, always true), so
    only reads are scoped. The subqueries use the function as an InitPlan (evaluated once per
    statement) and ``uq_site_employees_site_id`` (site_id, employee_id), so a pull stays an
    index scan on ``revision`` with a hashed filter.
  - ``asistencia_known_employees(ids uuid[])``: which of these employee ids exist centrally,
    whatever the caller's site (a kiosk's records of someone who has since left its site must
    still go up; the ids of records are the kiosk's own).
  - Registered kiosk roles (and any role that could read employees) get SELECT on the two new
    tables and EXECUTE on the known-employees function.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Keep in step with migration 0002's trigger function.
REVISION_FUNCTION = "asistencia_set_revision"
SITE_FUNCTION = "asistencia_kiosk_site"
KNOWN_FUNCTION = "asistencia_known_employees"
# Table -> the column holding the employee id its rows belong to.
SCOPED_BY_EMPLOYEE = {
    "employees": "id",
    "face_templates": "employee_id",
    "shift_assignments": "employee_id",
}
SITE_TABLES = {"site_employees": "site_id", "sites": "id"}
WRITE_COMMANDS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_sites_code")),
    )
    op.create_table(
        "site_employees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_site_employees_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_site_employees_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_employees")),
        sa.UniqueConstraint("site_id", "employee_id", name=op.f("uq_site_employees_site_id")),
    )
    with op.batch_alter_table("site_employees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_employees_employee_id"), ["employee_id"], unique=False
        )
        batch_op.create_index(
            "ix_site_employees_site_revision", ["site_id", "revision"], unique=False
        )
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_kiosk_roles_site_id"), ["site_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_kiosk_roles_site_id_sites"),
            "sites",
            ["site_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    if op.get_bind().dialect.name == "postgresql":
        _scope_reads()


def _scope_reads() -> None:
    op.execute(
        "CREATE TRIGGER trg_site_employees_revision BEFORE INSERT OR UPDATE ON site_employees "
        f"FOR EACH ROW EXECUTE FUNCTION {REVISION_FUNCTION}()"
    )
    op.execute(
        f"""
        CREATE FUNCTION {SITE_FUNCTION}() RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
            SELECT site_id FROM kiosk_roles WHERE role_name = session_user
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    op.execute(
        f"""
        CREATE FUNCTION {KNOWN_FUNCTION}(ids uuid[]) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
            SELECT id FROM employees WHERE id = ANY(ids)
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    op.execute(f"REVOKE ALL ON FUNCTION {KNOWN_FUNCTION}(uuid[]) FROM PUBLIC")
    # The policies call the site function as the reading role: every role may (it tells a
    # role its own site and nothing else).
    site = f"(SELECT {SITE_FUNCTION}())"
    members = (
        f"SELECT m.employee_id FROM site_employees m WHERE m.site_id = {site} "  # noqa: S608
        "AND m.removed_at IS NULL"
    )
    for table, column in SCOPED_BY_EMPLOYEE.items():
        _policies(table, f"{site} IS NULL OR {column} IN ({members})")
    for table, column in SITE_TABLES.items():
        _policies(table, f"{site} IS NULL OR {column} = {site}")
    _grant_existing_readers()


def _policies(table: str, visible: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY site_read ON {table} FOR SELECT USING ({visible})")
    for command in WRITE_COMMANDS:
        # Writes stay governed by grants alone, as before (only the owner writes these).
        check = "" if command == "DELETE" else " WITH CHECK (true)"
        using = "" if command == "INSERT" else " USING (true)"
        op.execute(f"CREATE POLICY site_{command.lower()} ON {table} FOR {command}{using}{check}")


def _grant_existing_readers() -> None:
    """Kiosk roles made before this revision read what they pull from the new tables too."""
    bind = op.get_bind()
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
        op.execute(f"GRANT SELECT ON sites, site_employees TO {ident}")
        op.execute(f"GRANT EXECUTE ON FUNCTION {KNOWN_FUNCTION}(uuid[]) TO {ident}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*SCOPED_BY_EMPLOYEE, *SITE_TABLES):
            for name in ("read", *(c.lower() for c in WRITE_COMMANDS)):
                op.execute(f"DROP POLICY IF EXISTS site_{name} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute(f"DROP FUNCTION IF EXISTS {KNOWN_FUNCTION}(uuid[])")
        op.execute(f"DROP FUNCTION IF EXISTS {SITE_FUNCTION}()")
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_kiosk_roles_site_id_sites"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_kiosk_roles_site_id"))
        batch_op.drop_column("site_id")
    with op.batch_alter_table("site_employees", schema=None) as batch_op:
        batch_op.drop_index("ix_site_employees_site_revision")
        batch_op.drop_index(batch_op.f("ix_site_employees_employee_id"))
    op.drop_table("site_employees")
    op.drop_table("sites")
