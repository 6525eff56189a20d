"""Settings: defaults < ``asistencia.toml`` in the data dir (or ``--config``) < environment.

Every key can be set in the TOML file by its name (``cooldown_seconds = 90``) or in the
environment as ``ASISTENCIA_<NAME>`` (``ASISTENCIA_COOLDOWN_SECONDS=90``). Three keys keep the
environment names the old server used: ``CENTRAL_DATABASE_URL``, ``AUTO_MIGRATE``, ``DEBUG``.
A bad value raises :class:`SettingsError`, whose lines name the key, where it came from and
what is allowed; ``main.py`` prints them and exits with code 2.
"""

from __future__ import annotations

import contextvars
import ipaddress
import os
import re
import socket
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from core.host.bounded_read import SETTINGS, FileRefusedError, read_bounded_text
from core.people.identifiers import KIOSK_ID, KIOSK_NAME, printable_problem
from core.reports.pay_period import start_day_problem
from core.secrets.redact import mask_secrets, url_credentials_problem
from core.secrets.secrets_file import (
    SecretsError,
    read_secrets,
    save_central_password,
    secrets_path,
    split_password,
    with_password,
)

ENV_PREFIX = "ASISTENCIA_"
# Environment names kept from the old server, without the prefix.
LEGACY_ENV_NAMES = {
    "central_database_url": "CENTRAL_DATABASE_URL",
    "auto_migrate": "AUTO_MIGRATE",
    "debug": "DEBUG",
}

# The settings file's values while Settings is built from them (read once, by _read_toml).
_toml_values: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "toml", default=None
)


