"""Shared fixtures: every test gets its own data dir and a clean environment.

Fixtures only (pytest finds them for every folder below); what tests import is in
``tests/support/``."""

from __future__ import annotations

from core.host.env import prepare_environment

# The product's early environment, before any test imports OpenCV or the models (main.py
# does the same first thing): thread counts, OpenCV's pixel limit.
prepare_environment()

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from core.config import LEGACY_ENV_NAMES, load_settings
from core.context import AppContext
from core.host.paths import SECRETS_FILE_NAME, DataPaths
from tests.support.keys import ADMIN_PASSWORD, write_test_secrets
from tests.support.pg import TestPostgres, database
from tests.support.sync_support import central_from_template, template_database

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from kiosk.main_window import KioskWindow
    from kiosk.sounds import Tone
    from tools.harness.demo_runtime import ScriptedRuntime


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting from the developer's shell leaks into a test, and nothing leaks out."""
    for key in list(os.environ):
        if key.startswith("ASISTENCIA_") or key in LEGACY_ENV_NAMES.values():
            monkeypatch.delenv(key, raising=False)
    # The same locale on every machine: `language = auto` reads it (C.UTF-8: Spanish, the
    # product's default), so a developer's en_US shell cannot change what a test reads.
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    data_dir = tmp_path / "data"
    monkeypatch.setenv("ASISTENCIA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASISTENCIA_TIMEZONE", "Europe/Madrid")
    monkeypatch.setenv("ASISTENCIA_KIOSK_ID", "kiosk-test")
    monkeypatch.setenv("ASISTENCIA_ADMIN_PASSWORD", ADMIN_PASSWORD)
    # No web console on the default port beside a headless server under test: two test runs
    # (or a developer's own server) would fight over it. Console tests name a port.
    monkeypatch.setenv("ASISTENCIA_CONSOLE_LISTEN", "")
    # The deployment's secrets, as an administrator would have copied them in.
    write_test_secrets(data_dir / SECRETS_FILE_NAME)
    return data_dir


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of ours running (reader, worker, scheduler)."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leaked:
        thread.join(timeout=2)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture
def ctx(isolated_environment: Path) -> Iterator[AppContext]:
    paths = DataPaths(isolated_environment)
    context = AppContext(paths, load_settings(paths.settings_file))
    yield context
    context.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TestPostgres]:
    server = TestPostgres()
    yield server
    server.close()


@pytest.fixture
def postgres_url(postgres_server: TestPostgres) -> Iterator[str]:
    """An empty database on the test server, dropped afterwards."""
    with database(postgres_server) as url:
        yield url


@pytest.fixture(scope="module")
def template(postgres_server: TestPostgres) -> Iterator[str]:
    """A migrated central database to copy: each test gets its own in milliseconds."""
    with template_database(postgres_server) as name:
        yield name


@pytest.fixture
def central_url(postgres_server: TestPostgres, template: str) -> Iterator[str]:
    with central_from_template(postgres_server, template) as url:
        yield url


# --- the kiosk window (tests that use it define their own ``runtime`` fixture) -------------


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, runtime: ScriptedRuntime) -> Iterator[KioskWindow]:
    """The kiosk window in English, shown, polling the test module's ``runtime``."""
    from tests.support.kiosk_fakes import close_window, open_window

    opened = open_window(qtbot, ctx, runtime)
    yield opened
    close_window(opened)


@pytest.fixture
def tones(window: KioskWindow, monkeypatch: pytest.MonkeyPatch) -> list[Tone]:
    """The sounds the window plays, instead of playing them."""
    played: list[Tone] = []
    monkeypatch.setattr(window.sounds, "play", played.append)
    return played
