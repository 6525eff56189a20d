"""Setting a kiosk up without a terminal: the pieces the first-run assistant and the plain
settings pages share, with no Qt.

- time zones: the list to choose from and the system's own;
- settings changed from the window, written to the audit log (the TOML file has no history);
- whether anyone is enrolled (the empty kiosk says what to do);
- recognition presets ("Strict / Normal / Lenient"), each a named threshold and frame count;
- the central database's address composed from plain fields, percent-encoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from zoneinfo import available_timezones

from sqlalchemy import select

from core.errors import UsageError
from core.host.redact import mask_secrets
from core.i18n import Message
from core.recognition.config import DEFAULT_THRESHOLDS
from core.store import audit
from core.store.database import Store
from core.store.models import Employee, FaceTemplate

# --- time zones ----------------------------------------------------------------------------

# Aliases kept by the tz database for old systems: offered, they would double the list with
# names nobody looks for ("posix/Europe/Madrid", "Etc/GMT+5" whose sign is backwards).
_HIDDEN_PREFIXES = ("posix/", "right/", "Etc/", "SystemV/", "US/", "Canada/", "Mexico/")
_HIDDEN_NAMES = frozenset({"localtime", "Factory", "posixrules", "GMT0", "GMT+0", "GMT-0"})


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones a person chooses from, sorted; UTC is kept."""
    names = {
        name
        for name in available_timezones()
        if not name.startswith(_HIDDEN_PREFIXES) and name not in _HIDDEN_NAMES
    }
    return tuple(sorted(names | {"UTC"}))


def system_zone() -> str:
    """This computer's zone, or UTC when it cannot be read."""
    try:
        import tzlocal

        return str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # an unreadable /etc/localtime is not a reason to stop
        return "UTC"


def matching_zones(text: str, names: tuple[str, ...] | None = None) -> list[str]:
    """The zones whose name holds every typed word ("madrid", "america bue"), ignoring case,
    spaces typed for the underscores."""
    words = text.lower().replace("_", " ").split()
    return [
        name
        for name in (names if names is not None else zone_names())
        if all(word in name.lower().replace("_", " ") for word in words)
    ]


# --- the audit log for settings and closing ------------------------------------------------


def record_settings_change(
    store: Store, actor: str, kiosk_id: str, changes: Mapping[str, Any]
) -> None:
    """Write a settings change made from the window to the audit log (the file keeps none)."""
    shown = {
        key: mask_secrets(value) if isinstance(value, str) and "url" in key else value
        for key, value in changes.items()
    }
    with store.write() as session:
        audit.record(
            session,
            actor=actor,
            action="settings.change",
            target_type="kiosk",
            target_id=kiosk_id,
            details=shown,
            kiosk_id=kiosk_id,
        )


def record_kiosk_closed(store: Store, actor: str, kiosk_id: str, reason: str) -> None:
    """Write that an administrator closed the program here, and why: nobody can record
    attendance at this door until it starts again."""
    with store.write() as session:
        audit.record(
            session,
            actor=actor,
            action="kiosk.close",
            target_type="kiosk",
            target_id=kiosk_id,
            reason=reason,
            kiosk_id=kiosk_id,
        )


# --- the empty kiosk -----------------------------------------------------------------------


def anyone_enrolled(store: Store) -> bool:
    """Whether any active employee has a face enrolled (the kiosk can recognise someone)."""
    with store.read() as session:
        found = session.scalar(
            select(FaceTemplate.id)
            .join(Employee, Employee.id == FaceTemplate.employee_id)
            .where(Employee.active.is_(True))
            .limit(1)
        )
    return found is not None


# --- recognition presets ------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    name: str  # strict | normal | lenient
    scale: float  # times the model's calibrated threshold (1.0: the calibrated value itself)
    frames: int  # frames that must agree on the same person


# Strict asks for a closer match over more frames: fewer mistaken matches, more retries.
# Lenient accepts a slightly farther match over fewer frames: quicker, and lookalikes may be
# taken for each other (for Dlib, 1.1 x 0.066 passes the closest impostor pair, 0.0665).
PRESETS = (
    Preset("strict", 0.9, 5),
    Preset("normal", 1.0, 3),
    Preset("lenient", 1.1, 2),
)
PRESET_NAMES = tuple(preset.name for preset in PRESETS)


