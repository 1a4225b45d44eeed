"""Stage 2 of six (parse -> IR -> resolve -> render -> format -> write), the IR: the parsed
doc records, frozen dataclasses that carry doc facts, never rendering."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from generator.model.naming import ClassName
from generator.model.printable import printed_path


@dataclass(frozen=True, order=True)
class DocLocation:
    """Where a fact came from: a doc path (relative to the specs root) and a 1-based line
    (0 for a whole file or folder, which has none); `side`, in a diff, the side ("old" or
    "new") the doc is on."""

    side: str = field(default="", kw_only=True)  # first: problems sort by side, then path
    path: str
    line: int

    def __str__(self) -> str:
        path = printed_path(self.path)  # a file's name can hold a newline or a colon
        where = f"{path}:{self.line}" if self.line else path
        return f"{self.side}: {where}" if self.side else where


class TypeKind(enum.Enum):
    PRIMITIVE = "primitive"
    REF = "ref"
    LIST = "list"
    DICT = "dict"
    OPTIONAL = "optional"
    NULLABLE = "nullable"
    OPTIONAL_NULLABLE = "optional_nullable"
    UNION = "union"
    LITERAL = "literal"
    EXTERNAL = "external"
    GENERIC = "generic"


LiteralValue = str | int | float | bool | None

WRAPPER_KINDS = frozenset({TypeKind.OPTIONAL, TypeKind.NULLABLE, TypeKind.OPTIONAL_NULLABLE})
COLLECTION_KINDS = frozenset({TypeKind.LIST, TypeKind.DICT})
# pydantic builds the schema of a nested type about six Python frames a level: types nest at
# most a hundred levels, which leaves room below the recursion limit for the code that imports
# the model.
MAX_TYPE_DEPTH = 100


@dataclass(frozen=True)
class TypeRef:
    """One node of a Type cell.

    PRIMITIVE: `name` is one of the primitive names (str, int, datetime, Any, ...).
    REF: `name` is a class name, `namespace` the prefix written before it (may be
    empty) and `link` the relative doc link that named it (may be empty).
    EXTERNAL: a transport or stream type named by an external link or a dotted name.
    GENERIC: an unknown generic such as `eventstreaming.EventStream[...]`.
    `via_link` marks a REF written as a link, or a primitive written as an external
    link such as `[date](https://docs.python.org/...)`. A PRIMITIVE or EXTERNAL name in
    the text of a relative link carries that link (`via_link` false) until it is resolved:
    it means the linked doc's class when that doc is titled with the name.
    """

    kind: TypeKind
    name: str = ""
    namespace: str = ""
    link: str = ""
    args: tuple[TypeRef, ...] = ()
    literals: tuple[LiteralValue, ...] = ()
    via_link: bool = False

    def unwrapped(self) -> TypeRef:
        node = self
        while node.kind in WRAPPER_KINDS:
            node = node.args[0]
        return node

    def walk(self) -> list[TypeRef]:
        out: list[TypeRef] = []
        stack: list[TypeRef] = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.args))
        return out


def type_text(node: TypeRef) -> str:
    """The type as the generated annotation spells it, classes as `namespace.Name`:
    `list[shared.Dog]`, `dict[str, Any]`, `Literal['a', 'b']`, `int | str`."""
    kind = node.kind
    if kind is TypeKind.REF:
        return f"{node.namespace}.{node.name}" if node.namespace else node.name
    if kind is TypeKind.LIST:
        return f"list[{type_text(node.args[0])}]"
    if kind is TypeKind.DICT:
        return f"dict[{type_text(node.args[0])}, {type_text(node.args[1])}]"
    if kind is TypeKind.UNION:
        return " | ".join(sorted(type_text(arg) for arg in node.args))
    if kind is TypeKind.LITERAL:
        return f"Literal[{', '.join(repr(value) for value in node.literals)}]"
    if kind in (TypeKind.OPTIONAL, TypeKind.NULLABLE, TypeKind.OPTIONAL_NULLABLE):
        return f"{type_text(node.args[0])} | None"
    if node.args:
        return f"{node.name}[{', '.join(type_text(arg) for arg in node.args)}]"
    return node.name


@dataclass(frozen=True)
class FieldDoc:
    """One row of a `## Fields` table."""

    name: str
    type_text: str
    type: TypeRef
    required: bool
    description: str
    example: str
    deprecated: bool
    location: DocLocation
    # The notice of a deprecated field, without its "DEPRECATED" prefix; "" when none is given.
    deprecation_message: str = ""


@dataclass(frozen=True)
class EnumMemberDoc:
    name: str
    value: str | int
    location: DocLocation


@dataclass(frozen=True)
class UnionVariantDoc:
    type_text: str
    type: TypeRef
    location: DocLocation


class DocKind(enum.Enum):
    MODEL = "model"
    ENUM = "enum"
    UNION = "union"


@dataclass(frozen=True)
class Doc:
    """A parsed model doc: what the Markdown says, nothing inferred."""

    path: str
    namespace: str
    name: ClassName
    kind: DocKind
    description: str
    deprecated: bool
    location: DocLocation
    fields: tuple[FieldDoc, ...] = ()
    members: tuple[EnumMemberDoc, ...] = ()
    open_enum: bool = False
    variants: tuple[UnionVariantDoc, ...] = ()
    # Further models defined in the same page (SDK utility pages).
    embedded: tuple[Doc, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)


@dataclass(frozen=True)
class ErrorListing:
    """A class named in a `docs/sdks/**/README.md` `### Errors` table."""

    namespace: str
    name: str
    location: DocLocation


@dataclass(frozen=True)
class ExampleBody:
    """A JSON body shown on an SDK page, and the docs its operation's section links to."""

    text: str
    location: DocLocation
    linked_docs: tuple[str, ...]


