"""Settings: defaults < ``asistencia.toml`` in the data dir (or ``--config``) < environment.

Every key can be set in the TOML file by its name (``cooldown_seconds = 90``) or in the
environment as ``ASISTENCIA_<NAME>`` (``ASISTENCIA_COOLDOWN_SECONDS=90``). Three keys keep the
environment names the old server used: ``CENTRAL_DATABASE_URL``, ``AUTO_MIGRATE``, ``DEBUG``.
A bad value raises :class:`SettingsError`, whose lines name the key, where it came from and
what is allowed; ``main.py`` prints them and exits with code 2.

``model`` holds the settings and their rules; ``files`` reads and writes them.
"""

from core.config.files import env_name, keep_password_apart, load_settings, save_settings
from core.config.model import ENV_PREFIX, LEGACY_ENV_NAMES, Settings, SettingsError

__all__ = [
    "ENV_PREFIX",
    "LEGACY_ENV_NAMES",
    "Settings",
    "SettingsError",
    "env_name",
    "keep_password_apart",
    "load_settings",
    "save_settings",
]
