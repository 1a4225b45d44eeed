"""Parsed docs as JSON, for the cache: plain data in, the IR's own classes out.

Decoding builds only the IR's frozen dataclasses from lists, strings and numbers, checking
each value's type as it goes, so an entry that is not what `encode_parsed` wrote (damaged,
or planted by whoever could write the cache) raises ValueError and is parsed anew.
"""

from __future__ import annotations

import json
from typing import Any

from generator.model.diagnostics import Diagnostics, Severity
from generator.model.docs import (
    MAX_TYPE_DEPTH,
    Doc,
    DocKind,
    DocLocation,
    EnumMemberDoc,
    FieldDoc,
    TypeKind,
    TypeRef,
    UnionVariantDoc,
)
from generator.model.naming import class_name
from generator.model.parsed import ParsedDoc
from generator.untrusted import load_json

# Bumped when the encoding changes.
VERSION = 1
# An encoded doc nests two levels per level of its deepest type (the type, the list of its
# arguments) and at most eight around it (a utility page's embedded model, its fields, the
# field): the bound on type cells bounds the entries, and any deeper one is no entry.
PARSED_DOC_DEPTH = 2 * (MAX_TYPE_DEPTH + 1) + 8


def encode_parsed(parsed: ParsedDoc) -> bytes:
    doc, found = parsed
    diagnostics = [
        [d.location.path, d.location.line, d.severity.value, d.message] for d in found.sorted()
    ]
    data = [VERSION, None if doc is None else _doc(doc), diagnostics]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_parsed(payload: bytes) -> ParsedDoc:
    """The parsed doc `encode_parsed` wrote; ValueError for anything else."""
    try:
        version, doc, diagnostics = load_json(payload, "the entry", PARSED_DOC_DEPTH)
        if version != VERSION:
            raise ValueError("another encoding")
        found = Diagnostics()
        for path, line, severity, message in _list(diagnostics):
            location = DocLocation(_str(path), _int(line))
            if Severity(severity) is Severity.ERROR:
                found.error(location, _str(message))
            else:
                found.warning(location, _str(message))
        return (None if doc is None else _read_doc(doc)), found
    except (TypeError, KeyError, IndexError, RecursionError) as problem:
        raise ValueError(f"not a parsed doc: {problem}") from problem


def _doc(doc: Doc) -> list[Any]:
    return [
        doc.path,
        doc.namespace,
        doc.name,
        doc.kind.value,
        doc.description,
        doc.deprecated,
        _location(doc.location),
        [_field(f) for f in doc.fields],
        [[m.name, m.value, _location(m.location)] for m in doc.members],
        doc.open_enum,
        [[v.type_text, _type(v.type), _location(v.location)] for v in doc.variants],
        [_doc(embedded) for embedded in doc.embedded],
    ]


def _field(field: FieldDoc) -> list[Any]:
    return [
        field.name,
        field.type_text,
        _type(field.type),
        field.required,
        field.description,
        field.example,
        field.deprecated,
        _location(field.location),
        field.deprecation_message,
    ]


def _type(node: TypeRef) -> list[Any]:
    return [
        node.kind.value,
        node.name,
        node.namespace,
        node.link,
        [_type(arg) for arg in node.args],
        list(node.literals),
        node.via_link,
    ]


def _location(location: DocLocation) -> list[Any]:
    return [location.path, location.line]


def _read_doc(data: Any) -> Doc:
    (
        path,
        namespace,
        name,
        kind,
        description,
        deprecated,
        location,
        fields,
        members,
        open_enum,
        variants,
        embedded,
    ) = _list(data)
    return Doc(
        _str(path),
        _str(namespace),
        class_name(_str(name)),
        DocKind(kind),
        _str(description),
        _bool(deprecated),
        _read_location(location),
        tuple(_read_field(f) for f in _list(fields)),
        tuple(
            EnumMemberDoc(_str(n), _member_value(v), _read_location(loc))
            for n, v, loc in _list(members)
        ),
        _bool(open_enum),
        tuple(
            UnionVariantDoc(_str(text), _read_type(node), _read_location(loc))
            for text, node, loc in _list(variants)
        ),
        tuple(_read_doc(d) for d in _list(embedded)),
    )


def _read_field(data: Any) -> FieldDoc:
    name, text, node, required, description, example, deprecated, location, notice = _list(data)
    return FieldDoc(
        _str(name),
        _str(text),
        _read_type(node),
        _bool(required),
        _str(description),
        _str(example),
        _bool(deprecated),
        _read_location(location),
        _str(notice),
    )


def _read_type(data: Any) -> TypeRef:
    kind, name, namespace, link, args, literals, via_link = _list(data)
    return TypeRef(
        TypeKind(kind),
        _str(name),
        _str(namespace),
        _str(link),
        tuple(_read_type(arg) for arg in _list(args)),
        tuple(_literal(value) for value in _list(literals)),
        _bool(via_link),
    )


def _read_location(data: Any) -> DocLocation:
    path, line = _list(data)
    return DocLocation(_str(path), _int(line))


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected a list, found {type(value).__name__}")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, found {type(value).__name__}")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, found {type(value).__name__}")
    return value


def _member_value(value: Any) -> str | int:
    if type(value) not in (str, int):
        raise TypeError(f"expected a string or an integer, found {type(value).__name__}")
    return value  # type: ignore[no-any-return]


def _literal(value: Any) -> str | int | float | bool | None:
    if value is not None and type(value) not in (str, int, float, bool):
        raise TypeError(f"expected a literal, found {type(value).__name__}")
    return value  # type: ignore[no-any-return]
