"""Resolved types as text, and how a changed type relates to the one it replaces."""

from __future__ import annotations

import enum

from generator.model.docs import TypeKind, TypeRef, type_text

# Values of the first type that the second also takes (pydantic's lax reading aside).
_PRIMITIVE_WIDENINGS = frozenset({("int", "float"), ("int", "Decimal"), ("date", "datetime")})
_LITERAL_BASES = {bool: "bool", int: "int", float: "float", str: "str"}


class Relation(enum.Enum):
    SAME = "same"
    WIDER = "wider"  # the new type takes every value of the old one, and more
    NARROWER = "narrower"  # the old type takes every value of the new one, and more
    OTHER = "other"


def type_key(node: TypeRef) -> str:
    """What identifies a type: its text, with a union's variants in sorted order (how a
    Type cell was written, link or not, is no part of it)."""
    return type_text(node)


def variants(node: TypeRef) -> list[TypeRef]:
    """A type's alternatives: an inline union's variants, else the type itself."""
    node = node.unwrapped()
    if node.kind is TypeKind.UNION:
        return [leaf for arg in node.args for leaf in variants(arg)]
    return [node]


def relation(old: TypeRef, new: TypeRef) -> Relation:
    """Whether `new` takes more values than `old`, fewer, the same, or others."""
    if type_key(old) == type_key(new):
        return Relation.SAME
    wider = _within(old, new)
    narrower = _within(new, old)
    if wider and not narrower:
        return Relation.WIDER
    if narrower and not wider:
        return Relation.NARROWER
    # Types that take the same values may still read them differently (`int | float` keeps
    # `1` an int, `float` makes it 1.0): another annotation is another type.
    return Relation.OTHER


def _within(inner: TypeRef, outer: TypeRef) -> bool:
    """Every value of `inner` is a value of `outer`."""
    return all(any(_leaf_within(a, b) for b in variants(outer)) for a in variants(inner))


def _leaf_within(inner: TypeRef, outer: TypeRef) -> bool:
    if outer.kind is TypeKind.PRIMITIVE and outer.name == "Any":
        return True
    if type_key(inner) == type_key(outer):
        return True
    if inner.kind is TypeKind.PRIMITIVE and outer.kind is TypeKind.PRIMITIVE:
        return (inner.name, outer.name) in _PRIMITIVE_WIDENINGS
    if inner.kind is TypeKind.LITERAL:
        if outer.kind is TypeKind.LITERAL:
            return set(inner.literals) <= set(outer.literals)
        return outer.kind is TypeKind.PRIMITIVE and all(
            _LITERAL_BASES.get(type(value)) == outer.name for value in inner.literals
        )
    if inner.kind is outer.kind and inner.kind in (TypeKind.LIST, TypeKind.DICT):
        # Collections are taken as they are read: a wider item type reads more lists.
        return all(_within(a, b) for a, b in zip(inner.args, outer.args, strict=True))
    return False
