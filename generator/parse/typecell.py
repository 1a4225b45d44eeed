"""The Type column grammar.

A Type cell is a small language: Python-ish type expressions (`Optional[str]`,
`Dict[str, List[int]]`, `Literal["a"]`) where any sub-expression may be
emphasised (`*str*`) or wrapped in a Markdown link (`[Optional[shared.X]](x.md)`,
`[date](https://...)`). This module turns the text into a `TypeRef` tree by
recursive descent; it knows nothing about which docs exist.
"""

from __future__ import annotations

import json
import math

from generator.model.docs import (
    COLLECTION_KINDS,
    MAX_TYPE_DEPTH,
    LiteralValue,
    TypeKind,
    TypeRef,
)
from generator.runtime.errors import MAX_DEPTH

PRIMITIVES = frozenset(
    {"str", "int", "float", "bool", "bytes", "Any", "date", "datetime", "Decimal", "None"}
)
WRAPPERS = {
    "Optional": TypeKind.OPTIONAL,
    "Nullable": TypeKind.NULLABLE,
    "OptionalNullable": TypeKind.OPTIONAL_NULLABLE,
}
COLLECTIONS = {
    "List": TypeKind.LIST,
    "list": TypeKind.LIST,
    "Dict": TypeKind.DICT,
    "dict": TypeKind.DICT,
}
# The SDK's HTTP objects, as every era of Speakeasy's Python SDKs spells them: v1 imports
# requests as `requests_http`, and its docs name the type by either module; v2 uses httpx.
TRANSPORT_RESPONSES = frozenset({"requests_http.Response", "requests.Response", "httpx.Response"})
TRANSPORT_REQUESTS = frozenset(
    {
        "requests_http.Request",
        "requests_http.PreparedRequest",
        "requests.Request",
        "requests.PreparedRequest",
        "httpx.Request",
    }
)
TRANSPORT_TYPES = TRANSPORT_RESPONSES | TRANSPORT_REQUESTS
# Transport, stream and file objects: kept opaque in generated code.
EXTERNALS = TRANSPORT_TYPES | frozenset(
    {
        "io.BufferedReader",
        "io.IOBase",
        "IO",
        "eventstreaming.EventStream",
        "eventstreaming.EventStreamAsync",
    }
)
# A value of the type, in the object of its field, nests within what the generated runtime
# reads with Python code.
MAX_CONTAINERS = MAX_DEPTH - 1
KNOWN_NAMES = PRIMITIVES | set(WRAPPERS) | set(COLLECTIONS) | {"Union", "Literal"} | EXTERNALS
# Names that take type arguments: bare, as a link's text, they can only be a doc's title.
_BARE_GENERIC_NAMES = frozenset(WRAPPERS) | frozenset(COLLECTIONS) | {"Union", "Literal"}


