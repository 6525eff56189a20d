"""The /health server is bounded whoever connects, and a bad address is a sentence
(issue 11, item 10): 2,000 idle connections used to make 2,004 threads, and a health_host
that does not resolve was a traceback.

It cannot be starved or flooded, and tells an anonymous caller fixed words only (issue 22,
item 6): four clients each sending a byte every 4 s held its four workers and every probe
timed out; each client that went away before its answer logged an error with a traceback;
with the central database down, /health showed the socket path and the role name.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from pydantic import SecretStr

import main
from core.config import load_settings
from core.context import AppContext
from core.errors import AsistenciaError, UsageError
from core.host.paths import DataPaths
from core.server.headless import HeadlessServer, ServerOptions
from core.server.health import MAX_HEAD, MAX_OPEN, WORKERS, HealthServer
from tests.support.cli import run_main
from tests.support.pg import TestPostgres

IDLE = 600  # idle connections opened at once (the 2,000 is just more of the same)


def _ready() -> tuple[int, dict[str, Any]]:
    return 200, {"status": "ok"}


def _metrics() -> tuple[bytes, str]:
    return b"up 1\n", "text/plain"


@contextlib.contextmanager
def serving(**kwargs: Any) -> Iterator[HealthServer]:
    server = HealthServer("127.0.0.1", 0, _ready, _metrics, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _health(server: HealthServer) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    with urllib.request.urlopen(f"{server.url}/health", timeout=10) as reply:  # noqa: S310
        return int(reply.status), json.loads(reply.read()), time.monotonic() - started


def _closed_by_server(client: socket.socket) -> bool:
    client.setblocking(False)
    try:
        return client.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_idle_connections_do_not_grow_threads_and_health_still_answers() -> None:
    before = threading.active_count()
    with serving() as server:
        clients = []
        try:
            for _ in range(IDLE):
                clients.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
            time.sleep(0.5)
            peak = threading.active_count()
            code, body, seconds = _health(server)
            assert code == 200 and body == {"status": "ok"} and seconds < 3
            code, _, _ = _health(server)
            assert code == 200
            peak = max(peak, threading.active_count())
            # The server holds at most MAX_OPEN of them open; it closed the others.
            time.sleep(0.3)
            closed = sum(_closed_by_server(c) for c in clients)
        finally:
            for client in clients:
                client.close()
    assert peak <= before + 1 + WORKERS, f"{peak - before} threads for {IDLE} idle connections"
    assert closed >= IDLE - MAX_OPEN
    assert threading.active_count() <= before


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() -> None:
    with serving(deadline_s=0.5) as server:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        with client:
            client.settimeout(5)
            started = time.monotonic()
            assert client.recv(1) == b""  # closed by the server, not by our timeout
            assert 0.3 < time.monotonic() - started < 3
        assert _health(server)[0] == 200


def test_each_answer_closes_its_connection() -> None:
    with (
        serving() as server,
        urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as reply,  # noqa: S310
    ):
        assert reply.headers["Connection"] == "close" and reply.read() == b"up 1\n"


def test_an_address_that_does_not_resolve_is_a_sentence() -> None:
    server = HealthServer("no-such-host.invalid", 0, _ready, _metrics)
    with pytest.raises(UsageError) as caught:
        server.start()
    message = str(caught.value)
    assert "no-such-host.invalid" in message and "health_host" in message
    assert "\n" not in message
    server.stop()


def test_a_port_in_use_is_a_sentence() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = HealthServer("127.0.0.1", port, _ready, _metrics)
        with pytest.raises(AsistenciaError, match="another program uses that port") as caught:
            server.start()
        assert "health_port" in str(caught.value)
        server.stop()


def test_the_cli_says_so_in_one_line(tmp_path: Path) -> None:
    result = run_main(
        "--data-dir",
        str(tmp_path / "d"),
        "headless",
        env={"ASISTENCIA_HEALTH_HOST": "no-such-host.invalid", "ASISTENCIA_HEALTH_PORT": "0"},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("asistencia: ")]
    assert len(lines) == 1 and "health_host" in lines[0], result.stderr


def test_an_ipv6_address_is_served() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    server = HealthServer("::1", 0, _ready, _metrics)
    server.start()
    try:
        assert server.url.startswith("http://[::1]:")
        assert _health(server)[0] == 200
    finally:
        server.stop()


def test_the_server_survives_a_request_from_a_connection_pushed_out_at_once() -> None:
    """The oldest waiting connection sends its request just as new ones push it out: both
    can come in one wake-up of the accepting thread, which must not die of it."""
    with serving() as server:
        clients = [
            socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(MAX_OPEN)
        ]
        try:
            time.sleep(0.3)
            for _ in range(40):
                clients[0].sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                with contextlib.suppress(OSError):
                    clients.append(socket.create_connection(("127.0.0.1", server.port)))
                clients.pop(0).close()
            assert _health(server)[0] == 200
        finally:
            for client in clients:
                client.close()


def _trickle(port: int, stop: threading.Event, connections: list[int]) -> None:
    """A slow-loris client: a request head one byte a second, never finished; when the
    server closes it, it connects again, as an attacker would."""
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
                connections.append(1)
                for index in range(len(head)):
                    client.sendall(head[index : index + 1])
                    if stop.wait(1.0):
                        return
        except OSError:
            stop.wait(0.05)


def test_slow_clients_never_hold_the_workers_and_probes_are_answered_promptly() -> None:
    slow = 3 * WORKERS
    stop = threading.Event()
    connections: list[int] = []
    with serving(deadline_s=2.0) as server:
        attackers = [
            threading.Thread(target=_trickle, args=(server.port, stop, connections), daemon=True)
            for _ in range(slow)
        ]
        for attacker in attackers:
            attacker.start()
        try:
            time.sleep(1.5)  # every attacker connected and trickling
            probes = []
            until = time.monotonic() + 6
            while time.monotonic() < until:
                code, body, seconds = _health(server)
                probes.append(seconds)
                assert code == 200 and body == {"status": "ok"}
                time.sleep(0.3)
        finally:
            stop.set()
            for attacker in attackers:
                attacker.join(timeout=10)
    # Generous for a busy 2-core machine: a starved server made every probe time out.
    assert max(probes) < 2.0, probes
    # Each attacker was closed at its deadline although it kept sending, and came back.
    assert len(connections) >= 2 * slow, len(connections)


def test_a_client_sending_all_the_time_is_closed_at_the_whole_request_deadline() -> None:
    """The deadline counts from the connection, not from the last byte received."""
    with serving(deadline_s=1.0) as server:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        stop = threading.Event()

        def trickle() -> None:
            with contextlib.suppress(OSError):
                client.sendall(b"GET /health HTTP/1.1\r\n")
                while not stop.wait(0.1):
                    client.sendall(b"X")

        sender = threading.Thread(target=trickle, daemon=True)
        started = time.monotonic()
        sender.start()
        try:
            with contextlib.suppress(ConnectionResetError):
                assert client.recv(1) == b""  # closed by the server, not by our timeout
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            sender.join(timeout=5)
            client.close()
    assert 0.7 < elapsed < 5, elapsed


def _raw(server: HealthServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return answer


def test_a_request_head_too_large_is_refused_and_bad_requests_answered() -> None:
    with serving() as server:
        padding = b"X-Pad: " + b"a" * MAX_HEAD + b"\r\n"
        too_large = _raw(server, b"GET /health HTTP/1.1\r\n" + padding + b"\r\n")
        assert too_large.startswith(b"HTTP/1.1 431 "), too_large[:80]
        endless = _raw(server, b"GET /health HTTP/1.1\r\n" + padding)  # no end of head
        assert endless.startswith(b"HTTP/1.1 431 "), endless[:80]
        fits = b"X-Pad: " + b"a" * (MAX_HEAD // 2) + b"\r\n"
        assert _raw(server, b"GET /health HTTP/1.1\r\n" + fits + b"\r\n").startswith(
            b"HTTP/1.1 200 "
        )
        assert _raw(server, b"POST /health HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 405 ")
        assert _raw(server, b"\x16\x03\x01 garbage\r\n\r\n").startswith(b"HTTP/1.1 400 ")
        head = _raw(server, b"HEAD /health HTTP/1.1\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ") and head.endswith(b"\r\n\r\n")
        assert _health(server)[0] == 200


def test_clients_that_never_close_after_their_answer_do_not_lock_probes_out() -> None:
    with serving() as server:
        clients = []
        try:
            for _ in range(2 * MAX_OPEN):
                client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                client.sendall(b"GET /health HTTP/1.1\r\n\r\n")  # and never reads or closes
                clients.append(client)
            time.sleep(0.3)
            code, _, seconds = _health(server)
            assert code == 200 and seconds < 2.0
        finally:
            for client in clients:
                client.close()


def _reset(client: socket.socket) -> None:
    """Close with a reset (RST), as a client that crashes or gives up does."""
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def test_a_flood_of_clients_that_drop_is_debug_lines_only(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    def slow_ready() -> tuple[int, dict[str, Any]]:
        time.sleep(0.02)  # the client is gone before its answer is written
        return _ready()

    caplog.set_level(logging.DEBUG)
    clients = 0
    server = HealthServer("127.0.0.1", 0, slow_ready, _metrics)
    server.start()
    try:
        for round_ in range(60):
            for request in (
                b"GET /health HTTP/1.1\r\n\r\n",  # gone before the answer
                b"GET /metrics HTTP/1.1\r\nHost",  # gone mid-request
                b"",  # gone at once
            ):
                client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                if request:
                    client.sendall(request)
                if round_ % 2:
                    client.close()  # an orderly close (FIN) every other round
                else:
                    _reset(client)
                clients += 1
        time.sleep(1.0)  # the workers answer the last ones into closed sockets
        assert _health(server)[0] == 200
    finally:
        server.stop()
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert not problems, [r.getMessage() for r in problems]
    assert "Traceback" not in caplog.text and "Traceback" not in capfd.readouterr().err
    dropped = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert dropped and all(r.levelno == logging.DEBUG for r in dropped)
    assert len(dropped) <= clients  # one line each at most


LEAKY_ROLE = "leaky_role_q7"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310
            return int(reply.status), reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _health_with_central(
    data_dir: Path, url: str, caplog: pytest.LogCaptureFixture, expected: str
) -> tuple[dict[str, Any], str, str]:
    """/health's body and text, and /metrics, once the database shows ``expected`` and a
    sync cycle has failed; the server's log is in ``caplog``."""
    caplog.set_level(logging.DEBUG)
    paths = DataPaths(data_dir)
    settings = load_settings(paths.settings_file).model_copy(
        update={"central_database_url": SecretStr(url)}
    )
    ctx = AppContext(paths, settings)
    server = HeadlessServer(ctx, None, ServerOptions(sync_interval_s=0.3, health_port=0))
    try:
        main.start_headless(server)
        assert server.health is not None
        deadline = time.monotonic() + 30
        while True:
            code, text = _get(f"{server.health.url}/health")
            body = json.loads(text)
            if body["database"] == expected and body["sync"]["failures"] >= 1:
                break
            assert time.monotonic() < deadline, text
            time.sleep(0.2)
        assert code == 503 and body["status"] == "unhealthy"
        metrics = _get(f"{server.health.url}/metrics")[1]
    finally:
        server.request_stop()
        server.stop()
        ctx.close()
    return body, text, metrics


