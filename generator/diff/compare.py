"""Two resolved schemas -> change records for their classes (operations: `operations.py`).

Classes are matched by namespace and name, fields by attribute, enum members by value and
union variants by type: where a class's doc lies, the order of its rows and how a Type cell
is written (a link or not) are no part of what is compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff import changes as kinds
from generator.diff.changes import Change
from generator.diff.types import Relation, relation, type_key
from generator.model.docs import type_text
from generator.model.schema import ClassSpec, EnumSpec, FieldSpec, ModelSpec, Schema, UnionSpec


def class_kind(spec: ClassSpec) -> str:
    if isinstance(spec, ModelSpec):
        return "error" if spec.is_error else "model"
    return "enum" if isinstance(spec, EnumSpec) else "union"


def compare_classes(old: Schema, new: Schema, include_docs: bool = False) -> Iterator[Change]:
    before = {str(spec.key): spec for spec in old.classes}
    after = {str(spec.key): spec for spec in new.classes}
    for name in sorted(before.keys() - after.keys()):
        yield Change(kinds.CLASS_REMOVED, name, message=f"{name} removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change(kinds.CLASS_ADDED, name, message=f"{name} added")
    for name in sorted(before.keys() & after.keys()):
        yield from compare_class(name, before[name], after[name], include_docs)


def compare_class(
    name: str, old: ClassSpec, new: ClassSpec, include_docs: bool = False
) -> Iterator[Change]:
    if include_docs and old.description != new.description:
        yield Change(kinds.DESCRIPTION_CHANGED, name, message=f"{name}: description changed")
    old_kind, new_kind = class_kind(old), class_kind(new)
    if old_kind != new_kind:
        yield Change(
            kinds.KIND_CHANGED,
            name,
            old=old_kind,
            new=new_kind,
            message=f"{name}: {old_kind} -> {new_kind}",
        )
    elif isinstance(old, ModelSpec) and isinstance(new, ModelSpec):
        yield from _compare_fields(name, old, new, include_docs)
    elif isinstance(old, EnumSpec) and isinstance(new, EnumSpec):
        yield from _compare_members(name, old, new)
    elif isinstance(old, UnionSpec) and isinstance(new, UnionSpec):
        yield from _compare_variants(name, old, new)


def matched_fields(
    old: tuple[FieldSpec, ...], new: tuple[FieldSpec, ...]
) -> tuple[list[tuple[FieldSpec, FieldSpec]], list[FieldSpec], list[FieldSpec]]:
    """Pairs of the same field, then the old fields without a pair and the new ones.

    A field is its attribute; an attribute that gained or lost a trailing `_` (a name the
    new annotations take, `type` -> `type_`) is still the same field.
    """
    after = {spec.attribute: spec for spec in new}
    pairs = [(spec, after.pop(spec.attribute)) for spec in old if spec.attribute in after]
    paired = {id(spec) for spec, _ in pairs}
    removed = [spec for spec in old if id(spec) not in paired]
    stems: dict[str, list[FieldSpec]] = {}
    for spec in after.values():
        stems.setdefault(spec.attribute.rstrip("_"), []).append(spec)
    still_removed = []
    for spec in removed:
        candidates = stems.get(spec.attribute.rstrip("_"), [])
        if len(candidates) == 1:
            pairs.append((spec, after.pop(candidates.pop().attribute)))
        else:
            still_removed.append(spec)
    return pairs, still_removed, list(after.values())


def _compare_fields(
    name: str, old: ModelSpec, new: ModelSpec, include_docs: bool
) -> Iterator[Change]:
    pairs, removed, added = matched_fields(old.fields, new.fields)
    for spec in removed:
        yield Change(
            kinds.FIELD_REMOVED,
            name,
            field=spec.attribute,
            message=f"{name}.{spec.attribute} removed",
        )
    for spec in added:
        yield Change(
            kinds.FIELD_ADDED,
            name,
            field=spec.attribute,
            new={"required": spec.required},
            message=f"{name}.{spec.attribute} added ({_required_word(spec.required)})",
        )
    for before, after in pairs:
        yield from compare_field(name, before, after, include_docs)


def _required_word(required: bool) -> str:
    return "required" if required else "optional"


def compare_field(
    name: str, old: FieldSpec, new: FieldSpec, include_docs: bool = False
) -> Iterator[Change]:
    # An attribute that gained or lost a `_` is named as documented: without it.
    field = min(old.attribute, new.attribute, key=len)
    where = f"{name}.{field}"
    direction = relation(old.type, new.type)
    if direction is not Relation.SAME:
        before, after = type_text(old.type), type_text(new.type)
        yield Change(
            kinds.TYPE_CHANGED,
            name,
            field=field,
            old=before,
            new=after,
            direction=direction.value,
            message=f"{where}: type {before} -> {after}",
        )
    if old.required != new.required:
        yield Change(
            kinds.REQUIRED_CHANGED,
            name,
            field=field,
            old=old.required,
            new=new.required,
            message=f"{where}: {_required_word(new.required)} now",
        )
    if old.nullable != new.nullable:
        yield Change(
            kinds.NULLABLE_CHANGED,
            name,
            field=field,
            old=old.nullable,
            new=new.nullable,
            message=f"{where}: {'nullable' if new.nullable else 'not nullable'} now",
        )
    if old.wire_name != new.wire_name:
        yield Change(
            kinds.WIRE_NAME_CHANGED,
            name,
            field=field,
            old=old.wire_name,
            new=new.wire_name,
            message=f"{where}: JSON key {old.wire_name!r} -> {new.wire_name!r}",
        )
    if include_docs and (old.description, old.example) != (new.description, new.example):
        yield Change(
            kinds.DESCRIPTION_CHANGED,
            name,
            field=field,
            message=f"{where}: description or example changed",
        )


def _compare_members(name: str, old: EnumSpec, new: EnumSpec) -> Iterator[Change]:
    before = {str(member.value) for member in old.members}
    after = {str(member.value) for member in new.members}
    for value in sorted(before - after):
        yield Change(
            kinds.MEMBER_REMOVED, name, member=value, message=f"{name}: member {value!r} removed"
        )
    for value in sorted(after - before):
        yield Change(
            kinds.MEMBER_ADDED, name, member=value, message=f"{name}: member {value!r} added"
        )


def _compare_variants(name: str, old: UnionSpec, new: UnionSpec) -> Iterator[Change]:
    before = {type_key(variant): type_text(variant) for variant in old.variants}
    after = {type_key(variant): type_text(variant) for variant in new.variants}
    for key in sorted(before.keys() - after.keys()):
        yield Change(
            kinds.VARIANT_REMOVED,
            name,
            variant=before[key],
            message=f"{name}: variant {before[key]} removed",
        )
    for key in sorted(after.keys() - before.keys()):
        yield Change(
            kinds.VARIANT_ADDED,
            name,
            variant=after[key],
            message=f"{name}: variant {after[key]} added",
        )
