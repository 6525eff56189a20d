"""A sign-in answer never tells whether a user name exists (issue 11, item 6).

A locked real account used to answer "too many failed attempts" in 2 ms, an unknown name
"wrong user name or password" in ~120 ms, and the first unknown name in a process ~280 ms
(the dummy hash was made then). Now every refusal is the same sentence after the same one
argon2 verification; timings are compared as medians of interleaved attempts, with a
generous factor, since the machine is shared.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from core.context import AppContext
from core.errors import RefusedError
from core.people.users import SIGN_IN_REFUSED
from core.store.models import AuditEntry
from tests.support.keys import ADMIN_PASSWORD
from tests.support.paths import ROOT

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ROUNDS = 7
FACTOR = 0.5  # each median at least half of every other one


def _refusal(attempt: Callable[[], object]) -> tuple[float, str]:
    started = time.perf_counter()
    with pytest.raises(RefusedError) as caught:
        attempt()
    return time.perf_counter() - started, str(caught.value)


def _lock(ctx: AppContext, username: str, now: datetime) -> list[str]:
    messages = []
    for attempt in range(ctx.settings.lockout_attempts):
        at = now + timedelta(seconds=attempt)
        _, message = _refusal(partial(ctx.auth().sign_in, username, "a-wrong-guess", now=at))
        messages.append(message)
    return messages


def test_unknown_locked_and_wrong_answer_alike_in_words_and_time(ctx: AppContext) -> None:
    auth = ctx.auth()
    auth.add_user("cli:test", "clerk", "clerk-password-1", "admin")
    locking = _lock(ctx, "admin", T0)
    # Even the attempt that locks the account says nothing a stranger's name would not.
    assert set(locking) == {SIGN_IN_REFUSED}
    during = T0 + timedelta(seconds=30)  # the first lock lasts a minute
    with pytest.raises(RefusedError) as still_locked:
        auth.sign_in("admin", ADMIN_PASSWORD, now=during)  # right, but locked: refused
    timings: dict[str, list[float]] = {"locked": [], "unknown": [], "wrong": []}
    messages: dict[str, set[str]] = {name: set() for name in timings}
    attempts: dict[str, Callable[[], object]] = {
        "locked": lambda: auth.sign_in("admin", "a-guess-password", now=during),
        "unknown": lambda: auth.sign_in("mallory", "a-guess-password", now=during),
        "wrong": lambda: auth.sign_in("clerk", "a-guess-password", now=during),
    }
    for _ in range(ROUNDS):
        auth.unlock("cli:test", "clerk")  # so "wrong" stays a wrong password, never a lock
        for name, attempt in attempts.items():  # interleaved: noise hits all three alike
            seconds, message = _refusal(attempt)
            timings[name].append(seconds)
            messages[name].add(message)
    assert messages == {name: {SIGN_IN_REFUSED} for name in timings}
    assert str(still_locked.value) == SIGN_IN_REFUSED
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, median in medians.items():
        for other, other_median in medians.items():
            assert median >= FACTOR * other_median, f"{name} answers faster than {other}: {medians}"

    # The lock still holds and is still audited, with the real reason kept there.
    assert auth.sign_in("admin", ADMIN_PASSWORD, now=T0 + timedelta(minutes=2)).username == "admin"
    with ctx.store.read() as session:
        reasons = [
            str(json.loads(details).get("why", ""))
            for details in session.scalars(
                select(AuditEntry.details).where(
                    AuditEntry.action == "auth.failed", AuditEntry.target_id == "admin"
                )
            )
        ]
    assert sum("now locked for 1 min" in why for why in reasons) == 1
    assert sum("is locked for" in why for why in reasons) == ROUNDS + 1


def test_the_first_unknown_name_in_a_process_costs_no_more_than_the_next() -> None:
    """The dummy hash exists from import on; it is not made inside the first refusal."""
    probe = (
        "import time, statistics\n"
        "from core.secrets.passwords import verify_secret\n"
        "def timed():\n"
        "    started = time.perf_counter()\n"
        "    verify_secret(None, 'a-guess-password')\n"
        "    return time.perf_counter() - started\n"
        "first = timed()\n"
        "print(first, statistics.median(timed() for _ in range(5)))\n"
    )
    firsts, laters = [], []
    for _ in range(3):
        output = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()
        firsts.append(float(output[0]))
        laters.append(float(output[1]))
    # Made lazily, the first cost a hash and a verification: about twice the rest.
    assert statistics.median(firsts) <= 1.5 * statistics.median(laters), (firsts, laters)
