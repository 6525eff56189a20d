"""Administrator accounts: sign-in with lockout, password changes, user management."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message
from core.people.first_password import first_password_user
from core.people.identifiers import USERNAME, printable_problem
from core.secrets.passwords import (
    LockoutPolicy,
    LockState,
    describe_wait,
    hash_secret,
    needs_rehash,
    password_problem,
    verify_secret,
)
from core.store import audit
from core.store.database import Store
from core.store.models import Role, User

log = logging.getLogger(__name__)

# The one answer to every refused sign-in. A locked account cannot say so: "locked" would
# tell a guesser that the user name exists, which "wrong user name or password" hides.
# Its English sentence (core/i18n/people.py, "user.sign_in_refused").
SIGN_IN_REFUSED = str(Message("user.sign_in_refused"))


@dataclass(frozen=True)
class SignedIn:
    user_id: uuid.UUID
    username: str
    role: str
    must_change_password: bool

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool


def username_problem(username: str) -> Message | None:
    """Why a new user name is not acceptable, or None."""
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        return Message("user.bad_name")
    return printable_problem(username, USERNAME)


def _active_admins(session: Session) -> int:
    return len(
        session.scalars(
            select(User.id).join(Role).where(Role.name == "admin", User.active.is_(True))
        ).all()
    )


class AuthService:
    def __init__(
        self,
        store: Store,
        policy: LockoutPolicy,
        kiosk_id: str = "",
        *,
        first_password: Path | None = None,
    ) -> None:
        self.first_password = first_password
        self.store = store
        self.policy = policy
        self.kiosk_id = kiosk_id

    def sign_in(self, username: str, password: str, now: datetime | None = None) -> SignedIn:
        """Check a password; raises RefusedError(SIGN_IN_REFUSED) for every refusal.

        An unknown or inactive user, a wrong password and a locked account get the same
        words and cost the same one argon2 verification (a locked account's password is
        checked and the result ignored), so neither words nor timing reveal which user
        names exist. The real reason goes to the audit log and the log file.
        """
        now = now or datetime.now(UTC)
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.username == username.strip()))
            if user is None or not user.active:
                verify_secret(None, password)
                audit.record(
                    session,
                    actor=f"user:{username.strip()[:60]}",
                    action="auth.failed",
                    details={"why": "unknown or inactive user"},
                    kiosk_id=self.kiosk_id,
                )
                outcome: SignedIn | str = "unknown or inactive user"
            else:
                outcome = self._check(user, password, now)
                action = "auth.sign_in" if isinstance(outcome, SignedIn) else "auth.failed"
                audit.record(
                    session,
                    actor=f"user:{user.username}",
                    action=action,
                    target_type="user",
                    target_id=user.username,
                    kiosk_id=self.kiosk_id,
                    details={} if isinstance(outcome, SignedIn) else {"why": outcome},
                )
        if isinstance(outcome, str):
            log.warning("sign-in refused for %r: %s", username[:60], outcome)
            raise RefusedError(Message("user.sign_in_refused"))
        return outcome

    def _check(self, user: User, password: str, now: datetime) -> SignedIn | str:
        """The signed-in user, or why not (for the audit log, never for the screen)."""
        state = LockState(user.failed_attempts, user.lockout_level, user.locked_until)
        # Verified before the lock is looked at, locked or not: the same work either way.
        matched = verify_secret(user.password_hash, password)
        if (remaining := state.remaining(now)) is not None:
            # Not counted: a lock that grew with each attempt would let anyone keep an
            # administrator out for good by guessing. Whether it was right is not said.
            return f"the account is locked for {describe_wait(remaining)} more"
        if not matched:
            state = state.after_failure(self.policy, now)
            user.failed_attempts, user.lockout_level, user.locked_until = (
                state.failed_attempts,
                state.lockout_level,
                state.locked_until,
            )
            if (locked := state.remaining(now)) is not None:
                return f"wrong password; the account is now locked for {describe_wait(locked)}"
            return "wrong password"
        user.failed_attempts, user.lockout_level, user.locked_until = 0, 0, None
        user.last_login_at = now
        if needs_rehash(user.password_hash):
            user.password_hash = hash_secret(password)
        return SignedIn(user.id, user.username, user.role.name, user.must_change_password)

    def _set_password(
        self, actor: str, username: str, new_password: str, *, temporary: bool
    ) -> None:
        """A new password, unlocked; ``temporary`` (an administrator's reset): its owner
        chooses their own at the next sign-in. Audited as a change or a reset."""
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFoundError(Message("user.unknown", username=username))
            user.password_hash = hash_secret(new_password)
            user.must_change_password = temporary
            user.failed_attempts, user.lockout_level, user.locked_until = 0, 0, None
            audit.record(
                session,
                actor=actor,
                action="user.reset_password" if temporary else "user.change_password",
                target_type="user",
                target_id=username,
                kiosk_id=self.kiosk_id,
            )

    def change_password(self, actor: str, username: str, new_password: str) -> None:
        if problem := password_problem(new_password):
            raise UsageError(problem)
        self._set_password(actor, username, new_password, temporary=False)
        if self.first_password is not None and first_password_user(self.first_password) == username:
            self.first_password.unlink(missing_ok=True)  # the one-time password is spent

    def add_user(
        self, actor: str, username: str, password: str, role: str, display_name: str = ""
    ) -> None:
        username = username.strip()
        if problem := username_problem(username):
            raise UsageError(problem)
        if problem := password_problem(password):
            raise UsageError(problem)
        with self.store.write() as session:
            role_row = session.scalar(select(Role).where(Role.name == role))
            if role_row is None:
                names = ", ".join(session.scalars(select(Role.name)))
                raise UsageError(Message("user.unknown_role", role=role, names=names))
            if session.scalar(select(User.id).where(User.username == username)):
                raise RefusedError(Message("user.exists", username=username))
            session.add(
                User(
                    username=username,
                    display_name=display_name or username,
                    password_hash=hash_secret(password),
                    role_id=role_row.id,
                )
            )
            audit.record(
                session,
                actor=actor,
                action="user.create",
                target_type="user",
                target_id=username,
                details={"role": role},
                kiosk_id=self.kiosk_id,
            )

    def unlock(self, actor: str, username: str) -> None:
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFoundError(Message("user.unknown", username=username))
            user.failed_attempts, user.lockout_level, user.locked_until = 0, 0, None
            audit.record(
                session,
                actor=actor,
                action="user.unlock",
                target_type="user",
                target_id=username,
                kiosk_id=self.kiosk_id,
            )

    def set_active(self, actor: str, username: str, active: bool) -> None:
        """Enable or disable an account; nobody disables themselves or the last administrator.

        Both refusals keep the kiosk administrable: a kiosk without an active administrator
        could only be set up again from the command line.
        """
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFoundError(Message("user.unknown", username=username))
            if user.active == active:
                return
            if not active:
                if actor == f"user:{username}":
                    raise RefusedError(Message("user.disable_self"))
                if user.role.name == "admin" and _active_admins(session) <= 1:
                    raise RefusedError(Message("user.last_admin", username=username))
            user.active = active
            audit.record(
                session,
                actor=actor,
                action="user.enable" if active else "user.disable",
                target_type="user",
                target_id=username,
                kiosk_id=self.kiosk_id,
            )

    def reset_password(self, actor: str, username: str, new_password: str) -> None:
        """Another administrator's new password, to be changed by them at their next sign-in;
        a reset also unlocks the account."""
        if problem := password_problem(new_password):
            raise UsageError(problem)
        if actor == f"user:{username}":
            raise RefusedError(Message("user.own_password"))
        self._set_password(actor, username, new_password, temporary=True)

    def accounts(self) -> list[Account]:
        """Every account, for the Administrators page."""
        with self.store.read() as session:
            return [
                Account(
                    u.username,
                    u.display_name,
                    u.role.name,
                    u.active,
                    u.locked_until,
                    u.last_login_at,
                    u.must_change_password,
                )
                for u in session.scalars(select(User).order_by(User.username))
            ]

    def is_active(self, username: str) -> bool:
        """Whether ``username`` may still be signed in (an open session of an account
        disabled since then ends at its next request)."""
        with self.store.read() as session:
            return bool(session.scalar(select(User.active).where(User.username == username)))

    def list_users(self) -> list[tuple[str, str, bool, datetime | None]]:
        with self.store.read() as session:
            return [
                (u.username, u.role.name, u.active, u.locked_until)
                for u in session.scalars(select(User).order_by(User.username))
            ]
