"""The settings file and the environment: reading them into ``Settings`` (a bad value is a
``SettingsError`` whose lines say which key, where it came from and what is allowed), and
writing the file back with the central database's password kept apart in the secrets file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import (
    SecretStr,
    ValidationError,
)

from core.config.model import (
    ENV_PREFIX,
    LEGACY_ENV_NAMES,
    Settings,
    SettingsError,
    _toml_values,
)
from core.host.bounded_read import SETTINGS, FileRefusedError, read_bounded_text
from core.host.paths import secrets_path
from core.secrets.secrets_file import (
    SecretsError,
    read_secrets,
    save_central_password,
    split_password,
    with_password,
)


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
