"""The console against a real central PostgreSQL: served by uvicorn on a free port, with a
clock for sessions that the tests move, and a central administrator to sign in as."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from console.server import ConsoleServer
from console.services import ConsoleServices
from console.sessions import Sessions
from core.context import AppContext
from core.sync.central import CentralDatabase
from core.sync.central_store import central_accounts
from seeds.seed_roles import seed_roles
from seeds.seed_turnos import seed_turnos
from tests.console.client import ConsoleClient

ADMIN, PASSWORD = "ana.admin", "una-clave-muy-larga"


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def central(central_url: str) -> Iterator[CentralDatabase]:
    database = CentralDatabase(central_url)
    with Session(database.engine) as session, session.begin():
        seed_roles(session)
        seed_turnos(session)
    yield database
    database.dispose()


@pytest.fixture
def session_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def console_server(
    ctx: AppContext, central: CentralDatabase, session_clock: FakeClock
) -> Iterator[ConsoleServer]:
    central_accounts(central, ctx.lockout).add_user("cli:test", ADMIN, PASSWORD, "admin", "Ana")
    sessions = Sessions(idle_s=15 * 60, lifetime_s=12 * 3600, clock=session_clock)
    server = ConsoleServer(ConsoleServices.from_context(ctx, central), sessions, "127.0.0.1", 0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(console_server: ConsoleServer) -> ConsoleClient:
    return ConsoleClient(console_server.url)


@pytest.fixture
def admin(client: ConsoleClient) -> ConsoleClient:
    """A client signed in as the central administrator."""
    answer = client.sign_in(ADMIN, PASSWORD)
    assert answer.status == 303, answer.text
    return client
