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
from core.i18n import Message

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
    shown = host or Message("health.every_interface")

    def cannot(why: Message | str) -> Message:
        return Message("health.cannot_serve", host=shown, port=port, why=why)

    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return UsageError(cannot(Message("health.not_an_address", host=host)))
    if exc.errno == errno.EADDRINUSE:
        return AsistenciaError(cannot(Message("health.port_taken")))
    if exc.errno == errno.EACCES:
        return AsistenciaError(cannot(Message("health.port_not_allowed")))
    return AsistenciaError(cannot(exc.strerror or str(exc)))
