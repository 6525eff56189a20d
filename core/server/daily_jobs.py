"""The headless server's daily jobs on the central database: the daily close and the purge.

Both are idempotent (run them twice, get the same rows) and run at start-up too, so days
missed while the server was down are caught up.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, delete, exists, func, insert, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.attendance.rules import RulesConfig
from core.attendance.summary import SummaryRecord, summarize_days
from core.secrets.keys import DeploymentKeys
from core.store.tables import (
    AUDIT,
    CORRECTIONS,
    EMPLOYEES,
    EVENTS,
    FACE_TEMPLATES,
    PERSON_KEYS,
    SUMMARIES,
)
from core.store.types import utcnow
from core.sync.biometrics import doomed_template
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.cursors import get_value, set_value
from core.sync.erasure import erase_centrally, write_tombstone
from core.sync.ratchet import advance_centrally
from core.sync.verify import counted, verify_arrivals

log = logging.getLogger(__name__)


THROUGH_KEY = "server.daily_close.through"  # the last local day closed
LAST_RUN_KEY = "server.daily_close.last_run"  # when; events that arrived later reopen days
CLOSE_LOCK_KEY = 4_170_519_203
# Days before the last close that are recomputed anyway: a check-out can close yesterday's
# night shift, and corrections arrive late.
LOOKBACK_DAYS = 14
CHUNK_DAYS = 31
SERVER_ACTOR = "server"


@dataclass(frozen=True)
class CloseReport:
    first_day: date | None
    last_day: date
    summaries: int
    missing_checkouts: int


def _days(first: date, last: date) -> Iterable[tuple[date, date]]:
    start = first
    while start <= last:
        end = min(start + timedelta(days=CHUNK_DAYS - 1), last)
        yield start, end
        start = end + timedelta(days=1)


def _records(
    connection: Connection, days: list[date] | None, first: date, last: date
) -> dict[uuid.UUID, list[SummaryRecord]]:
    # What is held for review (core/sync/review.py) or not yet derived by the server
    # (core/sync/verify.py) neither counts nor voids.
    voided = exists().where(CORRECTIONS.c.event_id == EVENTS.c.id, CORRECTIONS.c.review.is_(None))
    where = (
        EVENTS.c.shift_day.in_(days)
        if days is not None
        else and_(EVENTS.c.shift_day >= first, EVENTS.c.shift_day <= last)
    )
    rows = connection.execute(
        select(
            EVENTS.c.employee_id,
            EVENTS.c.occurred_at,
            EVENTS.c.kind,
            EVENTS.c.shift_day,
            EVENTS.c.late_minutes,
            EVENTS.c.early_leave_minutes,
            EVENTS.c.overtime_minutes,
            EVENTS.c.scheduled_end,
        ).where(where, ~voided, counted())
    ).all()
    by_employee: defaultdict[uuid.UUID, list[SummaryRecord]] = defaultdict(list)
    for row in rows:
        by_employee[row.employee_id].append(SummaryRecord.from_event(row))
    return by_employee


def _summarise(
    connection: Connection,
    records: dict[uuid.UUID, list[SummaryRecord]],
    now: datetime,
    zone: ZoneInfo,
    rules: RulesConfig,
) -> tuple[int, int]:
    rows: list[dict[str, Any]] = []
    for employee_id, items in records.items():
        for day in summarize_days(items, now, zone, rules):
            rows.append(
                {
                    "employee_id": employee_id,
                    "shift_day": day.shift_day,
                    "first_in": day.first_in,
                    "last_out": day.last_out,
                    "worked_minutes": int(day.worked.total_seconds() // 60),
                    "late_minutes": day.late_minutes,
                    "early_leave_minutes": day.early_leave_minutes,
                    "overtime_minutes": day.overtime_minutes,
                    "missing_checkout": day.missing_checkout,
                    "records": day.records,
                    "computed_at": now,
                }
            )
    if rows:
        statement = pg_insert(SUMMARIES)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["employee_id", "shift_day"],
                set_={
                    name: statement.excluded[name]
                    for name in rows[0]
                    if name not in {"employee_id", "shift_day"}
                },
            ),
            rows,
        )
    return len(rows), sum(row["missing_checkout"] for row in rows)


def daily_close(
    central: CentralDatabase,
    *,
    zone: ZoneInfo,
    rules: RulesConfig,
    now: datetime,
    lookback_days: int = LOOKBACK_DAYS,
) -> CloseReport:
    """Summaries of every (employee, shift day) from the last close (minus a lookback) to
    today, plus days that received records since the last run; flags missing check-outs."""
    today = now.astimezone(zone).date()
    # Every record that has arrived counts once the server has derived it.
    verify_arrivals(central, rules=rules, now=utcnow(), settle=None)
    with central.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CLOSE_LOCK_KEY})
        through = get_value(connection, THROUGH_KEY)
        last_run = get_value(connection, LAST_RUN_KEY)
        if through is None:
            first = connection.scalar(select(func.min(EVENTS.c.shift_day)))
        else:
            first = min(date.fromisoformat(through), today) - timedelta(days=lookback_days)
        summaries = missing = 0
        if first is not None:
            for start, end in _days(first, today):
                done, flagged = _summarise(
                    connection, _records(connection, None, start, end), now, zone, rules
                )
                summaries += done
                missing += flagged
            if last_run is not None:
                late_days = list(
                    connection.scalars(
                        select(EVENTS.c.shift_day)
                        .where(
                            # arrived, released or derived since: each may change a day
                            or_(
                                EVENTS.c.synced_at >= datetime.fromisoformat(last_run),
                                EVENTS.c.verified_at >= datetime.fromisoformat(last_run),
                            ),
                            EVENTS.c.shift_day < first,
                        )
                        .distinct()
                    )
                )
                if late_days:
                    done, flagged = _summarise(
                        connection, _records(connection, late_days, first, first), now, zone, rules
                    )
                    summaries += done
                    missing += flagged
        set_value(connection, THROUGH_KEY, today.isoformat())
        set_value(connection, LAST_RUN_KEY, now.isoformat())
    log.info(
        "daily close: %d day summaries from %s to %s, %d missing check-outs",
        summaries,
        first or "-",
        today,
        missing,
    )
    return CloseReport(first, today, summaries, missing)


# --- retention purge -----------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    templates_deleted: int
    people_purged: int
    photos_cleared: int
    retention_erased: int


def purge_biometrics(
    central: CentralDatabase,
    *,
    now: datetime,
    keys: DeploymentKeys,
    retention_days: int | None = None,
) -> PurgeReport:
    """Biometric data of erased people must not linger centrally.

    1. Templates and person keys an erasure should have removed (e.g. pushed late by a kiosk
       that was offline) are deleted, and the erasure's tombstone is touched so every kiosk
       applies it again; photos and consent of erased people are cleared. A key deleted
       here moves the data key on (``keys``: the deployment's), as an erasure does.
    2. With ``retention_days``, people deactivated (and unchanged) for longer have their
       biometric data erased, audited as the server's action.
    """
    with central.begin() as connection:
        lock_revisions(connection)
        _purge_keys(connection, keys)
        doomed = doomed_template(
            FACE_TEMPLATES.c.created_at, EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at
        )
        owners = (
            connection.execute(
                delete(FACE_TEMPLATES)
                .where(FACE_TEMPLATES.c.employee_id == EMPLOYEES.c.id, doomed)
                .returning(FACE_TEMPLATES.c.employee_id)
            )
            .scalars()
            .all()
        )
        people = set(owners)
        for employee_id, erased_at in connection.execute(
            select(EMPLOYEES.c.id, EMPLOYEES.c.biometrics_erased_at).where(
                EMPLOYEES.c.id.in_(list(people))
            )
        ).all():
            write_tombstone(connection, "employee_biometrics", employee_id, erased_at, "central")
        not_reconsented = and_(
            EMPLOYEES.c.biometrics_erased_at.is_not(None),
            or_(
                EMPLOYEES.c.consent_at.is_(None),
                EMPLOYEES.c.consent_at <= EMPLOYEES.c.biometrics_erased_at,
            ),
            or_(EMPLOYEES.c.photo_jpeg.is_not(None), EMPLOYEES.c.consent_at.is_not(None)),
        )
        photos = connection.execute(
            EMPLOYEES.update()
            .where(not_reconsented)
            .values(photo_jpeg=None, consent_at=None, updated_at=EMPLOYEES.c.updated_at)
        ).rowcount
        retained = _retention(connection, now, retention_days, keys) if retention_days else 0
    report = PurgeReport(len(owners), len(people), int(photos or 0), retained)
    if report.templates_deleted or report.photos_cleared or report.retention_erased:
        log.info(
            "retention purge: %d templates of %d erased people deleted, %d photos cleared, "
            "%d deactivated people erased",
            report.templates_deleted,
            report.people_purged,
            report.photos_cleared,
            report.retention_erased,
        )
    return report


def _purge_keys(connection: Connection, keys: DeploymentKeys) -> None:
    """Keys of erased people an erasure dooms (one a kiosk sent late): shredded."""
    doomed = doomed_template(
        PERSON_KEYS.c.created_at, EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at
    )
    owners = set(
        connection.execute(
            delete(PERSON_KEYS)
            .where(PERSON_KEYS.c.employee_id == EMPLOYEES.c.id, doomed)
            .returning(PERSON_KEYS.c.employee_id)
        ).scalars()
    )
    if owners:
        advance_centrally(connection, keys, owners)


def _retention(connection: Connection, now: datetime, days: int, keys: DeploymentKeys) -> int:
    has_templates = exists().where(FACE_TEMPLATES.c.employee_id == EMPLOYEES.c.id)
    candidates = connection.execute(
        select(EMPLOYEES.c.id, EMPLOYEES.c.code).where(
            EMPLOYEES.c.active.is_(False),
            EMPLOYEES.c.updated_at < now - timedelta(days=days),
            or_(
                has_templates,
                EMPLOYEES.c.photo_jpeg.is_not(None),
                EMPLOYEES.c.consent_at.is_not(None),
            ),
        )
    ).all()
    for employee_id, code in candidates:
        removed = erase_centrally(connection, employee_id, now, kiosk_id="central", keys=keys)
        connection.execute(
            insert(AUDIT).values(
                id=uuid.uuid4(),
                at=now,
                actor=f"{SERVER_ACTOR}:retention",
                action="employee.erase_biometrics",
                target_type="employee",
                target_id=code,
                details=json.dumps({"templates": removed, "where": "central"}),
                reason=f"deactivated for more than {days} days (retention setting)",
                kiosk_id="central",
                synced_at=now,
            )
        )
    return len(candidates)
