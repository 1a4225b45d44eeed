"""Python identifiers from doc names: valid, non-shadowing, deterministic."""

from __future__ import annotations

import builtins
import keyword
import re

# Attributes and methods of pydantic's BaseModel (v1 and v2 API) that a field must not shadow.
MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "fields",
        "registry",
    }
)
# Names the generated modules use in annotations at class scope.
TYPING_NAMES = frozenset(
    {
        "Any",
        "Dict",
        "List",
        "Literal",
        "Optional",
        "Union",
        "ClassVar",
        "date",
        "datetime",
        "Decimal",
        "Enum",
        "Field",
        "BaseModel",
        "ConfigDict",
        "TypeAliasType",
        "annotations",
        "GeneratedModel",
        "ApiError",
        "OpenStrEnum",
        "OpenIntEnum",
        "Response",
        "Request",
        "Unvalidated",
        "Annotated",
        "IO",
        "io",
        "EventStream",
    }
)
BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
ENUM_RESERVED = frozenset({"name", "value", "mro"})
_INVALID = re.compile(r"[^0-9A-Za-z_]+")


def to_identifier(text: str, fallback: str) -> str:
    """Replace what cannot be in an identifier; never starts with a digit or is empty."""
    name = _INVALID.sub("_", text)
    if not name or not name.strip("_"):
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def field_attribute(doc_name: str, reserved: frozenset[str]) -> str:
    """The attribute for a field row: the doc name unless Python or pydantic forbid it."""
    name = to_identifier(doc_name, "field")
    # pydantic treats leading-underscore names as private attributes, not fields.
    name = name.lstrip("_") or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    while (
        keyword.iskeyword(name)
        or name in MODEL_ATTRIBUTES
        or name in reserved
        or name in TYPING_NAMES
    ):
        name += "_"
    return name


def wire_name(doc_name: str) -> str:
    """Speakeasy documents `from`/`filter`/`date` as `from_`/`filter_`/`date_`: the wire name drops the `_`."""
    stem = doc_name[:-1]
    if (
        doc_name.endswith("_")
        and stem
        and not stem.endswith("_")
        and (
            keyword.iskeyword(stem)
            or stem in BUILTIN_NAMES
            or stem in TYPING_NAMES
            or stem in MODEL_ATTRIBUTES
        )
    ):
        return stem
    return doc_name


def enum_member_name(text: str) -> str:
    name = to_identifier(text, "VALUE")
    if name.startswith("_"):
        name = "VALUE" + name
    if keyword.iskeyword(name) or name in ENUM_RESERVED:
        name += "_"
    return name


def derived_member_name(value: str | int) -> str:
    """An UPPER_SNAKE member name for an enum documented by values only (bullet lists)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(value))
    name = _INVALID.sub("_", text).strip("_").upper()
    if not name:
        return "EMPTY"
    if name[0].isdigit() or name[0] == "-":
        name = "VALUE_" + name
    return enum_member_name(name)


def dedupe(names: list[str]) -> list[str]:
    """Make names unique in order: later duplicates get `_2`, `_3`, ..."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, counter = name, 2
        while candidate in seen:
            candidate = f"{name}_{counter}"
            counter += 1
        seen.add(candidate)
        out.append(candidate)
    return out
