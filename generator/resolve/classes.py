"""Doc records -> class specs: fields, enums and unions with Python names."""

from __future__ import annotations

import re

from generator.model.diagnostics import Diagnostics
from generator.model.docs import WRAPPER_KINDS, Doc, EnumMemberDoc, FieldDoc, TypeKind
from generator.model.naming import (
    Attribute,
    dedupe,
    derived_member_name,
    enum_member_name,
    field_attributes,
    wire_name,
)
from generator.model.schema import (
    ClassKey,
    EnumMemberSpec,
    EnumSpec,
    FieldSpec,
    ModelSpec,
    NullabilityPlan,
    Repair,
    UnionSpec,
)
from generator.resolve.links import TypeResolver
from generator.resolve.nullability import silent_collection, silent_date

EXTRA_PROPERTIES_ROW = "__pydantic_extra__"
SILENT_COLLECTION_REPAIR = "required collection without wrapper admits null (nullability unknown)"
SILENT_DATE_REPAIR = "required date without wrapper admits null (nullability unknown)"
# Values that read back unchanged as int: no leading zeros, no `-0`, no non-ASCII digits.
_INT_DIGITS = 18
_INT_VALUE = re.compile(r"(0|-?[1-9][0-9]{0,17})\Z")
_DIGITS = re.compile(r"-?[0-9]+\Z")


def model_spec(
    doc: Doc,
    resolver: TypeResolver,
    nullability: NullabilityPlan,
    repairs: list[Repair],
    diagnostics: Diagnostics,
) -> ModelSpec:
    rows = [row for row in doc.fields if row.name != EXTRA_PROPERTIES_ROW]
    seen: dict[str, FieldDoc] = {}
    for row in rows:
        if row.name in seen:
            diagnostics.error(
                row.location,
                f"duplicate field `{row.name}` (first at line {seen[row.name].location.line})",
            )
        seen.setdefault(row.name, row)
    unique_rows = [row for row in rows if seen[row.name] is row]
    reserved = frozenset(_referenced_names(unique_rows))
    attributes = field_attributes([row.name for row in unique_rows], reserved)
    names = {row.name for row in unique_rows}
    fields = tuple(
        field_spec(doc, row, attribute, resolver, nullability, repairs, names)
        for row, attribute in zip(unique_rows, attributes, strict=True)
    )
    return ModelSpec(
        ClassKey(doc.namespace, doc.name),
        doc.path,
        doc.description,
        doc.deprecated,
        fields,
        extra_allowed=len(rows) != len(doc.fields),
        is_error=False,
        location=doc.location,
    )


def _referenced_names(rows: list[FieldDoc]) -> set[str]:
    """Class names a model's annotations use: a field may not shadow them at class scope.

    A referenced class is imported as `<namespace>_<Name>` when its name clashes, so both
    spellings are reserved.
    """
    names: set[str] = set()
    for row in rows:
        for node in row.type.walk():
            if node.kind is TypeKind.REF:
                names.add(node.name)
                names.add(f"{node.namespace.rsplit('.', 1)[-1]}_{node.name}")
    return names


def field_spec(
    doc: Doc,
    row: FieldDoc,
    attribute: Attribute,
    resolver: TypeResolver,
    nullability: NullabilityPlan,
    repairs: list[Repair],
    doc_names: set[str] | frozenset[str] = frozenset(),
) -> FieldSpec:
    outer = row.type
    wrapped = outer.kind in WRAPPER_KINDS
    inner = resolver.resolve(outer.unwrapped(), doc, row.location)
    if wrapped or not row.required:
        nullable = True
    elif silent_collection(inner) and nullability.collections:
        repairs.append(Repair(SILENT_COLLECTION_REPAIR, row.location))
        nullable = True
    elif silent_date(inner) and nullability.dates:
        repairs.append(Repair(SILENT_DATE_REPAIR, row.location))
        nullable = True
    else:
        nullable = False
    # A required single-value Literal is a constant: the value is its default (§4.3).
    const = (
        row.required and not wrapped and inner.kind is TypeKind.LITERAL and len(inner.literals) == 1
    )
    description = row.description
    if row.location in resolver.lost:
        note = " ".join(resolver.lost[row.location])
        description = f"{description}\n\n{note}" if description else note
    return FieldSpec(
        attribute=attribute,
        # `from_` is sent as `from`, unless the doc also has a `from` row.
        wire_name=row.name if wire_name(row.name) in doc_names else wire_name(row.name),
        type=inner,
        required=row.required and not const,
        nullable=nullable,
        description=description,
        deprecated=row.deprecated,
        location=row.location,
        has_default=const or not row.required,
        default=inner.literals[0] if const else None,
        example=row.example,
        deprecation_message=row.deprecation_message,
    )


def enum_spec(doc: Doc, diagnostics: Diagnostics) -> EnumSpec:
    members = doc.members
    named = all(member.name for member in members)
    if named:
        names = [enum_member_name(member.name) for member in members]
        first: dict[str, int] = {}
        for member, name in zip(members, names, strict=True):
            if name in first:
                diagnostics.error(
                    member.location,
                    f"enum member `{member.name}` collides with the member on line {first[name]} "
                    f"(both become {name!r})",
                )
            first.setdefault(name, member.location.line)
    else:
        names = dedupe([derived_member_name(member.value) for member in members])
    values: list[str | int] = [member.value for member in members]
    if named and values and all(isinstance(v, str) and _INT_VALUE.match(v) for v in values):
        # FORMAT-CATALOGUE §8: all-integer table values are an int enum in 11 of 14 cases.
        values = [int(v) for v in values]
    value_type = "int" if values and all(isinstance(v, int) for v in values) else "str"
    if value_type == "str":
        _integers_too_long(members, diagnostics)
        values = [str(v) for v in values]
    return EnumSpec(
        ClassKey(doc.namespace, doc.name),
        doc.path,
        doc.description,
        tuple(EnumMemberSpec(n, v) for n, v in zip(names, values, strict=True)),
        value_type,
        doc.open_enum,
        doc.location,
    )


def _integers_too_long(members: tuple[EnumMemberDoc, ...], diagnostics: Diagnostics) -> None:
    """A warning where every value is an integer but one is too long for an integer enum."""
    texts = [str(member.value) for member in members]
    too_long = [i for i, text in enumerate(texts) if len(text.lstrip("-")) > _INT_DIGITS]
    if too_long and all(_DIGITS.match(text) for text in texts):
        diagnostics.warning(
            members[too_long[0]].location,
            f"enum value {texts[too_long[0]][:20]}... has more digits than an integer enum's "
            f"value may ({_INT_DIGITS}): its values are strings, which the API's integers do "
            "not match",
        )


def union_spec(doc: Doc, resolver: TypeResolver) -> UnionSpec:
    variants = tuple(resolver.resolve(v.type, doc, v.location) for v in doc.variants)
    return UnionSpec(
        ClassKey(doc.namespace, doc.name), doc.path, doc.description, variants, doc.location
    )
