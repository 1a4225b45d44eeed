"""The resolved IR: what the docs mean once links, names and repairs are settled.

Every `TypeRef` here has its REF nodes pointing at real classes: `namespace` is the
folder of the target doc and `name` its class name. Identifiers are valid Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.ir import DocLocation, LiteralValue, SkippedDoc, TypeRef


class Nullability(enum.Enum):
    """How required cells whose nullability the docs do not show are typed."""

    AUTO = "auto"  # decided per tree from the fields whose nullability the docs do show
    LENIENT = "lenient"  # they all admit null
    STRICT = "strict"  # they follow the doc literally


@dataclass(frozen=True)
class NullEvidence:
    """Required fields whose nullability the docs show, and how many of them admit null."""

    shown: int
    nullable: int


@dataclass(frozen=True)
class NullabilityPlan:
    """Whether silent required collections and silent required dates admit null."""

    policy: Nullability
    evidence: NullEvidence
    collections: bool
    dates: bool


@dataclass(frozen=True, order=True)
class ClassKey:
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.namespace}.{self.name}"


@dataclass(frozen=True)
class FieldSpec:
    attribute: str
    wire_name: str
    type: TypeRef  # without the outer Optional/Nullable wrapper
    required: bool
    nullable: bool
    description: str
    deprecated: bool
    location: DocLocation
    has_default: bool = False
    default: LiteralValue = None
    example: str = ""
    deprecation_message: str = ""


@dataclass(frozen=True)
class ModelSpec:
    key: ClassKey
    doc_path: str
    description: str
    deprecated: bool
    fields: tuple[FieldSpec, ...]
    extra_allowed: bool
    is_error: bool
    location: DocLocation


@dataclass(frozen=True)
class EnumMemberSpec:
    name: str
    value: str | int


@dataclass(frozen=True)
class EnumSpec:
    key: ClassKey
    doc_path: str
    description: str
    members: tuple[EnumMemberSpec, ...]
    value_type: str  # "str" or "int"
    is_open: bool
    location: DocLocation


@dataclass(frozen=True)
class UnionSpec:
    key: ClassKey
    doc_path: str
    description: str
    variants: tuple[TypeRef, ...]
    location: DocLocation


ClassSpec = ModelSpec | EnumSpec | UnionSpec


@dataclass(frozen=True)
class Repair:
    """A measured rule applied where the docs are known to be lossy."""

    rule: str
    location: DocLocation


@dataclass(frozen=True)
class Schema:
    classes: tuple[ClassSpec, ...]
    repairs: tuple[Repair, ...]
    skipped: tuple[SkippedDoc, ...]
    nullability: NullabilityPlan

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Every folder of docs, also one whose only pages were skipped."""
        found = {spec.key.namespace for spec in self.classes} | {s.namespace for s in self.skipped}
        return tuple(sorted(found))
