"""The resolved IR as JSON (`docs2models ir`); the format is documented in docs/ir-schema.md."""

from __future__ import annotations

import json
from typing import Any

from generator import __version__
from generator.model.docs import TypeKind, TypeRef
from generator.model.schema import (
    ClassSpec,
    EnumSpec,
    FieldSpec,
    ModelSpec,
    NullabilityPlan,
    OperationSpec,
    Schema,
    UnionSpec,
    WireNamePlan,
)

# Bump on any change that can break a reader of the JSON.
IR_SCHEMA_VERSION = 2


def type_json(node: TypeRef) -> dict[str, Any]:
    kind = node.kind
    if kind is TypeKind.PRIMITIVE:
        return {"kind": "primitive", "name": node.name}
    if kind is TypeKind.REF:
        return {"kind": "ref", "namespace": node.namespace, "name": node.name}
    if kind is TypeKind.LIST:
        return {"kind": "list", "items": type_json(node.args[0])}
    if kind is TypeKind.DICT:
        return {"kind": "dict", "keys": type_json(node.args[0]), "values": type_json(node.args[1])}
    if kind in (TypeKind.OPTIONAL, TypeKind.NULLABLE, TypeKind.OPTIONAL_NULLABLE):
        return {"kind": kind.value, "type": type_json(node.args[0])}
    if kind is TypeKind.UNION:
        return {"kind": "union", "variants": [type_json(arg) for arg in node.args]}
    if kind is TypeKind.LITERAL:
        return {"kind": "literal", "values": list(node.literals)}
    return {"kind": "external", "name": node.name, "args": [type_json(arg) for arg in node.args]}


def _field_json(field: FieldSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": field.attribute,
        "wire_name": field.wire_name,
        "type": type_json(field.type),
        "required": field.required,
        "nullable": field.nullable,
        "description": field.description,
        "deprecated": field.deprecated,
        "line": field.location.line,
    }
    if field.has_default:
        out["default"] = field.default
    if field.example:
        out["example"] = field.example
    if field.deprecation_message:
        out["deprecation_message"] = field.deprecation_message
    if field.excluded:
        out["excluded"] = True
    return out


def _class_json(spec: ClassSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "namespace": spec.key.namespace,
        "name": spec.key.name,
        "doc": spec.doc_path,
        "line": spec.location.line,
        "description": spec.description,
    }
    if isinstance(spec, ModelSpec):
        out["kind"] = "error" if spec.is_error else "model"
        out["deprecated"] = spec.deprecated
        out["extra_allowed"] = spec.extra_allowed
        out["fields"] = [_field_json(field) for field in spec.fields]
    elif isinstance(spec, EnumSpec):
        out["kind"] = "enum"
        out["value_type"] = spec.value_type
        out["open"] = spec.is_open
        out["members"] = [{"name": m.name, "value": m.value} for m in spec.members]
    elif isinstance(spec, UnionSpec):
        out["kind"] = "union"
        out["variants"] = [type_json(variant) for variant in spec.variants]
    return out


def _nullability_json(plan: NullabilityPlan) -> dict[str, object]:
    return {
        "policy": plan.policy.value,
        "shown_required": plan.evidence.shown,
        "shown_nullable": plan.evidence.nullable,
        "silent_collections_nullable": plan.collections,
        "silent_dates_nullable": plan.dates,
    }


def _wire_names_json(plan: WireNamePlan) -> dict[str, object]:
    return {
        "setting": plan.setting.value,
        "convention": plan.convention,
        "votes": dict(plan.votes),
        "fields_shown": plan.fields_shown,
    }


def _operation_json(spec: OperationSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "sdk_path": ".".join(spec.group),
        "method": spec.method,
        "summary": spec.summary,
        "doc": spec.location.path,
        "line": spec.location.line,
        "operation_id": spec.operation_id,
        "http_method": spec.http_method,
        "http_path": spec.http_path,
        "parameters": [
            {
                "name": p.name,
                "type": type_json(p.type),
                "required": p.required,
                "description": p.description,
            }
            for p in spec.parameters
        ],
        "request_body": type_json(spec.request_body) if spec.request_body else None,
        "response": type_json(spec.body) if spec.body is not None else None,
        "errors": [
            {
                "statuses": list(e.statuses),
                "error": f"{e.error.namespace}.{e.error.name}" if e.error else None,
                "content_type": e.content_type,
                "line": e.location.line,
            }
            for e in spec.errors
        ],
    }


def schema_json(schema: Schema) -> str:
    document = {
        "ir_schema_version": IR_SCHEMA_VERSION,
        "generator": f"docs2models {__version__}",
        "namespaces": list(schema.namespaces),
        "nullability": _nullability_json(schema.nullability),
        "wire_names": _wire_names_json(schema.wire_names),
        "classes": [_class_json(spec) for spec in sorted(schema.classes, key=lambda s: s.key)],
        "operations": [_operation_json(spec) for spec in schema.operations],
        "repairs": [
            {"rule": r.rule, "doc": r.location.path, "line": r.location.line}
            for r in schema.repairs
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
