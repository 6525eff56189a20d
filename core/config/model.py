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
import re
import socket
from collections.abc import Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from core.host.redact import mask_secrets, url_credentials_problem
from core.i18n import Message
from core.people.identifiers import KIOSK_ID, KIOSK_NAME, printable_problem
from core.reports.pay_period import start_day_problem

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
    """Bad settings: one sentence per problem, ``messages`` to say in any language
    (core/i18n/settings.py), ``lines`` the same in English. A plain string is taken as it
    is (a test's)."""

    def __init__(self, lines: Sequence[Message | str]) -> None:
        self.messages = [
            line if isinstance(line, Message) else Message("error.plain", text=line)
            for line in lines
        ]
        self.lines = [str(message) for message in self.messages]
        super().__init__("\n".join(self.lines))


class RuleError(ValueError):
    """A settings rule refused a value (raised inside a validator: pydantic keeps it in the
    error's context, core/config/files.py says its ``message``)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def _system_timezone() -> str:
    try:
        import tzlocal

        return str(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # an unreadable /etc/localtime must not stop the kiosk
        return "UTC"


def _legacy(name: str) -> AliasChoices:
    return AliasChoices(name, ENV_PREFIX + name.upper(), LEGACY_ENV_NAMES[name])


class Settings(BaseSettings):
    """All user-facing settings. Field descriptions are shown by ``doctor``;
    docs/install/configuration.md lists them all."""

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
    # alone lets the other attack through (docs/develop/numbers.md, "Passive liveness")
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
    # the headless server's web console: HOST:PORT, empty = off (docs/administer/console.md)
    console_listen: str = "127.0.0.1:8090"
    console_idle_minutes: int = Field(15, ge=1, le=24 * 60)
    console_session_hours: int = Field(12, ge=1, le=7 * 24)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        # Python's True is the number 1, so `cooldown_seconds = true` used to mean 1 s.
        if isinstance(value, bool) and info.field_name in _NUMERIC_FIELDS:
            raise RuleError(Message("settings.not_true_or_false"))
        return value

    @field_validator("kiosk_id", "kiosk_name")
    @classmethod
    def _printable(cls, value: str, info: ValidationInfo) -> str:
        # Shown on screens and reports, sent to every kiosk: core/people/identifiers.py says why.
        what = KIOSK_ID if info.field_name == "kiosk_id" else KIOSK_NAME
        if (problem := printable_problem(value, what)) is not None:
            raise RuleError(problem)
        if info.field_name == "kiosk_id" and ("'" in value or "\\" in value):
            # `central create-kiosk-role` registers it and refuses these (core/sync/roles.py).
            raise RuleError(Message("settings.kiosk_id_quotes"))
        return value

    @field_validator("health_host")
    @classmethod
    def _host_address(cls, value: str) -> str:
        return host_address(value)

    @field_validator("console_listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        listen = value.strip()
        if not listen:
            return ""
        host, colon, port = listen.rpartition(":")
        host = host.removeprefix("[").removesuffix("]")  # [::1]:8090
        if not colon or not port.isdigit() or not 0 <= int(port) <= 65_535:
            raise RuleError(Message("settings.bad_listen"))
        host = host_address(host) or "127.0.0.1"
        return f"[{host}]:{int(port)}" if ":" in host else f"{host}:{int(port)}"

    @field_validator("pay_period_start_day")
    @classmethod
    def _start_day_of_the_period(cls, value: int, info: ValidationInfo) -> int:
        problem = start_day_problem(info.data.get("pay_period", "monthly"), value)
        if problem is not None:
            raise RuleError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RuleError(Message("settings.bad_zone")) from exc
        return value

    @field_validator("central_database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value().strip()
        if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise RuleError(Message("settings.not_postgres_url"))
        if (problem := url_credentials_problem(url)) is not None:
            # Refused here, not at the first connection: misread, the password's tail would
            # be a host name that the driver's error, the log and /health then quote.
            raise RuleError(problem)
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


def host_address(value: str) -> str:
    """A host to listen on, checked for its syntax only: whether a name resolves is found
    when the server binds to it."""
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
        raise RuleError(Message("settings.bad_host"))
    return host


# Every int or float setting (optional ones too): booleans are refused for them.
_NUMERIC_FIELDS = frozenset(
    name
    for name, info in Settings.model_fields.items()
    if info.annotation in (int, float)
    or set(getattr(info.annotation, "__args__", ())) & {int, float}
)
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")  # "_": container names
