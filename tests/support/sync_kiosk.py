"""Child process for the sync crash and concurrency tests: a kiosk that records and syncs.

``loop DB URL KIOSK EMPLOYEE BATCH``: forever, record 5 events then run one sync cycle with
small batches (many central transactions to be killed in the middle of). The parent kills
it with SIGKILL at random moments.

``burst DB URL KIOSK COUNT``: pull, record COUNT events, print ``ready``, wait for a line on
standard input, then sync until nothing is pending and print ``done <pushed>``: ten of them
released at once push concurrently.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from core.store.database import Store
from core.store.models import Employee
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from tests.support.keys import TEST_KEYS
from tests.support.sync_support import record_events


def loop(database: Path, url: str, kiosk: str, employee: uuid.UUID, batch: int) -> None:
    store = Store.open_sqlite(database, TEST_KEYS)
    engine = SyncEngine(store, CentralDatabase(url), kiosk_id=kiosk, batch_size=batch)
    print("ready", flush=True)
    while True:
        record_events(store, employee, 5, kiosk)
        result = engine.run_once()
        print(f"cycle ok={result.ok} pushed={result.records_pushed}", flush=True)


def burst(database: Path, url: str, kiosk: str, count: int) -> None:
    store = Store.open_sqlite(database, TEST_KEYS)
    engine = SyncEngine(store, CentralDatabase(url), kiosk_id=kiosk, batch_size=500)
    first = engine.run_once()
    if not first.ok:
        print(f"failed {first.error}", flush=True)
        sys.exit(1)
    with store.read() as session:
        employee = session.query(Employee.id).order_by(Employee.code).limit(1).scalar()
    assert employee is not None, "no employee pulled"
    record_events(store, employee, count, kiosk)
    print("ready", flush=True)
    sys.stdin.readline()
    pushed = 0
    for _ in range(20):
        result = engine.run_once()
        if not result.ok:
            print(f"failed {result.error}", flush=True)
            sys.exit(1)
        pushed += result.records_pushed
        if result.pending == 0:
            break
    print(f"done {pushed}", flush=True)
    engine.close()
    store.dispose()


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "loop":
        loop(Path(args[0]), args[1], args[2], uuid.UUID(args[3]), int(args[4]))
    elif mode == "burst":
        burst(Path(args[0]), args[1], args[2], int(args[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
