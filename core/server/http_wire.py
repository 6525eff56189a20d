"""The bytes of the health server's HTTP: its answers, the request line, a bind error.

Small on purpose: the server reads only GET and HEAD request heads, ignores every header, and
answers with a length and ``Connection: close``.
"""

from __future__ import annotations

import errno
import json
import socket
from http import HTTPStatus

from core.errors import AsistenciaError, UsageError

JSON = "application/json"


def response(code: int, payload: bytes, content_type: str, *, head_only: bool = False) -> bytes:
    status = HTTPStatus(code)
    header = (
        f"HTTP/1.1 {status.value} {status.phrase}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    return header if head_only else header + payload


def error(code: HTTPStatus, words: str) -> bytes:
    return response(code, json.dumps({"error": words}).encode(), JSON)


def parse_request_line(head: bytes) -> tuple[str, str] | bytes:
    """(method, path) of a complete head, or the error answer to send instead."""
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    parts = line.split()
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return error(HTTPStatus.BAD_REQUEST, "bad request")
    method = parts[0].decode("latin-1")
    if method not in {"GET", "HEAD"}:
        return error(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD")
    return method, parts[1].decode("latin-1").split("?", 1)[0]


def bind_error(host: str, port: int, exc: OSError) -> AsistenciaError:
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
