"""The context of the `endpoints` module: every operation, typed, in classes that follow
the SDK paths (`endpoints.portal.article.get_article_by_id`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.ir import TypeKind, TypeRef
from generator.naming import ClassName
from generator.render.annotations import ModuleNames, annotation, import_lines
from generator.schema import ClassKey, OperationSpec, Schema

MODULE = "endpoints"
_ALIASED = re.compile(r"\b_ns_(\w+\.)")


def endpoints_module(schema: Schema) -> str:
    """The module's name: `endpoints`, unless a namespace of the package has that name."""
    name = MODULE
    while name in schema.namespaces:
        name += "_"
    return name


def namespace_alias(namespace: str) -> str:
    """How the module names a namespace: never like an SDK path (those do not start with
    `_`) or a name it imports."""
    return f"_ns_{namespace}"


@dataclass
class QualifiedNames(ModuleNames):
    """Class references written through their namespace (`_ns_models.Article`), which the
    module imports as a whole: a class then loads on first use, at run time as for mypy."""

    namespaces: set[str] = field(default_factory=set)

    def local_name(self, key: ClassKey) -> str:
        self.namespaces.add(key.namespace)
        return f"{namespace_alias(key.namespace)}.{key.name}"


@dataclass
class Group:
    """A class of the module: the operations of one SDK path, and the paths below it."""

    name: str
    path: str
    attribute: str = ""  # its name in the module: `name`, unless that is taken
    operations: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)


# Names the module binds for itself: an SDK path or an operation named like one of them
# would hide it (a class body looks its own names up first).
MODULE_NAMES = frozenset({"Operation", "Operations", "OPERATIONS", "Final", "annotations"})


def endpoints_context(schema: Schema) -> dict[str, Any]:
    names = QualifiedNames(ClassKey("", ClassName(MODULE)))
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
    return {
        "imports": import_lines(names),
        "runtime_imports": names.runtime_imports(),
        "namespaces": [(ns, namespace_alias(ns)) for ns in sorted(names.namespaces)],
        "groups": sorted(root.groups.values(), key=lambda g: g.attribute),
        "operations": [spec.name for spec in schema.operations],
        "paths": paths,
    }


def _bound(names: ModuleNames) -> set[str]:
    """The names the module's imports bind."""
    clauses = [c for members in names.from_imports.values() for c in members]
    clauses += names.runtime_imports()
    return {clause.split(" as ")[-1] for clause in clauses}


def _assign_names(
    group: Group, taken: frozenset[str] | set[str], outer: tuple[str, ...], paths: dict[str, str]
) -> None:
    """Each SDK path and operation its name in the module: its own, with a trailing `_`
    while another of its class, or a name the module binds, has it."""
    used = set(taken)
    children = sorted(group.groups.values(), key=lambda child: child.name)
    for child in children:
        child.attribute = _free(child.name, used)
    for operation in group.operations:
        operation["attribute"] = _free(operation["attribute"], used)
        paths[operation["name"]] = ".".join((*outer, operation["attribute"]))
    for child in children:
        _assign_names(child, taken, (*outer, child.attribute), paths)


def _free(name: str, used: set[str]) -> str:
    while name in used:
        name += "_"
    used.add(name)
    return name


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
        body = f"{names.need('typing', 'Union')}[str, bytes]"
    else:
        body = annotation(spec.body, names)
    errors = []
    raises = []
    for error in spec.errors:
        raised = f"{error.error.namespace}.{error.error.name}" if error.error else "ApiError"
        errors.append(f"{','.join(error.statuses)} {raised} {error.content_type}".rstrip())
        raises.append(f"{', '.join(error.statuses)}: {raised}")
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
