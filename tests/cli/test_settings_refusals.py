"""Settings that used to pass or crash are refused in one sentence (issue 11, item 10).

A settings file that is not UTF-8 gave a traceback; ``cooldown_seconds = true`` was read as
1 (Python's True is the number 1); ``health_host = "999.1.1.1"`` was a traceback at bind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings, SettingsError, load_settings
from tests.support.cli import run_main

NUMERIC = sorted(
    name
    for name, info in Settings.model_fields.items()
    if info.annotation in (int, float)
    or {int, float} & set(getattr(info.annotation, "__args__", ()))
)


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "asistencia.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_settings_file_that_is_not_utf8_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "asistencia.toml"
    path.write_bytes('kiosk_name = "Recepción"\n'.encode("latin-1"))
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    (line,) = caught.value.lines
    assert str(path) in line and "UTF-8" in line
    result = run_main("--config", str(path), "doctor")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [f"asistencia: {line}"]


@pytest.mark.parametrize("name", NUMERIC)
def test_no_numeric_setting_takes_a_boolean(tmp_path: Path, name: str) -> None:
    for value in ("true", "false"):
        with pytest.raises(SettingsError) as caught:
            load_settings(_toml(tmp_path, f"{name} = {value}\n"))
        (line,) = caught.value.lines
        assert f"'{name}'" in line and "not true or false" in line, line


def test_the_numeric_settings_are_all_checked_and_numbers_still_work(tmp_path: Path) -> None:
    assert {"cooldown_seconds", "match_threshold", "health_port", "lockout_attempts"} <= set(
        NUMERIC
    )
    assert len(NUMERIC) >= 14
    settings = load_settings(_toml(tmp_path, "cooldown_seconds = 0\nmatch_threshold = 0.4\n"))
    assert settings.cooldown_seconds == 0 and settings.match_threshold == 0.4
    assert load_settings(_toml(tmp_path, "fullscreen = true\n")).fullscreen is True


def test_the_cli_refuses_a_boolean_cooldown(tmp_path: Path) -> None:
    path = _toml(tmp_path, "cooldown_seconds = true\n")
    result = run_main("--config", str(path), "doctor")
    assert result.returncode == 2, result.stderr
    assert "cooldown_seconds" in result.stderr and "not true or false" in result.stderr


@pytest.mark.parametrize(
    "host", ["999.1.1.1", "1.2.3", "bad host", "-x.example", "a..b", "x" * 64 + ".example"]
)
def test_a_health_host_that_is_no_address_is_refused(tmp_path: Path, host: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(_toml(tmp_path, f'health_host = "{host}"\n'))
    (line,) = caught.value.lines
    assert "'health_host'" in line and "IP address" in line, line


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "0.0.0.0", "::1", "::", "", "localhost", "kiosk-7.example.org"],  # noqa: S104
)
def test_addresses_and_host_names_are_accepted(tmp_path: Path, host: str) -> None:
    assert load_settings(_toml(tmp_path, f'health_host = "{host}"\n')).health_host == host


def test_the_cli_refuses_a_bad_health_host_before_starting(tmp_path: Path) -> None:
    path = _toml(tmp_path, 'health_host = "999.1.1.1"\n')
    result = run_main("--data-dir", str(tmp_path / "d"), "--config", str(path), "headless")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "health_host" in result.stderr and len(result.stderr.strip().splitlines()) == 1
