"""Reading the overrides file into typed settings, each with the file:line it came from.

["shared.Candidate"]
rename = "Applicant"
["api.JobResponse.job_id"]
wire_name = "jobId"
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model.diagnostics import Diagnostics
from generator.model.docs import DocLocation, LiteralValue
from generator.untrusted import InputError, load_toml, read_toml

CLASS_SETTINGS: dict[str, tuple[type, ...]] = {"rename": (str,), "error": (bool,), "open": (bool,)}
FIELD_SETTINGS: dict[str, tuple[type, ...]] = {
    "wire_name": (str,),
    "nullable": (bool,),
    "required": (bool,),
    "default": (str, int, float, bool),
}


@dataclass(frozen=True)
class ClassOverride:
    """The settings of one class; None: not set."""

    namespace: str
    cls: str
    location: DocLocation
    rename: str | None = None
    error: bool | None = None
    open: bool | None = None


@dataclass(frozen=True)
class FieldOverride:
    """The settings of one field of a class; None: not set."""

    namespace: str
    cls: str
    field: str
    location: DocLocation
    wire_name: str | None = None
    nullable: bool | None = None
    required: bool | None = None
    has_default: bool = False
    default: LiteralValue = None
    default_location: DocLocation | None = None  # the line of `default = ...`


Override = ClassOverride | FieldOverride


# What each setting takes, and a value it may take, for the messages.
_TAKES = {
    "rename": ("a string", '"NewName"'),
    "error": ("true or false", "true"),
    "open": ("true or false", "true"),
    "wire_name": ("a string", '"jobId"'),
    "nullable": ("true or false", "true"),
    "required": ("true or false", "true"),
    "default": ("a finite number, a string or true or false", "100"),
}


def _sets_nothing(parts: list[str], written: str) -> str:
    """Why an empty table (`written` on its line) is an error, and what its place takes:
    `error = {}` was meant to make an error class, and silence would lose that."""
    key = parts[-1]
    shown = f'["{".".join(parts)}"]' if written.lstrip().startswith("[") else f"`{key} = {{}}`"
    owner = {3: CLASS_SETTINGS, 4: FIELD_SETTINGS}.get(len(parts), {})
    if key in owner:
        takes, example = _TAKES[key]
        return f"{shown} sets nothing: {key} takes {takes} (`{key} = {example}`)"
    if len(parts) == 2:
        return f"{shown} sets nothing (a class takes {', '.join(sorted(CLASS_SETTINGS))})"
    if len(parts) == 3:
        return f"{shown} sets nothing (a field takes {', '.join(sorted(FIELD_SETTINGS))})"
    return (
        f'{shown} sets nothing (settings go under ["namespace.Class"] or '
        '["namespace.Class.field"])'
    )


def _table_lines(text: str) -> dict[str, int]:
    """Line of every table header and `key =` line, keyed by dotted path."""
    lines: dict[str, int] = {}
    current = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            try:
                parsed = load_toml(stripped + "\n")
            except InputError:
                continue
            current = ".".join(_first_path(parsed))
            lines.setdefault(current, number)
        elif "=" in stripped and not stripped.startswith("#"):
            key = stripped.split("=", 1)[0].strip().strip("\"'")
            lines.setdefault(f"{current}.{key}" if current else key, number)
    return lines


def _first_path(table: dict[str, Any]) -> list[str]:
    path: list[str] = []
    node: Any = table
    while isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        path.extend(key.split("."))
        node = node[key]
    return path


def _flatten(table: dict[str, Any], prefix: list[str]) -> list[tuple[list[str], dict[str, Any]]]:
    """(target path, settings) for every table that holds settings, and for every empty
    one (a table that only holds tables is a path to them)."""
    settings = {k: v for k, v in table.items() if not isinstance(v, dict)}
    found = [(prefix, settings)] if settings or (prefix and not table) else []
    for key, value in table.items():
        if isinstance(value, dict):
            found.extend(_flatten(value, prefix + key.split(".")))
    return found


def load_overrides(path: Path, diagnostics: Diagnostics) -> tuple[Override, ...]:
    shown = str(path)
    try:
        text, data = read_toml(path, "the overrides file")
    except InputError as problem:
        diagnostics.error(DocLocation(shown, problem.line), problem.reason)
        return ()
    lines = _table_lines(text)
    overrides: list[Override] = []
    for parts, settings in _flatten(data, []):
        target = ".".join(parts)
        location = DocLocation(shown, lines.get(target, 1))
        if not settings:
            written = text.split("\n")[location.line - 1]
            diagnostics.error(location, _sets_nothing(parts, written))
            continue
        if not parts:
            keys = ", ".join(f"`{key}`" for key in settings)
            diagnostics.error(
                location,
                f"{keys} outside any table: put it under `[namespace.Class]` or "
                "`[namespace.Class.field]`",
            )
            continue
        if len(parts) not in (2, 3):
            diagnostics.error(
                location, f"{target!r} is not `namespace.Class` or `namespace.Class.field`"
            )
            continue
        allowed = CLASS_SETTINGS if len(parts) == 2 else FIELD_SETTINGS
        valid: dict[str, Any] = {}
        for key, value in settings.items():
            where = DocLocation(shown, lines.get(f"{target}.{key}", location.line))
            if key not in allowed:
                kind = "class" if len(parts) == 2 else "field"
                diagnostics.error(
                    where, f"unknown {kind} setting {key!r} (known: {', '.join(sorted(allowed))})"
                )
            elif not isinstance(value, allowed[key]) or (
                isinstance(value, bool) and bool not in allowed[key] and int in allowed[key]
            ):
                names = " or ".join(t.__name__ for t in allowed[key])
                diagnostics.error(where, f"{key} must be a {names}, not {type(value).__name__}")
            elif isinstance(value, float) and not math.isfinite(value):
                diagnostics.error(where, f"{key} must be a finite number, not {value}")
            elif key == "wire_name" and not value:
                diagnostics.error(
                    where,
                    'wire_name must not be empty (no API sends a field under the key ""): '
                    "write the field's JSON key, or leave wire_name out",
                )
            else:
                valid[key] = value
        namespace, cls = parts[0], parts[1]
        if len(parts) == 2:
            overrides.append(ClassOverride(namespace, cls, location, **valid))
        elif (field := _field_override(parts, valid, location, lines, diagnostics)) is not None:
            overrides.append(field)
    return tuple(overrides)


def _field_override(
    parts: list[str],
    valid: dict[str, Any],
    location: DocLocation,
    lines: dict[str, int],
    diagnostics: Diagnostics,
) -> FieldOverride | None:
    """A field's settings; None (said) where they contradict each other."""
    target = ".".join(parts)
    if "default" in valid and valid.get("required") is True:
        diagnostics.error(
            DocLocation(location.path, lines.get(f"{target}.required", location.line)),
            "required = true and a default contradict each other (a field with a default is "
            "optional): remove one of them",
        )
        return None
    if "default" in valid:
        valid["has_default"] = True
        valid["default_location"] = DocLocation(
            location.path, lines.get(f"{target}.default", location.line)
        )
    return FieldOverride(parts[0], parts[1], parts[2], location, **valid)