@dataclass(frozen=True)
class ParameterDoc:
    """One row of an operation's `### Parameters` table."""

    name: str
    type_text: str
    type: TypeRef | None  # None: the cell is not a type the parser reads
    required: bool
    description: str
    location: DocLocation


@dataclass(frozen=True)
class ErrorRowDoc:
    """One row of an operation's `### Errors` table: a class, its statuses, a content type."""

    namespace: str
    name: str
    statuses: tuple[str, ...]  # "400", "4XX", "4x-5xx", "default"
    content_type: str
    location: DocLocation


@dataclass(frozen=True)
class OperationDoc:
    """An operation of an SDK page (`docs/sdks/**/README.md`): what the page shows of it."""

    sdk_path: str  # the page's `(*portal.article*)`, else its folder's name
    method: str  # the name listed under `### Available Operations`
    summary: str
    location: DocLocation
    # From a v2 `<!-- UsageSnippet ... -->` comment; "" when the page shows none.
    operation_id: str = ""
    http_method: str = ""
    http_path: str = ""
    parameters: tuple[ParameterDoc, ...] = ()
    response_text: str = ""  # the `### Response` line's type, "" when there is none
    response: TypeRef | None = None
    response_location: DocLocation | None = None
    errors: tuple[ErrorRowDoc, ...] = ()
    # JSON of the `### Example Request Body` blocks, with where each starts.
    request_examples: tuple[tuple[str, DocLocation], ...] = ()
    # Its usage example pages through results (`res = res.next()`): v2's response class then
    # wraps the body as `result`, beside a `next` function the docs do not show.
    paginated: bool = False

    @property
    def name(self) -> str:
        return f"{self.sdk_path}.{self.method}"


@dataclass(frozen=True)
class DocTree:
    docs: tuple[Doc, ...]
    error_listings: tuple[ErrorListing, ...] = ()
    example_bodies: tuple[ExampleBody, ...] = ()
    operations: tuple[OperationDoc, ...] = ()
    # Every Markdown page of the specs (relative paths), docs or not, read or not.
    pages: frozenset[str] = frozenset()
