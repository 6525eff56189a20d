"""A password with an unencoded '@' never shows up anywhere (issue 11, item 7).

``postgresql://u:Sup3r@S3cret@host/db`` is read by libpq as the password "Sup3r" and the
host "S3cret@host", which every connection error then quoted: in stderr, the log and
/health. Such a URL is now refused when the settings load, with a sentence saying how to
write it, and the masking also catches a host name that carries a password's tail.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pydantic import SecretStr

import main
from core.config import SettingsError, load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.host.redact import RedactingFilter, mask_secrets
from core.server.headless import HeadlessServer, ServerOptions
from tests.support.cli import run_main

BAD_URL = "postgresql://u:Sup3r@S3cret@127.0.0.1:1/asistencia"
PIECES = ("S3cret", "Sup3r")


def _clean(text: str) -> bool:
    return not any(piece in text for piece in PIECES)


def test_the_settings_refuse_it_in_words_that_do_not_quote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENTRAL_DATABASE_URL", BAD_URL)
    with pytest.raises(SettingsError) as from_env:
        load_settings(None)
    monkeypatch.delenv("CENTRAL_DATABASE_URL")
    toml = tmp_path / "asistencia.toml"
    toml.write_text(f'central_database_url = "{BAD_URL}"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as from_file:
        load_settings(toml)
    for caught, origin in ((from_env, "CENTRAL_DATABASE_URL"), (from_file, str(toml))):
        (line,) = caught.value.lines
        assert origin in line and "%40" in line and "'@'" in line, line
        assert _clean(line), line
    # Written as told, it is accepted and means the password "Sup3r@S3cret".
    toml.write_text(
        'central_database_url = "postgresql://u:Sup3r%40S3cret@127.0.0.1:1/asistencia"\n',
        encoding="utf-8",
    )
    assert load_settings(toml).central_url() is not None


def test_the_cli_says_so_on_stderr_and_logs_nothing_of_it(tmp_path: Path) -> None:
    data = tmp_path / "d"
    for command in (("sync", "--once"), ("doctor",), ("headless", "--exit-at-end")):
        result = run_main("--data-dir", str(data), *command, env={"CENTRAL_DATABASE_URL": BAD_URL})
        assert result.returncode == 2, result.stderr
        assert "%40" in result.stderr and "Traceback" not in result.stderr
        assert _clean(result.stdout + result.stderr), result.stderr
    for log_file in (data / "logs").glob("*") if (data / "logs").exists() else ():
        assert _clean(log_file.read_text(encoding="utf-8", errors="replace"))


def test_masking_catches_a_password_tail_in_a_host_name() -> None:
    for message in (
        "failed to resolve host 'S3cret@host': [Errno -2] Name or service not known",
        'could not translate host name "Sup3r@S3cret@db.example" to address',
        'connection to server at "S3cret@10.0.0.9", port 5432 failed: timeout',
        f"central database unreachable: {BAD_URL}",
    ):
        masked = mask_secrets(message)
        assert _clean(masked), masked
        assert "***@" in masked
    assert mask_secrets("failed to resolve host 'db.example'") == (
        "failed to resolve host 'db.example'"
    )
    assert mask_secrets("sent to ana@example.com") == "sent to ana@example.com"
    record = logging.LogRecord(
        "core.sync", logging.WARNING, __file__, 1, "unreachable: %s", ("host 'S3cret@h'",), None
    )
    assert RedactingFilter().filter(record) and _clean(record.getMessage())


def test_health_never_shows_it_even_when_such_a_url_gets_past_the_settings(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: a URL built elsewhere (not through the settings) still cannot
    leak through the driver's "failed to resolve host" into /health."""
    monkeypatch.setenv("ASISTENCIA_HEALTH_PORT", "0")
    paths = DataPaths(isolated_environment)
    settings = load_settings(paths.settings_file).model_copy(
        update={"central_database_url": SecretStr(BAD_URL)}
    )
    ctx = AppContext(paths, settings)
    server = HeadlessServer(ctx, None, ServerOptions(sync_interval_s=60, health_port=0))
    try:
        main.start_headless(server)
        assert server.health is not None
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{server.health.url}/health", timeout=10) as reply:  # noqa: S310
                    text = reply.read().decode()
            except urllib.error.HTTPError as exc:
                text = exc.read().decode()
            body = json.loads(text)
            if str(body.get("database", "")).startswith("unreachable"):
                break
            assert time.monotonic() < deadline, text
            time.sleep(0.1)
        assert _clean(text), text
    finally:
        server.request_stop()
        server.stop()
        ctx.close()
