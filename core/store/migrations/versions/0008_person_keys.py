"""person keys: each person's faces sealed with a key of their own, shredded at erasure

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00

- ``person_keys`` (id = the key's id, employee_id, wrapped, epoch, created_at; pulled and
  pushed like templates): each person's own key, wrapped by the data key of ``epoch``
  (core/secrets/keys.py). Templates and photos already stored are opened with the deployment's data
  key and sealed again with a new key per person (``config.attributes["keys"]``; a database
  holding faces cannot be migrated without them). On a kiosk these keys are marked to push,
  so the central database can open what the kiosk sealed with them.
- ``deployment.epoch``: how many erasures moved the data key on; existing data keys are
  epoch 0 (and ``key_id`` is the current epoch's key's id).
- PostgreSQL only: the revision trigger and the site's row-level security of
  ``face_templates`` on ``person_keys`` too (a site's kiosk reads its members' keys only),
  the pull horizon for it, and SELECT for every role that reads what is pulled.
"""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept in step with 0002 (trigger), 0004 (policies) and 0005 (horizon).
REVISION_FUNCTION = "asistencia_set_revision"
SITE_FUNCTION = "asistencia_kiosk_site"
HORIZON_FUNCTION = "asistencia_pull_horizon"
WRITE_COMMANDS = ("INSERT", "UPDATE", "DELETE")
HORIZON_TABLES = ("employees", "shift_assignments", "face_templates")


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sync_pending", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_keys")),
    )
    with op.batch_alter_table("person_keys", schema=None) as batch_op:
        for column in ("employee_id", "sync_pending", "revision"):
            batch_op.create_index(batch_op.f(f"ix_person_keys_{column}"), [column], unique=False)
    with op.batch_alter_table("deployment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("epoch", sa.Integer(), nullable=False, server_default="0"))
    _seal_with_person_keys()
    if op.get_bind().dialect.name == "postgresql":
        _central()


def _keys() -> Any:
    config = op.get_context().config
    return config.attributes.get("keys") if config is not None else None


def _faces() -> tuple[list[Any], list[Any]]:
    bind = op.get_bind()
    templates = bind.execute(sa.text("SELECT id, employee_id, vector FROM face_templates")).all()
    photos = bind.execute(
        sa.text("SELECT id, photo_jpeg FROM employees WHERE photo_jpeg IS NOT NULL")
    ).all()
    return list(templates), list(photos)


def _seal_with_person_keys() -> None:
    """Every person with a face gets a key; their blobs move from the data key to it."""
    from core.secrets.keys import PersonKey
    from core.secrets.sealed import open_photo, open_template, seal_photo, seal_template

    bind = op.get_bind()
    templates, photos = _faces()
    keys = _keys()
    if keys is None:
        if templates or photos:
            raise RuntimeError(
                "this database holds faces: migrating it needs the deployment keys "
                "(run it through `python main.py migrate`)"
            )
        return
    on_kiosk = bind.dialect.name == "sqlite"
    people: dict[uuid.UUID, PersonKey] = {}

    def person_key(employee_id: uuid.UUID) -> PersonKey:
        if employee_id not in people:
            people[employee_id] = PersonKey.generate()
            bind.execute(
                sa.text(
                    "INSERT INTO person_keys (id, employee_id, wrapped, epoch, created_at, "
                    "sync_pending) VALUES (:id, :employee, :wrapped, :epoch, :now, :pending)"
                ).bindparams(
                    sa.bindparam("id", type_=sa.Uuid()),
                    sa.bindparam("employee", type_=sa.Uuid()),
                    sa.bindparam("now", type_=core.store.types.UTCDateTime()),
                ),
                {
                    "id": people[employee_id].id,
                    "employee": employee_id,
                    "wrapped": keys.wrap(people[employee_id], employee_id),
                    "epoch": keys.epoch,
                    "now": core.store.types.utcnow(),
                    "pending": on_kiosk,
                },
            )
        return people[employee_id]

    for row_id, employee_id, vector in templates:
        template, person = _uuid(row_id), _uuid(employee_id)
        plain = open_template(keys, template, person, bytes(vector))
        sealed = seal_template(person_key(person), template, person, plain)
        bind.execute(
            sa.text("UPDATE face_templates SET vector = :v WHERE id = :id"),
            {"v": sealed, "id": row_id},
        )
    for row_id, photo in photos:
        person = _uuid(row_id)
        plain = open_photo(keys, person, bytes(photo))
        bind.execute(
            sa.text("UPDATE employees SET photo_jpeg = :p WHERE id = :id"),
            {"p": seal_photo(person_key(person), person, plain), "id": row_id},
        )


def _uuid(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, bytes | bytearray):
        return uuid.UUID(bytes=bytes(value))
    return uuid.UUID(str(value))


def _central() -> None:
    op.execute(
        "CREATE TRIGGER trg_person_keys_revision BEFORE INSERT OR UPDATE ON person_keys "
        f"FOR EACH ROW EXECUTE FUNCTION {REVISION_FUNCTION}()"
    )
    site = f"(SELECT {SITE_FUNCTION}())"
    members = (
        f"SELECT m.employee_id FROM site_employees m WHERE m.site_id = {site} "  # noqa: S608
        "AND m.removed_at IS NULL"
    )
    op.execute("ALTER TABLE person_keys ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY site_read ON person_keys FOR SELECT "
        f"USING ({site} IS NULL OR employee_id IN ({members}))"
    )
    for command in WRITE_COMMANDS:
        check = "" if command == "DELETE" else " WITH CHECK (true)"
        using = "" if command == "INSERT" else " USING (true)"
        op.execute(
            f"CREATE POLICY site_{command.lower()} ON person_keys FOR {command}{using}{check}"
        )
    _horizon((*HORIZON_TABLES, "person_keys"))
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
        op.execute(f"GRANT SELECT ON person_keys TO {ident}")


def _horizon(tables: Sequence[str]) -> None:
    cases = "\n".join(
        f"        WHEN '{name}' THEN (SELECT max(revision) FROM {name})"  # noqa: S608
        for name in tables
    )
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {HORIZON_FUNCTION}(pulled text) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
            SELECT CASE pulled
{cases}
            END
        $$
        """
    )


def downgrade() -> None:
    """Faces go back to the data key (of the current epoch); the person keys go."""
    from core.secrets.sealed import seal_photo, seal_template

    bind = op.get_bind()
    templates, photos = _faces()
    keys = _keys()
    if templates or photos:
        if keys is None:
            raise RuntimeError("this database holds faces: going back needs the deployment keys")
        _unseal_person_keys(keys, templates, photos, seal_template, seal_photo)
    if bind.dialect.name == "postgresql":
        _horizon(HORIZON_TABLES)
        for name in ("read", *(c.lower() for c in WRITE_COMMANDS)):
            op.execute(f"DROP POLICY IF EXISTS site_{name} ON person_keys")
        op.execute("DROP TRIGGER IF EXISTS trg_person_keys_revision ON person_keys")
    with op.batch_alter_table("deployment", schema=None) as batch_op:
        batch_op.drop_column("epoch")
    op.drop_table("person_keys")


def _unseal_person_keys(
    keys: Any, templates: list[Any], photos: list[Any], seal_template: Any, seal_photo: Any
) -> None:
    from core.secrets.sealed import open_photo, open_template
    from core.store.person_keys import key_for_blob

    bind = op.get_bind()
    for row_id, employee_id, vector in templates:
        template, person = _uuid(row_id), _uuid(employee_id)
        plain = open_template(key_for_blob(bind, keys, person, vector), template, person, vector)
        bind.execute(
            sa.text("UPDATE face_templates SET vector = :v WHERE id = :id"),
            {"v": seal_template(keys, template, person, plain), "id": row_id},
        )
    for row_id, photo in photos:
        person = _uuid(row_id)
        plain = open_photo(key_for_blob(bind, keys, person, photo), person, photo)
        bind.execute(
            sa.text("UPDATE employees SET photo_jpeg = :p WHERE id = :id"),
            {"p": seal_photo(keys, person, plain), "id": row_id},
        )
