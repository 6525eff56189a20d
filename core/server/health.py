"""GET /health and GET /metrics on a small stdlib HTTP server in its own thread.

/health answers 200 only when the server is ready (the model, when a camera is configured;
the central database, when one is configured; the local store) and 503 with the reason
otherwise, as JSON: ``{"status": "ok"|"starting"|"unhealthy", "model": …, "database": …,
"store": …, "sync": {…}}``. Docker's HEALTHCHECK and load balancers read the status code;
people read the reasons.

Bounded, whoever connects: a thread per connection with no timeout let 2,000 idle
connections make 2,004 threads. Now one thread accepts and watches the connections, and only
one whose request has started arriving goes to a small pool of workers (``WORKERS``). A
connection that sends nothing is closed after ``idle_timeout_s``; past ``MAX_WAITING`` open
connections the oldest is closed; a worker waits at most ``REQUEST_TIMEOUT_S`` on a slow
client; every answer closes its connection (probes do not need keep-alive, and a kept-alive
connection would hold a worker).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import selectors
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from core.errors import AsistenciaError, UsageError

log = logging.getLogger(__name__)

Readiness = Callable[[], tuple[int, dict[str, Any]]]
MetricsRender = Callable[[], tuple[bytes, str]]

WORKERS = 4  # requests answered at once; an answer takes milliseconds
MAX_WAITING = 64  # open connections that have not sent a request yet
MAX_QUEUED = 32  # requests waiting for a worker; more are closed unanswered
IDLE_TIMEOUT_S = 10.0  # to send a request after connecting
REQUEST_TIMEOUT_S = 5.0  # for each read or write of a request being answered
_POLL_S = 0.2


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT_S  # applied to the connection by StreamRequestHandler.setup

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        try:
            if path in {"/health", "/healthz"}:
                code, body = self.server.readiness()
                self._send(code, json.dumps(body, default=str).encode(), "application/json")
            elif path == "/metrics":
                payload, content_type = self.server.metrics()
                self._send(HTTPStatus.OK, payload, content_type)
            else:
                self._send(HTTPStatus.NOT_FOUND, b'{"error": "not found"}', "application/json")
        except Exception:  # a broken probe must answer, not hang the checker
            log.exception("health endpoint failed")
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                b'{"status": "unhealthy", "error": "health check failed"}',
                "application/json",
            )

    def _send(self, code: int, payload: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        # Probes every few seconds would drown the log.
        log.debug("%s " + format, self.address_string(), *args)


class _Server(HTTPServer):
    """Binds in ``__init__``; ``serve`` runs the accepting thread until ``close``."""

    # socketserver's 5 makes a burst of connections wait for SYN retries (seconds each).
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        readiness: Readiness,
        metrics: MetricsRender,
        *,
        idle_timeout_s: float,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.readiness = readiness
        self.metrics = metrics
        self._idle_timeout_s = idle_timeout_s
        self._waiting: OrderedDict[socket.socket, tuple[Any, float]] = OrderedDict()
        self._queued = 0
        self._queued_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="health-http")
        self._stopping = threading.Event()
        self._wake_read, self._wake_write = socket.socketpair()
        self.socket.setblocking(False)  # accept() in batches until the backlog is empty

    def serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ, "accept")
            selector.register(self._wake_read, selectors.EVENT_READ, "wake")
            while not self._stopping.is_set():
                for key, _events in selector.select(_POLL_S):
                    try:
                        if key.data == "accept":
                            self._accept(selector)
                        elif key.data == "wake":
                            self._wake_read.recv(64)
                        else:
                            self._dispatch(selector, key.fileobj)  # type: ignore[arg-type]
                    except OSError:  # one connection's trouble, never the server's end
                        log.debug("health connection failed", exc_info=True)
                self._expire(selector)
            for connection in list(self._waiting):
                self._drop(selector, connection)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        # What the backlog holds, a bounded batch at a time, so waiting requests are read too.
        for _ in range(MAX_WAITING):
            try:
                connection, address = self.socket.accept()
            except OSError:  # none left (non-blocking), the client gave up, no descriptors
                return
            if len(self._waiting) >= MAX_WAITING:
                self._drop(selector, next(iter(self._waiting)))  # the oldest waited longest
            connection.setblocking(False)
            self._waiting[connection] = (address, time.monotonic() + self._idle_timeout_s)
            selector.register(connection, selectors.EVENT_READ, "request")

    def _dispatch(self, selector: selectors.BaseSelector, connection: socket.socket) -> None:
        if connection not in self._waiting:  # dropped by an accept earlier in this batch
            return
        address, _deadline = self._waiting.pop(connection)
        selector.unregister(connection)
        with self._queued_lock:
            full = self._queued >= MAX_QUEUED
            if not full:
                self._queued += 1
        if full:
            self.shutdown_request(connection)
            return
        connection.setblocking(True)
        try:
            self._pool.submit(self._answer, connection, address)
        except RuntimeError:  # the pool is shutting down
            self.shutdown_request(connection)

    def _answer(self, connection: socket.socket, address: Any) -> None:
        try:
            self.finish_request(connection, address)
        except Exception:
            self.handle_error(connection, address)
        finally:
            self.shutdown_request(connection)
            with self._queued_lock:
                self._queued -= 1

    def _expire(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        while self._waiting:
            connection, (_address, deadline) = next(iter(self._waiting.items()))
            if deadline > now:
                break
            self._drop(selector, connection)

    def _drop(self, selector: selectors.BaseSelector, connection: socket.socket) -> None:
        self._waiting.pop(connection, None)
        with contextlib.suppress(KeyError, ValueError):
            selector.unregister(connection)
        self.shutdown_request(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        # A client that went away mid-answer is not worth a traceback in the log.
        log.debug("health request from %s failed", client_address, exc_info=True)

    def close(self) -> None:
        """Stop accepting, answer what is being answered, close everything."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def release(self) -> None:
        """After the serving thread ended: the workers, the sockets."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.server_close()
        self._wake_read.close()
        self._wake_write.close()


class HealthServer:
    """``start()`` binds (port 0 = any free port; see ``port``) and serves on a thread."""

    def __init__(
        self,
        host: str,
        port: int,
        readiness: Readiness,
        metrics: MetricsRender,
        *,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._readiness = readiness
        self._metrics = metrics
        self._idle_timeout_s = idle_timeout_s
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the health server is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = self.host
        if host in {"0.0.0.0", ""}:  # noqa: S104
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def start(self) -> int:
        """Bind and serve; a bind that fails is one sentence (``AsistenciaError``)."""
        try:
            self._server = _Server(
                (self.host, self._requested_port),
                self._readiness,
                self._metrics,
                idle_timeout_s=self._idle_timeout_s,
            )
        except OSError as exc:
            raise _bind_error(self.host, self._requested_port, exc) from None
        self._thread = threading.Thread(target=self._server.serve, name="health-http", daemon=True)
        self._thread.start()
        log.info("health and metrics on http://%s:%d (/health, /metrics)", self.host, self.port)
        return self.port

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.close()
        if thread is not None:
            thread.join(timeout=5)
        if server is not None:
            server.release()
        self._server = None
        self._thread = None


def _bind_error(host: str, port: int, exc: OSError) -> AsistenciaError:
    where = f"cannot serve /health on {host or 'every interface'} port {port}"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return UsageError(
            f"{where}: '{host}' is not an address of this machine, nor a name that resolves "
            "to one; set health_host to one of its addresses (127.0.0.1, 0.0.0.0 for every "
            "interface)"
        )
    if exc.errno == errno.EADDRINUSE:
        return AsistenciaError(
            f"{where}: another program uses that port; stop it, or set health_port to a free "
            "port (0 picks one)"
        )
    if exc.errno == errno.EACCES:
        return AsistenciaError(
            f"{where}: not allowed (ports below 1024 need privileges); set health_port to 1024 "
            "or above"
        )
    return AsistenciaError(f"{where}: {exc.strerror or exc}")
