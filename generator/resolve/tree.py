"""A `DocTree` of parsed docs -> the resolved `Schema` (links, names, errors, repairs)."""

from __future__ import annotations

from dataclasses import replace

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc, DocKind, DocTree, TypeKind
from generator.model.naming import DATA_SUFFIX, referenced_class
from generator.model.schema import (
    ClassKey,
    ClassSpec,
    FieldSpec,
    ModelSpec,
    Nullability,
    Repair,
    Schema,
    WireNames,
)
from generator.parse.typecell import TRANSPORT_RESPONSES
from generator.resolve.classes import enum_spec, model_spec, union_spec
from generator.resolve.errors import error_keys
from generator.resolve.links import DocIndex, TypeResolver
from generator.resolve.nullability import nullability_plan
from generator.resolve.operations import is_transport, resolve_operations
from generator.resolve.overrides import Override, apply_overrides
from generator.resolve.wire_names import choose_wire_names

__all__ = ["resolve"]


def resolve(
    tree: DocTree,
    policy: Nullability,
    diagnostics: Diagnostics,
    overrides: tuple[Override, ...] = (),
    wire_names: WireNames = WireNames.AUTO,
) -> Schema:
    _report_duplicates(tree.docs, diagnostics)
    index = DocIndex(tree.docs, tree.pages)
    repairs: list[Repair] = []
    resolver = TypeResolver(index, diagnostics, repairs)
    nullability = nullability_plan(tree, policy)
    unique = [index.by_key[doc.key] for doc in tree.docs if index.by_key[doc.key] is doc]
    enums = {doc.key: enum_spec(doc, diagnostics) for doc in unique if doc.kind is DocKind.ENUM}
    unions = {doc.key: union_spec(doc, resolver) for doc in unique if doc.kind is DocKind.UNION}
    model_docs = [doc for doc in unique if doc.kind is DocKind.MODEL]
    # Error classification needs every reference, so resolve the models' types first.
    chosen, wire_plan = choose_wire_names(
        [model_spec(doc, resolver, nullability, repairs, diagnostics) for doc in model_docs],
        list(unions.values()),
        tree,
        wire_names,
        diagnostics,
    )
    drafts = {doc.key: spec for doc, spec in zip(model_docs, chosen, strict=True)}
    errors = error_keys(tree, model_docs, resolver.references)
    classes: list[ClassSpec] = []
    for doc in unique:
        if doc.key in enums:
            classes.append(enums[doc.key])
        elif doc.key in unions:
            classes.append(unions[doc.key])
        else:
            draft = drafts[doc.key]
            classes.append(_as_error(draft) if draft.key in errors else draft)
    classes.sort(key=lambda spec: spec.key)
    classes = mark_plumbing(classes)
    documented = {spec.location: spec.key for spec in classes}
    if overrides:
        classes = [
            _as_error(spec) if isinstance(spec, ModelSpec) and spec.is_error else spec
            for spec in apply_overrides(classes, overrides, diagnostics)
        ]
    _report_data_class_clashes(classes, diagnostics)
    moved = {
        documented[spec.location]: spec.key
        for spec in classes
        if documented.get(spec.location, spec.key) != spec.key
    }
    operations = resolve_operations(tree.operations, index, classes, moved, diagnostics)
    return Schema(
        tuple(classes),
        tuple(sorted(repairs, key=lambda r: (r.location, r.rule))),
        nullability,
        wire_plan,
        operations,
    )


def mark_plumbing(classes: list[ClassSpec]) -> list[ClassSpec]:
    """A field that holds a model of transport objects only (v2's `http_meta: HTTPMetadata`)
    is SDK plumbing, as Speakeasy generates it: optional, and never written to JSON."""
    plumbing = {
        spec.key
        for spec in classes
        if isinstance(spec, ModelSpec) and spec.fields and all(is_transport(f) for f in spec.fields)
    }
    if not plumbing:
        return classes
    marked: list[ClassSpec] = []
    for spec in classes:
        if isinstance(spec, ModelSpec) and any(_holds(f, plumbing) for f in spec.fields):
            fields = tuple(
                (
                    replace(
                        f,
                        required=False,
                        has_default=True,
                        default=None,
                        nullable=True,
                        excluded=True,
                    )
                    if _holds(f, plumbing)
                    else f
                )
                for f in spec.fields
            )
            spec = replace(spec, fields=fields)
        marked.append(spec)
    return marked


def _holds(field: FieldSpec, keys: set[ClassKey]) -> bool:
    node = field.type.unwrapped()
    return (
        node.kind is TypeKind.REF and ClassKey(node.namespace, referenced_class(node.name)) in keys
    )


def _as_error(spec: ModelSpec) -> ModelSpec:
    """The v1 `raw_response` row of an error doc is the error's transport response, not body."""
    body = tuple(f for f in spec.fields if not _is_transport_response(f))
    return replace(spec, is_error=True, fields=body)


def _is_transport_response(spec: FieldSpec) -> bool:
    return spec.type.kind is TypeKind.EXTERNAL and spec.type.name in TRANSPORT_RESPONSES


def _report_duplicates(docs: tuple[Doc, ...], diagnostics: Diagnostics) -> None:
    first: dict[tuple[str, str], Doc] = {}
    for doc in docs:
        if doc.key in first:
            diagnostics.error(
                doc.location,
                f"class {doc.name!r} is already defined in namespace {doc.namespace!r} by "
                f"{first[doc.key].path} (rename one of the two titles)",
            )
        else:
            first[doc.key] = doc


def _report_data_class_clashes(classes: list[ClassSpec], diagnostics: Diagnostics) -> None:
    """An error `Name` also defines `NameData`, which no other class may be called."""
    by_key = {spec.key: spec for spec in classes}
    for spec in classes:
        if isinstance(spec, ModelSpec) and spec.is_error:
            data_class = referenced_class(spec.key.name + DATA_SUFFIX)
            other = by_key.get(ClassKey(spec.key.namespace, data_class))
            if other is not None:
                diagnostics.error(
                    other.location,
                    f"class {other.key.name!r} clashes with the body class of the error "
                    f"{spec.key.name!r} defined by {spec.doc_path} (rename one of the two titles)",
                )