class SettingsError(Exception):
    """Bad settings; ``lines`` are one human-readable sentence per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _system_timezone() -> str:
    try:
        import tzlocal

        return str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # an unreadable /etc/localtime must not stop the kiosk
        return "UTC"


def _legacy(name: str) -> AliasChoices:
    return AliasChoices(name, ENV_PREFIX + name.upper(), LEGACY_ENV_NAMES[name])


class Settings(BaseSettings):
    """All user-facing settings. Field descriptions are shown by ``doctor`` and the README."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        validate_default=True,
        populate_by_name=True,
    )

    # --- the kiosk ---
    kiosk_id: str = Field(
        default_factory=socket.gethostname,
        min_length=1,
        max_length=64,
        description="Identifies this kiosk in every record it makes",
    )
    kiosk_name: str = Field("Entrada principal", min_length=1, max_length=80)
    timezone: str = Field(
        default_factory=_system_timezone, description="IANA zone, e.g. Europe/Madrid"
    )
    language: Literal["auto", "es", "en"] = "auto"
    fullscreen: bool = False
    cursor: Literal["auto", "shown", "hidden"] = Field(
        "auto", description="the mouse cursor over the window; auto hides it on a touch screen"
    )
    sounds: bool = True
    onscreen_keyboard: Literal["auto", "on", "off"] = Field(
        "auto",
        description="a keyboard on the screen for the administrator's text fields; "
        "auto shows it on a touch screen",
    )

    # --- attendance rules ---
    cooldown_seconds: int = Field(60, ge=0, le=86_400)
    early_checkin_minutes: int = Field(180, ge=0, le=720)
    late_checkout_minutes: int = Field(360, ge=0, le=1_440)
    # What a face or a PIN records (core.attendance.rules, rule 3). "shift" by default:
    # most punches are what the shift and the last record say (in in the morning, out in
    # the evening), so nobody at a busy door taps anything, and a wrong guess (a break, a
    # late exit) is one tap away on the card. "ask" shows In / Out / Break start / Break
    # end every time; "toggle" alternates in and out as older kiosks did.
    punch_mode: Literal["toggle", "ask", "shift"] = "shift"

    # --- reports ---
    pay_period: Literal["monthly", "semimonthly", "weekly"] = Field(
        "monthly", description="what Export offers as this and the previous period"
    )
    pay_period_start_day: int = Field(
        1,
        ge=1,
        le=28,
        description="the day of the month the period starts (26: the 26th to the 25th); "
        "weekly: the weekday, 1 = Monday to 7 = Sunday",
    )

    # --- camera ---
    camera: str = Field(
        "0", min_length=1, description="device index, video file, URL or image folder"
    )
    camera_width: int = Field(640, ge=160, le=3840)
    camera_height: int = Field(480, ge=120, le=2160)
    camera_loop: bool = Field(
        False, description="a video file or image folder starts again when it ends (demos, soaks)"
    )

    # --- recognition ---
    model_name: str = Field("Dlib", min_length=1)
    detector: str = Field("mediapipe", min_length=1)
    match_threshold: float | None = Field(
        None, gt=0.0, lt=2.0, description="cosine distance; empty = the model's calibrated value"
    )
    frames_to_agree: int = Field(3, ge=1, le=30)
    # both: a blink stops a still photo or screen, passive (FasNet) a replayed video; each
    # alone lets the other attack through (README "Passive liveness: the numbers")
    liveness: Literal["off", "blink", "passive", "both"] = "both"
    passive_threshold: float | None = Field(
        None,
        gt=0.0,
        lt=1.0,
        description="passive liveness: a face scoring under this is a spoof; "
        "empty = the calibrated value",
    )
    min_face_px: int = Field(80, ge=24, le=1000)

    # --- administrators ---
    lockout_attempts: int = Field(5, ge=1, le=100)
    lockout_base_seconds: int = Field(60, ge=1, le=86_400)

    # --- central database and the server side ---
    central_database_url: SecretStr | None = Field(
        None, validation_alias=_legacy("central_database_url")
    )
    auto_migrate: bool = Field(True, validation_alias=_legacy("auto_migrate"))
    debug: bool = Field(False, validation_alias=_legacy("debug"))
    sync_interval_seconds: int = Field(60, ge=5, le=86_400)
    sync_batch_size: int = Field(500, ge=1, le=10_000)
    biometric_retention_days: int | None = Field(
        None, ge=1, le=3650, description="erase faces of people deactivated this long ago"
    )
    health_host: str = "127.0.0.1"
    health_port: int = Field(8000, ge=0, le=65_535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        # Python's True is the number 1, so `cooldown_seconds = true` used to mean 1 s.
        if isinstance(value, bool) and info.field_name in _NUMERIC_FIELDS:
            raise ValueError("must be a number, not true or false")
        return value

    @field_validator("kiosk_id", "kiosk_name")
    @classmethod
    def _printable(cls, value: str, info: ValidationInfo) -> str:
        # Shown on screens and reports, sent to every kiosk: core/people/identifiers.py says why.
        what = KIOSK_ID if info.field_name == "kiosk_id" else KIOSK_NAME
        if (problem := printable_problem(value, what)) is not None:
            raise ValueError(str(problem))
        if info.field_name == "kiosk_id" and ("'" in value or "\\" in value):
            # `central create-kiosk-role` registers it and refuses these (core/sync/roles.py).
            raise ValueError("a kiosk id has no quotes or backslashes")
        return value

    @field_validator("health_host")
    @classmethod
    def _host_address(cls, value: str) -> str:
        # The syntax only: whether a name resolves is found when /health binds to it.
        host = value.strip()
        if host in {"", "localhost"}:
            return host
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
        labels = host.rstrip(".").split(".")
        if (
            len(host) > 253
            or all(label.isdigit() for label in labels)  # 999.1.1.1: no address, no name
            or not all(_HOST_LABEL.fullmatch(label) for label in labels)
        ):
            raise ValueError(
                "must be an IP address of this machine (127.0.0.1, 0.0.0.0 for every "
                "interface, ::1) or a host name"
            )
        return host

    @field_validator("pay_period_start_day")
    @classmethod
    def _start_day_of_the_period(cls, value: int, info: ValidationInfo) -> int:
        problem = start_day_problem(info.data.get("pay_period", "monthly"), value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as Europe/Madrid or UTC") from exc
        return value

    @field_validator("central_database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value().strip()
        if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL: postgresql://user:password@host:5432/db")
        if (problem := url_credentials_problem(url)) is not None:
            # Refused here, not at the first connection: misread, the password's tail would
            # be a host name that the driver's error, the log and /health then quote.
            raise ValueError(problem)
        return SecretStr(url)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 (pydantic passes it by name)
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_values = _toml_values.get()
        if toml_values is not None:
            sources.append(InitSettingsSource(settings_cls, init_kwargs=toml_values))
        return tuple(sources)

    # --- derived values ---
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def central_configured(self) -> bool:
        return self.central_database_url is not None

    def central_url(self) -> str | None:
        return (
            None
            if self.central_database_url is None
            else self.central_database_url.get_secret_value()
        )

    def effective(self) -> dict[str, Any]:
        """Every setting with its current value, secrets masked (for doctor and logs)."""
        values = self.model_dump()
        url = self.central_url()
        values["central_database_url"] = None if url is None else mask_secrets(url)
        return values


# Every int or float setting (optional ones too): booleans are refused for them.
_NUMERIC_FIELDS = frozenset(
    name
    for name, info in Settings.model_fields.items()
    if info.annotation in (int, float)
    or set(getattr(info.annotation, "__args__", ())) & {int, float}
)
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")  # "_": container names


def env_name(key: str) -> str:
    return LEGACY_ENV_NAMES.get(key, ENV_PREFIX + key.upper())


def _explain(error: Mapping[str, Any], toml_path: Path | None) -> str:
    key = str(error["loc"][0]) if error.get("loc") else "?"
    field = next((name for name, alias in LEGACY_ENV_NAMES.items() if key in (alias, name)), key)
    field = field.lower().removeprefix(ENV_PREFIX.lower())
    if error.get("type") == "extra_forbidden":
        where = toml_path.name if toml_path else "settings"
        known = ", ".join(sorted(Settings.model_fields))
        return f"unknown setting '{key}' in {where}; known settings: {known}"
    env = env_name(field)
    if env in os.environ or env.lower() in {k.lower() for k in os.environ}:
        origin = f"environment variable {env}"
    elif toml_path is not None:
        origin = f"'{field}' in {toml_path}"
    else:
        origin = f"setting '{field}'"
    value = error.get("input")
    shown = "***" if "url" in field or "password" in field else repr(value)
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    allowed = _allowed(field)
    return f"invalid {origin} = {shown}: {message}" + (f" (allowed: {allowed})" if allowed else "")


def _allowed(field: str) -> str:
    """What a field accepts, in words, from its type and bounds."""
    info = Settings.model_fields.get(field)
    if info is None:
        return ""
    annotation = info.annotation
    choices = getattr(annotation, "__args__", None)
    if getattr(annotation, "__origin__", None) is Literal and choices:
        return " | ".join(str(c) for c in choices)
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    kind = {int: "a whole number", float: "a number", bool: "true or false"}.get(
        annotation if isinstance(annotation, type) else type(None), ""
    )
    if kind and low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    return kind


def _read_toml(path: Path) -> dict[str, Any]:
    """The settings file's values, read once, with a bound (core/host/bounded_read.py): a pipe,
    a device or a huge file named by --config is refused, not read."""
    try:
        return tomllib.loads(read_bounded_text(path, SETTINGS))
    except FileRefusedError as exc:
        raise SettingsError([str(exc)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"cannot read settings file {path}: {exc}"]) from exc


@contextmanager
def _toml_source(values: dict[str, Any] | None) -> Iterator[None]:
    token = _toml_values.set(values)
    try:
        yield
    finally:
        _toml_values.reset(token)


def _secrets_file(settings_file: Path | None, secrets_file: Path | None) -> Path | None:
    if secrets_file is not None:
        return secrets_file
    return None if settings_file is None else secrets_path(settings_file.parent)


def _with_kept_password(settings: Settings, secrets_file: Path | None) -> Settings:
    """Put the central database's password, kept in the secrets file, back into its URL."""
    url = settings.central_url()
    if url is None or secrets_file is None or not secrets_file.exists():
        return settings
    try:
        password = read_secrets(secrets_file).central_password
    except SecretsError as exc:
        raise SettingsError([str(exc)]) from None
    full = with_password(url, password)
    if full == url:
        return settings
    return settings.model_copy(update={"central_database_url": SecretStr(full)})


def load_settings(
    settings_file: Path | None, *, secrets_file: Path | None = None, **overrides: Any
) -> Settings:
    """Build the effective settings; raises SettingsError naming every bad key.

    The central database's password comes from the secrets file (next to the settings file
    unless ``secrets_file`` says otherwise) when the URL in the settings has none."""
    values = None
    if settings_file is not None and settings_file.exists():
        values = _read_toml(settings_file)  # a syntax error gets its own clear message
    try:
        with _toml_source(values):
            settings = Settings(**overrides)
    except ValidationError as exc:
        lines = [_explain(err, settings_file) for err in exc.errors()]
        raise SettingsError(lines) from None
    return _with_kept_password(settings, _secrets_file(settings_file, secrets_file))


def keep_password_apart(settings_file: Path, secrets_file: Path | None = None) -> bool:
    """Move a central database password found in the TOML file (written there by versions
    before the secrets file) into the secrets file; True when one was moved."""
    if not settings_file.is_file():
        return False
    current = _read_toml(settings_file)
    url = current.get("central_database_url")
    if not isinstance(url, str) or split_password(url)[1] is None:
        return False
    save_settings(settings_file, {"central_database_url": url}, secrets_file=secrets_file)
    return True


def save_settings(
    settings_file: Path, changes: Mapping[str, Any], *, secrets_file: Path | None = None
) -> Settings:
    """Merge ``changes`` into the TOML file atomically after validating the result.

    ``None`` removes a key (back to its default). Environment variables still win over the
    file, as at start-up, so the returned settings are what the program will use. A central
    database URL's password goes to the secrets file (0600), never into the TOML file.
    """
    current = _read_toml(settings_file) if settings_file.exists() else {}
    password_change: tuple[bool, str | None] = (False, None)
    for key, given in changes.items():
        if key not in Settings.model_fields:
            raise SettingsError([f"unknown setting '{key}'"])
        value = given.get_secret_value() if isinstance(given, SecretStr) else given
        if key == "central_database_url":
            url, password = split_password(value) if value else (None, None)
            password_change = (True, password)
            value = url
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    try:
        with _toml_source(None):
            Settings(**current)
    except ValidationError as exc:
        raise SettingsError([_explain(err, settings_file) for err in exc.errors()]) from None
    secrets_at = _secrets_file(settings_file, secrets_file)
    if password_change[0] and secrets_at is not None:
        try:
            save_central_password(secrets_at, password_change[1])
        except (OSError, SecretsError) as exc:
            raise SettingsError([f"cannot keep the password in {secrets_at}: {exc}"]) from None
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    partial = settings_file.with_suffix(settings_file.suffix + ".part")
    # 0600 whatever the umask (fchmod: a leftover .part keeps its mode through O_TRUNC),
    # then renamed over the old file: the settings are never readable by others, not even
    # for a moment, and a crash leaves the old file or the new one, never half.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as handle:
        tomli_w.dump(current, handle)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(settings_file)
    return load_settings(settings_file, secrets_file=secrets_file)
