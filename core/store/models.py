"""The data model, shared by the kiosk's SQLite file and the central PostgreSQL database.

Rows that are made on a kiosk and travel (employees, templates, shifts, events, audit lines)
have UUID keys made where they are created, so two kiosks never collide. Attendance events
and corrections are append-only facts: a correction never edits an event, it voids it and,
if needed, adds a manual one, so at-least-once sync can insert with ON CONFLICT DO NOTHING.
``synced_at`` (NULL = waiting to be pushed) and ``sync_pending`` mark local changes.

``revision`` (employees, templates, shifts, assignments, tombstones) is the central change
counter a kiosk pulls by: on PostgreSQL a trigger sets it from one sequence on every insert
and update (migration 0002); on a kiosk it holds the revision of the central version last
pulled, so NULL there means "made on this kiosk and not yet seen back from the server".
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from core.store.types import UTCDateTime, utcnow

# Deterministic constraint names, so Alembic migrations work on SQLite's batch mode too.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class User(Base):
    """An administrator (or supervisor) who can unlock the settings screen."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    lockout_level: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    role: Mapped[Role] = relationship(lazy="joined")


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pin_failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    pin_lockout_level: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Biometric data is kept only with consent; erasure clears both and leaves a tombstone.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    photo_jpeg: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    biometrics_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)

    templates: Mapped[list[FaceTemplate]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", passive_deletes=True
    )
    assignments: Mapped[list[ShiftAssignment]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", passive_deletes=True
    )


class FaceTemplate(Base):
    """One enrolled face embedding (float32 bytes), per recognition model."""

    __tablename__ = "face_templates"
    __table_args__ = (Index("ix_face_templates_model_employee", "model_name", "employee_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    model_name: Mapped[str] = mapped_column(String(32))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    dim: Mapped[int] = mapped_column(Integer)
    quality: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(String(16), default="photo")  # photo | camera
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)

    employee: Mapped[Employee] = relationship(back_populates="templates")


class PersonKeyRow(Base):
    """A person's own key (schema 0008), wrapped by the data key of ``epoch``
    (core/secrets/keys.py).

    ``id`` is the key's id, written in the header of every blob it seals; a person may have
    more than one (two kiosks enrolled them before either synced). No foreign key: a kiosk's
    new person may bring their key before their employee row is applied centrally. An
    erasure deletes the person's keys; every other key is wrapped again under the next
    epoch's data key."""

    __tablename__ = "person_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employee_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class Shift(Base):
    """A turno: local start/end wall-clock times; end <= start crosses midnight."""

    __tablename__ = "shifts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    # Bit d set (Monday = bit 0) when the shift starts on weekday d.
    weekdays: Mapped[int] = mapped_column(Integer, default=0b0011111)
    grace_in_minutes: Mapped[int] = mapped_column(Integer, default=5)
    grace_out_minutes: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    seed_key: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class ShiftAssignment(Base):
    __tablename__ = "shift_assignments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    shift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sync_pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)

    employee: Mapped[Employee] = relationship(back_populates="assignments")
    shift: Mapped[Shift] = relationship(lazy="joined")


class AttendanceEvent(Base):
    """A check-in or check-out, made on a kiosk; never edited after it is written."""

    __tablename__ = "attendance_events"
    __table_args__ = (
        Index("ix_attendance_events_employee_time", "employee_id", "occurred_at"),
        Index("ix_attendance_events_occurred_at", "occurred_at"),
        # the reports select a period by shift day (migration 0005)
        Index("ix_attendance_events_shift_day", "shift_day"),
        # central: the records the server has still to derive (migration 0007)
        Index(
            "ix_attendance_events_unverified",
            "received_at",
            postgresql_where=text("verified_at IS NULL"),
            sqlite_where=text("verified_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    employee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employees.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # in | out | break_start | break_end
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))  # the kiosk's IANA zone at that instant
    shift_day: Mapped[date] = mapped_column(Date)
    shift_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    early_leave_minutes: Mapped[int] = mapped_column(Integer, default=0)
    overtime_minutes: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str] = mapped_column(String(8))  # face | pin | manual
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    liveness: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    # Central bookkeeping of a pushed row, set by the server's push function (never by the
    # kiosk): the database role that sent it, when it arrived, and why it is held for review
    # (NULL = accepted). Locally all three stay NULL.
    sent_by: Mapped[str | None] = mapped_column(String(63), nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Central only (migration 0007): when the server derived the figures above from the
    # facts, and what the kiosk had computed when the two disagree (JSON).
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claimed: Mapped[str | None] = mapped_column(Text, nullable=True)

    employee: Mapped[Employee] = relationship(lazy="joined")


class AttendanceCorrection(Base):
    """Voids an event, with who and why; a replacement, if any, is a new manual event."""

    __tablename__ = "attendance_corrections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance_events.id"), index=True)
    replacement_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    # Central bookkeeping of a pushed row, set by the server's push function (never by the
    # kiosk): the database role that sent it, when it arrived, and why it is held for review
    # (NULL = accepted). Locally all three stay NULL.
    sent_by: Mapped[str | None] = mapped_column(String(63), nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditEntry(Base):
    """Who did what, when and why: every administrative action and correction."""

    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32), default="")
    target_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never secrets
    reason: Mapped[str] = mapped_column(Text, default="")
    kiosk_id: Mapped[str] = mapped_column(String(64), default="")
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    # Central bookkeeping of a pushed row, set by the server's push function (never by the
    # kiosk): the database role that sent it, when it arrived, and why it is held for review
    # (NULL = accepted). Locally all three stay NULL.
    sent_by: Mapped[str | None] = mapped_column(String(63), nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review: Mapped[str | None] = mapped_column(Text, nullable=True)


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


class SyncInbox(Base):
    """One change made on a kiosk to a mutable table, waiting to be applied centrally.

    On a kiosk this is the outbox: pending rows are copied here (with a fresh id) and their
    ``sync_pending`` cleared in one transaction, then pushed with ON CONFLICT (id) DO NOTHING
    and marked ``synced_at``, so a crash repeats a push but never loses or doubles a change.
    Centrally it is the inbox: the least-privilege kiosk role may only INSERT here, and the
    headless server (owner role) validates and applies each row, recording the outcome.
    """

    __tablename__ = "sync_inbox"
    __table_args__ = (Index("ix_sync_inbox_entity_entity_id", "entity", "entity_id"),)

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
