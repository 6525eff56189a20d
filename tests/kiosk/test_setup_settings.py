"""Settings without technical words: the time zone on the Kiosk page, Recognition's
Strict / Normal / Lenient, and Sync's plain address fields composed into the URL by core."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.config import load_settings
from core.context import AppContext
from core.errors import UsageError
from core.host.paths import DataPaths
from core.runtime.setup import (
    CentralAddress,
    compose_url,
    matching_zones,
    parse_url,
    preset_of,
    preset_values,
)
from core.store.models import AuditEntry
from kiosk.main_window import KioskWindow
from tests.support.admin_window import settle, sign_in
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture
def ctx(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.delenv("ASISTENCIA_TIMEZONE")  # the page decides it here
    paths = DataPaths(isolated_environment)
    settings = load_settings(paths.settings_file, timezone="Europe/Madrid")
    context = AppContext(paths, settings, notices=io.StringIO())
    yield context
    context.close()


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


# --- core: the address and the presets ------------------------------------------------------


def test_the_plain_fields_make_a_percent_encoded_url() -> None:
    address = CentralAddress(
        host="db.example.com",
        port=6543,
        database="asistencia central",
        user="kiosk@site",
        password="p@ss/w:rd#?%1",
    )
    url = compose_url(address)
    assert url == (
        "postgresql://kiosk%40site:p%40ss%2Fw%3Ard%23%3F%251@db.example.com:6543/"
        "asistencia%20central?sslmode=require"
    )
    # the settings accept it (no '@' or '/' misread as the host) and read it back whole
    assert load_settings(None, central_database_url=url).central_url() == url
    back = parse_url(url)
    assert back == CentralAddress(
        "db.example.com", 6543, "asistencia central", "kiosk@site", "", tls=True
    )
    plain = compose_url(CentralAddress("::1", user="k", tls=False))
    assert plain == "postgresql://k@[::1]:5432/asistencia?sslmode=disable"


@pytest.mark.parametrize(
    ("address", "words"),
    [
        (CentralAddress("", user="k"), "server's name"),
        (CentralAddress("db host", user="k"), "without spaces"),
        (CentralAddress("db/x", user="k"), "without spaces"),
        (CentralAddress("db", port=0, user="k"), "port"),
        (CentralAddress("db", database=" ", user="k"), "database's name"),
        (CentralAddress("db"), "user name"),
    ],
)
def test_an_incomplete_address_is_refused_in_words(address: CentralAddress, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        compose_url(address)


def test_an_address_the_fields_cannot_hold_stays_raw() -> None:
    assert parse_url("postgresql://k@db/a?sslmode=verify-full&sslrootcert=/ca.pem") is None
    assert parse_url("postgresql://k@h1,h2/a") is None


def test_presets_are_named_thresholds_and_frame_counts() -> None:
    assert preset_values("normal", "Dlib") == {"match_threshold": None, "frames_to_agree": 3}
    assert preset_values("strict", "Dlib") == {"match_threshold": 0.059, "frames_to_agree": 5}
    assert preset_values("lenient", "Dlib") == {"match_threshold": 0.073, "frames_to_agree": 2}
    assert preset_of("Dlib", None, 3) == "normal"
    assert preset_of("Dlib", 0.059, 5) == "strict"
    assert preset_of("Dlib", 0.05, 3) is None  # set by hand
    assert matching_zones("bogo") == ["America/Bogota"]


# --- the pages ---------------------------------------------------------------------------


def saved_file(ctx: AppContext) -> dict[str, object]:
    return tomllib.loads(ctx.config_path.read_text(encoding="utf-8"))


def test_the_time_zone_is_chosen_on_the_kiosk_page(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    page = sign_in(qtbot, window, "kiosk").kiosk
    assert page.zone.currentText() == "Europe/Madrid"
    page.zone.setCurrentText("Mars/Olympus")
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.notice.text().startswith("“Mars/Olympus” is not a time zone")
    page.zone.setCurrentText("America/Bogota")
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.notice.text() == "Saved. The change is in force now."
    assert ctx.settings.timezone == "America/Bogota"
    assert saved_file(ctx)["timezone"] == "America/Bogota"
    with ctx.store.read() as session:
        entries = [a for a in session.scalars(select(AuditEntry)) if a.action == "settings.change"]
    assert entries and "America/Bogota" in str(entries[-1].details)


def test_recognition_offers_strict_normal_lenient_with_the_numbers_under_advanced(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    page = sign_in(qtbot, window, "recognition").recognition
    assert page.preset.currentData() == "normal"
    assert not page.advanced.isVisible()  # no raw threshold for a person to puzzle over
    assert not page.threshold.isVisible()
    strict = page.preset.findData("strict")
    page.preset.setCurrentIndex(strict)
    page.preset.activated.emit(strict)
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert ctx.settings.match_threshold == pytest.approx(0.059)
    assert ctx.settings.frames_to_agree == 5
    assert saved_file(ctx)["frames_to_agree"] == 5
    page.activate()
    assert page.preset.currentData() == "strict"
    # the numbers by hand: "Custom", and Advanced open
    QTest.mouseClick(page.advanced_button, Qt.MouseButton.LeftButton)
    assert page.advanced.isVisible() and page.threshold.isVisible()
    page.frames.setValue(7)
    assert page.preset.currentData() == "custom"


def test_sync_takes_plain_fields_and_keeps_the_raw_url_under_advanced(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    page = sign_in(qtbot, window, "sync").sync
    assert not page.url.isVisible()
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.notice.text() == "Write the server's name or IP address."
    QTest.keyClicks(page.host, "db.example.com")
    QTest.keyClicks(page.user, "kiosk@site")
    QTest.keyClicks(page.password, "p@ss/w:rd#1")
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert ctx.settings.central_url() == (
        "postgresql://kiosk%40site:p%40ss%2Fw%3Ard%231@db.example.com:5432/asistencia"
        "?sslmode=require"
    )
    assert "p%40ss" not in ctx.config_path.read_text(encoding="utf-8")  # kept apart
    assert page.host.text() == "db.example.com" and page.password.text() == ""
    # saved again with the password left empty: the saved one stays
    page.port.setValue(6432)
    QTest.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert ctx.settings.central_url() == (
        "postgresql://kiosk%40site:p%40ss%2Fw%3Ard%231@db.example.com:6432/asistencia"
        "?sslmode=require"
    )
