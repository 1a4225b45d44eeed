"""Python identifiers from doc names: valid, non-shadowing, deterministic."""

from __future__ import annotations

import builtins
import functools
import keyword
import re
from typing import NamedTuple, NewType

from generator import runtime

# Names as types: made only here. Titles and renames pass the checks that make them valid
# in generated code; a name a link or type cell gives is only a key to look a class up by.
ClassName = NewType("ClassName", str)
Attribute = NewType("Attribute", str)

# Attributes and methods of pydantic's BaseModel (v1 and v2 API) that a field must not shadow
# (tests/test_hostile_names.py compares them with pydantic's own).
# An error class `Name` is generated with its body model `Name` + DATA_SUFFIX.
DATA_SUFFIX = "Data"

PYDANTIC_MODEL_ATTRIBUTES = frozenset(
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
        # Of the model class's metaclass (an ABC's `register`, every class's `mro`): a field
        # so named shadows it, and pydantic warns of that at import.
        "mro",
        "register",
        # Reserved since the first release, kept so that no generated attribute changes.
        "registry",
        # A class attribute `Config` is read by pydantic as the v1 configuration class.
        "Config",
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
        "Annotated",
        "IO",
        "io",
        # The dataclasses target's class bodies call `dataclasses.field(...)`.
        "dataclasses",
    }
)
# What the running Python's builtins bind: a class may have such a name (`Warning`, `str`),
# and a module that refers to it then names it through an alias (ModuleNames.local_name), so
# that the builtin keeps its meaning there.
BUILTIN_NAMES = frozenset(dir(builtins))
# Names the generated modules import for their annotations (evaluated after the module's
# classes are bound): a class of such a name is imported, or they are, under another name.
HELPER_NAMES = frozenset(
    {
        "Any",
        "Literal",
        "Optional",
        "Union",
        "Annotated",
        "IO",
        "ForwardRef",
        "ClassVar",
        "TypeAlias",
        "TypeAliasType",
        "TYPE_CHECKING",
        "date",
        "datetime",
        "Decimal",
        "Field",
        "ConfigDict",
        "Enum",
        "StrEnum",
        "IntEnum",
    }
)
# Transport types of the runtime: a class may carry such a name (real docs do, e.g. `Response`).
RUNTIME_TRANSPORT_NAMES = frozenset(
    {"Response", "Request", "EventStream", "EventStreamAsync", "Unvalidated"}
)


class Reserved(NamedTuple):
    """The names the runtime defines or uses, read from its source (`generator/runtime/`)."""

    runtime: frozenset[str]  # what the runtime of every target exports: what modules import
    model_attributes: frozenset[str]  # of pydantic's models and the models' base classes
    error_attributes: frozenset[str]  # of exceptions and the runtime's error classes
    typing: frozenset[str]  # what class bodies use in annotations
    helpers: frozenset[str]  # what annotations import, a class of such a name under an alias
    aliases: frozenset[str]  # how a module imports a runtime class it defines a namesake of


@functools.cache
def runtime_reserved() -> Reserved:
    """Read once, on first use: a run with nothing to do never reads the runtime's source."""
    models = runtime.MODELS_MODULES
    names = frozenset.intersection(*(frozenset(runtime.exported_names(m)) for m in models))
    errors = [runtime.class_attributes("errors", "ApiError")]
    errors += [runtime.class_attributes(module, "GeneratedError") for module in models]
    bases = [runtime.class_attributes(module, "GeneratedModel") for module in models]
    return Reserved(
        names,
        PYDANTIC_MODEL_ATTRIBUTES | {n for base in bases for n in base if not n.startswith("_")},
        frozenset(n for e in [dir(BaseException), *errors] for n in e if not n.startswith("_")),
        TYPING_NAMES | names,
        HELPER_NAMES | (names - RUNTIME_TRANSPORT_NAMES),
        frozenset(transport_alias(name) for name in names),
    )


# The prefixes of the aliases of those names and of builtins (`_typing_Optional`,
# `_builtins_list`), which no class may take.
HELPER_ALIAS_PREFIXES = (
    "_typing_",
    "_datetime_",
    "_decimal_",
    "_pydantic_",
    "_typing_extensions_",
    "_enum_",
    "_builtins_",
)
# Primitive annotations: a field with a default and one of these names replaces the type.
PRIMITIVE_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes"})


def transport_alias(name: str) -> str:
    """How a module that has a class named like a runtime transport class imports the latter."""
    return f"_Runtime{name}"


