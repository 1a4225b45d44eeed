"""The overrides file: facts the docs cannot carry, keyed by `namespace.Class[.field]`.

    ["shared.Candidate.remote_data"]
    nullable = true
    ["api.JobResponse.job_id"]
    wire_name = "jobId"

Read and type-checked here (with file:line); matched against the docs in the resolve stage.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from generator.diagnostics import Diagnostics
from generator.ir import DocLocation, LiteralValue

CLASS_SETTINGS: dict[str, tuple[type, ...]] = {"rename": (str,), "error": (bool,), "open": (bool,)}
FIELD_SETTINGS: dict[str, tuple[type, ...]] = {
    "wire_name": (str,),
    "nullable": (bool,),
    "required": (bool,),
    "default": (str, int, float, bool),
}


@dataclass(frozen=True)
class Override:
    """Settings for one class (`field` empty) or one field of a class."""

    namespace: str
    cls: str
    field: str
    settings: tuple[tuple[str, LiteralValue], ...]
    location: DocLocation

    def get(self, name: str) -> LiteralValue:
        return dict(self.settings).get(name)

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.settings)


def _table_lines(text: str) -> dict[str, int]:
    """Line of every table header and `key =` line, keyed by dotted path."""
    lines: dict[str, int] = {}
    current = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            try:
                parsed = tomllib.loads(stripped + "\n")
            except tomllib.TOMLDecodeError:
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
    """(target path, settings) for every table that holds settings."""
    settings = {k: v for k, v in table.items() if not isinstance(v, dict)}
    found = [(prefix, settings)] if settings else []
    for key, value in table.items():
        if isinstance(value, dict):
            found.extend(_flatten(value, prefix + key.split(".")))
    return found


def load_overrides(path: Path, diagnostics: Diagnostics) -> tuple[Override, ...]:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        diagnostics.error(DocLocation(shown, 1), f"cannot read the overrides file: {exc.strerror}")
        return ()
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        line = getattr(exc, "lineno", 1) or 1
        diagnostics.error(DocLocation(shown, line), f"the overrides file is not valid TOML: {exc}")
        return ()
    lines = _table_lines(text)
    overrides = []
    for parts, settings in _flatten(data, []):
        target = ".".join(parts)
        location = DocLocation(shown, lines.get(target, 1))
        if len(parts) not in (2, 3):
            diagnostics.error(
                location, f"{target!r} is not `namespace.Class` or `namespace.Class.field`"
            )
            continue
        allowed = CLASS_SETTINGS if len(parts) == 2 else FIELD_SETTINGS
        valid: list[tuple[str, LiteralValue]] = []
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
            else:
                valid.append((key, cast(LiteralValue, value)))
        namespace, cls = parts[0], parts[1]
        field = parts[2] if len(parts) == 3 else ""
        overrides.append(Override(namespace, cls, field, tuple(sorted(valid)), location))
    return tuple(overrides)
