"""Whether an override's default is a value of its field's type.

Neither pydantic nor the dataclasses target validates a default: one of another type would
be an attribute of the wrong type, and a value the class refuses when it reads back what it
wrote. The overrides file gives a string, a number or true or false; what the docs' types take
of those is checked here, and a value the type holds is written as one of that exact type.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import replace

from generator.model.docs import LiteralValue, TypeKind, TypeRef, type_text
from generator.model.naming import referenced_class
from generator.model.schema import ClassKey, ClassSpec, EnumSpec, FieldSpec, ModelSpec

# The Python types a primitive of the docs holds, as the generated annotation spells it
# (an int is a float, as type checkers take it); the others (date, datetime, Decimal,
# bytes) hold nothing a TOML string or number is.
_PRIMITIVE_VALUES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}
_NO_TOML_VALUE = frozenset({"date", "datetime", "Decimal", "bytes"})


def default_problem(
    key: ClassKey, field: FieldSpec, value: LiteralValue, classes: Mapping[ClassKey, ClassSpec]
) -> str | None:
    """Why `value` cannot be the default of `field` of class `key`; None when it can."""
    if _holds(field.type, value, classes, set()) or (value is None and field.nullable):
        return None
    node = field.type.unwrapped()
    if node.kind is TypeKind.PRIMITIVE and node.name in _NO_TOML_VALUE:
        return (
            f"a {node.name} field ({key}.{field.attribute}) takes no default from the "
            "overrides (a default is a string, a number or a boolean); leave the default out"
        )
    return (
        f"default {json.dumps(value, ensure_ascii=False)} is not a valid {type_text(field.type)} (the type of "
        f"{key}.{field.attribute}): write a value of that type, or leave the default out"
    )


def _holds(
    node: TypeRef, value: LiteralValue, classes: Mapping[ClassKey, ClassSpec], seen: set[ClassKey]
) -> bool:
    """Whether a field of type `node` holds `value` as it is. `seen`: the union classes on
    the way, so that a union that names itself ends."""
    node = node.unwrapped()
    kind = node.kind
    if kind is TypeKind.PRIMITIVE:
        if node.name == "Any":
            return True
        held = _PRIMITIVE_VALUES.get(node.name, ())
        if node.name == "float" and isinstance(value, int) and abs(value) > sys.float_info.max:
            return False  # no float is that integer
        # bool is an int to Python, never to the docs.
        return isinstance(value, held) and (node.name == "bool" or not isinstance(value, bool))
    if kind is TypeKind.LITERAL:
        return any(type(value) is type(lit) and value == lit for lit in node.literals)
    if kind is TypeKind.UNION:
        return any(_holds(arg, value, classes, seen) for arg in node.args)
    if kind is TypeKind.GENERIC:  # an unknown generic: any JSON value
        return True
    if kind is not TypeKind.REF:  # a list, a dict, a transport object, a stream, a file
        return False
    key = ClassKey(node.namespace, referenced_class(node.name))
    spec = classes.get(key)
    if spec is None:  # a page the tree does not have: any JSON value
        return True
    if isinstance(spec, ModelSpec):
        return False
    if isinstance(spec, EnumSpec):
        if spec.is_open:
            wanted = str if spec.value_type == "str" else int
            return isinstance(value, wanted) and not isinstance(value, bool)
        return any(type(value) is type(m.value) and value == m.value for m in spec.members)
    if key in seen:
        return False
    return any(_holds(variant, value, classes, seen | {key}) for variant in spec.variants)


def typed_default(
    field: FieldSpec, value: LiteralValue, classes: Mapping[ClassKey, ClassSpec]
) -> FieldSpec:
    """`field` with the default `value` (one it holds) as a value of its exact type: a
    float for a float field given an integer, the member of an enum given its value, so
    that an object built without the field has an attribute of the documented type."""
    node = field.type.unwrapped()
    if value is None:
        return field
    if node.kind is TypeKind.PRIMITIVE and node.name == "float" and isinstance(value, int):
        return replace(field, default=float(value))
    if node.kind is not TypeKind.REF:
        return field
    spec = classes.get(ClassKey(node.namespace, referenced_class(node.name)))
    if not isinstance(spec, EnumSpec):
        return field
    member = next(
        (m.name for m in spec.members if type(m.value) is type(value) and m.value == value), ""
    )
    # An open enum's value that no member has stays the value: the class reads it as one.
    return replace(field, default_member=member)