class TypeCellError(ValueError):
    """The cell is not a type expression; `column` is 0-based within the cell."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


def parse_type_cell(text: str) -> TypeRef:
    parser = _Parser(text)
    node = parser.type_expr(0)
    parser.skip_decoration()
    if parser.pos != len(text):
        raise TypeCellError(f"unexpected {text[parser.pos:]!r} after the type", parser.pos)
    if _containers(node) > MAX_CONTAINERS:
        raise TypeCellError(
            f"type nests more than {MAX_CONTAINERS} lists and dicts: a value of it, in the"
            f" object of its field, would be deeper than the {MAX_DEPTH} arrays and objects"
            " a generated package reads",
            0,
        )
    return node


def _containers(node: TypeRef) -> int:
    """How many lists and dicts a value of the type nests, at most."""
    inner = max((_containers(arg) for arg in node.args), default=0)
    return inner + (node.kind in COLLECTION_KINDS)


def is_unicode(text: str) -> bool:
    """False for text with unpaired surrogates (JSON escapes can make them; UTF-8 cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_external_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_decoration(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t*`":
            self.pos += 1

    def expect(self, char: str) -> None:
        self.skip_decoration()
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end of the cell"
            raise TypeCellError(f"expected {char!r} but found {found}", self.pos)
        self.pos += 1

    def type_expr(self, depth: int) -> TypeRef:
        if depth > MAX_TYPE_DEPTH:
            raise TypeCellError(f"type nests deeper than {MAX_TYPE_DEPTH} levels", self.pos)
        self.skip_decoration()
        if self.peek() == "[":
            return self.link(depth)
        return self.named(depth)

    def link(self, depth: int) -> TypeRef:
        start = self.pos
        close = self._matching(start, "[", "]")
        label = self.text[start + 1 : close]
        if close + 1 >= len(self.text) or self.text[close + 1] != "(":
            raise TypeCellError("a '[' that does not start a Markdown link", start)
        url_end = self._matching(close + 1, "(", ")")
        url = self.text[close + 2 : url_end].strip()
        self.pos = url_end + 1
        if not _is_external_url(url) and label.strip(" \t*`") in _BARE_GENERIC_NAMES:
            # `[list](list.md)`: a doc titled like a generic, not the generic without its
            # arguments.
            name = label.strip(" \t*`")
            return TypeRef(TypeKind.REF, name, link=url, via_link=True)
        inner = _Parser(label)
        node = inner.type_expr(depth + 1)
        inner.skip_decoration()
        if inner.pos != len(label):
            raise TypeCellError(
                f"unexpected {label[inner.pos:]!r} in link text", start + 1 + inner.pos
            )
        if _is_external_url(url):
            return TypeRef(
                node.kind, node.name, node.namespace, url, node.args, node.literals, True
            )
        return _attach_link(node, url)

    def _matching(self, start: int, opening: str, closing: str) -> int:
        depth = 0
        for index in range(start, len(self.text)):
            char = self.text[index]
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    return index
        raise TypeCellError(f"unbalanced {opening!r}", start)

    def identifier(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and (
            self.text[self.pos].isalnum() or self.text[self.pos] in "_."
        ):
            self.pos += 1
        if start == self.pos:
            found = repr(self.peek()) if self.peek() else "the end of the cell"
            raise TypeCellError(f"expected a type name but found {found}", start)
        return self.text[start : self.pos]

    def named(self, depth: int) -> TypeRef:
        start = self.pos
        name = self.identifier()
        self.skip_decoration()
        args: list[TypeRef] = []
        if self.peek() == "[":
            self.pos += 1
            if name == "Literal":
                return TypeRef(TypeKind.LITERAL, literals=self.literal_args())
            args = self.type_args(depth)
        return self.build(name, tuple(args), start)

    def type_args(self, depth: int) -> list[TypeRef]:
        args = [self.type_expr(depth + 1)]
        self.skip_decoration()
        while self.peek() == ",":
            self.pos += 1
            args.append(self.type_expr(depth + 1))
            self.skip_decoration()
        self.expect("]")
        return args

    def literal_args(self) -> tuple[LiteralValue, ...]:
        values: list[LiteralValue] = [self.literal()]
        self.skip_decoration()
        while self.peek() == ",":
            self.pos += 1
            values.append(self.literal())
            self.skip_decoration()
        self.expect("]")
        return tuple(values)

    def literal(self) -> LiteralValue:
        self.skip_decoration()
        start = self.pos
        char = self.peek()
        if char in "\"'":
            end = start + 1
            while end < len(self.text) and self.text[end] != char:
                end += 2 if self.text[end] == "\\" else 1
            if end >= len(self.text):
                raise TypeCellError("unterminated string in Literal[...]", start)
            self.pos = end + 1
            body = self.text[start + 1 : end]
            if char == '"':
                try:
                    decoded: str = json.loads('"' + body + '"')
                except ValueError as exc:
                    raise TypeCellError(f"invalid string in Literal[...]: {exc}", start) from None
                if not is_unicode(decoded):
                    raise TypeCellError("Literal[...] string escapes an unpaired surrogate", start)
                return decoded
            return body.replace("\\'", "'").replace("\\\\", "\\")
        while self.pos < len(self.text) and self.text[self.pos] not in ",] \t*":
            self.pos += 1
        word = self.text[start : self.pos]
        keywords: dict[str, LiteralValue] = {"True": True, "False": False, "None": None}
        if word in keywords:
            return keywords[word]
        try:
            return int(word)
        except ValueError:
            pass
        try:
            number = float(word)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise TypeCellError(f"{_shorten(word)!r} is not a literal value", start)
        return number

    def build(self, name: str, args: tuple[TypeRef, ...], start: int) -> TypeRef:
        def arity(count: int) -> None:
            if len(args) != count:
                raise TypeCellError(
                    f"{name}[...] takes {count} type argument(s), got {len(args)}", start
                )

        if name in WRAPPERS:
            arity(1)
            return TypeRef(WRAPPERS[name], args=args)
        if name in COLLECTIONS:
            arity(1 if COLLECTIONS[name] is TypeKind.LIST else 2)
            return TypeRef(COLLECTIONS[name], args=args)
        if name == "Union":
            if not args:
                raise TypeCellError("Union[...] needs at least one type", start)
            return TypeRef(TypeKind.UNION, args=args)
        if name in PRIMITIVES:
            if args:
                raise TypeCellError(f"{name} takes no type arguments", start)
            return TypeRef(TypeKind.PRIMITIVE, name)
        if name in EXTERNALS:
            return TypeRef(TypeKind.EXTERNAL, name, args=args)
        namespace, _, short = name.rpartition(".")
        if args:
            return TypeRef(TypeKind.GENERIC, short, namespace, args=args)
        if not (short[:1].isalpha() or short[:1] == "_"):
            raise TypeCellError(f"{name!r} is not a type name", start)
        return TypeRef(TypeKind.REF, short, namespace)


def _attach_link(node: TypeRef, url: str) -> TypeRef:
    """Give the link target to the class reference(s) in a linked type, and to the scalar
    names in it: a doc may be titled `int` (the resolver decides which one the cell means)."""
    if node.kind is TypeKind.REF:
        return TypeRef(node.kind, node.name, node.namespace, url, via_link=True)
    if node.kind in (TypeKind.PRIMITIVE, TypeKind.EXTERNAL) and not node.args:
        return TypeRef(node.kind, node.name, node.namespace, url)
    if not node.args:
        return node
    args = tuple(_attach_link(arg, url) for arg in node.args)
    return TypeRef(
        node.kind, node.name, node.namespace, node.link, args, node.literals, node.via_link
    )
