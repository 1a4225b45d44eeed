"""How code uses each class: which classes it reads (what operations return or raise),
which it builds (what operations take), and which classes types name at all."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator

from generator.diff.types import type_key, variants
from generator.model.docs import TypeKind, TypeRef
from generator.model.schema import ClassSpec, ModelSpec, OperationSpec, Schema, UnionSpec


class Role(enum.Flag):
    READ = enum.auto()  # code reads its values: a response, an error, or a part of one
    BUILT = enum.auto()  # code builds it: a request, or a part of one
    BOTH = READ | BUILT  # either, as far as the docs tell (no operation reaches it)


def _class_names(node: TypeRef) -> Iterator[str]:
    for part in node.walk():
        if part.kind is TypeKind.REF:
            yield f"{part.namespace}.{part.name}"


def _types_of(spec: ClassSpec) -> list[TypeRef]:
    if isinstance(spec, ModelSpec):
        return [field.type for field in spec.fields]
    if isinstance(spec, UnionSpec):
        return list(spec.variants)
    return []


class Usage:
    """The roles of a schema's classes, and the classes some type names."""

    def __init__(self, schema: Schema) -> None:
        self._links = {
            str(spec.key): {name for node in _types_of(spec) for name in _class_names(node)}
            for spec in schema.classes
        }
        read: set[str] = set()
        built: set[str] = set()
        for operation in schema.operations:
            if operation.body is not None:
                read.update(_class_names(operation.body))
            read.update(str(error.error) for error in operation.errors if error.error)
            for node in _taken(operation):
                built.update(_class_names(node))
        self.read = self._reachable(read)
        self.built = self._reachable(built)
        # Classes a type names (a union may be named, or written out where used: `spelled`).
        self.named = {name for names in self._links.values() for name in names}
        operation_types = [node for op in schema.operations for node in _operation_types(op)]
        for node in operation_types:
            self.named.update(_class_names(node))
        # What each union that a type writes out (`Union[models.A, str]`) takes.
        types = [node for spec in schema.classes for node in _types_of(spec)] + operation_types
        self.spelled = {
            variant_set(part.args)
            for node in types
            for part in node.walk()
            if part.kind is TypeKind.UNION
        }

    def _reachable(self, roots: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self._links.get(name, ()))
        return seen


def variant_set(alternatives: Iterable[TypeRef]) -> frozenset[str]:
    """What a union takes, however it is written: its variants' keys, nested unions flattened."""
    return frozenset(type_key(leaf) for node in alternatives for leaf in variants(node))


def _taken(operation: OperationSpec) -> list[TypeRef]:
    """The types of what an operation takes: its parameters and request body."""
    types = [parameter.type for parameter in operation.parameters]
    return types if operation.request_body is None else [*types, operation.request_body]


def _operation_types(operation: OperationSpec) -> list[TypeRef]:
    return _taken(operation) if operation.body is None else [*_taken(operation), operation.body]
