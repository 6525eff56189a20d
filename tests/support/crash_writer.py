"""Child process for the crash test: writes records forever, reporting each commit.

A line ``committed <event id>`` is printed only after the transaction that wrote the event
(and its audit line) has committed; the parent kills this process at random moments.
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from core.store import audit
from core.store.database import Store
from core.store.models import AttendanceEvent, Employee
from tests.support.keys import TEST_KEYS


def main(database: Path) -> None:
    store = Store.open_sqlite(database, TEST_KEYS)
    with store.write() as session:
        employee = session.query(Employee).filter_by(code="CRASH").one_or_none()
        if employee is None:
            employee = Employee(code="CRASH", name="Crash Test")
            session.add(employee)
            session.flush()
        employee_id = employee.id
    print("ready", flush=True)
    while True:
        event_id = uuid.uuid4()
        with store.write() as session:
            session.add(
                AttendanceEvent(
                    id=event_id,
                    employee_id=employee_id,
                    kiosk_id="crash",
                    kind="in",
                    occurred_at=datetime.now(UTC),
                    timezone="UTC",
                    shift_day=date.today(),
                    method="manual",
                )
            )
            audit.record(session, actor="crash", action="attendance.manual", target_id=event_id)
        sys.stdout.write(f"committed {event_id}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
