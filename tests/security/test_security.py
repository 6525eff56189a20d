"""Administrator sign-in, lockout, password rules and the audit trail they leave."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.context import AppContext
from core.errors import RefusedError, UsageError
from core.host.redact import mask_secrets
from core.people.users import SIGN_IN_REFUSED
from core.secrets.passwords import (
    LockoutPolicy,
    LockState,
    hash_secret,
    password_problem,
    pin_problem,
    verify_secret,
)
from core.store.models import AuditEntry, User
from tests.support.keys import ADMIN_PASSWORD

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_hashes_are_argon2id_and_salted() -> None:
    first, second = hash_secret("4821"), hash_secret("4821")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_secret(first, "4821") and not verify_secret(first, "4822")
    assert not verify_secret(None, "4821")
    assert not verify_secret("not-a-hash", "4821")


def test_lock_grows_with_each_lockout() -> None:
    policy = LockoutPolicy(attempts=5, base=timedelta(minutes=1))
    state = LockState()
    for _ in range(4):
        state = state.after_failure(policy, T0)
        assert state.remaining(T0) is None
    state = state.after_failure(policy, T0)
    assert state.remaining(T0) == timedelta(minutes=1)
    later = T0 + timedelta(minutes=2)
    for _ in range(5):
        state = state.after_failure(policy, later)
    assert state.remaining(later) == timedelta(minutes=2)
    assert state.after_success() == LockState()


def test_sign_in_locks_after_five_failures_and_audits_everything(ctx: AppContext) -> None:
    auth = ctx.auth()
    ctx.store  # noqa: B018  (opens, migrates and seeds)
    for attempt in range(5):
        with pytest.raises(RefusedError, match="wrong user name or password"):
            auth.sign_in("admin", "not-the-password", now=T0 + timedelta(seconds=attempt))
    # Even the right password is refused while locked, without revealing it was right
    # (nor that the account exists: tests/security/test_sign_in_enumeration.py).
    with pytest.raises(RefusedError, match="locked after too many failed attempts"):
        auth.sign_in("admin", ADMIN_PASSWORD, now=T0 + timedelta(seconds=30))
    signed = auth.sign_in("admin", ADMIN_PASSWORD, now=T0 + timedelta(minutes=2))
    assert signed.role == "admin" and signed.username == "admin"
    with ctx.store.read() as session:
        actions = [
            a
            for (a,) in session.execute(
                select(AuditEntry.action).where(AuditEntry.action.like("auth.%"))
            )
        ]
        user = session.scalar(select(User).where(User.username == "admin"))
    assert actions.count("auth.failed") == 6 and actions.count("auth.sign_in") == 1
    assert user is not None and user.failed_attempts == 0 and user.locked_until is None


def test_unknown_user_gets_the_same_answer(ctx: AppContext) -> None:
    with pytest.raises(RefusedError) as caught:
        ctx.auth().sign_in("mallory", "whatever-password")
    assert str(caught.value) == SIGN_IN_REFUSED


def test_seeded_admin_has_no_default_password(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")
    ctx.store  # noqa: B018
    with ctx.store.read() as session:
        user = session.scalar(select(User).where(User.username == "admin"))
    assert user is not None and user.must_change_password
    for guess in ("admin", "password", "1234", "asistencia", ""):
        assert not verify_secret(user.password_hash, guess)


def test_the_generated_password_is_kept_for_its_owner_only_until_it_is_changed(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal that showed it may be gone (a kiosk started at boot): the one-time
    password is in a 0600 file, and that file goes once the password is changed. What is
    not a terminal (journald, a container's log, a file) gets only where the file is."""
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")
    notices = io.StringIO()
    ctx.notices = notices
    ctx.start_store()
    kept = ctx.paths.first_password
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    lines = kept.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "user: admin"
    password = lines[1].removeprefix("password: ")
    assert password not in notices.getvalue() and str(kept) in notices.getvalue()
    session = ctx.auth().sign_in("admin", password)
    assert session.must_change_password
    ctx.auth().change_password("user:admin", "admin", "a-brand-new-password")
    assert not kept.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("allowed", [True, False])
def test_the_generated_password_is_shown_only_on_a_terminal_and_never_by_the_server(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, allowed: bool
) -> None:
    """Someone at the kiosk's terminal sees it once; the headless server (its console is a
    container's log even with ``docker run -t``) never shows it."""
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")
    notices = _Terminal()
    ctx.notices = notices
    ctx.first_password_on_terminal = allowed
    ctx.start_store()
    kept = ctx.paths.first_password
    password = kept.read_text(encoding="utf-8").splitlines()[1].removeprefix("password: ")
    assert (f"'{password}'" in notices.getvalue()) is allowed
    assert str(kept) in notices.getvalue()


def test_a_password_that_cannot_be_kept_says_how_to_set_one(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASISTENCIA_ADMIN_PASSWORD")
    monkeypatch.setenv("LANGUAGE", "en")  # the notice follows `language = auto`: English here

    def refuse(path: Path, _user: str, _password: str) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("core.context.write_first_password", refuse)
    notices = io.StringIO()
    ctx.notices = notices
    ctx.start_store()
    told = notices.getvalue()
    assert "could not be kept" in told and "Permission denied" in told
    assert "users passwd --username admin" in told
    assert not ctx.paths.first_password.exists()


def test_weak_secrets_are_refused() -> None:
    assert password_problem("short") is not None
    assert password_problem("aaaaaaaaaaaa") is not None
    assert password_problem("a-long-enough-pass") is None
    assert pin_problem("12a4") is not None and pin_problem("1111") is not None
    assert pin_problem("4821") is None


def test_password_change_rules(ctx: AppContext) -> None:
    with pytest.raises(UsageError, match="at least 10"):
        ctx.auth().change_password("user:admin", "admin", "short")


def test_no_log_line_shows_a_database_password() -> None:
    assert (
        mask_secrets("postgresql://kiosk:p@ss:w0rd@db:5432/x failed")
        == "postgresql://kiosk:***@db:5432/x failed"
    )
    assert mask_secrets("host=db password=hunter2 user=k") == "host=db password=*** user=k"
    assert mask_secrets("no secret here") == "no secret here"
