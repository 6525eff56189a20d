"""What the headless server checks in a kiosk's change before it applies it: each value
within its domain (the same rules as the settings screens and the command line), and the
scope of the change (a kiosk of one site changes only its site's rows, judged on the row as
stored centrally as well as on the row it sends).

Each check returns a sentence for ``central status`` / ``central review``, or None.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from argon2.exceptions import InvalidHashError
from sqlalchemy import Connection, select

from core.attendance.history import weekdays_from_mask
from core.attendance.shifts import ShiftInput, check_shift
from core.errors import UsageError
from core.secrets.keys import PEPPERED_PREFIX
from core.secrets.passwords import needs_rehash
from core.store.tables import EMPLOYEES, SHIFT_ASSIGNMENTS
from core.sync.site_admin import is_member

# A template holds one embedding; the largest model shipped has 512 dimensions.
MAX_TEMPLATE_DIM = 4096
TEMPLATE_SOURCES = frozenset({"photo", "camera"})


def _refused(check: Any, *args: Any) -> str | None:
    try:
        check(*args)
    except UsageError as exc:
        return str(exc)
    return None


def pin_hash_problem(stored: str | None) -> str | None:
    """A PIN hash must carry the pepper and the deployment's argon2id parameters: a weaker
    hash would make the PIN cheap to guess from a dump, a stronger one slow every kiosk."""
    if stored is None:
        return None
    if not stored.startswith(PEPPERED_PREFIX):
        return "the PIN hash was not made with the deployment's pepper"
    try:
        if needs_rehash(stored.removeprefix(PEPPERED_PREFIX)):
            return "the PIN hash was not made with the deployment's argon2id parameters"
    except (InvalidHashError, ValueError):
        return "the PIN hash is not an argon2id hash"
    return None


def shift_problem(values: dict[str, Any]) -> str | None:
    mask = values["weekdays"]
    if not isinstance(mask, int) or not 0 < mask < 1 << 7:
        return f"weekdays {mask!r} is not a set of days (1 to 127)"
    data = ShiftInput(
        name=values["name"],
        start=values["start_time"],
        end=values["end_time"],
        weekdays=weekdays_from_mask(mask),
        grace_in=values["grace_in_minutes"],
        grace_out=values["grace_out_minutes"],
        active=values["active"],
    )
    return _refused(check_shift, data)


def employee_problem(values: dict[str, Any]) -> str | None:
    from core.people.employees import normalise_code, normalise_name

    code, name = values["code"], values["name"]
    if (problem := _refused(normalise_code, code)) is not None:
        return problem
    if normalise_code(code) != code:
        return f"employee code {code!r} is not in its stored form"
    return _refused(normalise_name, name)


def template_problem(values: dict[str, Any]) -> str | None:
    dim, quality = values["dim"], values["quality"]
    if not isinstance(dim, int) or not 0 < dim <= MAX_TEMPLATE_DIM:
        return f"a template of {dim!r} dimensions"
    if not isinstance(quality, int | float) or not (
        math.isfinite(quality) and 0.0 <= quality <= 1.0
    ):
        return f"a template quality of {quality!r} is outside 0..1"
    if values["source"] not in TEMPLATE_SOURCES:
        return f"unknown template source {values['source']!r}"
    return None


def assignment_problem(values: dict[str, Any]) -> str | None:
    start, end = values["valid_from"], values["valid_to"]
    if start is not None and end is not None and start > end:
        return "the assignment ends before it starts"
    return None


def assignment_elsewhere(
    connection: Connection, site_id: uuid.UUID, assignment_id: uuid.UUID
) -> str | None:
    """The stored assignment with this id belongs to someone outside the site (a kiosk may
    send its own employee's id with another site's assignment id)."""
    stored = connection.scalar(
        select(SHIFT_ASSIGNMENTS.c.employee_id).where(SHIFT_ASSIGNMENTS.c.id == assignment_id)
    )
    if stored is None or is_member(connection, site_id, stored):
        return None
    return "the assignment belongs to someone of another site: a kiosk changes only its own"


def shared_beyond_site(
    connection: Connection, site_id: uuid.UUID, shift_id: uuid.UUID
) -> str | None:
    """A shift assigned to anyone outside the site is shared: its change waits for an
    administrator (``central review``), since it changes other sites' payroll."""
    people = connection.execute(
        select(EMPLOYEES.c.code, SHIFT_ASSIGNMENTS.c.employee_id)
        .join(EMPLOYEES, EMPLOYEES.c.id == SHIFT_ASSIGNMENTS.c.employee_id)
        .where(SHIFT_ASSIGNMENTS.c.shift_id == shift_id)
    ).all()
    outside = sorted(code for code, person in people if not is_member(connection, site_id, person))
    if not outside:
        return None
    shown = ", ".join(outside[:5]) + (" …" if len(outside) > 5 else "")
    return (
        f"the shift is shared with other sites ({len(outside)} people: {shown}); "
        "an administrator decides with `central review`"
    )
