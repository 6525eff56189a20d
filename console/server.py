"""The console served by uvicorn in a thread of the headless server.

The socket is bound here, before the thread starts, so a port in use is one sentence in
the log at start-up (the server goes on without its console) and port 0 gives a free one.
The thread runs its own event loop; blocking work (the database, argon2) goes to its thread
pool, so a slow page never holds up /health, the sync or the daily jobs, each in their own
threads. ``stop`` asks uvicorn to finish the requests in flight and waits for it.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from datetime import datetime

from console.app import build_app
from console.services import ConsoleServices
from console.sessions import Sessions
from core.context import AppContext
from core.errors import AsistenciaError
from core.i18n import Message
from core.store.types import utcnow
from core.sync.central import CentralDatabase

log = logging.getLogger(__name__)
STOP_WAIT_S = 10.0


def split_listen(listen: str) -> tuple[str, int]:
    """("127.0.0.1", 8090) from the setting's "127.0.0.1:8090" (or "[::1]:8090")."""
    host, _, port = listen.rpartition(":")
    return host.removeprefix("[").removesuffix("]"), int(port)


class ConsoleServer:
    def __init__(self, services: ConsoleServices, sessions: Sessions, host: str, port: int) -> None:
        import uvicorn

        self.app = build_app(services, sessions)
        self.sessions = sessions
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._socket.bind((host, port))
        except OSError as exc:
            self._socket.close()
            raise AsistenciaError(
                Message("console.cannot_listen", host=host, port=port, why=exc.strerror or exc)
            ) from None
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_config=None,  # the program's logging, not uvicorn's own
            access_log=False,  # URLs carry employee codes and searches: not for the log
            server_header=False,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="console-http"
        )

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, wait_s: float = 10.0) -> None:
        self._thread.start()
        waited = threading.Event()
        for _ in range(int(wait_s * 50)):
            if self._server.started or not self._thread.is_alive():
                break
            waited.wait(0.02)
        log.info("web console on %s", self.url)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_S)
        self._socket.close()


def start_console(
    ctx: AppContext,
    central: CentralDatabase,
    *,
    clock: Callable[[], datetime] = utcnow,
    session_clock: Callable[[], float] | None = None,
) -> ConsoleServer | None:
    """The console on ``console_listen``, started (main.py's headless step 5); None when
    it cannot listen there: that is logged as an error, and the rest of the server (the
    sync, the daily jobs, /health) goes on without it."""
    settings = ctx.settings
    host, port = split_listen(settings.console_listen)
    sessions = Sessions(
        idle_s=settings.console_idle_minutes * 60,
        lifetime_s=settings.console_session_hours * 3600,
        **({"clock": session_clock} if session_clock is not None else {}),
    )
    try:
        server = ConsoleServer(
            ConsoleServices.from_context(ctx, central, clock), sessions, host, port
        )
    except AsistenciaError as exc:
        log.error("%s", exc)
        return None
    server.start()
    return server
