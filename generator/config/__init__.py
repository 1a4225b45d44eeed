"""Settings: `[tool.docs2models]` in pyproject.toml, overridden by CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_type_hints

from generator.config.paths import home_expanded, unusable
from generator.model.schema import Nullability, WireNames
from generator.model.target import Formatter, Target, UnknownKeys
from generator.untrusted import InputError, read_toml

CONFIG_TABLE = ("tool", "docs2models")


class ConfigError(ValueError):
    """The configuration file is invalid: each problem names the file and key."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class SettingsError(ValueError):
    """A setting (from the configuration file or a flag) cannot be used; the message says
    which and why."""


def setting(
    default: Any, help: str, *, path: str = "", flag: str = "", renders: bool = False
) -> Any:
    """A setting of `Config`: its TOML key is its name, its flag `--name` (or `flag`), and
    `help` is what `--help` says. `path`: "dir" or "file" for a path; `renders`: a flag of
    the commands that render code only."""
    metadata = {"help": help, "path": path, "flag": flag, "renders": renders}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Config:
    specs: Path = setting(Path("specs"), "Directory of Markdown model docs.", path="dir")
    output: Path = setting(
        Path("output"), "Directory that receives the generated package.", path="dir"
    )
    package: str = setting("models", "Name of the generated Python package.")
    formatter: Formatter = setting(Formatter.BLACK, "Code formatter.", renders=True)
    nullability: Nullability = setting(
        Nullability.AUTO,
        "For required List/Dict/date fields, whose docs cannot show a nullable wrapper: auto "
        "(default) decides from how often the docs mark the other required fields nullable; "
        "lenient: they accept null; strict: follow the docs literally.",
    )
    templates: Path | None = setting(
        None, "Directory of templates that override built-in ones.", path="dir"
    )
    target: Target = setting(
        Target.PYDANTIC,
        "pydantic (default): pydantic v2 models; dataclasses: standard library only.",
        renders=True,
    )
    overrides: Path | None = setting(
        None,
        "TOML file of facts the docs cannot carry (wire names, nullability, ...).",
        path="file",
    )
    jobs: int = setting(
        0, "Processes for parsing and formatting [default, and the most: one per CPU]."
    )
    cache_dir: Path | None = setting(
        None,
        "Cache of parsed docs and formatted modules [default: $XDG_CACHE_HOME/docs2models]; "
        "deleting it is always safe.",
        path="dir",
    )
    cache: bool = setting(
        True,
        "Neither read nor write the cache: parse, render and format everything.",
        flag="--no-cache",
    )
    strict: bool = setting(
        False, "Every warning is an error: a gate for docs that must lose nothing."
    )
    wire_names: WireNames = setting(
        WireNames.AUTO,
        "The JSON key an object built in Python writes where the docs show none: auto "
        "(default) follows the convention the docs' examples and descriptions show; camel or "
        "snake impose one; as-documented writes the documented attribute.",
    )
    unknown_keys: UnknownKeys = setting(
        UnknownKeys.KEEP,
        "Payload keys that feed no field: keep (default) stores them and writes them back; "
        "ignore drops them; forbid makes them a validation error.",
        renders=True,
    )
    distribution: bool = setting(
        False,
        "Also write OUTPUT/pyproject.toml, so that `pip install OUTPUT` installs the package "
        "with what it needs.",
        renders=True,
    )
    package_version: str = setting(
        "0.1.0",
        "The version OUTPUT/pyproject.toml gives the package (with --distribution): a PEP 440 "
        "version in its normal form (1.0, not 01.0 or v1.0).",
        renders=True,
    )

    def __post_init__(self) -> None:
        # `~` is the home folder in flags and in the settings file alike: expanded once, here,
        # so that every stage reads and writes the same path.
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Path):
                object.__setattr__(self, item.name, home_expanded(value))

    def with_flags(self, **flags: Any) -> Config:
        """This config with every flag that was given (not None) replacing its setting."""
        return replace(self, **{k: v for k, v in flags.items() if v is not None})

    def unusable_paths(
        self,
        *others: tuple[str, Path],
        reads_specs: bool = False,
        renders: bool = False,
        unchecked: frozenset[str] = frozenset(),
    ) -> list[str]:
        """`path: error: ...` for every path setting but those `unchecked` (their values were
        unusable), and every (what, path) of `others`, that the system refuses to look at (a
        name or a path longer than it allows, a loop of links, a folder on the way that
        cannot be searched) or that is of the wrong kind (a file where a folder is expected,
        a special file where a file is, or below a file); and missing inputs: with
        `reads_specs`, the specs folder and the overrides file, with `renders`, the
        templates folder. Each would stop the run wherever it is first used; here they are
        all said, before anything is read."""
        inputs = ["specs", "overrides"] * reads_specs + ["templates"] * renders
        found = []
        for setting in (s for s in SETTINGS if s.path and s.name not in unchecked):
            path = getattr(self, setting.name)
            if path is None:
                continue
            problem = unusable(_described(setting), path, setting.path)
            if problem is None and setting.name in inputs and not os.path.lexists(path):
                problem = f"docs2models: error: {_missing(setting, path)}"
            found.append(problem)
        found += [unusable(what, path) for what, path in others]
        return [problem for problem in found if problem]