# Globals of a generated namespace module, which caches every class it loads in its globals.
NAMESPACE_GLOBALS = frozenset(
    {"TYPE_CHECKING", "annotations", "_MODULES", "_load_class", "_namespace"}
)
# Globals of every generated module that refers to other classes (the runtime's linker).
MODULE_GLOBALS = frozenset({"_linking"})
ENUM_RESERVED = frozenset({"name", "value", "mro"})
_INVALID = re.compile(r"[^0-9A-Za-z_]+")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
INVALID_CLASS_NAME = (
    "is not a valid class name (use letters, digits and '_', not starting with a digit)"
)


class InvalidName(ValueError):
    """A name that cannot be one in generated code; the message says why."""


def is_identifier(name: str) -> bool:
    """An ASCII Python identifier that is not a keyword."""
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def class_name(title: str) -> ClassName:
    """A doc title as a class name."""
    if not is_identifier(title):
        raise InvalidName(INVALID_CLASS_NAME)
    problem = class_name_problem(title)
    if problem:
        raise InvalidName(problem)
    return ClassName(title)


def is_capwords(name: str) -> bool:
    """Whether a class name is CapWords as pep8-naming (ruff's N801) reads it: after leading
    underscores, an upper-case letter first and no underscore."""
    stripped = name.lstrip("_")
    return stripped[:1].isupper() and "_" not in stripped


def renamed_class(name: str) -> ClassName:
    """An overrides `rename` as a class name: a title's checks and more (`rename_problem`)."""
    problem = rename_problem(name)
    if problem:
        raise InvalidName(problem)
    return ClassName(name)


def referenced_class(name: str) -> ClassName:
    """The class a link or a type cell names, as a key to look it up by: only titles and
    renames give the names of generated classes."""
    return ClassName(name)


def class_name_problem(name: str) -> str:
    """Why a valid identifier cannot be a generated class name, or ''."""
    if name.startswith("__") or name in NAMESPACE_GLOBALS:
        return "is reserved by the generated namespace modules"
    if name.lstrip("_")[:1].isdigit():
        # The module of a class is its lower-cased name without leading underscores.
        return "would give a module name that starts with a digit"
    if (
        name in MODULE_GLOBALS
        or name in runtime_reserved().aliases
        or name.startswith(HELPER_ALIAS_PREFIXES)
        # The dataclasses target evaluates `ClassVar[...]` annotations of the class's own body.
        or name == "ClassVar"
    ):
        return "would shadow a name the generated modules use"
    return ""


def rename_problem(name: str) -> str:
    """Why an overrides `rename` cannot be a class name, or '': a title's checks, and no
    builtin or name of the package, which a rename would hide where the docs never did."""
    if not is_identifier(name):
        return INVALID_CLASS_NAME
    if name in BUILTIN_NAMES or name in runtime_reserved().runtime:
        return "would shadow a builtin or a name of the generated package"
    return class_name_problem(name)


def to_identifier(text: str, fallback: str) -> str:
    """Replace what cannot be in an identifier; never starts with a digit or is empty."""
    name = _INVALID.sub("_", text)
    if not name or not name.strip("_"):
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def field_attribute(doc_name: str, reserved: frozenset[str]) -> Attribute:
    """The attribute for a field row: the doc name unless Python or pydantic forbid it."""
    name = to_identifier(doc_name, "field")
    # pydantic treats leading-underscore names as private attributes, not fields.
    name = name.lstrip("_") or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    while (
        keyword.iskeyword(name)
        or name in reserved
        or name in runtime_reserved().model_attributes
        or name in runtime_reserved().typing
        or name in PRIMITIVE_BUILTINS
    ):
        name += "_"
    return Attribute(name)


def field_attributes(doc_names: list[str], reserved: frozenset[str]) -> list[Attribute]:
    """Attributes for a model's rows: unique, and a name usable as is keeps it.

    A doc name that needs no change is settled first, so `a_b` stays `a_b` even when an
    earlier `a-b` also sanitises to it; the others get `_2`, `_3`, ... in doc order.
    """
    candidates = [field_attribute(name, reserved) for name in doc_names]
    exact = {c for name, c in zip(doc_names, candidates, strict=True) if c == name}
    taken: set[str] = set()
    out: list[Attribute] = []
    for name, candidate in zip(doc_names, candidates, strict=True):
        if candidate == name and candidate not in taken:
            chosen = candidate
        else:
            chosen, counter = candidate, 2
            while chosen in taken or chosen in exact:
                chosen = Attribute(f"{candidate}_{counter}")
                counter += 1
        taken.add(chosen)
        out.append(chosen)
    return out


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
            or stem in runtime_reserved().typing
            or stem in runtime_reserved().model_attributes
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


# File names Windows keeps for devices, whatever the case or extension: no checkout there
# could hold such a module, folder or package.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))}
)
