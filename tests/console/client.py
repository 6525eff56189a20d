"""A small HTTP client for the console's tests: the real uvicorn server over a socket, with
the standard library (httpx, which Starlette's TestClient needs, is not a dependency).

It keeps cookies itself, Secure ones included (the console marks every cookie Secure, and a
browser keeps those for http://127.0.0.1 too, where http.cookiejar would not), follows no
redirect on its own, and reads a page's CSRF token for the next form.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message as Headers
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf(self) -> str:
        found = CSRF.search(self.text)
        assert found, "no form with a CSRF token on this page"
        return unescape(found.group(1))

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("set-cookie") or []


@dataclass
class ConsoleClient:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirect)
    )

    def request(
        self,
        method: str,
        path: str,
        form: Mapping[str, str | list[str]] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        data = None
        sent = {"Accept-Language": self.language, **(headers or {})}
        if form is not None:
            data = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        assert self.base.startswith("http://")
        url = self.base + path
        request = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            answer = Answer(exc.code, exc.headers, exc.read())
        for line in answer.set_cookies():
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **kwargs: dict[str, str]) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(
        self, path: str, form: Mapping[str, str | list[str]], **kwargs: dict[str, str]
    ) -> Answer:
        return self.request("POST", path, form, **kwargs)

    def sign_in(self, username: str, password: str) -> Answer:
        page = self.get("/signin")
        return self.post(
            "/signin",
            {"csrf_token": page.csrf(), "username": username, "password": password, "next": ""},
        )

    def submit(self, page_path: str, action: str, form: Mapping[str, str | list[str]]) -> Answer:
        """Open ``page_path``, then post ``form`` to ``action`` with the page's token."""
        token = self.get(page_path).csrf()
        return self.post(action, {"csrf_token": token, **form})
