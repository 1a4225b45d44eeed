"""Small, prepared template contexts: every identifier and import is decided here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.docs import LiteralValue, TypeKind, TypeRef
from generator.model.naming import DATA_SUFFIX, is_capwords, referenced_class, runtime_reserved
from generator.model.schema import ClassKey, EnumSpec, FieldSpec, ModelSpec, UnionSpec
from generator.model.target import Target
from generator.render.annotations import (
    ModuleNames,
    RefStyle,
    annotation,
    import_lines,
    member_key,
    natural_key,
)
from generator.render.literals import Expression
from generator.render.modules import Layout


@dataclass(frozen=True)
class FieldContext:
    attribute: str
    annotation: str
    required: bool
    alias: str | None
    description: str
    default: LiteralValue
    # pydantic: the arguments of `Field(...)`, empty when a plain default (or none) suffices.
    keywords: tuple[tuple[str, LiteralValue], ...]
    # dataclasses: the `metadata` of `dataclasses.field(...)`, empty when there is none.
    metadata: tuple[tuple[str, LiteralValue], ...]


def _fields(fields: tuple[FieldSpec, ...], names: ModuleNames) -> list[FieldContext]:
    out = []
    for spec in fields:
        text = annotation(spec.type, names, nullable=spec.nullable)
        alias = spec.wire_name if spec.wire_name != spec.attribute else None
        required = not spec.has_default
        metadata: list[tuple[str, LiteralValue]] = []
        if alias is not None:
            metadata.append(("alias", alias))
        if spec.deprecated:
            metadata.append(("deprecated", deprecation_notice(spec.deprecation_message)))
        if spec.excluded:
            metadata.append(("exclude", True))
        default = _default(spec, names)
        keywords = ([] if required else [("default", default)]) + metadata if metadata else []
        out.append(
            FieldContext(
                spec.attribute,
                text,
                required,
                alias,
                spec.description,
                default,
                tuple(keywords),
                tuple(metadata),
            )
        )
    return out


def _default(spec: FieldSpec, names: ModuleNames) -> LiteralValue:
    """The default as the class body writes it: an enum's member by its name, its class
    imported before the class (enum modules import no class, so no cycle can form)."""
    if not spec.default_member:
        return spec.default
    node = spec.type.unwrapped()
    key = ClassKey(node.namespace, referenced_class(node.name))
    names.early.add(key)
    return Expression(f"{names.local_name(key)}.{spec.default_member}")


def deprecation_notice(message: str) -> str | bool:
    """What accessing a deprecated field warns, worded as Speakeasy's own models word it."""
    return f"warning: ** DEPRECATED ** - {message}" if message else True


def _linked(names: ModuleNames, layout: Layout, link: bool) -> dict[str, Any]:
    """The classes the module refers to, imported at its end (`bottom_imports`); with
    `link` (see render/depth.py), imported for type checkers only and bound at run time by
    `_linking` (`links`: "module:Name", or "module:Name:local" where the module's name for
    it differs). Call it before the module's imports are listed: it may need
    `TYPE_CHECKING`."""
    references: list[tuple[str, str, str]] = []
    early: list[tuple[str, str, str]] = []
    for key, local in names.references.items():
        source = layout.import_from(names.owner, key)
        (early if key in names.early else references).append((source, key.name, local))
    # isort order: by module path (`..` before `.`), then by imported name.
    references.sort(key=lambda item: (natural_key(item[0]), member_key(item[1])))
    early.sort(key=lambda item: (natural_key(item[0]), member_key(item[1])))
    link = link and bool(references)
    if link:
        names.need_as_is("typing", "TYPE_CHECKING")
    return {
        "early_imports": [
            f"from {source} import {name}" + (f" as {local}" if local != name else "")
            for source, name, local in early
        ],
        "bottom_imports": [
            f"from {source} import {name}" + (f" as {local}" if local != name else "")
            for source, name, local in references
        ],
        "links": [
            f"{source}:{name}" + (f":{local}" if local != name else "")
            for source, name, local in (references if link else [])
        ],
    }


def model_context(
    spec: ModelSpec, layout: Layout, target: Target = Target.PYDANTIC, link: bool = False
) -> dict[str, Any]:
    class_name = spec.key.name + DATA_SUFFIX if spec.is_error else spec.key.name
    names = ModuleNames(
        spec.key,
        frozenset({spec.key.name, class_name}),
        class_scope=frozenset(field.attribute for field in spec.fields),
    )
    fields = _fields(spec.fields, names)
    model_base = names.runtime_name("GeneratedModel")
    error_base = names.runtime_name("GeneratedError") if spec.is_error else ""
    if spec.is_error or spec.extra_allowed:
        names.need_as_is("typing", "ClassVar")
    if target is Target.DATACLASSES:
        names.modules.add("dataclasses")
    else:
        if any(f.keywords for f in fields):
            names.need_as_is("pydantic", "Field")
    error_attributes = runtime_reserved().error_attributes
    exposed = [f for f in fields if f.attribute not in error_attributes]
    # The error class decorates its properties after defining some: one named `property`
    # would be the decorator of those after it.
    decorator = names.builtin("property") if spec.is_error and exposed else "property"
    # `ClassVar[bool]` and `ClassVar[type[...]]` come before any property of the class: only
    # a class of the module can hide those builtins.
    builtins = {
        "bool": names.builtin("bool", class_scope=False) if spec.extra_allowed else "bool",
        "type": names.builtin("type", class_scope=False) if spec.is_error else "type",
    }
    linked = _linked(names, layout, link)
    return {
        **linked,
        "title": _title(spec, layout, class_name) if target is Target.PYDANTIC else "",
        "doc_path": spec.doc_path,
        "imports": import_lines(names),
        "runtime_imports": names.runtime_imports(),
        "names_not_capwords": not is_capwords(spec.key.name),
        "class_name": class_name,
        "error_name": spec.key.name,
        "model_base": model_base,
        "error_base": error_base,
        "description": spec.description,
        "fields": fields,
        "exposed_fields": exposed,
        "property_decorator": decorator,
        "builtins": builtins,
        "extra_allowed": spec.extra_allowed,
    }


