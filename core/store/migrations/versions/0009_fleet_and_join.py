"""fleet and join: kiosks report a heartbeat with each sync, and join with a one-time password

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:30:00

- ``kiosk_heartbeats``: one row per kiosk, what it last said of itself (version, last
  successful sync, records waiting, camera, model, liveness, disk, sync interval) and when it
  arrived by the server's clock, with the kiosk's clock offset from it.
- ``kiosk_roles.join_expires_at`` and ``joined_at``: a join file's password is ``VALID UNTIL``
  its expiry; at its first sync the kiosk replaces it with a password of its own and the
  expiry with none, once.
- PostgreSQL only: ``asistencia_heartbeat(jsonb)`` (SECURITY DEFINER; the kiosk id is the
  sending role's, the arrival time the server's) and ``asistencia_join(text)`` (SECURITY
  DEFINER; takes a SCRAM verifier computed on the kiosk, never a password), both granted to
  every kiosk role and to nobody else.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEARTBEAT_FUNCTION = "asistencia_heartbeat"
JOIN_FUNCTION = "asistencia_join"
HELD_TABLES = ("attendance_events", "attendance_corrections", "audit_log", "sync_inbox")


def upgrade() -> None:
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("join_expires_at", core.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("joined_at", core.store.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("received_at", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("clock_offset_s", sa.Float(), nullable=True),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("last_sync_at", core.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("records_waiting", sa.Integer(), nullable=False),
        sa.Column("camera", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("liveness", sa.String(length=32), nullable=False),
        sa.Column("disk_free_bytes", sa.BigInteger(), nullable=True),
        sa.Column("disk_total_bytes", sa.BigInteger(), nullable=True),
        sa.Column("sync_interval_s", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", name=op.f("pk_kiosk_heartbeats")),
    )
    # What the fleet counts at every /metrics scrape: the held rows per sender, found without
    # reading a month of records (the partial indexes hold only the few held rows).
    for table in HELD_TABLES:
        op.create_index(
            f"ix_{table}_held",
            table,
            ["sent_by"],
            postgresql_where=sa.text("review IS NOT NULL"),
            sqlite_where=sa.text("review IS NOT NULL"),
        )
    if op.get_bind().dialect.name == "postgresql":
        _central()


def _central() -> None:
    # Every text is cut to its column; a number or time that does not parse fails the call
    # (the kiosk's sync logs it and goes on: a heartbeat never holds back records).
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {HEARTBEAT_FUNCTION}(report jsonb)
        RETURNS timestamptz LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
        DECLARE
            sender text := session_user;
            kiosk text;
            kiosk_clock timestamptz;
        BEGIN
            SELECT kiosk_id INTO kiosk FROM kiosk_roles WHERE role_name = sender;
            IF kiosk IS NULL THEN
                RETURN NULL;  -- not a kiosk's login (the owner's, say): nothing to record
            END IF;
            IF jsonb_typeof(report) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION 'asistencia_heartbeat: the report must be a JSON object';
            END IF;
            kiosk_clock := (report->>'kiosk_clock')::timestamptz;
            INSERT INTO kiosk_heartbeats AS h (
                kiosk_id, role_name, received_at, clock_offset_s, version, last_sync_at,
                records_waiting, camera, model, liveness, disk_free_bytes, disk_total_bytes,
                sync_interval_s
            ) VALUES (
                kiosk, sender, now(),
                CASE WHEN kiosk_clock IS NULL THEN NULL
                     ELSE extract(epoch FROM kiosk_clock - now()) END,
                left(coalesce(report->>'version', ''), 32),
                (report->>'last_sync_at')::timestamptz,
                greatest(coalesce((report->>'records_waiting')::integer, 0), 0),
                left(coalesce(report->>'camera', ''), 32),
                left(coalesce(report->>'model', ''), 64),
                left(coalesce(report->>'liveness', ''), 32),
                (report->>'disk_free_bytes')::bigint,
                (report->>'disk_total_bytes')::bigint,
                (report->>'sync_interval_s')::integer
            )
            ON CONFLICT (kiosk_id) DO UPDATE SET
                role_name = EXCLUDED.role_name,
                received_at = EXCLUDED.received_at,
                clock_offset_s = EXCLUDED.clock_offset_s,
                version = EXCLUDED.version,
                last_sync_at = EXCLUDED.last_sync_at,
                records_waiting = EXCLUDED.records_waiting,
                camera = EXCLUDED.camera,
                model = EXCLUDED.model,
                liveness = EXCLUDED.liveness,
                disk_free_bytes = EXCLUDED.disk_free_bytes,
                disk_total_bytes = EXCLUDED.disk_total_bytes,
                sync_interval_s = EXCLUDED.sync_interval_s;
            RETURN now();
        END
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    # The role's own password and expiry are the owner's to change (a role may set its own
    # password but not lift VALID UNTIL). Only once per join file, only a SCRAM verifier
    # (libpq computes it on the kiosk: no password reaches the server or its log).
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {JOIN_FUNCTION}(verifier text)
        RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
        DECLARE
            sender text := session_user;
            kiosk text;
            already timestamptz;
        BEGIN
            SELECT kiosk_id, joined_at INTO kiosk, already FROM kiosk_roles
                WHERE role_name = sender FOR UPDATE;
            IF kiosk IS NULL THEN
                RAISE EXCEPTION 'asistencia_join: % is not a kiosk''s login', sender
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF already IS NOT NULL THEN
                RAISE EXCEPTION 'asistencia_join: this join file was already used'
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            IF verifier IS NULL OR verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
                RAISE EXCEPTION 'asistencia_join: a SCRAM-SHA-256 verifier is needed'
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            EXECUTE format('ALTER ROLE %I PASSWORD %L VALID UNTIL %L', sender, verifier,
                           'infinity');
            UPDATE kiosk_roles SET joined_at = now(), join_expires_at = NULL
                WHERE role_name = sender;
            RETURN kiosk;
        END
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    for function in (f"{HEARTBEAT_FUNCTION}(jsonb)", f"{JOIN_FUNCTION}(text)"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    roles = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT role_name FROM kiosk_roles "
                "WHERE role_name IN (SELECT rolname FROM pg_roles)"
            )
        )
        .scalars()
    )
    for role in roles:
        ident = '"' + str(role).replace('"', '""') + '"'
        op.execute(f"GRANT EXECUTE ON FUNCTION {HEARTBEAT_FUNCTION}(jsonb) TO {ident}")
        op.execute(f"GRANT EXECUTE ON FUNCTION {JOIN_FUNCTION}(text) TO {ident}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {JOIN_FUNCTION}(text)")
        op.execute(f"DROP FUNCTION IF EXISTS {HEARTBEAT_FUNCTION}(jsonb)")
    for table in HELD_TABLES:
        op.drop_index(f"ix_{table}_held", table_name=table)
    op.drop_table("kiosk_heartbeats")
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.drop_column("joined_at")
        batch_op.drop_column("join_expires_at")
