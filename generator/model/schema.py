"""The resolved IR: what the docs mean once links, names and repairs are settled.

Every `TypeRef` here has its REF nodes pointing at real classes: `namespace` is the
folder of the target doc and `name` its class name. Identifiers are valid Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from generator.model.docs import DocLocation, LiteralValue, TypeRef
from generator.model.naming import Attribute, ClassName


class Nullability(enum.Enum):
    """How required cells whose nullability the docs do not show are typed."""

    AUTO = "auto"  # decided per tree from the fields whose nullability the docs do show
    LENIENT = "lenient"  # they all admit null
    STRICT = "strict"  # they follow the doc literally


class WireNames(enum.Enum):
    """Which JSON key an object built in Python writes for a field the docs show no key for."""

    AUTO = "auto"  # the convention the docs' examples and descriptions show, else as documented
    CAMEL = "camel"  # camelCase of the documented attribute
    SNAKE = "snake"  # the documented attribute
    AS_DOCUMENTED = "as-documented"  # the documented attribute; the docs' keys are not read


@dataclass(frozen=True)
class WireNamePlan:
    """How the JSON keys of objects built in Python were chosen, and on what evidence."""

    setting: WireNames
    convention: str  # "snake", "camel", "pascal", "upper" or "as documented"
    votes: tuple[tuple[str, int], ...]  # fields whose shown key follows each convention
    fields_shown: int  # fields whose key the docs show


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


class ClassKey(NamedTuple):
    """A class by namespace and name: a tuple, whose hashing and ordering, done for every
    reference of every run, cost no Python calls."""

    namespace: str
    name: ClassName

    def __str__(self) -> str:
        return f"{self.namespace}.{self.name}"


@dataclass(frozen=True)
class FieldSpec:
    attribute: Attribute
    wire_name: str
    type: TypeRef  # without the outer Optional/Nullable wrapper
    required: bool
    nullable: bool
    description: str
    deprecated: bool
    location: DocLocation
    has_default: bool = False
    default: LiteralValue = None
    # The name of the member of the field's enum that `default` is the value of ("" when the
    # field is no enum, or an open enum's value no member has): the default written.
    default_member: str = ""
    example: str = ""
    deprecation_message: str = ""
    # SDK plumbing (the transport's request and response, `http_meta`): read and kept, never
    # written back.
    excluded: bool = False


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
class ParameterSpec:
    name: str
    type: TypeRef  # `Any` where the docs' type is not read
    required: bool
    description: str


@dataclass(frozen=True)
class ErrorResponseSpec:
    """Which error a status brings: `statuses` are "400", "4XX", "4XX-5XX" or "default"."""

    statuses: tuple[str, ...]
    error: ClassKey | None  # None: the package's own `ApiError` (the SDK's default error)
    content_type: str
    location: DocLocation


@dataclass(frozen=True)
class OperationSpec:
    """An operation: the body its success statuses bring, and the errors of the others."""

    group: tuple[str, ...]  # the SDK path: ("portal", "article")
    method: str
    summary: str
    location: DocLocation
    operation_id: str
    http_method: str
    http_path: str
    parameters: tuple[ParameterSpec, ...]
    body: TypeRef | None  # None: no body (or none the docs show)
    errors: tuple[ErrorResponseSpec, ...]
    request_body: TypeRef | None = None
    request_examples: tuple[tuple[str, DocLocation], ...] = ()

    @property
    def name(self) -> str:
        return ".".join((*self.group, self.method))


@dataclass(frozen=True)
class Schema:
    classes: tuple[ClassSpec, ...]
    repairs: tuple[Repair, ...]
    nullability: NullabilityPlan
    wire_names: WireNamePlan = WireNamePlan(WireNames.AS_DOCUMENTED, "as documented", (), 0)
    operations: tuple[OperationSpec, ...] = ()

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Every folder of docs that defines a class."""
        return tuple(sorted({spec.key.namespace for spec in self.classes}))
