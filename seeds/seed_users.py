"""The first administrator.

Its password comes from ``ASISTENCIA_ADMIN_PASSWORD`` or is random, shown once and marked to
be changed at first login. There is no default password that stays valid. Once any
administrator exists nothing is touched, so running the seed again changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import UsageError
from core.secrets.passwords import generate_password, hash_secret, password_problem
from core.store import audit
from core.store.models import Role, User

ADMIN_PASSWORD_ENV = "ASISTENCIA_ADMIN_PASSWORD"  # noqa: S105 (a variable name, not a password)
FIRST_ADMIN = "admin"


@dataclass(frozen=True)
class SeededAdmin:
    username: str
    generated_password: str | None  # to be shown once; None when it came from the environment


def seed_users(session: Session, kiosk_id: str = "") -> SeededAdmin | None:
    admin_role = session.scalar(select(Role).where(Role.name == "admin"))
    if admin_role is None:
        raise RuntimeError("seed_roles must run before seed_users")
    if session.scalar(select(User.id).where(User.role_id == admin_role.id).limit(1)) is not None:
        return None
    chosen = os.environ.get(ADMIN_PASSWORD_ENV) or None
    if chosen is not None and (problem := password_problem(chosen)):
        raise UsageError(f"{ADMIN_PASSWORD_ENV}: {problem}")
    password = chosen or generate_password()
    session.add(
        User(
            username=FIRST_ADMIN,
            display_name="Administrator",
            password_hash=hash_secret(password),
            role_id=admin_role.id,
            must_change_password=chosen is None,
        )
    )
    audit.record(
        session,
        actor="system:seed",
        action="user.create",
        target_type="user",
        target_id=FIRST_ADMIN,
        details={"role": "admin", "password_from": "environment" if chosen else "generated"},
        kiosk_id=kiosk_id,
    )
    session.flush()
    return SeededAdmin(FIRST_ADMIN, None if chosen else password)
