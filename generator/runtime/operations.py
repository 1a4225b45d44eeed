"""From an HTTP response of an operation to its typed body, or to its documented error.

A success status (2XX) gives the body the docs show (a stream or a download: as it came).
Another raises the error class its errors table gives: an exact code beats a range (`4XX`), a
range beats a span of ranges (`4XX-5XX`) and `default`, and any of them the SDK's own default
error (a `*/*` row without a class). A status the table does not cover, or a body its class
cannot read, raises `ApiError`. Standard library only: both targets use it.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from .errors import ApiError, body_text, json_value

__all__ = ["ErrorRow", "Operation", "Operations", "is_json"]

_Body = TypeVar("_Body")
# An errors-table row: its statuses ("400,404", "4XX", "4XX-5XX", "default"), the error class
# (None: `ApiError` itself, as for the SDK's default error) and the content type.
ErrorRow = tuple[str, Callable[[], type[ApiError]] | None, str]
_STATUS_TEXTS = frozenset(str(code) for code in range(1000))  # "200", not "0200" or " 200"
# Where a status matches an errors-table row: smaller wins.
EXACT, RANGE, SPAN = 0, 1, 2


def _rank(pattern: str, status: int) -> int | None:
    """How closely `pattern` ("400", "4XX", "4XX-5XX", "default") matches `status`, or None."""
    if pattern.isdigit():
        return EXACT if int(pattern) == status else None
    if pattern == "default":
        return SPAN
    if len(pattern) == 3:
        return RANGE if status // 100 == int(pattern[0]) else None
    return SPAN if int(pattern[0]) <= status // 100 <= int(pattern[4]) else None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    media = _media_type(content_type)
    return media in ("", "application/json", "*/*") or media.endswith("+json")


def _content_matches(pattern: str, content_type: str) -> bool:
    wanted, media = _media_type(pattern), _media_type(content_type)
    return wanted in ("", "*/*", media) or (wanted.endswith("/*") and media.startswith(wanted[:-1]))


@dataclasses.dataclass(frozen=True, repr=False)
class Operation(Generic[_Body]):
    """An operation of the API: `parse` turns one of its HTTP responses into the body its
    docs show (a success status), or raises the error its docs give (another status)."""

    name: str
    read_value: Callable[[Any, Any], Any]  # the package's: a JSON value as an annotation
    body: Callable[[], Any] | None  # its annotation; None: no body
    _: dataclasses.KW_ONLY
    errors: tuple[ErrorRow, ...] = ()
    as_sent: bool = False  # a stream or a download: the body as it came
    operation_id: str = ""
    method: str = ""
    path: str = ""
    summary: str = ""

    def __repr__(self) -> str:
        return f"<operation {self.name}>"

    def parse(
        self,
        status_code: int | str,
        body: str | bytes,
        content_type: str | None = "application/json",
        *,
        raw_response: Any = None,
    ) -> _Body:
        """The body of a success response; raises the error of any other status. A success
        body that is not JSON, where the docs show a JSON body, raises `ApiError`: the result
        is always of the documented type. `status_code` is an int or its digits (`"200"`), else
        `TypeError`; a `content_type` of `None` (no header) is unknown: read as JSON."""
        found = self.read(status_code, body, content_type, raw_response, typed=True)
        return typing.cast(_Body, found)

    def read(
        self,
        status_code: int | str,
        body: Any,
        content_type: str | None = "application/json",
        raw_response: Any = None,
        typed: bool = False,
    ) -> Any:
        """As `parse`; without `typed`, a body that is not JSON is given as it came."""
        if isinstance(status_code, str) and status_code in _STATUS_TEXTS:
            status_code = int(status_code)  # as a header or a log gives it
        elif not isinstance(status_code, int) or isinstance(status_code, bool):
            raise TypeError(f"status_code: an HTTP status such as 200, not {status_code!r}")
        if isinstance(body, memoryview):  # as some transports give it: read as its bytes
            body = body.tobytes()
        content_type = content_type or ""  # None: no header, read as JSON if it is
        if not isinstance(content_type, str):
            raise TypeError(
                f"content_type: a header such as 'application/json', not {content_type!r}"
            )
        rows: list[ErrorRow] = [("2XX", None, ""), *self.errors]
        best: tuple[bool, int, bool, int] | None = None
        for index, (statuses, error_class, row_type) in enumerate(rows):
            for pattern in statuses.split(","):
                if (rank := _rank(pattern, status_code)) is None:
                    continue
                # The SDK's own default error: what no other row of the status covers.
                fallback = index > 0 and error_class is None and _media_type(row_type) == "*/*"
                key = (fallback, rank, not _content_matches(row_type, content_type), index)
                best = key if best is None or key < best else best
        if best is not None and best[3] == 0:
            return self._success(status_code, body, content_type, raw_response, typed)
        error_class = rows[best[3]][1] if best is not None else None
        if error_class is None or not is_json(content_type):
            raise ApiError.unexpected(status_code, body, raw_response)
        try:
            error = error_class().from_response(body_text(body), raw_response, status_code)
        except ValueError as invalid:  # the body is not the documented error's
            raise ApiError.unexpected(status_code, body, raw_response) from invalid
        raise error

    def _success(
        self, status_code: int, body: Any, content_type: str, raw_response: Any, typed: bool
    ) -> Any:
        if self.body is None or self.as_sent:
            return None if self.body is None else body
        annotation, json_content = self.body(), is_json(content_type)
        try:
            if annotation is bytes:
                return body if isinstance(body, bytes) else body_text(body).encode("utf-8")
            if annotation is str:
                return _string(body_text(body), json_content)
            if not json_content:
                if typed:  # the helper's result is of its declared type, or it raises
                    raise ApiError.unexpected(status_code, body, raw_response)
                return body
            text = isinstance(body, str | bytes | bytearray)
            if isinstance(annotation, type) and text and hasattr(annotation, "from_json"):
                return annotation.from_json(body)
            data = json_value(body) if text else body
            return data if annotation is typing.Any else self.read_value(annotation, data)
        except ValueError as invalid:  # not JSON, not UTF-8, or not the documented type
            raise ApiError.unexpected(status_code, body, raw_response) from invalid


def _string(text: str, json_content: bool) -> str:
    """A body documented as text: a JSON string decoded, anything else as it came."""
    try:
        value = json_value(text) if json_content else None
    except ValueError:
        return text
    return value if isinstance(value, str) else text


class Operations(dict[str, Operation[Any]]):
    """The package's operations, by name (`portal.article.get_article_by_id`) and by operationID."""

    def __init__(self, operations: Iterable[Operation[Any]]) -> None:
        super().__init__((operation.name, operation) for operation in operations)
        for operation in list(self.values()):
            if operation.operation_id:
                self.setdefault(operation.operation_id, operation)

    def __missing__(self, name: str) -> Operation[Any]:
        raise KeyError(f"no operation {name!r}: give its name (sdk path and method) or ID")
