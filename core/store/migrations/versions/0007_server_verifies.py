"""the server verifies: derived figures are the server's, kiosk roles bounded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 00:00:00

- ``attendance_events.verified_at`` and ``claimed`` (used centrally): a kiosk reports facts
  (who, when, which kind, how, which kiosk, its zone); the headless server derives the rest
  (shift day, shift, schedule, late/early/overtime minutes) with the kiosk's own rules module
  and sets ``verified_at``. What the kiosk had computed is kept in ``claimed`` (JSON) when it
  disagrees, and such a record is held for review with both. Records from before this
  revision were trusted as they came and stay counted (``verified_at`` = when they arrived).
- ``kiosk_roles.max_rows_per_hour`` and ``push_quota``: how many rows a kiosk role may push
  per hour, counted by the push function.
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.store.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_MAX_ROWS_PER_HOUR = 20000
# A kiosk sends batches of 500 (core.sync.push.CHUNK); twice that is refused whole.
MAX_ROWS_PER_PUSH = 1000
# A batch of 500 sealed photos is some 35 MB of JSON; a push is refused whole beyond this.
MAX_BYTES_PER_PUSH = 64 * 1024 * 1024
PUSH_FUNCTION = "asistencia_push"
REASON_FUNCTION = "asistencia_review_reason"
QUOTA_FUNCTION = "asistencia_push_quota"


def upgrade() -> None:
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verified_at", core.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("claimed", sa.Text(), nullable=True))
    op.execute(
        "UPDATE attendance_events SET verified_at = COALESCE(received_at, synced_at, created_at) "
        "WHERE synced_at IS NOT NULL"
    )
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "max_rows_per_hour",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_MAX_ROWS_PER_HOUR),
            )
        )
    op.create_table(
        "push_quota",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("window_start", core.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_push_quota")),
    )
    # The server looks for records still to derive after every sync: a partial index holds
    # only those, so the look costs nothing however many records there are (on a kiosk,
    # where nothing is ever verified, it is never read).
    op.create_index(
        "ix_attendance_events_unverified",
        "attendance_events",
        ["received_at"],
        postgresql_where=sa.text("verified_at IS NULL"),
        sqlite_where=sa.text("verified_at IS NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_quota_function()
        _replace_push_function()


def _create_quota_function() -> None:
    op.execute(
        f"""
        CREATE FUNCTION {QUOTA_FUNCTION}(sender text, count integer, size integer)
        RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$
        DECLARE
            allowed integer;
            used integer;
        BEGIN
            IF count > {MAX_ROWS_PER_PUSH} THEN
                RAISE EXCEPTION 'asistencia_push: at most {MAX_ROWS_PER_PUSH} rows in one push'
                    USING ERRCODE = 'program_limit_exceeded';
            END IF;
            IF size > {MAX_BYTES_PER_PUSH} THEN
                RAISE EXCEPTION 'asistencia_push: at most {MAX_BYTES_PER_PUSH} bytes in one push'
                    USING ERRCODE = 'program_limit_exceeded';
            END IF;
            IF sender = current_user OR pg_has_role(sender, current_user, 'MEMBER') THEN
                RETURN;
            END IF;
            SELECT max_rows_per_hour INTO allowed FROM kiosk_roles WHERE role_name = sender;
            IF NOT FOUND THEN
                RETURN;  -- an unregistered role: what it sends is held for review anyway
            END IF;
            INSERT INTO push_quota AS q (role_name, window_start, rows)
                VALUES (sender, now(), count)
                ON CONFLICT (role_name) DO UPDATE SET
                    window_start = CASE WHEN q.window_start < now() - interval '1 hour'
                                        THEN now() ELSE q.window_start END,
                    rows = CASE WHEN q.window_start < now() - interval '1 hour'
                                THEN count ELSE q.rows + count END
                RETURNING q.rows INTO used;
            IF used > allowed THEN
                -- The exception undoes the count too: only rows taken are counted.
                RAISE EXCEPTION 'asistencia_push: this kiosk may send % records an hour; the '
                    'rest goes at a later sync', allowed
                    USING ERRCODE = 'configuration_limit_exceeded';
            END IF;
        END
        $$
        """  # noqa: S608 (fixed names, no input)
    )
    op.execute(f"REVOKE ALL ON FUNCTION {QUOTA_FUNCTION}(text, integer, integer) FROM PUBLIC")


def _replace_push_function() -> None:
    """0003's function, with the hour's quota, the size of one push, and events stored as
    not yet verified whatever a kiosk sends in ``verified_at`` and ``claimed``."""
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {PUSH_FUNCTION}(kind text, rows jsonb)
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
            PERFORM {QUOTA_FUNCTION}(sender, jsonb_array_length(rows), pg_column_size(rows));
            IF kind = 'attendance_events' THEN
                FOR ev IN SELECT * FROM jsonb_populate_recordset(NULL::attendance_events, rows)
                LOOP
                    ev.synced_at := now();
                    ev.sent_by := sender;
                    ev.received_at := now();
                    ev.review := {REASON_FUNCTION}(sender, ev.kiosk_id, ev.occurred_at);
                    -- The server derives the figures (core/sync/verify.py); until then the
                    -- record counts nowhere.
                    ev.verified_at := NULL;
                    ev.claimed := NULL;
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


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # 0003's function again (it reads no quota, stamps no verification).
        op.execute(f"DROP FUNCTION IF EXISTS {PUSH_FUNCTION}(text, jsonb)")
        op.execute(f"DROP FUNCTION IF EXISTS {REASON_FUNCTION}(text, text, timestamptz)")
        earlier = importlib.import_module(
            "core.store.migrations.versions.0003_sealed_faces_push_provenance"
        )
        earlier._create_push_function()
        op.execute(f"DROP FUNCTION IF EXISTS {QUOTA_FUNCTION}(text, integer, integer)")
    op.drop_index("ix_attendance_events_unverified", table_name="attendance_events")
    op.drop_table("push_quota")
    with op.batch_alter_table("kiosk_roles", schema=None) as batch_op:
        batch_op.drop_column("max_rows_per_hour")
    with op.batch_alter_table("attendance_events", schema=None) as batch_op:
        batch_op.drop_column("claimed")
        batch_op.drop_column("verified_at")
