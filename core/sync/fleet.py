"""The fleet: every registered kiosk, what it last reported of itself, and what needs a person.

Pure reads of the central database with the owner's (or an administrator's) login, for
``central fleet``, the server's ``/metrics`` and the web console: two queries whatever the
number of kiosks (the kiosks with their site and heartbeat; the records held for review,
counted per sender). Each kiosk's ``problems`` are sentences by key, empty when all is well:

- ``fleet.never_reported``: registered, but no heartbeat has arrived (a kiosk not set up
  yet, or one running a version older than the heartbeat); ``fleet.join_expired`` when
  its join file expired unused.
- ``fleet.silent``: nothing heard for more than ``silent_intervals`` sync intervals (its
  own reported interval, or ``default_interval_s``): switched off, offline, or stuck.
- ``fleet.sync_failing``: it reports, but its last successful sync is that old (or none).
- ``fleet.camera_down``: its camera is reconnecting, failed, ended or stopped.
- ``fleet.model_failed``: its face model did not load (the PIN pad still works).
- ``fleet.clock_off``: its clock differs from the server's by more than a minute (records
  are dated by the kiosk's clock; far enough off, they are held for review).
- ``fleet.disk_full``: less than 1 GiB, or less than 5 % of its disk, free.
- ``fleet.held``: records it sent are held for review (``central review``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, RowMapping, func, select, union_all

from core.i18n import Message
from core.store.tables import KIOSK_HEARTBEATS, KIOSK_ROLES, SITES
from core.sync.central import CentralDatabase
from core.sync.review import REVIEWED, is_held

SILENT_INTERVALS = 3
DEFAULT_INTERVAL_S = 60  # the sync_interval_seconds setting's default
CLOCK_TOLERANCE_S = 60.0
DISK_LOW_BYTES = 1024**3
DISK_LOW_FRACTION = 0.05
# A camera in one of these states gives no frame and will give none without a change.
CAMERA_DOWN = frozenset({"reconnecting", "failed", "ended", "stopped"})
CAMERA_UP = "streaming"
CAMERA_STATES = frozenset({"starting", "streaming", *CAMERA_DOWN})  # CameraState's values
LIVENESS_MODES = frozenset({"off", "blink", "passive", "both"})  # the liveness setting's
MODEL_FAILED_SUFFIX = " (failed)"  # core/runtime/kiosk_report.py: "Dlib (failed)"


@dataclass(frozen=True)
class KioskHealth:
    kiosk_id: str
    site: str | None  # the site's code; None: no site (every employee)
    role_name: str
    joined: bool  # it has replaced its join file's password with its own
    last_seen: datetime | None  # when its last heartbeat arrived, by the server's clock
    last_sync_at: datetime | None  # its last successful sync, by its own clock
    version: str
    records_waiting: int
    camera: str  # a camera state ("streaming", "reconnecting", …); "" when not reported
    model: str
    liveness: str
    disk_free_bytes: int | None
    disk_total_bytes: int | None
    clock_offset_s: float | None  # its clock minus the server's
    sync_interval_s: int | None
    held_records: int
    problems: tuple[Message, ...]

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems)

    @property
    def camera_up(self) -> bool:
        return self.camera == CAMERA_UP


def duration(seconds: float) -> Message:
    """ "3 min" in any language: seconds under a minute, then minutes, hours, days."""
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return Message("fleet.seconds", n=int(seconds))
    if seconds < 3600:
        return Message("fleet.minutes", n=int(seconds // 60))
    if seconds < 2 * 86400:
        return Message("fleet.hours", n=int(seconds // 3600))
    return Message("fleet.days", n=int(seconds // 86400))


def ago(seconds: float) -> Message:
    """ "3 min ago" ("hace 3 min")."""
    return Message("fleet.ago", time=duration(seconds))


def size_words(count: int) -> Message:
    """A size as people read it, in the reader's language: 734 MB, 17,2 GB / 17.2 GB
    (decimal units, as disks are sold; whole bytes, kB and MB, a tenth of GB and TB)."""
    value = float(max(count, 0))
    for key in ("fleet.size_b", "fleet.size_kb", "fleet.size_mb"):
        if round(value) < 1000:
            return Message(key, n=round(value))
        value /= 1000
    for key in ("fleet.size_gb", "fleet.size_tb"):
        whole, tenth = divmod(round(value * 10), 10)
        if whole < 1000 or key == "fleet.size_tb":
            return Message(key, whole=whole, tenth=tenth)
        value /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


def camera_words(state: str) -> Message | str:
    """A camera state a kiosk reported, in words ("reconectando"); an unknown one as sent."""
    return Message(f"fleet.camera_state.{state}") if state in CAMERA_STATES else state


def liveness_words(mode: str) -> Message | str:
    """The liveness setting a kiosk reported, in words ("pasiva"); an unknown one as sent."""
    return Message(f"fleet.liveness.{mode}") if mode in LIVENESS_MODES else mode


def disk_low(free: int | None, total: int | None) -> bool:
    if free is None:
        return False
    if free < DISK_LOW_BYTES:
        return True
    return bool(total) and free < DISK_LOW_FRACTION * total  # type: ignore[operator]


def held_by_sender(connection: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """Held records counted by the role that sent them (the kiosk whose login sent a
    record answers for it, whatever id the record claims), and, for a row with no sender,
    by the kiosk id it claims. One query over the four reviewed tables."""
    parts = [
        select(table.c.sent_by, table.c.kiosk_id, func.count().label("n"))
        .where(is_held(table))
        .group_by(table.c.sent_by, table.c.kiosk_id)
        for table in REVIEWED
    ]
    by_role: dict[str, int] = {}
    by_kiosk: dict[str, int] = {}
    for sent_by, kiosk_id, count in connection.execute(union_all(*parts)):
        if sent_by:
            by_role[sent_by] = by_role.get(sent_by, 0) + int(count)
        else:
            by_kiosk[kiosk_id] = by_kiosk.get(kiosk_id, 0) + int(count)
    return by_role, by_kiosk


def fleet_status(
    central: CentralDatabase,
    *,
    now: datetime | None = None,
    silent_intervals: int = SILENT_INTERVALS,
    default_interval_s: int = DEFAULT_INTERVAL_S,
) -> list[KioskHealth]:
    """Every registered kiosk by id, with what needs attention. ``now``: the server's clock
    unless given (a test's); "last seen" is measured on the server's clock either way."""
    return fleet_snapshot(
        central,
        now=now,
        silent_intervals=silent_intervals,
        default_interval_s=default_interval_s,
    )[1]


def fleet_snapshot(
    central: CentralDatabase,
    *,
    now: datetime | None = None,
    silent_intervals: int = SILENT_INTERVALS,
    default_interval_s: int = DEFAULT_INTERVAL_S,
) -> tuple[datetime, list[KioskHealth]]:
    """``fleet_status`` and the time it was measured at (the server's clock unless ``now``
    is given), for whoever shows "3 min ago" or seconds since."""
    hb = KIOSK_HEARTBEATS
    query = (
        select(
            KIOSK_ROLES.c.kiosk_id,
            KIOSK_ROLES.c.role_name,
            KIOSK_ROLES.c.joined_at,
            KIOSK_ROLES.c.join_expires_at,
            SITES.c.code.label("site"),
            hb.c.received_at,
            hb.c.last_sync_at,
            hb.c.version,
            hb.c.records_waiting,
            hb.c.camera,
            hb.c.model,
            hb.c.liveness,
            hb.c.disk_free_bytes,
            hb.c.disk_total_bytes,
            hb.c.clock_offset_s,
            hb.c.sync_interval_s,
        )
        .select_from(KIOSK_ROLES)
        .outerjoin(SITES, SITES.c.id == KIOSK_ROLES.c.site_id)
        .outerjoin(hb, hb.c.kiosk_id == KIOSK_ROLES.c.kiosk_id)
        .order_by(KIOSK_ROLES.c.kiosk_id)
    )
    with central.connect() as connection:
        # The server's now() is its transaction's start: the same instant for every row.
        at = now or _aware(connection.execute(select(func.now())).scalar_one())
        rows = connection.execute(query).mappings().all()
        by_role, by_kiosk = held_by_sender(connection) if rows else ({}, {})
    found = []
    for row in rows:
        held = by_role.get(row["role_name"], 0) + by_kiosk.get(row["kiosk_id"], 0)
        found.append(_health(row, at, held, silent_intervals, default_interval_s))
    return at, found


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _health(
    row: RowMapping,
    now: datetime,
    held: int,
    silent_intervals: int,
    default_interval_s: int,
) -> KioskHealth:
    seen: datetime | None = row["received_at"]
    interval: int | None = row["sync_interval_s"]
    offset: float | None = row["clock_offset_s"]
    health = KioskHealth(
        kiosk_id=str(row["kiosk_id"]),
        site=row["site"],
        role_name=str(row["role_name"]),
        joined=row["joined_at"] is not None,
        last_seen=seen,
        last_sync_at=row["last_sync_at"],
        version=str(row["version"] or ""),
        records_waiting=int(row["records_waiting"] or 0),
        camera=str(row["camera"] or ""),
        model=str(row["model"] or ""),
        liveness=str(row["liveness"] or ""),
        disk_free_bytes=row["disk_free_bytes"],
        disk_total_bytes=row["disk_total_bytes"],
        clock_offset_s=offset,
        sync_interval_s=interval,
        held_records=held,
        problems=(),
    )
    expires: datetime | None = row["join_expires_at"]
    window = timedelta(seconds=silent_intervals * (interval or default_interval_s))
    problems = _problems(health, now, silent_intervals, window, expires)
    return replace(health, problems=tuple(problems))


def _problems(
    kiosk: KioskHealth, now: datetime, intervals: int, window: timedelta, expires: datetime | None
) -> list[Message]:
    problems: list[Message] = []
    if kiosk.last_seen is None:
        if expires is not None and expires < now and not kiosk.joined:
            problems.append(Message("fleet.join_expired", kiosk=kiosk.kiosk_id))
        else:
            problems.append(Message("fleet.never_reported"))
    else:
        silent = now - kiosk.last_seen
        if silent > window:
            problems.append(
                Message("fleet.silent", time=duration(silent.total_seconds()), count=intervals)
            )
        else:
            problems += _sync_problem(kiosk, now, window)
        problems += _state_problems(kiosk)
    if kiosk.held_records:
        problems.append(Message("fleet.held", count=kiosk.held_records))
    return problems


def _sync_problem(kiosk: KioskHealth, now: datetime, window: timedelta) -> list[Message]:
    """A kiosk that reports but whose syncs keep failing (a refusal, not an outage)."""
    if kiosk.last_sync_at is None:
        return [Message("fleet.never_synced")]
    # Its last sync is dated by its own clock: brought to the server's first.
    synced = kiosk.last_sync_at - timedelta(seconds=kiosk.clock_offset_s or 0.0)
    if now - synced > window:
        return [Message("fleet.sync_failing", time=ago((now - synced).total_seconds()))]
    return []


def _state_problems(kiosk: KioskHealth) -> list[Message]:
    problems: list[Message] = []
    if kiosk.camera in CAMERA_DOWN:
        problems.append(Message("fleet.camera_down", state=camera_words(kiosk.camera)))
    if kiosk.model.endswith(MODEL_FAILED_SUFFIX):
        problems.append(Message("fleet.model_failed", model=kiosk.model))
    offset = kiosk.clock_offset_s
    if offset is not None and abs(offset) > CLOCK_TOLERANCE_S:
        problems.append(
            Message(
                "fleet.clock_ahead" if offset > 0 else "fleet.clock_behind",
                seconds=round(abs(offset)),
            )
        )
    if disk_low(kiosk.disk_free_bytes, kiosk.disk_total_bytes):
        problems.append(
            Message(
                "fleet.disk_full",
                free=size_words(kiosk.disk_free_bytes or 0),
                total=size_words(kiosk.disk_total_bytes or 0),
            )
        )
    return problems
