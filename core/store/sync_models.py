"""The tables of sync and of the central database: tombstones, cursors, the kiosk's outbox
(``SyncChange``, table ``sync_inbox``: the same table is the central inbox), daily
summaries, the deployment's key ids, kiosk roles, push quotas and sites. Shared by both
databases like core/store/models.py.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base, new_id
from core.store.types import UTCDateTime, utcnow


class Tombstone(Base):
    """A deletion that must travel, e.g. the erasure of a person's biometric data."""

    __tablename__ = "tombstones"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "action"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(32))  # employee_biometrics, face_template, ...
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(32), default="erase")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kiosk_id: Mapped[str] = mapped_column(String(64), default="")
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class SyncState(Base):
    """Cursors and bookkeeping for sync, one value per key."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SyncChange(Base):
    """One change made on a kiosk to a mutable table, waiting to be applied centrally.

    On a kiosk this is the outbox: pending rows are copied here (with a fresh id) and their
    ``sync_pending`` cleared in one transaction, then pushed with ON CONFLICT (id) DO NOTHING
    and marked ``synced_at``, so a crash repeats a push but never loses or doubles a change.
    Centrally it is the inbox: the least-privilege kiosk role may only INSERT here, and the
    headless server (owner role) validates and applies each row, recording the outcome.

    The table keeps its first name, ``sync_inbox``: kiosks push their rows under it (the
    central push function's ``kind``), so kiosks of every version can talk to one server.
    """

    __tablename__ = "sync_inbox"
    __table_args__ = (
        Index("ix_sync_inbox_entity_entity_id", "entity", "entity_id"),
        # central: the changes held for review, per sender (migration 0009)
        Index(
            "ix_sync_inbox_held",
            "sent_by",
            postgresql_where=text("review IS NOT NULL"),
            sqlite_where=text("review IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))  # a table name: employees, shifts, ...
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    operation: Mapped[str] = mapped_column(String(8))  # upsert | delete
    payload: Mapped[str] = mapped_column(Text)  # JSON of the row's synced columns
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # kiosk: when the push committed centrally (NULL = still to push)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    # central: NULL/waiting = to apply; applied | stale | conflict | rejected | superseded
    status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    # Central bookkeeping of a pushed row, set by the server's push function (never by the
    # kiosk): the database role that sent it, when it arrived, and why it is held for review
    # (NULL = accepted). Locally all three stay NULL.
    sent_by: Mapped[str | None] = mapped_column(String(63), nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review: Mapped[str | None] = mapped_column(Text, nullable=True)


class DailySummary(Base):
    """One employee's shift day, computed centrally by the headless server's daily close."""

    __tablename__ = "daily_summaries"

    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    shift_day: Mapped[date] = mapped_column(Date, primary_key=True)
    first_in: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_out: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    worked_minutes: Mapped[int] = mapped_column(Integer, default=0)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    early_leave_minutes: Mapped[int] = mapped_column(Integer, default=0)
    overtime_minutes: Mapped[int] = mapped_column(Integer, default=0)
    missing_checkout: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Deployment(Base):
    """Which deployment keys this database's sealed data and PIN hashes belong to.

    Only the keys' ids (HMACs that reveal nothing of them); the keys are in the secrets file.
    A kiosk compares the central row with its own before it syncs, so a kiosk with another
    deployment's secrets never sends data nobody else can open.
    """

    __tablename__ = "deployment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    key_id: Mapped[str] = mapped_column(String(16))  # the current epoch's data key
    pepper_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Erasures so far (schema 0008): each moves the data key one ratchet step on.
    epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class KioskRole(Base):
    """Central: the database role each kiosk logs in as, the kiosk id it may claim, and the
    site whose employees it receives (NULL: every employee, as before sites existed).

    The site is set here, centrally, by the owner (``central site assign-kiosk``); a kiosk's
    login can read neither this table nor change it, so it cannot widen its own site."""

    __tablename__ = "kiosk_roles"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), unique=True)
    # A record dated longer ago than this before it arrives is held for review.
    max_offline_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    # Rows the push function takes from this role per hour (migration 0007).
    max_rows_per_hour: Mapped[int] = mapped_column(Integer, default=20000, server_default="20000")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    site_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sites.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    # A join file's password stops working at this time (migration 0009); NULL once joined.
    join_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the kiosk replaced the join file's password with its own (``asistencia_join``).
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class KioskHeartbeat(Base):
    """Central: what each kiosk last reported of itself with a sync (migration 0009).

    Written only by ``asistencia_heartbeat(jsonb)``, which takes the kiosk id from the sending
    role's row in ``kiosk_roles`` and the arrival time from the server's clock, so a kiosk
    cannot speak for another nor date its own report."""

    __tablename__ = "kiosk_heartbeats"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role_name: Mapped[str] = mapped_column(String(63))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the server's clock
    # The kiosk's clock minus the server's when the report arrived, in seconds.
    clock_offset_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    version: Mapped[str] = mapped_column(String(32), default="")
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    records_waiting: Mapped[int] = mapped_column(Integer, default=0)
    camera: Mapped[str] = mapped_column(String(32), default="")
    model: Mapped[str] = mapped_column(String(64), default="")
    liveness: Mapped[str] = mapped_column(String(32), default="")
    disk_free_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disk_total_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sync_interval_s: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PushQuota(Base):
    """Central: rows a kiosk role pushed in the current hour's window (migration 0007)."""

    __tablename__ = "push_quota"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer)


class Site(Base):
    """A place with kiosks and employees (migration 0004): its kiosks receive only the
    templates, assignments and employee rows of its members."""

    __tablename__ = "sites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SiteEmployee(Base):
    """An employee's membership of a site; an employee may belong to several.

    Never deleted: leaving sets ``removed_at``, and the row's new ``revision`` (the same
    trigger as the other pulled tables) is how the site's kiosks learn that they must drop
    the person's templates and photo. On a kiosk it holds the memberships of its own site
    as last pulled."""

    __tablename__ = "site_employees"
    __table_args__ = (
        UniqueConstraint("site_id", "employee_id"),
        # The kiosk's pull: its site's changes after its cursor, in revision order.
        Index("ix_site_employees_site_revision", "site_id", "revision"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
