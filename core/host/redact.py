"""Masking secrets before they reach a log line, the screen or `doctor` output."""

from __future__ import annotations

import logging
import re

# scheme://user:password@host → scheme://user:***@host (also when the password has '@' or ':').
_URL_PASSWORD = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^\s/]*)@"
)
# key=value pairs in libpq connection strings and query strings.
_KV_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd|sslpassword)=([^\s&;]+)")
# A host name with an '@' in it is the tail of a password that held an unencoded '@'
# (postgresql://u:Sup3r@S3cret@host → libpq: "failed to resolve host 'S3cret@host'").
# Everything up to the host's last '@' goes; the host itself stays, to be acted on.
_HOST_USERINFO = re.compile(
    r"(?i)(?P<lead>\b(?:host(?:\s*name)?|server\s+at)\s*[=:]?\s*['\"]?)"
    r"[^\s'\"@]+(?:@[^\s'\"@]+)*@"
)
MASK = "***"
_PERCENT_ENCODE = (
    "percent-encode it in the URL: '@' as %40, ':' as %3A, '/' as %2F, '?' as %3F, '#' as %23 "
    "(e.g. postgresql://user:p%40ss@host:5432/db)"
)


def mask_secrets(text: str) -> str:
    """Return ``text`` with any URL password or ``password=`` value replaced by ``***``,
    and the password part a misread URL put into a host name."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    text = _HOST_USERINFO.sub(lambda m: f"{m['lead']}{MASK}@", text)
    return _KV_PASSWORD.sub(lambda m: f"{m[1]}={MASK}", text)


def url_credentials_problem(url: str) -> str | None:
    """Why a database URL's user name or password would be misread, or None.

    libpq ends the user and password at the first '@' and the host at the first '/', '?'
    or '#': a password holding one of them becomes part of the host name or port, which
    error messages then quote. The sentence never quotes the URL.
    """
    _scheme, separator, rest = url.partition("://")
    if not separator:
        return None
    ends = [index for index in (rest.find(c) for c in "/?#") if index >= 0]
    authority = rest[: min(ends, default=len(rest))]
    if authority.count("@") > 1:
        return f"the user name or password holds an '@'; {_PERCENT_ENCODE}"
    hostport = authority.rpartition("@")[2]
    if "," in hostport or hostport.startswith("["):
        return None  # several hosts, or an IPv6 address: libpq's own rules, left to it
    _host, colon, port = hostport.partition(":")
    if colon and port and not port.isdigit():
        return (
            "the port after the host is not a number, as when the password holds a '/', "
            f"'?', '#' or '@'; {_PERCENT_ENCODE}"
        )
    return None


class RedactingFilter(logging.Filter):
    """Masks secrets in every record, whatever the logger, so no handler ever sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and record.exc_text is None and record.exc_info[1] is not None:
            # Tracebacks of database errors quote the connection URL; render and mask now.
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True
