"""From an HTTP response of an operation to its typed body, or to its documented error.

A success status (2XX) gives the body the operation's docs show: a model, a list of them, or
any other type; a stream or a file download is the body as it came. Another status raises
the error class its errors table gives: an exact code beats a range (`4XX`), a range beats a
span of ranges (`4XX-5XX`) and `default`, and any of them beats the SDK's own default error (a
`*/*` row without a class). A status the table does not cover, or a body its class cannot read,
raises the package's `ApiError` with the status and the body.

Standard library only: both targets use it. A package's `endpoints` module declares its
operations.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable
from typing import Any, Generic, NoReturn, TypeVar

from .errors import ApiError, body_text

__all__ = ["ErrorRow", "Operation", "Operations", "is_json"]

_Body = TypeVar("_Body")
# An errors-table row: its statuses ("400,404", "4XX", "4XX-5XX", "default"), the error
# class (None: the package's own `ApiError`, as for the SDK's default error) and the content
# type.
ErrorRow = tuple[str, Callable[[], type[ApiError]] | None, str]
# Reads a JSON value as an annotation: the package's `read_value`.
ValueReader = Callable[[Any, Any], Any]
# Where a status matches an errors-table entry: smaller wins.
EXACT, RANGE, SPAN = 0, 1, 2
_SUCCESS = "2XX"


def _rank(pattern: str, status: int) -> int | None:
    """How closely `pattern` ("400", "4XX", "4XX-5XX", "default") matches `status`, or None."""
    if pattern.isdigit():
        return EXACT if int(pattern) == status else None
    if pattern == "default":
        return SPAN
    first = int(pattern[0])
    if len(pattern) == 3:
        return RANGE if status // 100 == first else None
    return SPAN if first <= status // 100 <= int(pattern[4]) else None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    media = _media_type(content_type)
    return media in ("", "application/json", "*/*") or media.endswith("+json")


def _content_matches(pattern: str, content_type: str) -> bool:
    wanted, media = _media_type(pattern), _media_type(content_type)
    if wanted in ("", "*/*") or wanted == media:
        return True
    return wanted.endswith("/*") and media.startswith(wanted[:-1])


class Operation(Generic[_Body]):
    """An operation of the API: `parse` turns one of its HTTP responses into the body its
    docs show (a success status), or raises the error its docs give (another status)."""

    def __init__(
        self,
        name: str,
        read_value: ValueReader,
        body: Callable[[], Any] | None,
        *,
        errors: tuple[ErrorRow, ...] = (),
        as_sent: bool = False,
        operation_id: str = "",
        method: str = "",
        path: str = "",
        summary: str = "",
    ) -> None:
        self.name = name
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.summary = summary
        self._read_value = read_value
        self._body = body
        self._errors = errors
        self._as_sent = as_sent  # a stream or a download: the body as it came

    def __repr__(self) -> str:
        return f"<operation {self.name}>"

    def parse(
        self,
        status_code: int,
        body: str | bytes,
        content_type: str = "application/json",
        *,
        raw_response: Any = None,
    ) -> _Body:
        """The body of a success response; raises the error of any other status.

        A success body of a content type that is not JSON, where the docs show a JSON body,
        raises the package's `ApiError`: the result is always of the documented type.
        """
        return typing.cast(
            _Body, self.read(status_code, body, content_type, raw_response, typed=True)
        )

    def read(
        self,
        status_code: int,
        body: Any,
        content_type: str = "application/json",
        raw_response: Any = None,
        typed: bool = False,
    ) -> Any:
        """As `parse`; without `typed`, a body that is not JSON is given as it came."""
        rows: list[ErrorRow] = [(_SUCCESS, None, ""), *self._errors]
        best: tuple[bool, int, bool, int] | None = None
        for index, (statuses, error_class, row_type) in enumerate(rows):
            for pattern in statuses.split(","):
                rank = _rank(pattern, status_code)
                if rank is not None:
                    # The SDK's own default error: what no other row of the status covers.
                    fallback = index > 0 and error_class is None and _media_type(row_type) == "*/*"
                    mismatch = not _content_matches(row_type, content_type)
                    key = (fallback, rank, mismatch, index)
                    best = key if best is None or key < best else best
        if best is None:
            _unexpected(status_code, body, raw_response)
        if best[3] == 0:
            return self._success(status_code, body, content_type, raw_response, typed)
        error_class = rows[best[3]][1]
        if error_class is None or not is_json(content_type):
            _unexpected(status_code, body, raw_response)
        try:
            raised = error_class().from_response(
                body_text(body), raw_response, status_code=status_code
            )
        except ValueError as invalid:  # the body is not the documented error's
            _unexpected(status_code, body, raw_response, invalid)
        raise raised

    def _success(
        self, status_code: int, body: Any, content_type: str, raw_response: Any, typed: bool
    ) -> Any:
        if self._body is None:
            return None
        if self._as_sent:
            return body
        annotation = self._body()
        json_content = is_json(content_type)
        try:
            if annotation is bytes:
                return body if isinstance(body, bytes) else body_text(body).encode("utf-8")
            if annotation is str:
                return _string(body_text(body), json_content)
            if not json_content:
                if typed:  # the helper's result is of its declared type, or it raises
                    _unexpected(status_code, body, raw_response)
                return body
            if annotation is typing.Any:
                return json.loads(body) if isinstance(body, str | bytes | bytearray) else body
            return read_body(self._read_value, annotation, body)
        except ValueError as invalid:  # not JSON, not UTF-8, or not the documented type
            _unexpected(status_code, body, raw_response, invalid)


def _string(text: str, json_content: bool) -> str:
    """A body documented as text: a JSON string decoded, anything else as it came."""
    if json_content:
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def read_body(read_value: ValueReader, annotation: Any, body: Any) -> Any:
    """A JSON body (text, bytes, or already decoded) as `annotation`."""
    if isinstance(annotation, type) and hasattr(annotation, "from_json"):
        model: Any = annotation  # a generated model: it reads JSON text itself
        if isinstance(body, str | bytes | bytearray):
            return model.from_json(body)
        return model.from_dict(body)
    data = json.loads(body) if isinstance(body, str | bytes | bytearray) else body
    item: Any = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None
    if isinstance(item, type) and hasattr(item, "from_dict") and isinstance(data, list):
        return [item.from_dict(value) for value in data]
    return read_value(annotation, data)


def _unexpected(
    status_code: int, body: Any, raw_response: Any, cause: BaseException | None = None
) -> NoReturn:
    """Raise the package's `ApiError` for a response the docs do not describe."""
    raise ApiError.unexpected(status_code, body, raw_response) from cause


class Operations:
    """The package's operations, by name (`portal.article.get_article_by_id`) and by
    operationID (`getArticleById`)."""

    def __init__(self, operations: Iterable[Operation[Any]]) -> None:
        self._by_name: dict[str, Operation[Any]] = {}
        for operation in operations:
            self._by_name[operation.name] = operation
            if operation.operation_id:
                self._by_name.setdefault(operation.operation_id, operation)

    def __getitem__(self, name: str) -> Operation[Any]:
        found = self._by_name.get(name)
        if found is None:
            raise KeyError(f"no operation {name!r}: give its name (sdk path and method) or ID")
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._by_name
