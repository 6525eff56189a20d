"""Password and PIN hashing (argon2id) and the lockout that stops guessing.

After ``attempts`` consecutive failures an account (or an employee's PIN) locks; each new
lock lasts twice the previous one (base, 2×base, 4×base … capped at a day). A success resets
the counter and the level. While locked, every attempt is refused, the right secret too, so
guessing gains nothing. An administrator's sign-in still verifies the password while locked
(and ignores the result), so a locked account answers like any other refusal, in words and
in time (core/people/users.py). A PIN lock need not: the PIN pad's answers name the employee code
anyway ("no employee with code …"), since codes are printed on badges, not secrets.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile (64 MiB, t=3).
_HASHER = PasswordHasher()


# Verified against when a user does not exist, so that refusal
# costs the same one argon2 verification as a wrong password and time does not tell which
# user names exist. Made once with _HASHER's parameters; verifying costs what the hash's own
# parameters say, so a constant is as slow as a fresh hash, and start-up pays nothing. Were
# argon2-cffi's defaults ever to change, the constant would no longer match them: then one
# is made here, at import, never lazily inside the first refusal, which it would slow.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$0hHBDdxNbbD35FdFIvYR5Q$"
    "ZCIzEals0lWGV5wY8haVGuekoDDZgHcAWy9792LmPF0"
)
if _HASHER.check_needs_rehash(_DUMMY_HASH):
    _DUMMY_HASH = _HASHER.hash("asistencia-dummy-password")


MIN_PASSWORD_LENGTH = 10
# With the pepper (core/secrets/keys.py) a stolen hash cannot be guessed offline, and online guesses
# meet the lockout; longer PINs (up to 12) are for sites that want them anyway.
PIN_LENGTHS = range(4, 13)
MIN_PIN, MAX_PIN = PIN_LENGTHS.start, PIN_LENGTHS.stop - 1


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """True when ``secret`` matches; False for a mismatch, a missing or a corrupt hash."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def password_problem(password: str) -> str | None:
    """Why a new administrator password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password needs at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "the password cannot start or end with spaces"
    if len(set(password)) < 4:
        return "the password is too repetitive"
    return None


def pin_problem(pin: str) -> str | None:
    """Why a new PIN is not acceptable, or None."""
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        return f"the PIN must be {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits"
    if len(set(pin)) == 1:
        return "the PIN cannot be one digit repeated"
    return None


def generate_password(length: int = 16) -> str:
    """A random password without look-alike characters, to be read off a terminal once."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int = 5
    base: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(days=1)

    def duration(self, level: int) -> timedelta:
        # Capped exponent: a timedelta overflows long before 2**30 minutes.
        return min(self.base * (1 << min(max(level - 1, 0), 20)), self.longest)


@dataclass(frozen=True)
class LockState:
    failed_attempts: int = 0
    lockout_level: int = 0
    locked_until: datetime | None = None

    def remaining(self, now: datetime) -> timedelta | None:
        """Time left on a lock, or None when not locked."""
        if self.locked_until is None or now >= self.locked_until:
            return None
        return self.locked_until - now

    def after_failure(self, policy: LockoutPolicy, now: datetime) -> LockState:
        failed = self.failed_attempts + 1
        if failed < policy.attempts:
            return replace(self, failed_attempts=failed)
        level = self.lockout_level + 1
        return LockState(
            failed_attempts=0, lockout_level=level, locked_until=now + policy.duration(level)
        )

    def after_success(self) -> LockState:
        return LockState()


def describe_wait(delta: timedelta) -> str:
    """'45 s', '3 min', '2 h 5 min' — for 'try again in …' messages."""
    seconds = max(int(delta.total_seconds() + 0.999), 1)
    if seconds < 60:
        return f"{seconds} s"
    minutes = (seconds + 59) // 60
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