def _assert_words_only(text: str, *secrets: str) -> None:
    for secret in (*secrets, LEAKY_ROLE, "socket", "FATAL", "127.0.0.1", "/tmp", "postgresql"):
        assert secret not in text, (secret, text)


@pytest.mark.parametrize("where", ["socket", "port"])
def test_health_names_no_path_host_or_role_when_the_database_is_unreachable(
    isolated_environment: Path, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    socket_dir = isolated_environment.parent / "no-such-socket-dir"
    port = _closed_port()
    url = (
        f"postgresql://{LEAKY_ROLE}:pw@/asistencia?host={socket_dir}"
        if where == "socket"
        else f"postgresql://{LEAKY_ROLE}:pw@127.0.0.1:{port}/asistencia"
    )
    body, text, metrics = _health_with_central(isolated_environment, url, caplog, "unreachable")
    assert body["reason"] == "central database unreachable"
    assert body["sync"]["last_error"] == "unreachable"
    _assert_words_only(text, str(socket_dir), str(port))
    _assert_words_only(metrics, str(socket_dir), str(port))
    # The detail is the operator's, in the server's log (the password masked).
    detail = str(socket_dir) if where == "socket" else str(port)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("health: ")]
    assert any(detail in line for line in logged), logged
    assert ":pw@" not in caplog.text


@pytest.mark.postgres
def test_health_names_no_role_when_the_database_refuses_it(
    isolated_environment: Path,
    caplog: pytest.LogCaptureFixture,
    postgres_server: TestPostgres,
    postgres_url: str,
) -> None:
    parts = urlsplit(postgres_url)
    url = urlunsplit(parts._replace(netloc=f"{LEAKY_ROLE}@{parts.hostname or ''}"))
    body, text, metrics = _health_with_central(isolated_environment, url, caplog, "refused")
    assert body["reason"] == "central database refused"
    database = parts.path.lstrip("/")
    _assert_words_only(text, database)
    _assert_words_only(metrics, database)
    assert any(LEAKY_ROLE in r.getMessage() for r in caplog.records)  # the operator sees it
