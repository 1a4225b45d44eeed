"""The context of the `endpoints` module: every operation, typed, in classes that follow
the SDK paths (`endpoints.Portal.Article.get_article_by_id`)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from generator.model.docs import TypeKind, TypeRef
from generator.model.naming import ClassName
from generator.model.schema import ClassKey, OperationSpec, Schema
from generator.render.annotations import ModuleNames, annotation, import_lines

MODULE = "endpoints"
_ALIASED = re.compile(r"\b_(?:ns_(\w+\.)|builtins_)")
_WORDS = re.compile(r"[^0-9A-Za-z]+")


def endpoints_module(schema: Schema) -> str:
    """The module's name: `endpoints`, unless a namespace of the package has that name."""
    name = MODULE
    while name in schema.namespaces:
        name += "_"
    return name


@dataclass
class QualifiedNames(ModuleNames):
    """Class references written through their namespace (`models.Article`), which the module
    imports as a whole: a class then loads on first use, at run time as for mypy. A namespace
    named like an SDK path or an operation is imported as `_ns_<namespace>`."""

    namespaces: set[str] = field(default_factory=set)
    hidden: frozenset[str] = frozenset()  # names the module's classes bind

    def alias(self, namespace: str) -> str:
        return f"_ns_{namespace}" if namespace in self.hidden else namespace

    def local_name(self, key: ClassKey) -> str:
        self.namespaces.add(key.namespace)
        return f"{self.alias(key.namespace)}.{key.name}"


@dataclass
class Group:
    """A class of the module: the operations of one SDK path, and the paths below it."""

    name: str
    path: str
    attribute: str = ""  # its class name: `name` in CapWords, unique where it is
    operations: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)


# Names the module binds for itself: an SDK path or an operation named like one of them
# would hide it (a class body looks its own names up first).
MODULE_NAMES = frozenset(
    {"Operation", "Operations", "OPERATIONS", "Final", "annotations", "read_value", "__all__"}
)


def endpoints_context(schema: Schema) -> dict[str, Any]:
    spelled = {part for spec in schema.operations for part in (*spec.group, spec.method)}
    hidden = frozenset(spelled | {group_class(part) for part in spelled} | MODULE_NAMES)
    # The module's class bodies bind the operations' and groups' names (`list`, `dict`).
    names = QualifiedNames(ClassKey("", ClassName(MODULE)), class_scope=hidden, hidden=hidden)
    root = Group("", "")
    for spec in schema.operations:
        group = root
        for depth, part in enumerate(spec.group):
            path = ".".join(spec.group[: depth + 1])
            group = group.groups.setdefault(part, Group(part, path))
        group.operations.append(_operation(spec, names))
    names.need_as_is("typing", "Final")
    paths: dict[str, str] = {}
    _assign_names(root, MODULE_NAMES | _bound(names), (), paths)
    groups = sorted(root.groups.values(), key=lambda g: g.attribute)
    return {
        "imports": import_lines(names),
        "namespace_imports": namespace_imports(names),
        "exports": sorted(["OPERATIONS", *(group.attribute for group in groups)]),
        "groups": groups,
        "operations": [spec.name for spec in schema.operations],
        "paths": paths,
    }


def namespace_imports(names: QualifiedNames) -> list[str]:
    """How the module imports the namespaces it names, as isort writes it: those of their own
    name in one statement, each aliased one in its own."""
    plain = [ns for ns in sorted(names.namespaces) if names.alias(ns) == ns]
    lines = [f"from . import {', '.join(plain)}"] if plain else []
    aliased = sorted(ns for ns in names.namespaces if names.alias(ns) != ns)
    return lines + [f"from . import {ns} as {names.alias(ns)}" for ns in aliased]


def group_class(part: str) -> str:
    """An SDK path's class name: its words in CapWords (`unified_ats_api` -> `UnifiedAtsApi`)."""
    words = [word for word in _WORDS.split(part) if word]
    name = "".join(word[0].upper() + word[1:] for word in words) or "Group"
    return f"Group{name}" if name[0].isdigit() or keyword.iskeyword(name) else name


def _bound(names: ModuleNames) -> set[str]:
    """The names the module's imports bind."""
    clauses = [c for members in names.from_imports.values() for c in members]
    return {clause.split(" as ")[-1] for clause in clauses}


def _assign_names(
    group: Group, taken: frozenset[str] | set[str], outer: tuple[str, ...], paths: dict[str, str]
) -> None:
    """Each SDK path its class name and each operation its attribute: its own, made unique
    among those of its class and the names the module binds (a number for a class, a trailing
    `_` for an attribute)."""
    used = set(taken)
    children = sorted(group.groups.values(), key=lambda child: child.name)
    for child in children:
        child.attribute = _free(group_class(child.name), used, numbered=True)
    for operation in group.operations:
        operation["attribute"] = _free(operation["attribute"], used)
        paths[operation["name"]] = ".".join((*outer, operation["attribute"]))
    for child in children:
        _assign_names(child, taken, (*outer, child.attribute), paths)


def _free(name: str, used: set[str], numbered: bool = False) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{name}{number}" if numbered else candidate + "_"
        number += 1
    used.add(candidate)
    return candidate


def as_sent(body: TypeRef) -> bool:
    """A body that is a stream or the transport's response (a download): given as it came."""
    node = body.unwrapped()
    parts = node.args if node.kind is TypeKind.UNION else (node,)
    return all(part.unwrapped().kind is TypeKind.EXTERNAL for part in parts)


def _operation(spec: OperationSpec, names: QualifiedNames) -> dict[str, Any]:
    raw = spec.body is not None and as_sent(spec.body)
    if spec.body is None:
        body = "None"
    elif raw:
        body = "str | bytes"
    else:
        body = annotation(spec.body, names)
    errors = []
    raises = []
    for error in spec.errors:
        raised = names.local_name(error.error) if error.error else None
        errors.append((",".join(error.statuses), raised, error.content_type))
        shown = f"{error.error.namespace}.{error.error.name}" if error.error else "ApiError"
        raises.append(f"{', '.join(error.statuses)}: {shown}")
    raises.append("other statuses: ApiError")
    lines = [spec.summary or spec.name]
    if spec.http_method or spec.http_path:
        lines.append(f"`{' '.join(p for p in (spec.http_method, spec.http_path) if p)}`")
    if spec.operation_id:
        lines.append(f"operationID `{spec.operation_id}`")
    returned = "the body as it came (a stream or a download)" if raw else f"`{_short(body)}`"
    lines.append(f"Returns {returned} for a 2XX status.")
    lines.append("Raises, by status: " + "; ".join(raises) + ".")
    return {
        "name": spec.name,
        "attribute": spec.method,
        "body": body,
        "as_sent": raw,
        "errors": errors,
        "operation_id": spec.operation_id,
        "method": spec.http_method,
        "path": spec.http_path,
        "summary": spec.summary,
        "doc": "\n\n".join(lines),
    }


def _short(text: str) -> str:
    """An annotation as the docstring shows it: without the namespaces' aliases."""
    return _ALIASED.sub(r"\1", text)
