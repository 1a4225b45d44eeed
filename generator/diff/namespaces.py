"""Docs at the top of a specs folder take the folder's name as their namespace: compared
under two folders of different names (`diff old new`), each such class would be one class
removed and another added. The old side's top namespace is read as the new side's."""

from __future__ import annotations

from dataclasses import replace

from generator.model.docs import TypeKind, TypeRef
from generator.model.naming import ClassName
from generator.model.schema import (
    ClassKey,
    ClassSpec,
    ErrorResponseSpec,
    ModelSpec,
    OperationSpec,
    Schema,
    UnionSpec,
)


def top_namespace_as(schema: Schema, old: str, new: str) -> Schema:
    """`schema` with its classes documented at the top of the specs folder (namespace `old`)
    in namespace `new`, and every reference to them following."""
    moved = {
        spec.key.name
        for spec in schema.classes
        if spec.key.namespace == old and "/" not in spec.doc_path
    }
    if old == new or not moved:
        return schema
    mover = _Mover(old, new, moved)
    classes = tuple(mover.spec(spec) for spec in schema.classes)
    operations = tuple(mover.operation(spec) for spec in schema.operations)
    return replace(schema, classes=classes, operations=operations)


class _Mover:
    def __init__(self, old: str, new: str, moved: set[ClassName]) -> None:
        self.old, self.new, self.moved = old, new, moved

    def key(self, key: ClassKey) -> ClassKey:
        moves = key.namespace == self.old and key.name in self.moved
        return ClassKey(self.new, key.name) if moves else key

    def type(self, node: TypeRef) -> TypeRef:
        if node.kind is TypeKind.REF and node.namespace == self.old and node.name in self.moved:
            return replace(node, namespace=self.new)
        if not node.args:
            return node
        return replace(node, args=tuple(self.type(arg) for arg in node.args))

    def spec(self, spec: ClassSpec) -> ClassSpec:
        if isinstance(spec, ModelSpec):
            fields = tuple(replace(f, type=self.type(f.type)) for f in spec.fields)
            return replace(spec, key=self.key(spec.key), fields=fields)
        if isinstance(spec, UnionSpec):
            variants = tuple(self.type(variant) for variant in spec.variants)
            return replace(spec, key=self.key(spec.key), variants=variants)
        return replace(spec, key=self.key(spec.key))

    def operation(self, spec: OperationSpec) -> OperationSpec:
        def error(row: ErrorResponseSpec) -> ErrorResponseSpec:
            return row if row.error is None else replace(row, error=self.key(row.error))

        return replace(
            spec,
            parameters=tuple(replace(p, type=self.type(p.type)) for p in spec.parameters),
            body=None if spec.body is None else self.type(spec.body),
            request_body=None if spec.request_body is None else self.type(spec.request_body),
            errors=tuple(error(row) for row in spec.errors),
        )
