"""The context of the `endpoints` module: every operation, typed, in classes that follow
the SDK paths (`endpoints.portal.article.get_article_by_id`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    operations: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)


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
    for group in _all(root):
        taken = set(group.groups)
        for operation in group.operations:
            if operation["attribute"] in taken:  # an SDK path beside it has its name
                operation["attribute"] += "_"
    return {
        "imports": import_lines(names),
        "runtime_imports": names.runtime_imports(),
        "namespaces": [(ns, namespace_alias(ns)) for ns in sorted(names.namespaces)],
        "groups": sorted(root.groups.values(), key=lambda g: g.name),
        "operations": [spec.name for spec in schema.operations],
        "paths": {
            spec.name: ".".join((*spec.group, _attribute(spec, root))) for spec in schema.operations
        },
    }


def _all(group: Group) -> list[Group]:
    found = [group]
    for child in group.groups.values():
        found.extend(_all(child))
    return found


def _attribute(spec: OperationSpec, root: Group) -> str:
    group = root
    for part in spec.group:
        group = group.groups[part]
    return spec.method + "_" if spec.method in group.groups else spec.method


def _operation(spec: OperationSpec, names: QualifiedNames) -> dict[str, Any]:
    body = annotation(spec.body, names) if spec.body is not None else "None"
    errors = []
    raises = []
    for error in spec.errors:
        loader = annotation_of(error.error, names) if error.error is not None else None
        errors.append((error.statuses, loader, error.content_type))
        raises.append(f"{', '.join(error.statuses)}: {_short(loader) if loader else 'ApiError'}")
    raises.append("other statuses: ApiError")
    lines = [spec.summary or spec.name]
    if spec.http_method or spec.http_path:
        lines.append(f"`{' '.join(p for p in (spec.http_method, spec.http_path) if p)}`")
    if spec.operation_id:
        lines.append(f"operationID `{spec.operation_id}`")
    lines.append(f"Returns `{_short(body)}` for a 2XX status.")
    lines.append("Raises, by status: " + "; ".join(raises) + ".")
    return {
        "name": spec.name,
        "attribute": spec.method,
        "body": body,
        "errors": errors,
        "operation_id": spec.operation_id,
        "method": spec.http_method,
        "path": spec.http_path,
        "summary": spec.summary,
        "doc": "\n\n".join(lines),
    }


def annotation_of(key: ClassKey, names: QualifiedNames) -> str:
    return names.local_name(key)


def _short(text: str) -> str:
    """An annotation as the docstring shows it: without the namespaces' aliases."""
    return _ALIASED.sub(r"\1", text)
