"""The first administrator: whether the kiosk still waits for one (the first-run assistant),
claiming the seed's generated account, and the one-time file holding its password."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exists, select

from core.errors import RefusedError, UsageError
from core.people.first_password import first_password_user
from core.people.users import SignedIn, username_problem
from core.secrets.passwords import (
    hash_secret,
    password_problem,
)
from core.store import audit
from core.store.database import Store
from core.store.models import AttendanceEvent, FaceTemplate, Role, User

log = logging.getLogger(__name__)


def _unclaimed(user: User) -> bool:
    """A generated administrator nobody has signed in as: the seed's, waiting for its owner."""
    return user.must_change_password and user.last_login_at is None


def first_run_pending(store: Store) -> bool:
    """True while no administrator has been set up by a person: every administrator account
    is the seed's generated one, never signed in (with ASISTENCIA_ADMIN_PASSWORD, or once
    anyone has signed in or been added, the kiosk is set up), and the kiosk is not in use
    yet. A kiosk that already has faces enrolled or records made (enrolled from the command
    line, or upgraded from a version without the assistant) keeps working at the door: the
    assistant would pause recognition until someone finished it."""
    with store.read() as session:
        admins = session.scalars(select(User).join(Role).where(Role.name == "admin")).all()
        if not all(_unclaimed(user) for user in admins):
            return False
        in_use = session.scalar(select(exists().where(FaceTemplate.id.is_not(None)))) or (
            session.scalar(select(exists().where(AttendanceEvent.id.is_not(None))))
        )
        return not in_use


def claim_first_admin(
    store: Store,
    username: str,
    password: str,
    kiosk_id: str = "",
    *,
    first_password: Path | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """The first-run assistant's administrator: the seed's generated account becomes the
    person's own (their user name, their password), signed in.

    The generated account is renamed rather than a second one added, so the kiosk has one
    administrator, not a spare whose password sits in a file. Refused once the kiosk is set
    up (someone finished the assistant, or signed in, meanwhile): the assistant can never
    take over an administrator a person already owns.
    """
    username = username.strip()
    if problem := username_problem(username):
        raise UsageError(problem)
    if problem := password_problem(password):
        raise UsageError(problem)
    password_hash = hash_secret(password)
    now = now or datetime.now(UTC)
    with store.write() as session:
        admin_role = session.scalar(select(Role).where(Role.name == "admin"))
        if admin_role is None:
            raise RefusedError("the database has no administrator role; run `main.py seed`")
        admins = session.scalars(
            select(User).where(User.role_id == admin_role.id).order_by(User.created_at)
        ).all()
        if not all(_unclaimed(user) for user in admins):
            raise RefusedError("this kiosk already has an administrator; sign in with that account")
        clash = session.scalar(select(User).where(User.username == username))
        if clash is not None and clash not in admins:
            raise RefusedError(f"user '{username}' already exists")
        user = clash if clash is not None else (admins[0] if admins else None)
        was = user.username if user is not None else None
        if user is None:
            user = User(username=username, role_id=admin_role.id)
            session.add(user)
        user.username = username
        user.display_name = username
        user.password_hash = password_hash
        user.active = True
        user.must_change_password = False
        user.failed_attempts, user.lockout_level, user.locked_until = 0, 0, None
        user.last_login_at = now
        for spare in admins:  # a second generated account (never made by the seed) goes
            if spare is not user:
                spare.active = False
        session.flush()
        audit.record(
            session,
            actor=f"user:{username}",
            action="user.first_admin",
            target_type="user",
            target_id=username,
            details={"role": "admin", "was": was, "via": "first-run assistant"},
            kiosk_id=kiosk_id,
        )
        signed = SignedIn(user.id, username, "admin", False)
    if first_password is not None and first_password_user(first_password) == was:
        first_password.unlink(missing_ok=True)  # the generated password is spent
    return signed
