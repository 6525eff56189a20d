"""The central server derives what a kiosk only reports.

A kiosk's record is a fact: who, when, which kind (what the person chose, or the kiosk's
guess), how (face, PIN, manual), at which kiosk, in which time zone. Everything else on the
row (its shift day, shift occurrence, scheduled start and end, late, early-leave and overtime
minutes) is derived, and a kiosk's login could send any figure there. So the push function
stores each record unverified (``verified_at`` NULL, migration 0007) and counts it nowhere;
this step, run by the headless server with the owner's login after each sync (and by
``central export`` before it reads), checks the record's scope and domain and derives the
figures with the kiosk's own rules (``core.attendance.rules.derive``) from the central
shifts and the person's earlier central records. The server's figures replace the kiosk's on
the row. When the two disagree, the kiosk's go to ``claimed`` and the record is held for
review with both in one sentence (``central review``): a kiosk whose shifts were not yet
pulled, or a forged figure. Released, it counts with the server's figures, never the kiosk's.

Held here too, with the reason: a record of someone outside the sending kiosk's site.
Refused for good (``rejected: …``, which ``central review`` cannot release into reports that
could not read it): an unknown kind, method or time zone, a score outside 0..1.

Records are derived once, in the order they happened, each against the records verified
before it; one that arrives late from another door does not re-derive those after it (the
day's summary takes late minutes from its first IN and overtime from its last OUT, which
stay right). Records younger than ``SETTLE`` are left for the next pass, so that a kiosk's
records and their corrections, pushed in one sync, are read together.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, and_, exists, or_, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from core.attendance.history import HISTORY, employee_shifts
from core.attendance.rules import Accepted, Kind, PriorRecord, RulesConfig, ShiftSpec, derive
from core.store.tables import CORRECTIONS, EVENTS
from core.sync.central import CentralDatabase
from core.sync.review import REJECTED_PREFIX
from core.sync.site_admin import sender_site
from core.sync.sites import SITE_EMPLOYEES

log = logging.getLogger(__name__)


SETTLE = timedelta(seconds=60)
BATCH = 500
VERIFY_LOCK_KEY = 4_170_519_204
METHODS = frozenset({"face", "pin", "manual"})
# The figures a kiosk computes and the server derives again, in the order said.
DERIVED = (
    "shift_day",
    "shift_id",
    "scheduled_start",
    "scheduled_end",
    "late_minutes",
    "early_leave_minutes",
    "overtime_minutes",
)


@dataclass
class VerifyReport:
    verified: int = 0
    held: int = 0


def _figures(decision: Accepted) -> dict[str, Any]:
    return {
        "shift_day": decision.shift_day,
        "shift_id": None if decision.shift_id is None else uuid.UUID(decision.shift_id),
        "scheduled_start": decision.scheduled_start,
        "scheduled_end": decision.scheduled_end,
        "late_minutes": decision.late_minutes,
        "early_leave_minutes": decision.early_leave_minutes,
        "overtime_minutes": decision.overtime_minutes,
    }


def _said(name: str, value: Any) -> str:
    if value is None:
        return f"{name} none"
    if isinstance(value, datetime):
        return f"{name} {value.isoformat(timespec='minutes')}"
    return f"{name} {value}"


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    return value.isoformat() if isinstance(value, date | datetime) else value


def _same(kiosk: Any, server: Any) -> bool:
    if isinstance(kiosk, datetime) and isinstance(server, datetime):
        return kiosk == server  # aware instants, compared as instants
    if isinstance(kiosk, uuid.UUID | str) or isinstance(server, uuid.UUID | str):
        return str(kiosk) == str(server)
    return bool(kiosk == server)


def disagreement(row: Row[Any], server: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The sentence and the kiosk's claimed figures where they differ from the server's."""
    differ = [name for name in DERIVED if not _same(getattr(row, name), server[name])]
    if not differ:
        return None
    kiosk = ", ".join(_said(name, getattr(row, name)) for name in differ)
    ours = ", ".join(_said(name, server[name]) for name in differ)
    claimed = {name: _plain(getattr(row, name)) for name in DERIVED}
    return f"the kiosk computed {kiosk}; the server computes {ours}", claimed


