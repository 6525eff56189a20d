"""GET /health and GET /metrics on a small stdlib HTTP server in its own thread.

/health answers 200 only when the server is ready and 503 with the reason otherwise, in fixed
words (core/server/readiness.py); Docker's HEALTHCHECK and load balancers read the status code.

Bounded and never starved, whoever connects (the image listens on 0.0.0.0):

- One thread (the "selector") accepts connections, reads each request head and writes each
  answer, all without blocking. A request goes to one of ``WORKERS`` threads only once its
  whole head has arrived, and a worker only computes the answer (the readiness report may ping
  the central database); it never touches a socket. No client, however slow, holds a worker:
  before, the limit applied to each read, so four clients each sending a byte every 4 s held
  the four workers and every probe timed out.
- Each connection has one deadline, ``REQUEST_DEADLINE_S`` from its accept to the last byte of
  its answer, whatever it does meanwhile; past it the connection is closed. After its answer
  the server reads until the client closes (so unread bytes do not reset the answer away),
  within the same deadline.
- A request head is at most ``MAX_HEAD`` bytes (431 past it); only GET and HEAD are served and
  a body is never read. At most ``MAX_OPEN`` connections are open (a new one closes the oldest
  that no worker holds) and at most ``MAX_QUEUED`` requests wait for a worker (503 past it).
  Every answer closes its connection: probes do not need keep-alive.
- A client that goes away (reset, broken pipe, deadline) is one DEBUG line: anyone who reaches
  the port could otherwise fill the log.

Why not a server library: uvicorn's and waitress's timeouts restart with every byte received
(uvicorn issue 157; waitress's ``channel_timeout`` counts inactivity), so they would need this
same deadline added around them, and they would add to an image at its size limit.
"""

from __future__ import annotations

import contextlib
import json
import logging
import selectors
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from core.server.http_wire import JSON, bind_error, error, parse_request_line, response

log = logging.getLogger(__name__)

Readiness = Callable[[], tuple[int, dict[str, Any]]]
MetricsRender = Callable[[], tuple[bytes, str]]

WORKERS = 4  # answers computed at once; one takes milliseconds (a database ping: up to 2 s)
MAX_OPEN = 64  # open connections; a new one closes the oldest that no worker holds
MAX_QUEUED = 32  # requests given to the workers and not answered yet; more get 503
MAX_HEAD = 8192  # bytes of request line and headers
REQUEST_DEADLINE_S = 5.0  # from accept to the answer's last byte (Docker's check waits 3 s)
HEALTH_PATHS = frozenset({"/health", "/healthz"})
_READ_CHUNK = 16384
_POLL_S = 0.5

State = Literal["reading", "working", "writing", "closing"]


@dataclass(eq=False)
class _Connection:
    sock: socket.socket
    peer: str
    deadline: float
    state: State = "reading"
    head: bytearray = field(default_factory=bytearray)
    out: memoryview = field(default_factory=lambda: memoryview(b""))


