"""Settings: `[tool.docs2models]` in pyproject.toml, overridden by CLI flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from generator.format import Formatter
from generator.schema import Nullability, WireNames
from generator.target import Target, UnknownKeys

CONFIG_TABLE = ("tool", "docs2models")


class ConfigError(ValueError):
    """The configuration file is invalid; the message names the file and key."""


class SettingsError(ValueError):
    """A setting (from the configuration file or a flag) cannot be used; the message says
    which and why."""


@dataclass(frozen=True)
class Config:
    specs: Path = Path("specs")
    output: Path = Path("output")
    package: str = "models"
    formatter: Formatter = Formatter.BLACK
    nullability: Nullability = Nullability.AUTO
    templates: Path | None = None
    target: Target = Target.PYDANTIC
    overrides: Path | None = None
    jobs: int = 0  # formatting and parsing processes; 0: one per CPU
    cache_dir: Path | None = None  # None: $XDG_CACHE_HOME/docs2models
    cache: bool = True
    strict: bool = False  # every warning is an error
    wire_names: WireNames = WireNames.AUTO
    unknown_keys: UnknownKeys = UnknownKeys.KEEP

    def with_flags(self, **flags: Any) -> Config:
        """This config with every flag that was given (not None) replacing its setting."""
        return replace(self, **{k: v for k, v in flags.items() if v is not None})


_PATH_KEYS = {"specs", "output", "templates", "overrides", "cache_dir"}
_TYPED_KEYS: dict[str, tuple[type, str]] = {
    "jobs": (int, "a number of processes (0: one per CPU)"),
    "cache": (bool, "true or false"),
    "strict": (bool, "true or false"),
}
# The settings whose values are one of an enum's: from TOML and from flags alike.
ENUM_SETTINGS: dict[str, Any] = {
    "formatter": Formatter,
    "nullability": Nullability,
    "target": Target,
    "wire_names": WireNames,
    "unknown_keys": UnknownKeys,
}


def load_config(path: Path | None, required: bool = False) -> Config:
    """Read the config table of `path` (default ./pyproject.toml); paths are relative to its folder."""
    file = path or Path("pyproject.toml")
    if not file.is_file():
        if required:
            raise ConfigError(f"{file}: error: config file not found")
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{file}: error: cannot read TOML: {exc}") from exc
    table: Any = data
    for key in CONFIG_TABLE:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    base = file.resolve().parent
    for key, value in table.items():
        if key not in known:
            raise ConfigError(
                f"{file}: error: unknown key {key!r} in [tool.docs2models] (known: {', '.join(sorted(known))})"
            )
        if key in _TYPED_KEYS:
            kind, expected = _TYPED_KEYS[key]
            if type(value) is not kind or (isinstance(value, int) and value < 0):
                raise ConfigError(f"{file}: error: [tool.docs2models] {key} must be {expected}")
            values[key] = value
            continue
        if not isinstance(value, str):
            raise ConfigError(f"{file}: error: [tool.docs2models] {key} must be a string")
        if key in _PATH_KEYS:
            values[key] = base / value
        elif key in ENUM_SETTINGS:
            try:
                values[key] = ENUM_SETTINGS[key](value)
            except ValueError:
                choices = ", ".join(m.value for m in ENUM_SETTINGS[key])
                raise ConfigError(
                    f"{file}: error: {key} = {value!r} is not one of {choices}"
                ) from None
        else:
            values[key] = value
    return replace(Config(), **values)
