"""GET /health and GET /metrics on a small stdlib HTTP server in its own thread.

/health answers 200 only when the server is ready (the model, when a camera is configured;
the central database, when one is configured; the local store) and 503 with the reason
otherwise, as JSON: ``{"status": "ok"|"starting"|"unhealthy", "model": …, "database": …,
"store": …, "sync": {…}}``. Docker's HEALTHCHECK and load balancers read the status code;
people read the reasons.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger(__name__)

Readiness = Callable[[], tuple[int, dict[str, Any]]]
MetricsRender = Callable[[], tuple[bytes, str]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

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
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        # Probes every few seconds would drown the log.
        log.debug("%s " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], readiness: Readiness, metrics: MetricsRender
    ) -> None:
        super().__init__(address, _Handler)
        self.readiness = readiness
        self.metrics = metrics


class HealthServer:
    """``start()`` binds (port 0 = any free port; see ``port``) and serves on a thread."""

    def __init__(self, host: str, port: int, readiness: Readiness, metrics: MetricsRender) -> None:
        self.host = host
        self._requested_port = port
        self._readiness = readiness
        self._metrics = metrics
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the health server is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in {"0.0.0.0", ""} else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    def start(self) -> int:
        self._server = _Server((self.host, self._requested_port), self._readiness, self._metrics)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="health-http",
            daemon=True,
        )
        self._thread.start()
        log.info("health and metrics on http://%s:%d (/health, /metrics)", self.host, self.port)
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
