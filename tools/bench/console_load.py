"""How fast the web console answers on a loaded central database (``make load``'s last step).

The console is started as the headless server starts it (``console.server.ConsoleServer``
on a free local port, the central database with the owner's login), a central administrator
is added, and a client signs in over HTTP like a browser (cookies, CSRF token). Each page is
asked for once to warm up, then ``requests`` times; the figures are each page's median and
p95 and the p95 over every request. The month's CSV download is a file, not a page: its time
to the first byte and its total time are reported apart.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from core.attendance.log import local_today
from core.config.files import load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.reports.pay_period import current_and_previous
from core.sync.central import CentralDatabase
from core.sync.central_store import central_accounts
from seeds.seed_roles import seed_roles

ADMIN, PASSWORD = "load.admin", "load-console-Passw0rd"  # a scratch database's
CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


@dataclass
class Browser:
    """Just enough of a browser: cookies kept, redirects not followed."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirect)
    )

    def open(self, path: str, form: dict[str, str] | None = None) -> Any:
        headers = {"Accept-Language": "es"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=600)
        except urllib.error.HTTPError as exc:
            response = exc
        for line in response.headers.get_all("set-cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> tuple[int, bytes]:
        with self.open(path) as response:
            return response.status, response.read()

    def sign_in(self, username: str, password: str) -> None:
        _status, page = self.get("/signin")
        found = CSRF.search(page.decode())
        if found is None:
            raise RuntimeError("the sign-in page has no CSRF token")
        form = {"csrf_token": unescape(found.group(1)), "username": username, "password": password}
        with self.open("/signin", {**form, "next": ""}) as response:
            if response.status != 303:
                raise RuntimeError(f"signing in answered {response.status}")


@dataclass
class PageTiming:
    path: str
    median_ms: float
    p95_ms: float
    status: int


@dataclass
class ConsoleFigures:
    requests: int  # per page, after one warm-up
    pages: dict[str, PageTiming]
    p95_ms: float  # over every request of every page
    slowest_page: str
    csv_first_byte_s: float
    csv_total_s: float
    csv_bytes: int
    errors: list[str] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def pages_to_time(today: date, period: tuple[date, date], code: str) -> dict[str, str]:
    """The console's pages, named, as HR opens them (the current period, a person…)."""
    start, end = period
    month = {"from": start.isoformat(), "to": end.isoformat()}

    def attendance(view: str, page: int = 1) -> str:
        return "/attendance?" + urlencode({**month, "view": view, "page": page})

    return {
        "fleet": "/fleet",
        "people": "/people",
        "people search": "/people?" + urlencode({"q": code}),
        "person": "/people/person?" + urlencode({"code": code}),
        "attendance totals": attendance("totals"),
        "attendance totals p.100": attendance("totals", 100),
        "attendance days": attendance("days"),
        "attendance records": attendance("records"),
        "attendance records p.1000": attendance("records", 1000),
        "corrections day": "/corrections?" + urlencode({"day": today.isoformat()}),
        "corrections code": "/corrections?" + urlencode({"day": today.isoformat(), "code": code}),
        "held": "/held",
    }


def time_download(browser: Browser, path: str) -> tuple[float, float, int]:
    """Seconds to the first byte of the body, seconds to the last, bytes."""
    started = time.perf_counter()
    first = None
    size = 0
    with browser.open(path) as response:
        while chunk := response.read1(65536) if hasattr(response, "read1") else response.read():
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
    total = time.perf_counter() - started
    return first if first is not None else total, total, size


def measure_console(
    owner_url: str,
    *,
    code: str,
    requests: int = 20,
    download: bool = True,
    period: tuple[date, date] | None = None,
) -> ConsoleFigures:
    """Start the console on ``owner_url`` and time its pages (``code``: a person to look up;
    ``period``: the attendance pages' and the download's, else the current pay period)."""
    from console.server import ConsoleServer
    from console.services import ConsoleServices
    from console.sessions import Sessions

    errors: list[str] = []
    central = CentralDatabase(owner_url, application_name="asistencia load console")
    with tempfile.TemporaryDirectory(prefix="asistencia-load-console-") as folder:
        paths = DataPaths(Path(folder))
        ctx = AppContext(paths, load_settings(paths.settings_file))
        server = None
        try:
            with Session(central.engine) as session, session.begin():
                seed_roles(session)  # what `central add-admin` finds on a server's database
            central_accounts(central, ctx.lockout).add_user(
                "cli:load", ADMIN, PASSWORD, "admin", "Load"
            )
            sessions = Sessions(idle_s=3600, lifetime_s=12 * 3600)
            server = ConsoleServer(
                ConsoleServices.from_context(ctx, central), sessions, "127.0.0.1", 0
            )
            server.start()
            browser = Browser(server.url)
            browser.sign_in(ADMIN, PASSWORD)
            settings = ctx.settings
            current, _previous = current_and_previous(
                local_today(settings.zone), settings.pay_period, settings.pay_period_start_day
            )
            period = period or (current.start, current.end)
            timings: dict[str, PageTiming] = {}
            every: list[float] = []
            for name, path in pages_to_time(local_today(settings.zone), period, code).items():
                status, _ = browser.get(path)  # warm-up
                seconds: list[float] = []
                for _ in range(requests):
                    started = time.perf_counter()
                    status, _ = browser.get(path)
                    seconds.append(time.perf_counter() - started)
                if status != 200:
                    errors.append(f"{path} answered {status}")
                every.extend(seconds)
                timings[name] = PageTiming(
                    path,
                    round(1000 * statistics.median(seconds), 1),
                    round(1000 * percentile(seconds, 95), 1),
                    status,
                )
            first_s = total_s = 0.0
            size = 0
            if download:
                month = {"from": period[0].isoformat(), "to": period[1].isoformat()}
                query = urlencode({**month, "format": "csv", "sheet": "records"})
                first_s, total_s, size = time_download(browser, "/attendance/download?" + query)
        finally:
            if server is not None:
                server.stop()
            ctx.close()
            central.dispose()
    slowest = max(timings, key=lambda n: timings[n].p95_ms) if timings else ""
    return ConsoleFigures(
        requests=requests,
        pages=timings,
        p95_ms=round(1000 * percentile(every, 95), 1),
        slowest_page=slowest,
        csv_first_byte_s=round(first_s, 3),
        csv_total_s=round(total_s, 3),  # as fine as the first byte: total >= first
        csv_bytes=size,
        errors=errors,
    )


def page_table(figures: ConsoleFigures) -> str:
    width = max(len(n) for n in figures.pages) if figures.pages else 4
    lines = [f"{'page'.ljust(width)}  median ms  p95 ms"]
    for name, timing in figures.pages.items():
        lines.append(f"{name.ljust(width)}  {timing.median_ms:9}  {timing.p95_ms:6}")
    lines.append(f"{'every page'.ljust(width)}  {'':9}  {figures.p95_ms:6}")
    lines.append(
        f"month's CSV download: first byte {figures.csv_first_byte_s} s, "
        f"all {figures.csv_total_s} s, {figures.csv_bytes} bytes"
    )
    return "\n".join(lines)
