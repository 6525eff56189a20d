"""Names and identifiers hold printable characters only: one rule for every entry point.

A kiosk id, a kiosk's, site's, shift's or employee's name, an employee code or a user name
is shown on screens, printed in reports and logs, written to a terminal by the commands,
and sent to every kiosk of the deployment. A newline in one forged a second line in a log
or a table; an escape character (``ESC [2J``) cleared the administrator's terminal when a
command printed it; a right-to-left override reordered what a report showed. So each is
refused where it enters (the settings, the commands, the window's forms all call the
functions here) with one sentence naming the value and the character, as ``U+001B``.

"Printable" is Python's ``str.isprintable``: no control characters (C0, DEL, C1), no line
or paragraph separators, no format characters (bidirectional overrides, zero-width ones),
no unassigned code points, and of the spaces only the ordinary one. The spaces around a
value are trimmed by each caller before, as they always were.
"""

from __future__ import annotations

from core.errors import UsageError
from core.i18n import Message

# What each value is called in the sentence (``identifier.*`` in core/i18n).
KIOSK_ID = "identifier.kiosk_id"
KIOSK_NAME = "identifier.kiosk_name"
EMPLOYEE_CODE = "identifier.employee_code"
EMPLOYEE_NAME = "identifier.employee_name"
SHIFT_NAME = "identifier.shift_name"
SITE_NAME = "identifier.site_name"
USERNAME = "identifier.username"


def unprintable(value: str) -> str | None:
    """The first character of ``value`` that is not printable, as ``U+XXXX``, or None."""
    for char in value:
        if not char.isprintable():
            return f"U+{ord(char):04X}"
    return None


def printable_problem(value: str, what: str) -> Message | None:
    """Why ``value`` (``what`` names it: ``KIOSK_ID``…) is not acceptable, or None."""
    char = unprintable(value)
    if char is None:
        return None
    return Message("identifier.unprintable", what=Message(what), char=char)


def check_printable(value: str, what: str) -> str:
    """``value`` when it is printable; ``UsageError`` with the sentence otherwise."""
    if (problem := printable_problem(value, what)) is not None:
        raise UsageError(problem)
    return value
