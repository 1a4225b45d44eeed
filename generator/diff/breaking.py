"""Which changes can break code written against the old package (docs/diff.md, "Breaking").

Code reads some classes (what operations return or raise) and builds others (what they
take); a class no operation reaches may be used either way. A change breaks code when some
use of the class it touches can fail with the new package: an addition never does, except
a required field of a class code builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from generator.diff import changes as kinds
from generator.diff.changes import Change
from generator.diff.types import Relation
from generator.diff.usage import Role, Usage

Rule = Callable[[Change, Role], bool]


def _always(_: Change, __: Role) -> bool:
    return True


def _never(_: Change, __: Role) -> bool:
    return False


def _changed_type(change: Change, role: Role) -> bool:
    """A wider type breaks code that reads it (values it never had to handle), a narrower
    one code that builds it (values it passed are refused), any other both."""
    if change.direction == Relation.WIDER.value:
        return Role.READ in role
    if change.direction == Relation.NARROWER.value:
        return Role.BUILT in role
    return True


def _required_added(change: Change, role: Role) -> bool:
    return bool(change.new and change.new.get("required")) and Role.BUILT in role


def _now_required(change: Change, role: Role) -> bool:
    """Code that built the class without the field now fails; a field that became optional
    breaks readers only as it becomes nullable (`nullable-changed`)."""
    return bool(change.new) and Role.BUILT in role


def _nullable(change: Change, role: Role) -> bool:
    """None reaches code that reads the field; code that built it with None is refused."""
    return Role.READ in role if change.new else Role.BUILT in role


def _wire_name(_: Change, role: Role) -> bool:
    """Objects built in Python send the other key; payloads are read under either."""
    return Role.BUILT in role


RULES: dict[str, Rule] = {
    kinds.CLASS_ADDED: _never,
    kinds.CLASS_REMOVED: _always,
    kinds.KIND_CHANGED: _always,
    kinds.FIELD_ADDED: _required_added,
    kinds.FIELD_REMOVED: _always,
    kinds.TYPE_CHANGED: _changed_type,
    kinds.REQUIRED_CHANGED: _now_required,
    kinds.NULLABLE_CHANGED: _nullable,
    kinds.WIRE_NAME_CHANGED: _wire_name,
    kinds.MEMBER_ADDED: _never,
    kinds.MEMBER_REMOVED: _always,
    kinds.VARIANT_ADDED: _never,
    kinds.VARIANT_REMOVED: _always,
    kinds.OPERATION_ADDED: _never,
    kinds.OPERATION_REMOVED: _always,
    kinds.RESPONSE_CHANGED: _changed_type,
    kinds.ERROR_ADDED: _never,
    kinds.ERROR_REMOVED: _always,
    kinds.DESCRIPTION_CHANGED: _never,
}


def role_of(name: str, old: Usage, new: Usage) -> Role:
    """How code may use a class, by either package: both ways where no operation says."""
    role = Role(0)
    for usage in (old, new):
        if name in usage.read:
            role |= Role.READ
        if name in usage.built:
            role |= Role.BUILT
    return role or Role.BOTH


def judged(changes: list[Change], old: Usage, new: Usage) -> list[Change]:
    """The changes with `breaking` set by the rule of their kind."""
    out = []
    for change in changes:
        # An operation's response is read; its errors are caught.
        role = role_of(change.cls, old, new) if change.cls and not change.operation else Role.READ
        out.append(replace(change, breaking=RULES[change.kind](change, role)))
    return out
