"""What both targets share: open enums, `ApiError`, a depth-bounded reading of payloads, and
loading classes on first use."""

from __future__ import annotations

import importlib
import json
import re
import threading
from collections.abc import Mapping
from enum import IntEnum, StrEnum
from typing import Any, ClassVar, Self


class OpenStrEnum(StrEnum):
    """A string enum that keeps values it does not know instead of rejecting them."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class OpenIntEnum(IntEnum):
    """An integer enum that keeps values it does not know instead of rejecting them."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member


class ApiError(Exception):
    """Base of every generated error: `except ApiError` catches any of them.

    Raised itself for a response the docs do not describe: its `data` is then the body's JSON
    value, or its text. A generated error (a `GeneratedError`) has its body model as `data`, and
    offers its fields as properties too (but where a name below is taken).
    """

    data_model: ClassVar[type[Any]]  # a generated error's body model
    data: Any  # the parsed body
    raw_response: Any  # the transport's response, where given (never serialised or pickled)
    body: str  # the body as text: `str(error)`
    status_code: int | None  # the response's status, where it is known

    def __init__(
        self,
        data: Any,
        raw_response: Any = None,
        body: str | None = None,
        status_code: int | None = None,
    ) -> None:
        if body is None:
            body = data.to_json()
        super().__init__(body)
        self.data = data
        self.raw_response = raw_response
        self.body = body
        self.status_code = status_code

    @classmethod
    def from_response(
        cls,
        body: str | bytes | bytearray | memoryview,
        raw_response: Any = None,
        status_code: int | None = None,
    ) -> Self:
        """Parse a response body (JSON text, or its UTF-8 bytes) into this error (`ApiError`
        itself: its JSON value)."""
        raw = bytes(body) if isinstance(body, memoryview) else body
        # Read before decoding: bytes that are not UTF-8 are refused as the reader refuses them.
        data = cls.data_model.from_json(raw) if hasattr(cls, "data_model") else json_value(raw)
        return cls(data, raw_response, body_text(raw), status_code)

    @classmethod
    def unexpected(cls, status_code: int, body: Any, raw_response: Any = None) -> Self:
        """An error for a response the docs do not describe: its status, and its body."""
        text = body_text(body, errors="replace")
        try:
            data = json_value(text)
        except ValueError:
            data = text
        return cls(data, raw_response, text, status_code)

    def __str__(self) -> str:
        return self.body

    def __repr__(self) -> str:
        status = "" if self.status_code is None else f"status_code={self.status_code}, "
        return f"{type(self).__name__}({status}data={self.data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.data, None, self.body, self.status_code))


def body_text(body: Any, errors: str = "strict") -> str:
    """A response body as text: bytes decoded as UTF-8 (`errors` as for `bytes.decode`), an
    already decoded JSON value written back as JSON."""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body).decode("utf-8", errors)
    return body if isinstance(body, str) else json.dumps(body)


# How deeply arrays and objects may nest where Python code reads them (a few frames a level).
MAX_DEPTH = 100
TOO_DEEP = f"nested deeper than {MAX_DEPTH} arrays and objects"


def json_value(text: str | bytes | bytearray) -> Any:
    """JSON text as a value; `ValueError` where it is not JSON, holds a string that is not
    Unicode (a lone surrogate, as pydantic refuses it), or nests deeper than `MAX_DEPTH`."""
    # Bytes as UTF-8, as pydantic reads them (json would take a BOM, or UTF-16).
    text = text.decode() if isinstance(text, bytes | bytearray) else text
    try:
        value = within_depth(json.loads(text))
    except RecursionError:  # deeper than the stack allows: too deep, whatever the limit
        raise ValueError(TOO_DEEP) from None
    if _SURROGATE.search(text):  # a lone one, unless it is a pair or its \ is escaped
        json.dumps(value, ensure_ascii=False).encode()  # UnicodeEncodeError: a ValueError
    return value


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")  # escaped, or in the text


def within_depth(value: Any) -> Any:
    """`value`; `ValueError` where its arrays and objects nest deeper than `MAX_DEPTH`."""
    level: list[Any] = [[value]]  # the containers of one depth, from `value` down: no recursion
    for _ in range(MAX_DEPTH + 1):
        items = (v for c in level for v in (c.values() if isinstance(c, Mapping) else c))
        level = [v for v in items if isinstance(v, Mapping | list | tuple)]
        if not level:
            return value
    raise ValueError(TOO_DEEP)


# Classes load on first use one thread at a time: modules that refer to each other in a cycle
# would otherwise load half-way in two threads (a class not bound yet, or Python's import
# deadlock detection failing one of them), and stay broken.
_LOADING = threading.RLock()


def load_class(module: str, package: str, name: str) -> Any:
    """The class `name` of the generated module `module` (relative to `package`)."""
    with _LOADING:
        return getattr(importlib.import_module(module, package), name)
