"""The headless server applies kiosk-made changes from ``sync_inbox`` to the central tables.

Kiosks may only add inbox rows (through the push function, which stamps who sent each one);
this step runs with the owner role. Rows held for review wait; templates and photos must
open with the deployment key for the row and person they claim, PIN hashes carry the
pepper. Each row is
validated and applied in its own savepoint, and its outcome recorded on the row:

- ``applied``; ``stale`` (the central row changed later: last writer wins by the change's
  own ``updated_at``, but never later than when the server received it); ``superseded``
  (a newer change of the same row was applied, or a kiosk's seeded shift that exists
  centrally under another id);
- ``conflict`` (e.g. an employee code that belongs to someone else centrally: an
  administrator settles it, nothing crashes) and ``rejected`` (invalid, or biometric data of
  a person erased since);
- ``waiting`` (its employee or shift has not arrived yet): tried again every cycle, and
  given up as a conflict after :data:`WAIT_LIMIT`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.secrets.keys import DeploymentKeys, PersonKeyMissingError, SealError
from core.secrets.person_keys import key_for_blob
from core.secrets.sealed import open_photo, open_template
from core.store.limits import too_long
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, SHIFT_ASSIGNMENTS, SHIFTS
from core.store.tables import SYNC_CHANGES as INBOX
from core.sync.biometrics import reconsented
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.codec import PRIORITY, TABLES_BY_NAME, decode, keep_updated_at
from core.sync.erasure import erase_centrally, write_tombstone
from core.sync.errors import describe_error
from core.sync.inbox_checks import (
    assignment_elsewhere,
    assignment_problem,
    employee_problem,
    pin_hash_problem,
    shared_beyond_site,
    shift_problem,
    template_problem,
)
from core.sync.inbox_keys import apply_person_key
from core.sync.site_admin import join_site, outside_site, sender_site

log = logging.getLogger(__name__)

WAIT_LIMIT = timedelta(days=7)
MAX_PASSES = 3

# (status, detail): applied, stale, conflict, rejected, waiting, held
InboxResult = tuple[str, str]
# An administrator's release of a held change (core/sync/review.py): applied as it is.
RELEASED = "released"
DOMAIN: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "employees": employee_problem,
    "shifts": shift_problem,
    "shift_assignments": assignment_problem,
    "face_templates": template_problem,
}
Clock = Callable[[], datetime]


@dataclass
class InboxReport:
    outcomes: dict[str, int] = field(default_factory=dict)
    stopped: bool = False

    def add(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1

    @property
    def applied(self) -> int:
        return self.outcomes.get("applied", 0)

    @property
    def waiting(self) -> int:
        return self.outcomes.get("waiting", 0)


# --- one change ----------------------------------------------------------------------------


def _locked(connection: Connection, table: Table, row_id: uuid.UUID) -> RowMapping | None:
    return (
        connection.execute(select(table).where(table.c.id == row_id).with_for_update())
        .mappings()
        .first()
    )


def _apply_employee(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys
) -> InboxResult:
    taken = connection.scalar(
        select(EMPLOYEES.c.id).where(
            EMPLOYEES.c.code == values["code"], EMPLOYEES.c.id != values["id"]
        )
    )
    if taken is not None:
        return "conflict", (
            f"employee code '{values['code']}' belongs to another employee centrally ({taken}); "
            "give one of them another code"
        )
    current = _locked(connection, EMPLOYEES, values["id"])
    if (refusal := _unsealed_person(connection, values, current, keys)) is not None:
        return refusal
    if current is None:
        values = _respect_erasure(values, None)
        connection.execute(pg_insert(EMPLOYEES).values(**values, sync_pending=False))
        return "applied", "created"
    if current["updated_at"] > values["updated_at"]:
        return "stale", "the central employee changed later"
    values = _respect_erasure(values, current)
    connection.execute(update(EMPLOYEES).where(EMPLOYEES.c.id == values["id"]).values(**values))
    return "applied", "updated"


def _unsealed_person(
    connection: Connection,
    values: dict[str, Any],
    current: RowMapping | None,
    keys: DeploymentKeys,
) -> InboxResult | None:
    """Why a kiosk's employee row may not go in: a photo not sealed for this person with one
    of their keys, or a PIN hash without the pepper that is not the one already there (a
    kiosk login could otherwise plant a PIN it knows)."""
    photo = values["photo_jpeg"]
    if photo is not None and (current is None or photo != current["photo_jpeg"]):
        try:
            open_photo(key_for_blob(connection, keys, values["id"], photo), values["id"], photo)
        except PersonKeyMissingError as exc:
            return "waiting", f"the photo's person key has not arrived: {exc}"
        except SealError as exc:
            return "rejected", f"the photo is not this person's under the deployment key: {exc}"
    pin_hash = values["pin_hash"]
    unchanged = current is not None and pin_hash == current["pin_hash"]
    problem = None if unchanged else pin_hash_problem(pin_hash)
    return None if problem is None else ("rejected", problem)


def _respect_erasure(values: dict[str, Any], current: RowMapping | None) -> dict[str, Any]:
    """A kiosk's older copy must never bring back an erased photo or consent."""
    erased = values["biometrics_erased_at"]
    if current is not None and current["biometrics_erased_at"] is not None:
        erased = max(erased or current["biometrics_erased_at"], current["biometrics_erased_at"])
    values = {**values, "biometrics_erased_at": erased}
    if erased is not None and not reconsented(values["consent_at"], erased):
        values.update(photo_jpeg=None, consent_at=None)
    return values