def domain_problem(row: Row[Any]) -> str | None:
    """Why a reported fact cannot be a record of this program, or None."""
    if row.kind not in {kind.value for kind in Kind}:
        return f"unknown kind of record '{row.kind}'"
    if row.method not in METHODS:
        return f"unknown method '{row.method}'"
    if row.score is not None and not (math.isfinite(row.score) and 0.0 <= row.score <= 1.0):
        return f"a score of {row.score} is outside 0..1"
    try:
        ZoneInfo(row.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone '{row.timezone}'"
    return None


def _member_when(connection: Connection, site_id: uuid.UUID, row: Row[Any]) -> bool:
    """Whether the person belonged to the site when the record was made."""
    return (
        connection.scalar(
            select(SITE_EMPLOYEES.c.id).where(
                SITE_EMPLOYEES.c.site_id == site_id,
                SITE_EMPLOYEES.c.employee_id == row.employee_id,
                or_(
                    SITE_EMPLOYEES.c.removed_at.is_(None),
                    SITE_EMPLOYEES.c.removed_at > row.occurred_at,
                ),
            )
        )
        is not None
    )


def _scope_problem(connection: Connection, row: Row[Any], sites: dict[str, Any]) -> str | None:
    if row.sent_by not in sites:
        sites[row.sent_by] = sender_site(connection, row.sent_by)
    site_id = sites[row.sent_by]
    if site_id is None or _member_when(connection, site_id, row):
        return None
    return "its employee is not a member of the sending kiosk's site"


def _history(
    connection: Connection, employee_id: uuid.UUID, instant: datetime
) -> list[PriorRecord]:
    """The person's counted records (verified, not held, not voided) before ``instant``."""
    voided = exists().where(CORRECTIONS.c.event_id == EVENTS.c.id, CORRECTIONS.c.review.is_(None))
    rows = connection.execute(
        select(EVENTS.c.occurred_at, EVENTS.c.kind, EVENTS.c.shift_day).where(
            EVENTS.c.employee_id == employee_id,
            EVENTS.c.occurred_at >= instant - HISTORY,
            EVENTS.c.occurred_at < instant,
            EVENTS.c.verified_at.is_not(None),
            EVENTS.c.review.is_(None),
            ~voided,
        )
    ).all()
    return [PriorRecord(at, Kind(kind), day) for at, kind, day in rows]


def _hold(existing: str | None, reason: str) -> str:
    return reason if existing is None else f"{existing}; {reason}"


def _verify_one(  # noqa: PLR0917 (one record and what it is checked against)
    connection: Connection,
    row: Row[Any],
    shifts: Sequence[ShiftSpec],
    rules: RulesConfig,
    sites: dict[str, Any],
    now: datetime,
) -> bool:
    """Derive, compare and store one record; True when it is (now) held for review."""
    changes: dict[str, Any] = {"verified_at": now}
    impossible = domain_problem(row)
    if impossible is not None:
        # Nothing a kiosk makes: refused for good (an administrator cannot release it into
        # the reports, which could not read it), kept with its reason.
        changes["review"] = REJECTED_PREFIX + _hold(row.review, impossible)
    else:
        # Derived even when held, so that a release counts the server's figures.
        history = _history(connection, row.employee_id, row.occurred_at)
        decision = derive(
            row.occurred_at,
            ZoneInfo(row.timezone),
            shifts,
            history,
            kind=Kind(row.kind),
            config=rules,
        )
        server = _figures(decision)
        changes.update(server)
        reasons = [r for r in (row.review, _scope_problem(connection, row, sites)) if r]
        differ = disagreement(row, server)
        if differ is not None:
            reasons.append(differ[0])
            changes["claimed"] = json.dumps(differ[1])
        if reasons:
            changes["review"] = "; ".join(reasons)
    connection.execute(update(EVENTS).where(EVENTS.c.id == row.id).values(**changes))
    return "review" in changes


def _verify_batch(
    central: CentralDatabase, rules: RulesConfig, now: datetime, settle: timedelta | None
) -> tuple[int, int]:
    with central.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": VERIFY_LOCK_KEY})
        query = select(EVENTS).where(EVENTS.c.verified_at.is_(None))
        if settle is not None:
            query = query.where(
                or_(EVENTS.c.received_at.is_(None), EVENTS.c.received_at <= now - settle)
            )
        rows = connection.execute(
            query.order_by(EVENTS.c.employee_id, EVENTS.c.occurred_at, EVENTS.c.id).limit(BATCH)
        ).all()
        by_employee: defaultdict[uuid.UUID, list[Row[Any]]] = defaultdict(list)
        for row in rows:
            by_employee[row.employee_id].append(row)
        held = 0
        sites: dict[str, Any] = {}
        with Session(bind=connection) as session:
            for employee_id, events in by_employee.items():
                shifts = employee_shifts(session, employee_id)
                for row in events:
                    held += _verify_one(connection, row, shifts, rules, sites, now)
        return len(rows), held


def verify_arrivals(
    central: CentralDatabase,
    *,
    rules: RulesConfig,
    now: datetime,
    settle: timedelta | None = SETTLE,
) -> VerifyReport:
    """Derive every record that arrived at least ``settle`` ago (None: all) and is not
    verified yet."""
    report = VerifyReport()
    while True:
        done, held = _verify_batch(central, rules, now, settle)
        report.verified += done
        report.held += held
        if done < BATCH:
            break
    if report.held:
        log.warning(
            "%d record(s) held for review after the server derived their figures; see "
            "`python main.py central review`",
            report.held,
        )
    return report


def counted() -> Any:
    """The records a report or summary counts: derived by the server and not held."""
    return and_(EVENTS.c.verified_at.is_not(None), EVENTS.c.review.is_(None))