class _Server:
    """Binds in ``__init__``; ``serve`` runs the selector thread until ``close``."""

    def __init__(
        self,
        address: tuple[str, int],
        readiness: Readiness,
        metrics: MetricsRender,
        *,
        deadline_s: float,
    ) -> None:
        self.readiness = readiness
        self.metrics = metrics
        self._deadline_s = deadline_s
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(128)  # 5 would make a burst wait for SYN retries (seconds each)
        except BaseException:
            self.socket.close()
            raise
        self.socket.setblocking(False)  # accept() in batches until the backlog is empty
        self.server_address = self.socket.getsockname()
        # Accept order is deadline order: the first is always the next to expire.
        self._open: OrderedDict[socket.socket, _Connection] = OrderedDict()
        self._working = 0  # touched by the selector thread only
        self._answers: deque[tuple[_Connection, bytes]] = deque()  # from the workers
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="health-http")
        self._stopping = threading.Event()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_write.setblocking(False)
        self._failing = False  # the readiness report raised last time (log once a streak)
        self._selector = selectors.DefaultSelector()

    # The selector thread ------------------------------------------------------------------

    def serve(self) -> None:
        selector = self._selector
        selector.register(self.socket, selectors.EVENT_READ, "accept")
        selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        while not self._stopping.is_set():
            for key, _events in selector.select(self._next_timeout()):
                if key.data == "accept":
                    self._accept()
                elif key.data == "wake":
                    with contextlib.suppress(OSError):
                        self._wake_read.recv(4096)
                elif key.fileobj in self._open:  # not closed earlier in this batch
                    self._guarded(self._open[key.fileobj])  # type: ignore[index]
            while self._answers:
                connection, answer = self._answers.popleft()
                self._guarded(connection, answer)
            self._expire()
        for connection in list(self._open.values()):
            self._close(connection)
        selector.close()

    def _next_timeout(self) -> float:
        if not self._open:
            return _POLL_S
        first = next(iter(self._open.values()))
        return max(0.0, min(_POLL_S, first.deadline - time.monotonic()))

    def _accept(self) -> None:
        # What the backlog holds, a bounded batch at a time, so waiting requests are read too.
        for _ in range(MAX_OPEN):
            try:
                sock, address = self.socket.accept()
            except OSError:  # none left (non-blocking), the client gave up, no descriptors
                return
            if len(self._open) >= MAX_OPEN and not self._evict():
                sock.close()  # every open one is being answered: they end within the deadline
                continue
            sock.setblocking(False)
            peer = str(address[0])
            connection = _Connection(sock, peer, time.monotonic() + self._deadline_s)
            self._open[sock] = connection
            self._selector.register(sock, selectors.EVENT_READ, "client")

    def _evict(self) -> bool:
        """Close the oldest connection not in a worker's hands: one still sending its request,
        or not reading or closing after its answer. Those in the workers are fewer than
        ``MAX_OPEN``, so there is always one."""
        for connection in self._open.values():
            if connection.state != "working":
                self._gone(connection, f"{connection.state}, closed for a newer connection")
                return True
        return False

    def _guarded(self, connection: _Connection, answer: bytes | None = None) -> None:
        """One connection's step; a bug there closes that connection, never the server."""
        try:
            if answer is None:
                self._service(connection)
            else:
                self._start_writing(connection, answer)
        except Exception:
            log.exception("health: unexpected failure with a connection from %s", connection.peer)
            self._close(connection)

    def _service(self, connection: _Connection) -> None:
        try:
            if connection.state == "reading":
                self._read(connection)
            elif connection.state == "writing":
                self._write(connection)
            elif connection.state == "closing":
                self._drain(connection)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # reset, broken pipe: the client's business, not an error
            self._gone(connection, exc.strerror or type(exc).__name__)

    def _read(self, connection: _Connection) -> None:
        chunk = connection.sock.recv(_READ_CHUNK)
        if not chunk:
            self._gone(connection, "closed before its request")
            return
        connection.head += chunk
        head = bytes(connection.head)
        end = head.find(b"\r\n\r\n")
        if end < 0:
            end = head.find(b"\n\n")
        if end < 0 or end > MAX_HEAD:
            if len(head) > MAX_HEAD:
                log.debug("health: %s sent a request head over %d bytes", connection.peer, MAX_HEAD)
                too_large = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                self._start_writing(connection, error(too_large, "request head too large"))
            return
        request = parse_request_line(head[:end])
        if isinstance(request, bytes):
            self._start_writing(connection, request)
        elif self._working >= MAX_QUEUED:
            self._start_writing(connection, error(HTTPStatus.SERVICE_UNAVAILABLE, "busy"))
        else:
            self._hand_over(connection, *request)

    def _hand_over(self, connection: _Connection, method: str, path: str) -> None:
        connection.state = "working"
        self._selector.unregister(connection.sock)  # nothing to read or write until answered
        self._working += 1
        try:
            self._pool.submit(self._work, connection, method, path)
        except RuntimeError:  # the pool is shutting down
            self._working -= 1
            self._close(connection)

    def _start_writing(self, connection: _Connection, answer: bytes) -> None:
        if connection.state == "working":
            self._working -= 1
        if connection.sock not in self._open:  # closed meanwhile (deadline, eviction, stop)
            return
        if connection.state == "working":
            self._selector.register(connection.sock, selectors.EVENT_WRITE, "client")
        else:
            self._selector.modify(connection.sock, selectors.EVENT_WRITE, "client")
        connection.state = "writing"
        connection.out = memoryview(answer)
        self._service(connection)  # most answers fit the socket's buffer at once

    def _write(self, connection: _Connection) -> None:
        sent = connection.sock.send(connection.out)
        connection.out = connection.out[sent:]
        if connection.out:
            return
        # Done. Read what the client may still send until it closes (or the deadline), so
        # that closing with unread bytes does not reset the connection before it reads.
        connection.sock.shutdown(socket.SHUT_WR)
        connection.state = "closing"
        self._selector.modify(connection.sock, selectors.EVENT_READ, "client")

    def _drain(self, connection: _Connection) -> None:
        if not connection.sock.recv(_READ_CHUNK):
            self._close(connection)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._open:
            connection = next(iter(self._open.values()))
            if connection.deadline > now:
                return
            if connection.state == "closing":
                self._close(connection)  # answered; it just has not closed its side
            else:
                self._gone(connection, f"{connection.state}, past the {self._deadline_s:g} s limit")

    def _gone(self, connection: _Connection, why: str) -> None:
        log.debug("health: connection from %s dropped (%s)", connection.peer, why)
        self._close(connection)

    def _close(self, connection: _Connection) -> None:
        if self._open.pop(connection.sock, None) is None:
            return
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(connection.sock)
        connection.sock.close()

    # The workers --------------------------------------------------------------------------

    def _work(self, connection: _Connection, method: str, path: str) -> None:
        # Whatever happens, the selector gets an answer: it counts the requests in the workers.
        answer = error(HTTPStatus.INTERNAL_SERVER_ERROR, "health check failed")
        try:
            answer = self._answer(method, path)
        finally:
            self._answers.append((connection, answer))
            with contextlib.suppress(OSError):  # a full wake pipe already wakes it
                self._wake_write.send(b"x")
        log.debug("health: %s %s %s", connection.peer, method, path)

    def _answer(self, method: str, path: str) -> bytes:
        head_only = method == "HEAD"
        try:
            if path in HEALTH_PATHS:
                code, body = self.readiness()
                payload = json.dumps(body, default=str).encode()
                answer = response(code, payload, JSON, head_only=head_only)
            elif path == "/metrics":
                payload, content_type = self.metrics()
                answer = response(HTTPStatus.OK, payload, content_type, head_only=head_only)
            else:
                return error(HTTPStatus.NOT_FOUND, "not found")
        except Exception:  # a broken probe must answer, not hang the checker
            # Once a streak: every probe would otherwise log the same traceback.
            if not self._failing:
                log.exception("health endpoint failed")
            self._failing = True
            payload = b'{"status": "unhealthy", "reason": "health check failed"}'
            return response(HTTPStatus.INTERNAL_SERVER_ERROR, payload, JSON)
        self._failing = False
        return answer

    # Stopping -----------------------------------------------------------------------------

    def close(self) -> None:
        """Stop accepting and close every connection (the selector thread ends)."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def release(self) -> None:
        """After the serving thread ended: the workers, the sockets."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.socket.close()
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
        deadline_s: float = REQUEST_DEADLINE_S,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._readiness = readiness
        self._metrics = metrics
        self._deadline_s = deadline_s
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
                deadline_s=self._deadline_s,
            )
        except OSError as exc:
            raise bind_error(self.host, self._requested_port, exc) from None
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