def _title(spec: ModelSpec, layout: Layout, class_name: str) -> str:
    """`namespace.Name` for a model whose name another class of the package has too: pydantic
    tells the runtime's check of a payload's keys the title of a model only (reading.py)."""
    shared = spec.key.name in layout.shared_names
    return f"{spec.key.namespace}.{class_name}" if shared else ""


def enum_context(spec: EnumSpec) -> dict[str, Any]:
    names = ModuleNames(spec.key, class_scope=frozenset())
    if spec.is_open:
        base = "OpenIntEnum" if spec.value_type == "int" else "OpenStrEnum"
        base = names.runtime_name(base)
    else:
        # `str()` and f-strings of a member give its value, as the API sends it.
        base = names.need("enum", "IntEnum" if spec.value_type == "int" else "StrEnum")
    return {
        "doc_path": spec.doc_path,
        "imports": import_lines(names),
        "runtime_imports": names.runtime_imports(),
        "names_not_capwords": not is_capwords(spec.key.name),
        "early_imports": [],
        "bottom_imports": [],
        "links": [],
        "class_name": spec.key.name,
        "bases": base,
        "description": spec.description,
        "members": spec.members,
    }


def _union_value(spec: UnionSpec, names: ModuleNames, refs: RefStyle) -> str:
    return annotation(TypeRef(TypeKind.UNION, args=spec.variants), names, refs)


def union_context(
    spec: UnionSpec, layout: Layout, target: Target = Target.PYDANTIC, link: bool = False
) -> dict[str, Any]:
    """The alias as type checkers read it (`type_checking_value`, under `if TYPE_CHECKING:`)
    and as the module binds it (`runtime_value`, evaluated at import). pydantic's `value` is
    the latter, the TypeAliasType's argument; the dataclasses target's class references are
    ForwardRefs bound to this module, so that standard `typing` resolves them, and its
    `value` is the former."""
    names = ModuleNames(spec.key, class_scope=frozenset())
    type_checking_value = _union_value(spec, names, RefStyle.QUOTED_FOR_CHECKERS)
    # mypy cannot resolve a TypeAliasType that names itself; it reads the same alias written
    # as a TypeAlias for type checkers.
    recursive = any(
        node.kind is TypeKind.REF
        and ClassKey(node.namespace, referenced_class(node.name)) == spec.key
        for variant in spec.variants
        for node in variant.walk()
    )
    if target is Target.DATACLASSES:
        value = type_checking_value
        runtime_value = _union_value(spec, names, RefStyle.FORWARD_REF)
    else:
        value = runtime_value = _union_value(spec, names, RefStyle.QUOTED)
        names.need_as_is("typing_extensions", "TypeAliasType")
    if target is Target.DATACLASSES or recursive:
        names.need_as_is("typing", "TYPE_CHECKING")
        names.need_as_is("typing", "TypeAlias")
    linked = _linked(names, layout, link)
    return {
        **linked,
        "doc_path": spec.doc_path,
        "imports": import_lines(names),
        "runtime_imports": names.runtime_imports(),
        "names_not_capwords": False,
        "alias_name": spec.key.name,
        "value": value,
        "type_checking_value": type_checking_value,
        "runtime_value": runtime_value,
        "recursive": recursive,
        "description": spec.description,
    }


# The builtins that namespace_init.py.jinja uses.
NAMESPACE_BUILTINS = ("AttributeError", "dict", "globals", "list", "object", "str")


def namespace_context(namespace: str, exports: dict[str, str]) -> dict[str, Any]:
    """`exports`: public name -> module within the namespace. The module keeps each class it
    loads as a global: a class named like a builtin it uses makes it import that one under
    an alias."""
    local = {name: f"_builtins_{name}" if name in exports else name for name in NAMESPACE_BUILTINS}
    hidden = sorted((name for name in NAMESPACE_BUILTINS if name in exports), key=member_key)
    clauses = ", ".join(f"{name} as {local[name]}" for name in hidden)
    return {
        "builtins": local,
        "builtin_imports": [f"from builtins import {clauses}"] if hidden else [],
        "namespace": namespace,
        "exports": sorted(exports.items()),
        "imports": sorted(
            exports.items(), key=lambda item: (natural_key(item[1]), member_key(item[0]))
        ),
    }


def exported_names(spec: ModelSpec | EnumSpec | UnionSpec) -> list[str]:
    if isinstance(spec, ModelSpec) and spec.is_error:
        return [spec.key.name, spec.key.name + DATA_SUFFIX]
    return [spec.key.name]
