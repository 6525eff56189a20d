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
    String,
    Text,
    Time,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.store.base import NAMING, Base, new_id

# The sync and central tables live beside these (one metadata); importing them here keeps
# ``core.store.models`` the one import that brings the whole schema.
from core.store.sync_models import (
    DailySummary,
    Deployment,
    KioskHeartbeat,
    KioskRole,
    PushQuota,
    Site,
    SiteEmployee,
    SyncChange,
    SyncState,
    Tombstone,
)
from core.store.types import UTCDateTime, utcnow


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
        # central: the records held for review, per sender (core/sync/fleet.py, migration 0009)
        Index(
            "ix_attendance_events_held",
            "sent_by",
            postgresql_where=text("review IS NOT NULL"),
            sqlite_where=text("review IS NOT NULL"),
        ),
        # a day's records in time order, a page at a time (migration 0010)
        Index("ix_attendance_events_day_time", "shift_day", "occurred_at"),
        # a period's counted records per employee: the report's pages (migration 0010)
        Index(
            "ix_attendance_events_counted",
            "employee_id",
            "shift_day",
            "kiosk_id",
            postgresql_where=text("verified_at IS NOT NULL AND review IS NULL"),
            sqlite_where=text("verified_at IS NOT NULL AND review IS NULL"),
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
    # central: the corrections held for review, per sender (migration 0009)
    __table_args__ = (
        Index(
            "ix_attendance_corrections_held",
            "sent_by",
            postgresql_where=text("review IS NOT NULL"),
            sqlite_where=text("review IS NOT NULL"),
        ),
    )

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
    # central: the audit lines held for review, per sender (migration 0009)
    __table_args__ = (
        Index(
            "ix_audit_log_held",
            "sent_by",
            postgresql_where=text("review IS NOT NULL"),
            sqlite_where=text("review IS NOT NULL"),
        ),
    )

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


__all__ = [
    "NAMING",
    "AttendanceCorrection",
    "AttendanceEvent",
    "AuditEntry",
    "Base",
    "DailySummary",
    "Deployment",
    "Employee",
    "FaceTemplate",
    "KioskHeartbeat",
    "KioskRole",
    "PersonKeyRow",
    "PushQuota",
    "Role",
    "Shift",
    "ShiftAssignment",
    "Site",
    "SiteEmployee",
    "SyncChange",
    "SyncState",
    "Tombstone",
    "User",
    "new_id",
]
