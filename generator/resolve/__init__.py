"""Stage 3: doc records -> the resolved `Schema` (links, names, errors, repairs)."""

from __future__ import annotations

from dataclasses import replace

from generator.diagnostics import Diagnostics
from generator.ir import Doc, DocKind, DocTree, TypeKind
from generator.resolve.classes import enum_spec, model_spec, union_spec
from generator.resolve.errors import error_keys
from generator.resolve.links import DocIndex, TypeResolver
from generator.schema import ClassSpec, FieldSpec, ModelSpec, Nullability, Repair, Schema

__all__ = ["resolve"]


def resolve(tree: DocTree, policy: Nullability, diagnostics: Diagnostics) -> Schema:
    _report_duplicates(tree.docs, diagnostics)
    index = DocIndex(tree.docs)
    repairs: list[Repair] = []
    resolver = TypeResolver(index, diagnostics, repairs)
    unique = [index.by_key[doc.key] for doc in tree.docs if index.by_key[doc.key] is doc]
    enums = {doc.key: enum_spec(doc, diagnostics) for doc in unique if doc.kind is DocKind.ENUM}
    unions = {doc.key: union_spec(doc, resolver) for doc in unique if doc.kind is DocKind.UNION}
    model_docs = [doc for doc in unique if doc.kind is DocKind.MODEL]
    # Error classification needs every reference, so resolve the models' types first.
    drafts = {
        doc.key: model_spec(doc, resolver, policy, repairs, diagnostics) for doc in model_docs
    }
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
    return Schema(
        tuple(classes), tuple(sorted(repairs, key=lambda r: (r.location, r.rule))), tree.skipped
    )


def _as_error(spec: ModelSpec) -> ModelSpec:
    """The v1 `raw_response` row of an error doc is the error's transport response, not body."""
    body = tuple(f for f in spec.fields if not _is_transport_response(f))
    return replace(spec, is_error=True, fields=body)


def _is_transport_response(spec: FieldSpec) -> bool:
    return spec.type.kind is TypeKind.EXTERNAL and spec.type.name.endswith(".Response")


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
