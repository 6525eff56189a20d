"""The /health server is bounded whoever connects, and a bad address is a sentence
(issue 11, item 10): 2,000 idle connections used to make 2,004 threads, and a health_host
that does not resolve was a traceback.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.errors import AsistenciaError, UsageError
from core.server.health import MAX_WAITING, WORKERS, HealthServer
from tests.conftest import run_main

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
            # The server holds at most MAX_WAITING of them open; it closed the others.
            time.sleep(0.3)
            closed = sum(_closed_by_server(c) for c in clients)
        finally:
            for client in clients:
                client.close()
    assert peak <= before + 1 + WORKERS, f"{peak - before} threads for {IDLE} idle connections"
    assert closed >= IDLE - MAX_WAITING
    assert threading.active_count() <= before


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() -> None:
    with serving(idle_timeout_s=0.5) as server:
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
            socket.create_connection(("127.0.0.1", server.port), timeout=5)
            for _ in range(MAX_WAITING)
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
