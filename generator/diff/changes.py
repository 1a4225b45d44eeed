"""Change records: what differs between two resolved schemas, one fact per record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Kinds, in the order the text and Markdown formats list them within a class.
CLASS_ADDED = "class-added"
CLASS_REMOVED = "class-removed"
KIND_CHANGED = "kind-changed"
FIELD_ADDED = "field-added"
FIELD_REMOVED = "field-removed"
TYPE_CHANGED = "type-changed"
REQUIRED_CHANGED = "required-changed"
NULLABLE_CHANGED = "nullable-changed"
WIRE_NAME_CHANGED = "wire-name-changed"
MEMBER_ADDED = "member-added"
MEMBER_REMOVED = "member-removed"
VARIANT_ADDED = "variant-added"
VARIANT_REMOVED = "variant-removed"
OPERATION_ADDED = "operation-added"
OPERATION_REMOVED = "operation-removed"
RESPONSE_CHANGED = "response-changed"
ERROR_ADDED = "error-added"
ERROR_REMOVED = "error-removed"
DESCRIPTION_CHANGED = "description-changed"

KINDS = (
    CLASS_ADDED,
    CLASS_REMOVED,
    KIND_CHANGED,
    FIELD_ADDED,
    FIELD_REMOVED,
    TYPE_CHANGED,
    REQUIRED_CHANGED,
    NULLABLE_CHANGED,
    WIRE_NAME_CHANGED,
    MEMBER_ADDED,
    MEMBER_REMOVED,
    VARIANT_ADDED,
    VARIANT_REMOVED,
    OPERATION_ADDED,
    OPERATION_REMOVED,
    RESPONSE_CHANGED,
    ERROR_ADDED,
    ERROR_REMOVED,
    DESCRIPTION_CHANGED,
)


@dataclass(frozen=True)
class Change:
    """One difference. `cls` is `namespace.ClassName`; the identity of a change is its kind,
    its class or operation and the one of field, member or variant its kind names."""

    kind: str
    cls: str = ""
    field: str = ""
    member: str = ""
    variant: str = ""
    operation: str = ""
    old: Any = None
    new: Any = None
    breaking: bool = False
    message: str = ""
    # A changed type's `types.Relation` value ("wider", "narrower", "other"): not written out.
    direction: str = ""

    @property
    def subject(self) -> str:
        """What changed inside the class or operation: a field, member or variant, or ''."""
        return self.field or self.member or self.variant

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.cls, self.kind, self.subject, self.operation, self.message)

    def as_json(self) -> dict[str, Any]:
        """The record as `docs2models diff --format json` writes it: the keys that apply."""
        out: dict[str, Any] = {"kind": self.kind}
        for key, value in (
            ("class", self.cls),
            ("field", self.field),
            ("member", self.member),
            ("variant", self.variant),
            ("operation", self.operation),
        ):
            if value:
                out[key] = value
        if self.old is not None:
            out["old"] = self.old
        if self.new is not None:
            out["new"] = self.new
        out["breaking"] = self.breaking
        out["message"] = self.message
        return out


def ordered(changes: list[Change]) -> list[Change]:
    """Sorted by class, kind and subject (then operation): the same lists give the same text."""
    return sorted(changes, key=Change.sort_key)
