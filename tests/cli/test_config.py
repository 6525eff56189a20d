"""Settings: sources, validation messages, persistence and masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import SettingsError, load_settings, save_settings
from tests.support.cli import run_main

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


def test_defaults_are_usable_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml")
    assert settings.cooldown_seconds == 60
    assert settings.liveness == "both" and settings.passive_threshold is None
    assert settings.central_database_url is None
    assert settings.zone.key == "Europe/Madrid"  # from the test environment


def test_environment_beats_file_beats_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "asistencia.toml"
    path.write_text('cooldown_seconds = 90\nkiosk_name = "Recepción"\n', encoding="utf-8")
    assert load_settings(path).cooldown_seconds == 90
    monkeypatch.setenv("ASISTENCIA_COOLDOWN_SECONDS", "120")
    settings = load_settings(path)
    assert settings.cooldown_seconds == 120
    assert settings.kiosk_name == "Recepción"


def test_old_server_names_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENTRAL_DATABASE_URL", "postgresql://kiosk:s3cret@db:5432/asistencia")
    monkeypatch.setenv("AUTO_MIGRATE", "false")
    monkeypatch.setenv("DEBUG", "true")
    settings = load_settings(None)
    assert settings.central_url() == "postgresql://kiosk:s3cret@db:5432/asistencia"
    assert settings.auto_migrate is False
    assert settings.debug is True
    assert (
        settings.effective()["central_database_url"] == "postgresql://kiosk:***@db:5432/asistencia"
    )


@pytest.mark.parametrize(
    ("env", "value", "expected"),
    [
        ("ASISTENCIA_COOLDOWN_SECONDS", "abc", "whole number from 0 to 86400"),
        ("ASISTENCIA_COOLDOWN_SECONDS", "-5", "greater than or equal to 0"),
        ("ASISTENCIA_LIVENESS", "maybe", "off | blink"),
        ("ASISTENCIA_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("AUTO_MIGRATE", "perhaps", "true or false"),
        ("CENTRAL_DATABASE_URL", "mysql://u:pw@h/db", "PostgreSQL URL"),
        ("ASISTENCIA_KIOSK_ID", "door's", "no quotes or backslashes"),
    ],
)
def test_bad_value_names_the_key_and_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    (line,) = caught.value.lines
    assert env in line
    assert expected in line
    assert "pw" not in line  # a rejected URL is not echoed with its password


def test_unknown_key_and_broken_file_are_named(tmp_path: Path) -> None:
    path = tmp_path / "asistencia.toml"
    path.write_text("cooldown_secs = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting 'cooldown_secs'"):
        load_settings(path)
    path.write_text("cooldown_seconds = = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"cannot read settings file .*asistencia.toml"):
        load_settings(path)
    path.write_text('cooldown_seconds = "many"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"'cooldown_seconds' in .*asistencia.toml = 'many'"):
        load_settings(path)


def test_saved_settings_round_trip_and_bad_changes_leave_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "asistencia.toml"
    saved = save_settings(path, {"frames_to_agree": 5, "kiosk_name": "Almacén"})
    assert saved.frames_to_agree == 5
    assert load_settings(path).kiosk_name == "Almacén"
    before = path.read_bytes()
    with pytest.raises(SettingsError, match="frames_to_agree"):
        save_settings(path, {"frames_to_agree": 0})
    assert path.read_bytes() == before
    assert save_settings(path, {"frames_to_agree": None}).frames_to_agree == 3
    assert not list(tmp_path.glob("*.part"))


def test_main_exits_2_with_one_line_naming_the_key() -> None:
    result = run_main("doctor", env={"ASISTENCIA_COOLDOWN_SECONDS": "abc"})
    assert result.returncode == 2
    assert "ASISTENCIA_COOLDOWN_SECONDS" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_main("--config", str(tmp_path / "nope.toml"), "doctor")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