def _apply_shift(
    connection: Connection, values: dict[str, Any], _keys: DeploymentKeys
) -> InboxResult:
    if values["seed_key"] is not None:
        seeded = connection.scalar(
            select(SHIFTS.c.id).where(
                SHIFTS.c.seed_key == values["seed_key"], SHIFTS.c.id != values["id"]
            )
        )
        if seeded is not None:
            return "superseded", f"the central seeded shift {seeded} is used instead"
    taken = connection.scalar(
        select(SHIFTS.c.id).where(SHIFTS.c.name == values["name"], SHIFTS.c.id != values["id"])
    )
    if taken is not None:
        return "conflict", f"shift name '{values['name']}' belongs to another shift centrally"
    current = _locked(connection, SHIFTS, values["id"])
    if current is None:
        connection.execute(pg_insert(SHIFTS).values(**values, sync_pending=False))
        return "applied", "created"
    if current["updated_at"] > values["updated_at"]:
        return "stale", "the central shift changed later"
    connection.execute(update(SHIFTS).where(SHIFTS.c.id == values["id"]).values(**values))
    return "applied", "updated"


def _exists(connection: Connection, table: Table, row_id: uuid.UUID) -> bool:
    return connection.scalar(select(table.c.id).where(table.c.id == row_id)) is not None


def _apply_assignment(
    connection: Connection, values: dict[str, Any], _keys: DeploymentKeys
) -> InboxResult:
    if not _exists(connection, EMPLOYEES, values["employee_id"]):
        return "waiting", "its employee has not arrived yet"
    if not _exists(connection, SHIFTS, values["shift_id"]):
        return "waiting", "its shift has not arrived yet"
    statement = pg_insert(SHIFT_ASSIGNMENTS).values(**values, sync_pending=False)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "shift_id": statement.excluded.shift_id,
                "valid_from": statement.excluded.valid_from,
                "valid_to": statement.excluded.valid_to,
            },
        )
    )
    return "applied", "saved"


