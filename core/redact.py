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
MASK = "***"


def mask_secrets(text: str) -> str:
    """Return ``text`` with any URL password or ``password=`` value replaced by ``***``."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return _KV_PASSWORD.sub(lambda m: f"{m[1]}={MASK}", text)


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