def missing_specs(specs: Path) -> str:
    return _missing(_BY_NAME["specs"], specs)


def _missing(setting: Setting, path: Path) -> str:
    where = f"set {setting.option}, or `{setting.name}` in [tool.docs2models]"
    return f"{_described(setting).removeprefix('the ')} {path} not found ({where})"


@dataclass(frozen=True)
class Setting:
    """One field of `Config`, as the command line and the TOML table read it."""

    name: str
    kind: type  # Path, str, int, bool or an Enum
    help: str
    path: str
    flag: str
    renders: bool

    @property
    def is_enum(self) -> bool:
        return issubclass(self.kind, Enum)

    @property
    def option(self) -> str:
        """Its command-line flag."""
        return self.flag or "--" + self.name.replace("_", "-")


def _settings() -> tuple[Setting, ...]:
    hints = get_type_hints(Config)
    found = []
    for item in fields(Config):
        kind = hints[item.name]
        kind = next((t for t in get_args(kind) if t is not type(None)), kind)
        found.append(
            Setting(
                item.name,
                kind,
                item.metadata["help"],
                item.metadata["path"],
                item.metadata["flag"],
                item.metadata["renders"],
            )
        )
    return tuple(found)


SETTINGS = _settings()
_BY_NAME = {s.name: s for s in SETTINGS}
# What a TOML value of each kind of setting must be, as the error message says it.
_EXPECTED = {int: "a number of processes (0: one per CPU)", bool: "true or false"}


def load_config(path: Path | None, required: bool = False) -> Config:
    """Read the config table of `path` (default ./pyproject.toml); paths are relative to its
    folder. ConfigError with every problem of the table, one `path: error: ...` a line."""
    config, problems, _ = read_config(path, required)
    if problems:
        raise ConfigError(*problems)
    return config


def read_config(
    path: Path | None, required: bool = False
) -> tuple[Config, list[str], frozenset[str]]:
    """The config table of `path` as `load_config` reads it: the settings of its usable
    values (the others left at their defaults), each problem of the others, and their keys.
    ConfigError where the file itself cannot be read as a settings table."""
    file = home_expanded(path or Path("pyproject.toml"))
    if not required and not os.path.lexists(file):
        return Config(), [], frozenset()
    if (unusable_file := unusable("the settings file", file, "file")) is not None:
        raise ConfigError(unusable_file)
    try:
        _, data = read_toml(file, "the settings file")
    except InputError as problem:
        raise ConfigError(problem.at(file)) from None
    table = _config_table(file, data)
    values: dict[str, Any] = {}
    problems: list[str] = []
    base = file.resolve().parent
    for key, value in table.items():
        try:
            if key not in _BY_NAME:
                raise ConfigError(
                    f"{file}: error: unknown key {key!r} in [tool.docs2models] (known: "
                    f"{', '.join(sorted(_BY_NAME))})"
                )
            values[key] = _toml_value(file, base, _BY_NAME[key], value)
        except ConfigError as problem:
            problems.extend(problem.problems)
    return replace(Config(), **values), problems, frozenset(table) - set(values)


def _config_table(file: Path, data: dict[str, Any]) -> dict[str, Any]:
    """[tool.docs2models] of the settings file ({} when it has none); ConfigError when it,
    or [tool] above it, is not a table (`docs2models = []` sets nothing that was meant)."""
    table: Any = data
    for depth, key in enumerate(CONFIG_TABLE, start=1):
        table = table.get(key, {})
        if not isinstance(table, dict):
            where = "[" + ".".join(CONFIG_TABLE[:depth]) + "]"
            raise ConfigError(
                f"{file}: error: {where} must be a table, not {_toml_kind(table)}: write "
                f"`[{'.'.join(CONFIG_TABLE)}]` on a line of its own, its settings below it "
                "as `key = value`"
            )
    return dict(table)


def _toml_kind(value: Any) -> str:
    """What a TOML value is, as a message says it."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def _toml_value(file: Path, base: Path, setting: Setting, value: Any) -> Any:
    """A setting's value from the TOML table, checked against its kind."""
    key = setting.name
    if setting.kind in (int, bool):
        if type(value) is not setting.kind or (isinstance(value, int) and value < 0):
            raise ConfigError(
                f"{file}: error: [tool.docs2models] {key} must be {_EXPECTED[setting.kind]}"
            )
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{file}: error: [tool.docs2models] {key} must be a string")
    if setting.path:
        if not value.strip():  # it would be the settings file's folder, unseen
            raise ConfigError(
                f'{file}: error: [tool.docs2models] {key} is empty: write a path ("." for '
                "the folder of this file), or leave the key out"
            )
        path = home_expanded(Path(value))
        return path if str(path).startswith("~") else base / path  # see `unusable`
    if setting.is_enum:
        try:
            return setting.kind(value)
        except ValueError:
            choices = ", ".join(m.value for m in setting.kind)  # type: ignore[attr-defined]
            raise ConfigError(f"{file}: error: {key} = {value!r} is not one of {choices}") from None
    return value


def _described(setting: Setting) -> str:
    """`the specs directory`, `the overrides file`, `the cache directory`, `OUTPUT`."""
    if setting.name == "output":
        return "OUTPUT"
    kind = "file" if setting.path == "file" else "directory"
    return f"the {setting.name.removesuffix('_dir')} {kind}"