def preset_values(name: str, model_name: str) -> dict[str, Any]:
    """The settings a preset stands for, for ``model_name``: ``match_threshold`` (None: the
    calibrated value) and ``frames_to_agree``."""
    preset = next((p for p in PRESETS if p.name == name), None)
    if preset is None:
        names = ", ".join(PRESET_NAMES)
        raise UsageError(Message("setup.unknown_preset", name=name, names=names))
    calibrated = DEFAULT_THRESHOLDS.get(model_name)
    if preset.scale == 1.0 or calibrated is None:
        threshold = None
    else:
        threshold = round(calibrated * preset.scale, 3)
    return {"match_threshold": threshold, "frames_to_agree": preset.frames}


def preset_of(model_name: str, match_threshold: float | None, frames_to_agree: int) -> str | None:
    """The preset these values are, or None when they were set by hand ("Custom")."""
    for preset in PRESETS:
        values = preset_values(preset.name, model_name)
        threshold = values["match_threshold"]
        same_threshold = (
            match_threshold is None
            if threshold is None
            else match_threshold is not None and abs(match_threshold - threshold) < 5e-4
        )
        if same_threshold and frames_to_agree == values["frames_to_agree"]:
            return preset.name
    return None


# --- the central database's address ------------------------------------------------------

DEFAULT_PORT = 5432
_PLAIN_QUERY = {"sslmode"}


@dataclass(frozen=True)
class CentralAddress:
    host: str
    port: int = DEFAULT_PORT
    database: str = "asistencia"
    user: str = ""
    password: str = ""
    tls: bool = True  # sslmode=require; off: sslmode=disable


def address_problem(address: CentralAddress) -> Message | None:
    """Why these fields make no address, in words, or None."""
    host = address.host.strip()
    if not host:
        return Message("setup.no_host")
    if any(c.isspace() for c in host) or any(c in host for c in "/?#@"):
        return Message("setup.bad_host")
    if not 1 <= address.port <= 65_535:
        return Message("setup.bad_port")
    if not address.database.strip():
        return Message("setup.no_database")
    if not address.user.strip():
        return Message("setup.no_user")
    return None


def compose_url(address: CentralAddress) -> str:
    """``postgresql://user:password@host:port/database?sslmode=…``, every part percent-encoded
    so that an '@', ':', '/' or '%' in a password or name is read as itself."""
    if problem := address_problem(address):
        raise UsageError(problem)
    host = address.host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    user = quote(address.user.strip(), safe="")
    credentials = f"{user}:{quote(address.password, safe='')}" if address.password else user
    database = quote(address.database.strip(), safe="")
    mode = "require" if address.tls else "disable"
    return f"postgresql://{credentials}@{host}:{address.port}/{database}?sslmode={mode}"


def url_password(url: str | None) -> str:
    """The password an address holds ("" when none), decoded."""
    try:
        return unquote(urlsplit(url).password or "") if url else ""
    except ValueError:
        return ""


def parse_url(url: str) -> CentralAddress | None:
    """The plain fields of an address (the password left out), or None when the address
    holds more than they can say (several hosts, a certificate, other options): then it is
    edited under Advanced."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORT
    except ValueError:
        return None
    if parts.scheme not in ("postgresql", "postgresql+psycopg", "postgres") or not parts.hostname:
        return None
    query = dict(parse_qsl(parts.query))
    if set(query) - _PLAIN_QUERY or query.get("sslmode", "require") not in ("require", "disable"):
        return None
    if "," in parts.netloc:
        return None
    return CentralAddress(
        host=parts.hostname,
        port=port,
        database=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
        tls=query.get("sslmode", "require") == "require",
    )


__all__ = [
    "PRESETS",
    "PRESET_NAMES",
    "CentralAddress",
    "Preset",
    "address_problem",
    "anyone_enrolled",
    "compose_url",
    "matching_zones",
    "parse_url",
    "preset_of",
    "preset_values",
    "record_settings_change",
    "system_zone",
    "url_password",
    "zone_names",
]
