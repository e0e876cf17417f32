"""Settings: one table of defaults and help text in ``config/settings.toml``, typed here.

Precedence, lowest first: the table's defaults, a TOML file (``--config``), environment
variables ``TYNDAU_<NAME>``, command-line flags. A bad value stops start-up with one line that
names the setting.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "TYNDAU_"


class SettingsError(ValueError):
    """A setting has a bad value; the message names it."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One row of the settings table."""

    name: str
    type: str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved, validated settings of one process."""

    data_dir: Path
    database_url: str
    host: str
    port: int
    public_url: str
    warning_ratio: float
    client_manager: str
    redis_url: str
    redis_prefix: str
    role: str
    lease_check_seconds: float
    session_days: int
    cookie_secure: bool
    max_body_bytes: int
    sqlite_synchronous: str
    heartbeat_seconds: float
    log_level: str
    default_language: str
    webhook_secret: str
    flood_messages: int
    flood_window_seconds: float
    meta_verify_token: str
    meta_app_secret: str
    telegram_webhook_secret: str
    taxonomy_file: str
    departments_file: str
    nlp_enabled: bool
    model_cache_dir: str
    nlp_config: str
    login_max_failures: int
    login_lockout_seconds: float
    login_ip_max_failures: int
    login_ip_window_seconds: float
    revalidate_seconds: float

    @property
    def effective_model_cache(self) -> Path:
        """The model cache directory: as set, else one per user and machine (``$XDG_CACHE_HOME/tyndau/models``).

        Shared by every data directory, so the model is exported and the examples fitted once per machine.
        """
        if self.model_cache_dir:
            return Path(self.model_cache_dir).expanduser()
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tyndau" / "models"

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tyndau.sqlite3').resolve()}"

    @property
    def effective_public_url(self) -> str:
        """Where users reach the server."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some values changed (validated again)."""
        raw = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        raw.update(changes)
        return _build(load_table(), raw)


def load_table() -> dict[str, SettingSpec]:
    """Read the settings table shipped in ``config/settings.toml``."""
    text = resources.files("tyndau.config").joinpath("settings.toml").read_text("utf-8")
    table = tomllib.loads(text)
    specs: dict[str, SettingSpec] = {}
    for name, row in table.items():
        specs[name] = SettingSpec(
            name=name,
            type=row["type"],
            default=row["default"],
            help=row["help"],
            min=row.get("min"),
            max=row.get("max"),
            choices=tuple(row.get("choices", ())),
        )
    return specs


def load_settings(
    *,
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve settings from the table, a file, the environment and explicit overrides."""
    specs = load_table()
    raw: dict[str, Any] = {name: spec.default for name, spec in specs.items()}
    if config_file is not None:
        raw.update(_read_file(config_file, specs))
    for name in specs:
        value = (env or {}).get(ENV_PREFIX + name.upper())
        if value is not None and value != "":
            raw[name] = value
    for name, value in (overrides or {}).items():
        if name not in specs:
            raise SettingsError(f"unknown setting {name!r}")
        if value is not None:
            raw[name] = value
    return _build(specs, raw)


def _read_file(path: Path, specs: Mapping[str, SettingSpec]) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"config file {path} cannot be read: {exc}") from None
    unknown = sorted(set(data) - set(specs))
    if unknown:
        raise SettingsError(f"config file {path}: unknown setting {unknown[0]!r}")
    return data


def _build(specs: Mapping[str, SettingSpec], raw: Mapping[str, Any]) -> Settings:
    values = {name: _coerce(specs[name], raw[name]) for name in specs}
    return Settings(**values)


def _coerce(spec: SettingSpec, value: Any) -> Any:
    def bad(why: str) -> SettingsError:
        return SettingsError(f"setting {spec.name}: {why} (got {value!r}); {spec.help}")

    if spec.type == "str":
        return str(value)
    if spec.type == "path":
        if not str(value).strip():
            raise bad("must be a path")
        return Path(str(value)).expanduser()
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise bad("must be true or false")
    if spec.type == "choice":
        text = str(value)
        matches = [c for c in spec.choices if c.lower() == text.lower()]
        if not matches:
            raise bad(f"must be one of {', '.join(spec.choices)}")
        return matches[0]
    if spec.type in ("int", "float"):
        try:
            if isinstance(value, bool):
                raise ValueError
            number: float = int(value) if spec.type == "int" else float(value)
        except (TypeError, ValueError):
            raise bad(f"must be {'a whole number' if spec.type == 'int' else 'a number'}") from None
        if spec.min is not None and number < spec.min:
            raise bad(f"must be at least {spec.min:g}")
        if spec.max is not None and number > spec.max:
            raise bad(f"must be at most {spec.max:g}")
        return number
    raise SettingsError(f"setting {spec.name}: unknown type {spec.type!r} in the settings table")
