"""security: sealed faces, the deployment's key ids, pushes the server vouches for

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:00:00

- ``deployment``: the ids of the data key and the PIN pepper this database belongs to.
- ``kiosk_roles`` (used centrally): each kiosk's database role and the kiosk id it may claim,
  with how many days old a record it sends may be before it is held for review.
- ``sent_by``, ``received_at``, ``review`` on the pushed tables (attendance events and
  corrections, audit lines, the sync inbox): set centrally by the push function only.
- Face templates' vectors and employees' photos already stored are sealed with the
  deployment key (AES-GCM; core/secrets/keys.py). The keys come from the caller
  (``config.attributes["keys"]``); a database holding faces cannot be migrated without them.
- PostgreSQL only: ``asistencia_push(kind, rows)``, a SECURITY DEFINER function that is the
  kiosk role's only way to write. It inserts with ON CONFLICT (id) DO NOTHING on the owner's
  behalf (so the kiosk needs no SELECT on any pushed table, not even of ids), stamps who sent
  each row and when it arrived, and holds for review what does not add up: another kiosk's
  id, an unregistered role, a time in the future of the server's clock or older than the
  kiosk's allowed offline period, a correction of another kiosk's event. Kiosk roles made
  before this revision lose their INSERT grants and get EXECUTE on the function instead;
  until `central create-kiosk-role ROLE --kiosk-id ID` registers them, what they send is held.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUSHED_TABLES = ("attendance_events", "attendance_corrections", "audit_log", "sync_inbox")
PUSH_FUNCTION = "asistencia_push"
REASON_FUNCTION = "asistencia_review_reason"
# Kept in step with core.sync.roles.DEFAULT_MAX_OFFLINE_DAYS and FUTURE_SKEW.
DEFAULT_MAX_OFFLINE_DAYS = 14
FUTURE_SKEW = "10 minutes"


def _provenance() -> list[sa.Column[object]]:
    return [
        sa.Column("sent_by", sa.String(length=63), nullable=True),
        sa.Column("received_at", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("pepper_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment")),
    )
    op.create_table(
        "kiosk_roles",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column(
            "max_offline_days",
            sa.Integer(),
            nullable=False,
            server_default=str(DEFAULT_MAX_OFFLINE_DAYS),
        ),
        sa.Column("created_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_kiosk_roles")),
        sa.UniqueConstraint("kiosk_id", name=op.f("uq_kiosk_roles_kiosk_id")),
    )
    for table in PUSHED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _provenance():
                batch_op.add_column(column)
    _seal_existing()
    if op.get_bind().dialect.name == "postgresql":
        _create_push_function()
        _move_kiosk_roles_to_the_function()


def _seal_existing() -> None:
    """Seal the vectors and photos stored before this revision."""
    from core.secrets.keys import is_sealed
    from core.secrets.sealed import seal_photo, seal_template

    bind = op.get_bind()
    config = op.get_context().config
    keys = config.attributes.get("keys") if config is not None else None
    templates = bind.execute(sa.text("SELECT id, employee_id, vector FROM face_templates")).all()
    photos = bind.execute(
        sa.text("SELECT id, photo_jpeg FROM employees WHERE photo_jpeg IS NOT NULL")
    ).all()
    if keys is None:
        if templates or photos:
            raise RuntimeError(
                "this database holds faces: migrating it needs the deployment keys "
                "(run it through `python main.py migrate`)"
            )
        return
    for row_id, employee_id, vector in templates:
        if not is_sealed(vector):
            sealed = seal_template(keys, _uuid(row_id), _uuid(employee_id), bytes(vector))
            bind.execute(
                sa.text("UPDATE face_templates SET vector = :v WHERE id = :id"),
                {"v": sealed, "id": row_id},
            )
    for row_id, photo in photos:
        if not is_sealed(photo):
            sealed = seal_photo(keys, _uuid(row_id), bytes(photo))
            bind.execute(
                sa.text("UPDATE employees SET photo_jpeg = :p WHERE id = :id"),
                {"p": sealed, "id": row_id},
            )


def _uuid(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, bytes | bytearray):
        return uuid.UUID(bytes=bytes(value))
    return uuid.UUID(str(value))


def _create_push_function() -> None:
    op.execute(
        f"""
        CREATE FUNCTION {REASON_FUNCTION}(sender text, claimed text, occurred timestamptz)
        RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
        DECLARE
            registered kiosk_roles%ROWTYPE;
        BEGIN
            -- The owner (and its members) push as themselves: the headless server's own
            -- kiosk, an administrator's tools.
            IF sender = current_user OR pg_has_role(sender, current_user, 'MEMBER') THEN
                RETURN NULL;
            END IF;
            SELECT * INTO registered FROM kiosk_roles WHERE role_name = sender;
            IF NOT FOUND THEN
                RETURN format('sent by role %s, which is registered for no kiosk', sender);
            END IF;
            IF claimed IS DISTINCT FROM registered.kiosk_id THEN
                RETURN format('claims kiosk %s but role %s belongs to kiosk %s',
                              claimed, sender, registered.kiosk_id);
            END IF;
            IF occurred > now() + interval '{FUTURE_SKEW}' THEN
                RETURN format('dated %s, in the future of the server clock (%s)',
                              occurred, now());
            END IF;
            IF occurred < now() - make_interval(days => registered.max_offline_days) THEN
                RETURN format('dated %s, more than %s days before it arrived',
                              occurred, registered.max_offline_days);
            END IF;
            RETURN NULL;
        END
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    op.execute(
        f"""
        CREATE FUNCTION {PUSH_FUNCTION}(kind text, rows jsonb)
        RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
        DECLARE
            sender text := session_user;
            inserted integer := 0;
            done integer;
            ev attendance_events%ROWTYPE;
            co attendance_corrections%ROWTYPE;
            au audit_log%ROWTYPE;
            ib sync_inbox%ROWTYPE;
            event_kiosk text;
        BEGIN
            IF jsonb_typeof(rows) IS DISTINCT FROM 'array' THEN
                RAISE EXCEPTION 'asistencia_push: rows must be a JSON array';
            END IF;
            IF kind = 'attendance_events' THEN
                FOR ev IN SELECT * FROM jsonb_populate_recordset(NULL::attendance_events, rows)
                LOOP
                    ev.synced_at := now();
                    ev.sent_by := sender;
                    ev.received_at := now();
                    ev.review := {REASON_FUNCTION}(sender, ev.kiosk_id, ev.occurred_at);
                    INSERT INTO attendance_events VALUES (ev.*) ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS done = ROW_COUNT;
                    inserted := inserted + done;
                END LOOP;
            ELSIF kind = 'attendance_corrections' THEN
                FOR co IN
                    SELECT * FROM jsonb_populate_recordset(NULL::attendance_corrections, rows)
                LOOP
                    co.synced_at := now();
                    co.sent_by := sender;
                    co.received_at := now();
                    co.review := {REASON_FUNCTION}(sender, co.kiosk_id, co.at);
                    IF co.review IS NULL AND NOT (
                        sender = current_user OR pg_has_role(sender, current_user, 'MEMBER')
                    ) THEN
                        SELECT kiosk_id INTO event_kiosk FROM attendance_events
                            WHERE id = co.event_id;
                        IF event_kiosk IS DISTINCT FROM co.kiosk_id THEN
                            co.review := format('corrects an event of kiosk %s', event_kiosk);
                        END IF;
                    END IF;
                    INSERT INTO attendance_corrections VALUES (co.*)
                        ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS done = ROW_COUNT;
                    inserted := inserted + done;
                END LOOP;
            ELSIF kind = 'audit_log' THEN
                FOR au IN SELECT * FROM jsonb_populate_recordset(NULL::audit_log, rows)
                LOOP
                    au.synced_at := now();
                    au.sent_by := sender;
                    au.received_at := now();
                    au.review := {REASON_FUNCTION}(sender, au.kiosk_id, au.at);
                    INSERT INTO audit_log VALUES (au.*) ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS done = ROW_COUNT;
                    inserted := inserted + done;
                END LOOP;
            ELSIF kind = 'sync_inbox' THEN
                FOR ib IN SELECT * FROM jsonb_populate_recordset(NULL::sync_inbox, rows)
                LOOP
                    -- The server's own bookkeeping is never taken from a kiosk.
                    ib.synced_at := NULL;
                    ib.status := NULL;
                    ib.detail := NULL;
                    ib.applied_at := NULL;
                    ib.sent_by := sender;
                    ib.received_at := now();
                    ib.review := {REASON_FUNCTION}(sender, ib.kiosk_id, ib.created_at);
                    INSERT INTO sync_inbox VALUES (ib.*) ON CONFLICT (id) DO NOTHING;
                    GET DIAGNOSTICS done = ROW_COUNT;
                    inserted := inserted + done;
                END LOOP;
            ELSE
                RAISE EXCEPTION 'asistencia_push: unknown kind %', kind;
            END IF;
            RETURN inserted;
        END
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    op.execute(f"REVOKE ALL ON FUNCTION {PUSH_FUNCTION}(text, jsonb) FROM PUBLIC")
    op.execute(f"REVOKE ALL ON FUNCTION {REASON_FUNCTION}(text, text, timestamptz) FROM PUBLIC")


def _move_kiosk_roles_to_the_function() -> None:
    """Roles granted INSERT by an older `create-kiosk-role` now push through the function."""
    bind = op.get_bind()
    grantees = bind.execute(
        sa.text(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_schema = 'public' AND table_name = 'sync_inbox' "
            "AND privilege_type = 'INSERT' AND grantee <> current_user "
            "AND grantee NOT IN (SELECT rolname FROM pg_roles WHERE rolsuper)"
        )
    ).scalars()
    tables = ", ".join(PUSHED_TABLES)
    for role in grantees:
        ident = '"' + str(role).replace('"', '""') + '"'
        op.execute(f"REVOKE ALL ON {tables} FROM {ident}")
        op.execute(f"GRANT EXECUTE ON FUNCTION {PUSH_FUNCTION}(text, jsonb) TO {ident}")
        op.execute(f"GRANT SELECT ON deployment TO {ident}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {PUSH_FUNCTION}(text, jsonb)")
        op.execute(f"DROP FUNCTION IF EXISTS {REASON_FUNCTION}(text, text, timestamptz)")
    for table in reversed(PUSHED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ("review", "received_at", "sent_by"):
                batch_op.drop_column(name)
    op.drop_table("kiosk_roles")
    op.drop_table("deployment")
