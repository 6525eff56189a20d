"""PINs with the deployment's pepper: long PINs, and hashes from before the pepper."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from core.attendance.outcomes import Recorded
from core.context import AppContext
from core.errors import RefusedError
from core.secrets.keys import PEPPERED_PREFIX
from core.secrets.passwords import hash_secret, pin_problem, verify_secret
from core.store.models import Employee

MONDAY_0858 = datetime(2026, 11, 2, 7, 58, tzinfo=UTC)


def _pin_hash(ctx: AppContext, code: str) -> str | None:
    with ctx.store.read() as session:
        return session.scalar(select(Employee.pin_hash).where(Employee.code == code))


def test_a_twelve_digit_pin_is_peppered_and_opens_the_pad(ctx: AppContext) -> None:
    assert pin_problem("482193750264") is None
    assert pin_problem("4821937502641") is not None  # 13 digits
    ctx.employees().add("cli:test", "E1", "Ana", pin="482193750264")
    stored = _pin_hash(ctx, "E1")
    assert stored is not None and stored.startswith(PEPPERED_PREFIX)
    assert not verify_secret(stored.removeprefix(PEPPERED_PREFIX), "482193750264")
    outcome = ctx.attendance().record_pin("E1", "482193750264", now=MONDAY_0858)
    assert isinstance(outcome, Recorded)


def test_a_hash_from_before_the_pepper_opens_once_and_is_peppered_then(ctx: AppContext) -> None:
    ctx.employees().add("cli:test", "E1", "Ana")
    with ctx.store.write() as session:  # as an older version stored it
        session.execute(
            update(Employee).where(Employee.code == "E1").values(pin_hash=hash_secret("4821"))
        )
    with pytest.raises(RefusedError, match="wrong PIN"):
        ctx.attendance().record_pin("E1", "1111", now=MONDAY_0858)
    assert not (_pin_hash(ctx, "E1") or "").startswith(PEPPERED_PREFIX)
    assert isinstance(ctx.attendance().record_pin("E1", "4821", now=MONDAY_0858), Recorded)
    upgraded = _pin_hash(ctx, "E1")
    assert upgraded is not None and upgraded.startswith(PEPPERED_PREFIX)
    with ctx.store.read() as session:
        pending = session.scalar(select(Employee.sync_pending).where(Employee.code == "E1"))
    assert pending  # the peppered hash travels to the central database