def _apply_template(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys
) -> InboxResult:
    missing = None
    try:
        person_key = key_for_blob(connection, keys, values["employee_id"], values["vector"])
        open_template(person_key, values["id"], values["employee_id"], values["vector"])
    except PersonKeyMissingError as exc:
        missing = f"its person key has not arrived: {exc}"  # unless erased: said below
    except SealError as exc:
        # A face sealed for another person, or by someone without the key: never enrolled.
        return "rejected", f"the template is not this person's under the deployment key: {exc}"
    person = connection.execute(
        select(EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
            EMPLOYEES.c.id == values["employee_id"]
        )
    ).first()
    if person is None:
        return "waiting", "its employee has not arrived yet"
    erased = person.biometrics_erased_at
    if erased is not None and (
        not reconsented(person.consent_at, erased) or values["created_at"] <= erased
    ):
        return "rejected", "the person's biometric data was erased after this template was made"
    if missing is not None:
        return "waiting", missing
    connection.execute(
        pg_insert(FACE_TEMPLATES)
        .values(**values, sync_pending=False)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    return "applied", "saved"


def _apply_tombstone(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys | None = None
) -> InboxResult:
    entity, entity_id = values["entity"], values["entity_id"]
    if entity == "employee_biometrics" and keys is not None:
        if not _exists(connection, EMPLOYEES, entity_id):
            return "waiting", "its employee has not arrived yet"
        erase_centrally(connection, entity_id, values["at"], kiosk_id=values["kiosk_id"], keys=keys)
        return "applied", "biometric data erased"
    if entity == "face_template":
        connection.execute(delete(FACE_TEMPLATES).where(FACE_TEMPLATES.c.id == entity_id))
    elif entity == "shift_assignment":
        connection.execute(delete(SHIFT_ASSIGNMENTS).where(SHIFT_ASSIGNMENTS.c.id == entity_id))
    else:
        return "rejected", f"unknown deletion of '{entity}'"
    write_tombstone(connection, entity, entity_id, values["at"], values["kiosk_id"])
    return "applied", "deleted"


APPLY: dict[str, Callable[[Connection, dict[str, Any], DeploymentKeys], InboxResult]] = {
    "employees": _apply_employee,
    "shifts": _apply_shift,
    "shift_assignments": _apply_assignment,
    "face_templates": _apply_template,
    "person_keys": apply_person_key,
    "tombstones": _apply_tombstone,
}


def apply_change(
    connection: Connection, row: RowMapping, keys: DeploymentKeys, now: datetime
) -> InboxResult:
    table = TABLES_BY_NAME.get(row["entity"])
    if table is None:
        return "rejected", f"unknown entity '{row['entity']}'"
    try:
        values = decode(table, json.loads(row["payload"]))
    except (ValueError, TypeError, KeyError) as exc:
        return "rejected", f"invalid payload: {exc}"
    site_id = sender_site(connection, row["sent_by"])
    problem = _unusable(table, values, row)
    if problem is None and row["operation"] not in {"upsert", "delete"}:
        problem = f"unknown operation '{row['operation']}'"
    if problem is None and row["operation"] == "upsert" and table.name in DOMAIN:
        problem = DOMAIN[table.name](values)
    if problem is None and site_id is not None:
        problem = _off_site(connection, site_id, table, values, row)
    if problem is not None:
        return "rejected", problem
    if row["operation"] == "delete":
        return _apply_delete(connection, table, row)
    shared = _shared_shift(connection, site_id, table, values, row)
    if shared is not None:
        return "held", shared
    return _apply_upsert(connection, table, values, row, keys, now, site_id)


def _shared_shift(
    connection: Connection,
    site_id: uuid.UUID | None,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
) -> str | None:
    """Why a kiosk's change of an existing shift waits for an administrator, or None (a
    kiosk with no site serves the whole company; a released change is theirs)."""
    if site_id is None or table is not SHIFTS or row["status"] == RELEASED:
        return None
    if not _exists(connection, SHIFTS, values["id"]):
        return None
    return shared_beyond_site(connection, site_id, values["id"])


def _apply_upsert(  # noqa: PLR0917 (one change and where it came from)
    connection: Connection,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
    keys: DeploymentKeys,
    now: datetime,
    site_id: uuid.UUID | None,
) -> InboxResult:
    if "updated_at" in values:
        # Conflicts are ordered by when the server received a change, never by a later
        # time a kiosk claims: a clock set ahead (or a forged row) cannot win them all.
        received = row["received_at"] or now
        values["updated_at"] = min(values["updated_at"], received)
    outcome = APPLY[table.name](connection, values, keys)
    if site_id is not None and table is EMPLOYEES and outcome == ("applied", "created"):
        # Made at a door of this site: its people, so the site's other kiosks get them (and
        # this one gets them back, which is how it knows the server accepted them).
        join_site(connection, site_id, values["id"], now)
    return outcome


def _off_site(
    connection: Connection,
    site_id: uuid.UUID,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
) -> str | None:
    """Why a kiosk of ``site_id`` may not make this change (someone of another site)."""
    upsert = row["operation"] == "upsert"
    if upsert and table is SHIFT_ASSIGNMENTS:
        elsewhere = assignment_elsewhere(connection, site_id, values["id"])
        if elsewhere is not None:
            return elsewhere
    entity, about = table.name, values
    if row["operation"] == "delete":  # said as the tombstone it becomes
        kind = {"face_templates": "face_template", "shift_assignments": "shift_assignment"}
        entity = "tombstones"
        about = {"entity": kind.get(table.name, table.name), "entity_id": row["entity_id"]}
    return outside_site(connection, site_id, entity, about)


def _unusable(table: Table, values: dict[str, Any], row: RowMapping) -> str | None:
    """Why a decoded change cannot go in whatever the central rows are, or None."""
    if values["id"] != row["entity_id"]:
        return "the payload is for another row"
    if (problem := too_long(table, values)) is not None:
        # Stored by a kiosk before its entry checks knew the central limit: said here, for
        # `central status`, rather than left to the database's own refusal.
        return f"{problem}; shorten it on the kiosk that made the change"
    return None


def _apply_delete(connection: Connection, table: Table, row: RowMapping) -> InboxResult:
    """A deletion sent as such (kiosks normally send tombstones): same effect."""
    entity = {"face_templates": "face_template", "shift_assignments": "shift_assignment"}.get(
        table.name
    )
    if entity is None:
        return "rejected", f"{table.name} cannot be deleted from a kiosk"
    return _apply_tombstone(
        connection,
        {
            "entity": entity,
            "entity_id": row["entity_id"],
            "at": row["created_at"],
            "kiosk_id": row["kiosk_id"],
        },
    )


# --- the pass ------------------------------------------------------------------------------


def _record(connection: Connection, row: RowMapping, outcome: InboxResult, now: datetime) -> None:
    status, detail = outcome
    if status == "waiting" and now - row["created_at"] > WAIT_LIMIT:
        status, detail = "conflict", f"gave up after {WAIT_LIMIT.days} days: {detail}"
    if status == "held":
        _hold(connection, row, detail)
        return
    applied_at = None if status == "waiting" else now
    connection.execute(
        update(INBOX)
        .where(INBOX.c.id == row["id"])
        .values(status=status, detail=detail[:1000], applied_at=applied_at)
    )
    if status == "applied":
        # Older changes of the same row that are still waiting lost to this one.
        connection.execute(
            update(INBOX)
            .where(
                INBOX.c.entity == row["entity"],
                INBOX.c.entity_id == row["entity_id"],
                INBOX.c.applied_at.is_(None),
                INBOX.c.created_at <= row["created_at"],
                INBOX.c.id != row["id"],
                # A change held for an administrator is theirs to decide, never lost.
                INBOX.c.review.is_(None),
            )
            .values(status="superseded", detail="a newer change was applied", applied_at=now)
        )


def _hold(connection: Connection, row: RowMapping, reason: str) -> None:
    """Wait for an administrator (``central review``); meanwhile every kiosk gets the
    central row back, so none keeps computing with a change nobody accepted."""
    connection.execute(
        update(INBOX)
        .where(INBOX.c.id == row["id"])
        .values(status="held", detail=reason[:1000], review=reason, applied_at=None)
    )
    if row["entity"] == SHIFTS.name:
        connection.execute(
            update(SHIFTS)
            .where(SHIFTS.c.id == row["entity_id"])
            .values(revision=None, **keep_updated_at(SHIFTS))
        )


def _apply_batch(
    central: CentralDatabase,
    after: tuple[datetime, uuid.UUID] | None,
    *,
    batch: int,
    clock: Clock,
    keys: DeploymentKeys,
    report: InboxReport,
) -> tuple[tuple[datetime, uuid.UUID] | None, int]:
    """One transaction: the next ``batch`` unapplied rows after ``after``."""
    with central.begin() as connection:
        lock_revisions(connection)
        # Rows held for review (another kiosk's id, an unregistered role: core/sync/review.py)
        # wait for an administrator.
        query = select(INBOX).where(INBOX.c.applied_at.is_(None), INBOX.c.review.is_(None))
        if after is not None:
            query = query.where(tuple_(INBOX.c.created_at, INBOX.c.id) > tuple_(*after))
        rows = (
            connection.execute(
                query.order_by(INBOX.c.created_at, INBOX.c.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
            .mappings()
            .all()
        )
        if not rows:
            return None, 0
        now = clock()
        applied = 0
        # Parents first within a batch (a kiosk stages a new employee and its templates
        # together); each row in a savepoint, so one bad change does not undo the others.
        for row in sorted(rows, key=lambda r: (PRIORITY.get(r["entity"], 99), r["created_at"])):
            try:
                with connection.begin_nested():
                    outcome = apply_change(connection, row, keys, now)
            except Exception as exc:  # a database refusal: keep it on the row, go on
                outcome = ("rejected", describe_error(exc))
            _record(connection, row, outcome, now)
            report.add(outcome[0])
            applied += outcome[0] == "applied"
        last = rows[-1]
        return (last["created_at"], last["id"]), applied


def apply_inbox(
    central: CentralDatabase,
    *,
    batch: int,
    clock: Clock,
    keys: DeploymentKeys,
    stop: threading.Event | None = None,
) -> InboxReport:
    """Apply every unapplied inbox row; waiting ones get another pass if others went in."""
    report = InboxReport()
    stop = stop or threading.Event()
    for _ in range(MAX_PASSES):
        after: tuple[datetime, uuid.UUID] | None = None
        applied_this_pass = 0
        waiting_before = report.waiting
        while True:
            if stop.is_set():
                report.stopped = True
                return report
            after, applied = _apply_batch(
                central, after, batch=batch, clock=clock, keys=keys, report=report
            )
            applied_this_pass += applied
            if after is None:
                break
        if not applied_this_pass or report.waiting == waiting_before:
            break
    for status, count in sorted(report.outcomes.items()):
        if status not in {"applied", "waiting"} and count:
            log.warning(
                "sync inbox: %d change(s) %s; see `python main.py central status`", count, status
            )
    return report


def inbox_summary(connection: Connection) -> dict[str, int]:
    """Rows per status (``pending`` for not yet applied), for ``central status``."""
    rows = connection.execute(
        select(INBOX.c.status, INBOX.c.applied_at.is_(None), func.count()).group_by(
            INBOX.c.status, INBOX.c.applied_at.is_(None)
        )
    ).all()
    summary: dict[str, int] = {}
    for status, unapplied, count in rows:
        key = "pending" if unapplied else str(status)
        summary[key] = summary.get(key, 0) + int(count)
    return summary


def recent_problems(connection: Connection, limit: int = 20) -> list[RowMapping]:
    return list(
        connection.execute(
            select(
                INBOX.c.kiosk_id,
                INBOX.c.entity,
                INBOX.c.entity_id,
                INBOX.c.status,
                INBOX.c.detail,
                INBOX.c.created_at,
            )
            .where(INBOX.c.status.in_(["conflict", "rejected", "waiting"]))
            .order_by(INBOX.c.created_at.desc())
            .limit(limit)
        )
        .mappings()
        .all()
    )
